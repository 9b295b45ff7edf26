"""Training: coverage dashboard, an officer's status, recording a completion, CSV import.

Dashboard and import need VIEW_TRAINING / MANAGE_TRAINING; an officer's page is open to the
officer themselves and to VIEW_TRAINING in the same organisation (others 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm, perm_required

from . import services
from .courses import CORE_COURSES, Course
from .forms import ImportForm, RecordForm


def _org(user):
    membership = getattr(user, "membership", None)
    if membership is None:
        raise Http404
    return membership.organisation


@perm_required(Perm.VIEW_TRAINING)
def dashboard(request):
    force = _org(request.user)
    today = timezone.localdate()
    cov = services.coverage(force, today)
    officers = cov["officers"]
    rows = []
    for u in officers:
        roles = set(u.membership.roles)
        states = {
            c: services._state(cov["latest"].get((u.pk, c)), today)
            for c in services.courses.required_courses(roles)
        }
        rows.append(
            {
                "user": u,
                "in_date": all(s in ("in_date", "due_soon") for s in states.values()),
                "due_soon": any(s == "due_soon" for s in states.values()),
                "expired": [c for c, s in states.items() if s in ("expired", "missing")],
            }
        )
    not_in_date = [r for r in rows if not r["in_date"]]
    due_soon = [r for r in rows if r["in_date"] and r["due_soon"]]
    return render(
        request,
        "training/dashboard.html",
        {
            "cov": cov,
            "courses": [(c, Course(c).label) for c in Course.values],
            "core": [Course(c).label for c in CORE_COURSES],
            "not_in_date": not_in_date,
            "due_soon": due_soon,
            "can_manage": has_perm(request.user, Perm.MANAGE_TRAINING),
        },
    )


def officer(request, user_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    org = _org(request.user)
    is_self = request.user.pk == user_id
    if not is_self and not has_perm(request.user, Perm.VIEW_TRAINING):
        raise PermissionDenied
    person = (
        get_user_model()
        .objects.select_related("membership__npu")
        .filter(pk=user_id, membership__organisation=org)
        .first()
    )
    if person is None:
        raise Http404
    can_manage = has_perm(request.user, Perm.MANAGE_TRAINING)
    form = RecordForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.record_training(
                    user=person,
                    course=form.cleaned_data["course"],
                    completed_on=form.cleaned_data["completed_on"],
                    by=request.user,
                )
            except ValidationError as exc:
                for f, msgs in exc.message_dict.items():
                    for m in msgs:
                        form.add_error(f if f in form.fields else None, m)
            else:
                messages.success(request, _("Training recorded."))
                return redirect("training:officer", person.pk)
    from .models import TrainingRecord

    return render(
        request,
        "training/officer.html",
        {
            "person": person,
            "statuses": services.officer_status(person),
            "history": TrainingRecord.objects.filter(user=person).order_by(
                "-completed_on", "course"
            ),
            "form": form,
            "can_manage": can_manage,
            "is_self": is_self,
        },
    )


@perm_required(Perm.MANAGE_TRAINING)
def import_csv(request):
    force = _org(request.user)
    if not force.is_police_force:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.import_training(
            force=force, data=form.cleaned_data["file"], by=request.user
        )
        if report.file_errors:
            for e in report.file_errors:
                form.add_error("file", e)
            report = None
    return render(
        request,
        "training/import.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )
