"""Retention review (administrators decide, auditors read) and subject access export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import Person

from . import services
from .forms import ReviewForm
from .models import RecordType, RetentionReview
from .policy import may_decide_retention, may_export_subject, may_view_retention

LIST_LIMIT = 200


def _organisation(request):
    if not may_view_retention(request.user) or request.user.organisation is None:
        raise PermissionDenied
    return request.user.organisation


@login_required
def retention(request):
    organisation = _organisation(request)
    now = timezone.now()
    sections = []
    for record_type in RecordType:
        qs = services.past_retention(organisation, record_type, now=now)
        rows = list(qs[:LIST_LIMIT])
        sections.append(
            {
                "type": record_type,
                "period_days": services.retention_period(record_type).days,
                "rows": [
                    {
                        "pk": r.pk,
                        "label": services.label_of(r),
                        "date": getattr(r, services.SPECS[record_type].date_field),
                    }
                    for r in rows
                ],
                "more": len(rows) == LIST_LIMIT,
            }
        )
    from audit.models import AccessLog

    access_cutoff = services.cutoff("access_log", now)
    reviews = list(
        RetentionReview.objects.filter(organisation=organisation).select_related(
            "decided_by", "deleted_by"
        )[:50]
    )
    return render(
        request,
        "privacy/retention.html",
        {
            "sections": sections,
            "access_log_old": AccessLog.objects.filter(
                record_organisation_id=organisation.pk, at__lt=access_cutoff
            ).count(),
            "access_log_days": services.retention_period("access_log").days,
            "reviews": reviews,
            "may_decide": may_decide_retention(request.user),
        },
    )


@login_required
def review(request, record_type, pk):
    organisation = _organisation(request)
    if record_type not in RecordType.values:
        raise Http404
    if not may_decide_retention(request.user):
        raise PermissionDenied
    try:
        record = services.record_for(record_type, pk, organisation)
    except services.SPECS[RecordType(record_type)].model.DoesNotExist as exc:
        raise Http404 from exc
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                organisation=organisation,
                record_type=record_type,
                record_id=record.pk,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                keep_until=form.cleaned_data.get("keep_until"),
                by=request.user,
            )
        except services.RetentionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("privacy:retention")
    return render(
        request,
        "privacy/review.html",
        {
            "form": form,
            "record_type": RecordType(record_type),
            "record": record,
            "label": services.label_of(record),
            "history": RetentionReview.objects.filter(
                organisation=organisation, record_type=record_type, record_id=record.pk
            ).select_related("decided_by"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete(request, pk):
    organisation = _organisation(request)
    if not may_decide_retention(request.user):
        raise PermissionDenied
    decision = get_object_or_404(RetentionReview, pk=pk, organisation=organisation)
    try:
        services.delete_reviewed_record(decision, by=request.user)
    except services.RetentionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The record is deleted. The deletion is recorded."))
    return redirect("privacy:retention")


def _person_for_export(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    if not may_export_subject(request.user, person):
        raise Http404  # another organisation's person, or a role that may not export
    return person


@login_required
def subject_access(request, pk):
    person = _person_for_export(request, pk)
    return render(request, "privacy/subject_access.html", {"person": person})


@login_required
def subject_access_download(request, pk):
    person = _person_for_export(request, pk)
    data = services.subject_access_zip(person)
    services.log_export(request, person)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-person-{person.pk}-{stamp}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response
