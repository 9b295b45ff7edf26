"""The roster (week view per function, gaps flagged), shift forms, and "request advice".

Every page checks its permission on the server; shifts, incidents and detentions outside the
user's organisation are 404. Changes go through advisers.services.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from detentions import policy as detention_policy
from incidents import policy as incidents_policy

from . import policy, services
from .forms import AdviceForm, ShiftForm
from .models import Function, RosterShift

LONDON = ZoneInfo("Europe/London")


def _org(user):
    membership = getattr(user, "membership", None)
    return membership.organisation if membership else None


def _org_or_404(user):
    org = _org(user)
    if org is None:
        raise Http404
    return org


def apply_errors(form, exc: ValidationError):
    for field, msgs in exc.message_dict.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


def local_midnight(day: dt.date) -> dt.datetime:
    """The UTC instant of 00:00 in London on `day` (midnight always exists in the UK)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).astimezone(dt.UTC)


def _week_start(request) -> dt.date:
    raw = request.GET.get("from", "")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


# --------------------------------------------------------------------------- roster
@perm_required(Perm.VIEW_ROSTER)
def roster(request):
    """Seven days from `?from=YYYY-MM-DD` (default today), one table per function; gaps in the
    coming seven days from now. Three queries whatever the number of shifts."""
    force = _org_or_404(request.user)
    now = timezone.now()
    first = _week_start(request)
    days = [first + dt.timedelta(days=i) for i in range(7)]
    bounds = [(d, local_midnight(d), local_midnight(d + dt.timedelta(days=1))) for d in days]
    shifts = list(
        RosterShift.objects.filter(force=force)
        .overlapping(bounds[0][1], bounds[-1][2])
        .select_related("adviser")
        .order_by("starts_at", "pk")
    )
    tables = []
    for value, label in Function.choices:
        rows = []
        for day, start, end in bounds:
            day_shifts = [
                s for s in shifts if s.function == value and s.starts_at < end and s.ends_at > start
            ]
            day_gaps = services.uncovered(
                [(s.starts_at, s.ends_at) for s in day_shifts], start, end
            )
            rows.append({"day": day, "shifts": day_shifts, "gaps": day_gaps})
        tables.append({"function": value, "label": label, "rows": rows})
    gaps = services.gaps(force, now)
    return render(
        request,
        "advisers/roster.html",
        {
            "tables": tables,
            "gaps": gaps,
            "first": first,
            "previous": first - dt.timedelta(days=7),
            "next": first + dt.timedelta(days=7),
            "can_manage": has_perm(request.user, Perm.MANAGE_ROSTER),
            "now": now,
        },
    )


def _shift_or_404(request, pk) -> RosterShift:
    force = _org_or_404(request.user)
    try:
        return RosterShift.objects.select_related("adviser", "force").get(pk=pk, force=force)
    except RosterShift.DoesNotExist:
        raise Http404 from None


@perm_required(Perm.MANAGE_ROSTER)
def shift_new(request):
    force = _org_or_404(request.user)
    if not force.is_police_force:
        raise Http404
    form = ShiftForm(request.POST or None, force=force, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.add_shift(
                force=force,
                function=form.cleaned_data["function"],
                adviser=form.cleaned_data["adviser"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Shift added to the roster."))
            day = timezone.localtime(shift.starts_at).date()
            return redirect(f"{reverse('advisers:roster')}?{urlencode({'from': day.isoformat()})}")
    return render(request, "advisers/shift_form.html", {"form": form, "shift": None})


@perm_required(Perm.MANAGE_ROSTER)
def shift_edit(request, pk):
    shift = _shift_or_404(request, pk)
    initial = {
        "function": shift.function,
        "adviser": shift.adviser_id,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "notes": shift.notes,
    }
    form = ShiftForm(request.POST or None, force=shift.force, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_shift(
                shift,
                function=form.cleaned_data["function"],
                adviser=form.cleaned_data["adviser"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Shift changed."))
            day = timezone.localtime(form.cleaned_data["starts_at"]).date()
            return redirect(f"{reverse('advisers:roster')}?{urlencode({'from': day.isoformat()})}")
    return render(request, "advisers/shift_form.html", {"form": form, "shift": shift})


@require_POST
@perm_required(Perm.MANAGE_ROSTER)
def shift_delete(request, pk):
    shift = _shift_or_404(request, pk)
    services.remove_shift(shift)
    messages.success(request, _("Shift removed from the roster."))
    return redirect("advisers:roster")


# --------------------------------------------------------------------------- advice
def _subject(request, force):
    """The detention or incident named in the query string, visible to the user's force."""
    detention = incident = None
    det_id = request.GET.get("detention", "")
    inc_id = request.GET.get("incident", "")
    if det_id:
        if not det_id.isdigit():
            raise Http404
        detention = (
            detention_policy.visible_detentions(principal_of(request))
            .select_related("person", "incident")
            .filter(pk=int(det_id))
            .first()
        )
        if detention is None:
            raise Http404
    elif inc_id:
        if not inc_id.isdigit():
            raise Http404
        incident = (
            incidents_policy.visible_incidents(principal_of(request)).filter(pk=int(inc_id)).first()
        )
        if incident is None:
            raise Http404
    else:
        raise Http404
    return detention, incident


@perm_required(Perm.RECORD_ADVICE)
def request_advice(request):
    force = _org_or_404(request.user)
    detention, incident = _subject(request, force)
    now = timezone.now()
    on_duty = services.on_duty_by_function(force, now)
    on_duty_ids = {s.adviser_id for row in on_duty for s in row["shifts"]}
    initial = {"requested_at": now.replace(second=0, microsecond=0)}
    if request.method == "GET" and request.GET.get("function") in Function.values:
        initial["function"] = request.GET["function"]
    form = AdviceForm(request.POST or None, force=force, on_duty_ids=on_duty_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_advice(
                force=force,
                detention=detention,
                incident=incident,
                function=form.cleaned_data["function"],
                adviser=form.cleaned_data["adviser"],
                adviser_name=form.cleaned_data["adviser_name"],
                requested_by=request.user,
                requested_at=form.cleaned_data["requested_at"],
                advice_given_at=form.cleaned_data["advice_given_at"],
                advice=form.cleaned_data["advice"],
                now=now,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Advice recorded."))
            return redirect(request.get_full_path())
    records = (
        policy.visible_advice(principal_of(request))
        .filter(**({"detention": detention} if detention else {"incident": incident}))
        .select_related("adviser", "requested_by")
    )
    return render(
        request,
        "advisers/request.html",
        {
            "form": form,
            "detention": detention,
            "incident": incident,
            "on_duty": on_duty,
            "records": records,
            "now": now,
        },
    )
