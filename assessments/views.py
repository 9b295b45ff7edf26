"""AMHP worklist, the assessment page per detention, and the delays report.

Every page needs `Perm.RECORD_ASSESSMENT` (the delays report also `Perm.VIEW_REPORTS`) and shows
only detentions visible to the user (`incidents.policy`): anything else is
404. Every change goes through `assessments.services`.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.permissions import Perm, has_perm, perm_required
from accounts.principal import principal_of
from accounts.roles import Role
from core import law_text
from core.form_fields import now_initial
from detentions import deadlines, policy
from detentions.errors import RuleViolation
from detentions.models import Detention

from . import services
from .forms import (
    TASK_FORMS,
    ArrivedForm,
    BedForm,
    DelayForm,
    DelayReportForm,
    DoctorArrivedForm,
    EndDelayForm,
    NoMentalDisorderForm,
    OutcomeForm,
    yes_no_initial,
)
from .models import (
    ADMISSION_OUTCOMES,
    AssessmentDelay,
    AssessmentDetail,
    AssessmentOutcome,
    DelayReason,
)

LONDON = ZoneInfo("Europe/London")


# --------------------------------------------------------------------------- helpers
# Who may see and record what is the detention policy's answer (incidents/policy.py): the same
# table the detention pages and the partner API ask.


def _visible(request):
    return policy.visible_detentions(principal_of(request))


def _detention(request, pk, action=None) -> Detention:
    try:
        detention = _visible(request).select_related("person", "current_place_of_safety").get(pk=pk)
    except Detention.DoesNotExist:
        raise Http404 from None
    if action is not None:
        policy.may(principal_of(request), action, detention, visible=True).enforce()
    return detention


def assessment_required(view):
    """A change to the assessment: signed in, then the policy's `assessment` action (the role or
    scope, the detention visible, and the organisation's relation to it)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        policy.permitted(principal_of(request), "assessment").enforce()
        return view(request, *args, **kwargs)

    return wrapped


def _duration_text(delta: dt.timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


def target_status(d, a, now):
    """A2 on the pages: a countdown while the target still counts (`detentions.deadlines`);
    once the assessment started, met or missed; once the detention ended without a start,
    nothing counts down any more (missed when the end came after it, `not_begun`)."""
    due = d.assessment_due_at
    if due is None:
        return None
    running = deadlines.assessment_target(d)
    if running is not None:
        return countdown(running, now)
    started = a.started_at if a else None
    if started is not None:
        return countdown(due, now, done_at=started)
    out = countdown(due, now, done_at=d.ended_at or now)
    out["not_begun"] = True
    return out


def countdown(due, now, *, done_at=None):
    """What a countdown shows without JavaScript (the script updates it every second)."""
    if due is None:
        return None
    if done_at is not None:
        return {"due": due, "done": True, "missed": done_at > due, "text": ""}
    left = due - now
    missed = left.total_seconds() < 0
    return {
        "due": due,
        "iso": due.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "done": False,
        "missed": missed,
        "text": (_("missed by %(t)s") if missed else _("%(t)s left")) % {"t": _duration_text(left)},
    }


def _apply_violations(form, exc: RuleViolation, attr_map=None):
    for v in exc.violations:
        attr = (attr_map or {}).get(v.attr, v.attr)
        field = attr if attr in form.fields else None
        form.add_error(field, str(law_text.message(v.message)))


def _recorded(form, record, attr_map=None) -> bool:
    """Run ``record(cleaned_data)`` when the form is valid. A rule the change breaks goes onto the
    form as its error, beside the field it names (`attr_map`: the service's name -> the
    form's). True when the change was recorded."""
    if not form.is_valid():
        return False
    try:
        record(form.cleaned_data)
    except RuleViolation as exc:
        _apply_violations(form, exc, attr_map)
        return False
    return True


def _changed(form, initial: dict) -> dict:
    """Only the fields the user changed (services take partial updates). A blank field changes
    nothing: a time recorded in error is removed through the detention's correction path. The
    form shows minutes, so a time equal to the recorded one to the minute is unchanged."""
    out = {}
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            continue
        old = initial.get(name)
        same_minute = (
            isinstance(value, dt.datetime)
            and isinstance(old, dt.datetime)
            and old.replace(second=0, microsecond=0) == value.replace(second=0, microsecond=0)
        )
        if same_minute:
            continue
        if value != old:
            out[name] = value
    return out


def _detail_for(detention):
    return AssessmentDetail.objects.filter(detention=detention).first()


def _steps_initial(detention) -> dict:
    a = getattr(detention, "assessment", None) if _has_assessment(detention) else None
    d = _detail_for(detention)
    initial = {}
    for name in (
        "amhp_requested_at",
        "amhp_arrived_at",
        "doctor_requested_at",
        "doctor_arrived_at",
        "started_at",
        "completed_at",
        "amhp_name",
        "doctor_name",
    ):
        initial[name] = getattr(a, name) if a else None
    initial["doctor_s12_approved"] = a.doctor_s12_approved if a else None
    initial["responsible_doctor_name"] = d.responsible_doctor_name if d else ""
    initial["second_doctor_name"] = d.second_doctor_name if d else ""
    initial["second_doctor_s12_approved"] = d.second_doctor_s12_approved if d else None
    return initial


def _has_assessment(detention) -> bool:
    from detentions.models import Assessment

    try:
        detention.assessment  # noqa: B018
    except Assessment.DoesNotExist:
        return False
    return True


# --------------------------------------------------------------------------- worklist
@perm_required(Perm.RECORD_ASSESSMENT)
def worklist(request):
    """Every active detention in the organisation's area, most urgent first. A fixed number of
    queries whatever the number of rows. A doctor (without the AMHP role) has their own list."""
    if _is_doctor(request.user) and not _is_amhp(request.user):
        return redirect("assessments:my_cases")
    now = timezone.now()
    org_id = principal_of(request).organisation_id
    open_delays = (
        AssessmentDelay.objects.filter(detention=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("detention")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        _visible(request)
        .active()
        .select_related(
            "person",
            "current_place_of_safety",
            "in_transfer_to",
            "assessment",
            "handover",
            "assessment_detail__amhp_organisation",
            "assessment_detail__amhp_user",
            "assessment_detail__doctor_user",
        )
        .annotate(
            open_delays=Coalesce(Subquery(open_delays, output_field=IntegerField()), Value(0))
        )
        .order_by(
            F("expires_at").asc(nulls_last=True),
            F("assessment_due_at").asc(nulls_last=True),
            "detained_at",
        )
    )
    for row in rows:
        _decorate(row, now, org_id)
    waiting_only = request.GET.get("show") == "waiting"
    total = len(rows)
    waiting = sum(1 for r in rows if r.stage == "waiting")
    if waiting_only:
        rows = [r for r in rows if r.stage == "waiting"]
    return render(
        request,
        "assessments/worklist.html",
        {
            "rows": rows,
            "now": now,
            "total": total,
            "waiting": waiting,
            "waiting_only": waiting_only,
            "is_amhp": _is_amhp(request.user),
        },
    )


def _is_amhp(user) -> bool:
    return Role.AMHP in user.roles


def _is_doctor(user) -> bool:
    return Role.DOCTOR in user.roles


def _decorate(d: Detention, now, org_id) -> None:
    """Attaches what a row or the page shows: stage, countdowns, what the user can do next."""
    a = d.assessment if _has_assessment(d) else None
    try:
        detail = d.assessment_detail
    except AssessmentDetail.DoesNotExist:
        detail = None
    d.a = a
    d.detail = detail
    d.taken_by_us = bool(detail and detail.amhp_organisation_id == org_id)
    d.taken_by_other = bool(
        detail and detail.amhp_organisation_id and detail.amhp_organisation_id != org_id
    )
    if d.is_ended:
        d.stage = "ended"
    elif detail and detail.outcome in ADMISSION_OUTCOMES and detail.bed_found_at is None:
        d.stage = "awaiting_bed"
    elif a and a.completed_at:
        d.stage = "outcome_needed"
    elif a and a.started_at:
        d.stage = "in_progress"
    elif a and a.amhp_arrived_at:
        d.stage = "amhp_arrived"
    elif detail and detail.amhp_organisation_id:
        d.stage = "taken"
    else:
        d.stage = "waiting"
    d.stage_label = STAGE_LABELS[d.stage]
    d.stage_tag = STAGE_TAGS[d.stage]
    counting = deadlines.counting(d)  # nothing counts down once the detention has ended
    d.expiry = countdown(counting.get(deadlines.EXPIRY), now)
    d.target = target_status(d, a, now)
    d.doctor_is = detail.doctor_user if detail else None


STAGE_LABELS = {
    "waiting": _lazy("Waiting for an AMHP"),
    "taken": _lazy("AMHP on the way"),
    "amhp_arrived": _lazy("AMHP arrived"),
    "in_progress": _lazy("Assessment under way"),
    "outcome_needed": _lazy("Outcome to record"),
    "awaiting_bed": _lazy("Waiting for a bed"),
    "ended": _lazy("Ended"),
}
STAGE_TAGS = {
    "waiting": "govuk-tag--red",
    "taken": "govuk-tag--yellow",
    "amhp_arrived": "govuk-tag--blue",
    "in_progress": "govuk-tag--blue",
    "outcome_needed": "govuk-tag--purple",
    "awaiting_bed": "govuk-tag--orange",
    "ended": "govuk-tag--grey",
}


# --------------------------------------------------------------------------- the task list
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
NOT_NEEDED = "not_needed"
TASK_STATUS = {
    NOT_STARTED: (_lazy("Not started"), "govuk-tag--blue"),
    IN_PROGRESS: (_lazy("In progress"), "govuk-tag--light-blue"),
    COMPLETED: (_lazy("Completed"), ""),
    NOT_NEEDED: (_lazy("Not needed"), ""),
}


def _status(started, done) -> str:
    if done:
        return COMPLETED
    return IN_PROGRESS if started else NOT_STARTED


def _uk(instant) -> str:
    return timezone.localtime(instant, LONDON).strftime("%H:%M") if instant else ""


def _pair_hint(first_label, first, second_label, second) -> str:
    parts = []
    if first:
        parts.append(f"{first_label} {_uk(first)}")
    if second:
        parts.append(f"{second_label} {_uk(second)}")
    return ", ".join(parts)


def tasks(d) -> list[dict]:
    """The assessment as a GOV.UK task list: each step, its status and where it is recorded."""
    a, detail = d.a, d.detail
    outcome = (detail.outcome if detail else "") or (d.outcome if d.is_ended and d.outcome else "")
    admission = outcome in ADMISSION_OUTCOMES
    bed_status = _status(
        detail and detail.bed_requested_at, detail and detail.bed_found_at and detail.bed_location
    )
    if outcome and not admission and bed_status == NOT_STARTED:
        bed_status = NOT_NEEDED
    outcome_status = NOT_STARTED
    if outcome:
        outcome_status = IN_PROGRESS if (admission and not d.is_ended) else COMPLETED
    names = {
        "amhp": a.amhp_name if a else "",
        "doctor": a.doctor_name if a else "",
    }
    rows = [
        (
            "amhp",
            _("AMHP requested and arrived"),
            _status(a and a.amhp_requested_at, a and a.amhp_arrived_at),
            ", ".join(
                x
                for x in (
                    names["amhp"],
                    _pair_hint(
                        _("requested"),
                        a and a.amhp_requested_at,
                        _("arrived"),
                        a and a.amhp_arrived_at,
                    ),
                )
                if x
            ),
        ),
        (
            "doctor",
            _("Doctors requested and arrived"),
            _status(a and a.doctor_requested_at, a and a.doctor_arrived_at),
            ", ".join(
                x
                for x in (
                    names["doctor"],
                    _pair_hint(
                        _("requested"),
                        a and a.doctor_requested_at,
                        _("arrived"),
                        a and a.doctor_arrived_at,
                    ),
                )
                if x
            ),
        ),
        (
            "times",
            _("Assessment started and completed"),
            _status(a and a.started_at, a and a.completed_at),
            _pair_hint(_("started"), a and a.started_at, _("completed"), a and a.completed_at),
        ),
        (
            "outcome",
            _("Outcome"),
            outcome_status,
            str(AssessmentOutcome(outcome).label) if outcome in AssessmentOutcome.values else "",
        ),
        (
            "bed",
            _("Bed search"),
            bed_status,
            (detail.bed_location if detail and detail.bed_location else "")
            if bed_status != NOT_NEEDED
            else _("No admission"),
        ),
    ]
    out = []
    for key, title, status, hint in rows:
        label, tag = TASK_STATUS[status]
        out.append(
            {
                "key": key,
                "title": title,
                "status": status,
                "status_label": label,
                "tag": tag,
                "hint": hint,
                "url": reverse(f"assessments:{key}", args=[d.pk]),
            }
        )
    return out


def missing_for_outcome(d) -> list[dict]:
    """What the assessment record lacks when an outcome is about to be recorded (A1: it never
    blocks the outcome; it can be added later). Each with the task where it is recorded."""
    a = d.a
    missing = []

    def add(label, task):
        missing.append({"label": label, "url": reverse(f"assessments:{task}", args=[d.pk])})

    if not (a and a.amhp_arrived_at):
        add(_("When the AMHP arrived"), "amhp")
    if not (a and a.amhp_name):
        add(_("The AMHP's name"), "amhp")
    if not (a and a.doctor_arrived_at):
        add(_("When the doctor arrived"), "doctor")
    if not (a and a.doctor_name):
        add(_("The doctor's name"), "doctor")
    if not (a and a.started_at):
        add(_("When the assessment started"), "times")
    return missing


# --------------------------------------------------------------------------- the assessment page
def _load(detention) -> Detention:
    return (
        Detention.objects.select_related(
            "person",
            "current_place_of_safety",
            "in_transfer_to",
            "assessment",
            "handover",
            "assessment_detail__amhp_organisation",
            "assessment_detail__amhp_user",
            "assessment_detail__doctor_user",
        )
        .prefetch_related("assessment_delays")
        .get(pk=detention.pk)
    )


def _context(request, detention, **extra) -> dict:
    now = timezone.now()
    d = _load(detention)
    _decorate(d, now, principal_of(request).organisation_id)
    may_correct = "late_entry" in policy.actions_for(principal_of(request), d)
    return {
        "d": d,
        "now": now,
        "is_amhp": _is_amhp(request.user),
        "is_doctor": _is_doctor(request.user),
        "may_late_entry": may_correct and d.is_ended,
        **extra,
    }


def _page(request, detention, status=200, **forms):
    delay_form = forms.get("delay_form") or DelayForm(prefix="delay")
    context = _context(
        request,
        detention,
        tasks=None,
        delay_form=delay_form,
        end_delay_form=forms.get("end_delay_form"),
        end_delay_pk=forms.get("end_delay_pk"),
        error_forms=[f for f in forms.values() if hasattr(f, "errors") and f.errors],
    )
    d = context["d"]
    context["tasks"] = tasks(d)
    context["delays"] = list(d.assessment_delays.all())
    context["done_count"] = sum(
        1 for t in context["tasks"] if t["status"] in (COMPLETED, NOT_NEEDED)
    )
    return render(request, "assessments/detail.html", context, status=status)


@perm_required(Perm.RECORD_ASSESSMENT)
def detail(request, pk):
    return _page(request, _detention(request, pk))


def _done(request, detention, message, anchor=""):
    messages.success(request, message)
    return redirect(reverse("assessments:detail", args=[detention.pk]) + anchor)


def _ended_page(request, detention):
    """Nothing is added to an ended detention here (C7): its own page offers the late entry."""
    messages.error(
        request,
        _(
            "This detention has ended: nothing more is added here. Add missing assessment "
            "times as a late entry from the detention's page."
        ),
    )
    return redirect("assessments:detail", detention.pk)


@require_POST
@assessment_required
def take(request, pk):
    detention = _detention(request, pk, "take_case")
    if not _is_amhp(request.user):
        raise PermissionDenied  # a case is taken by an AMHP for their local authority
    back = request.POST.get("next") == "worklist"
    try:
        services.take_case(
            detention, user=request.user, take_over=request.POST.get("take_over") == "1"
        )
    except RuleViolation as exc:
        messages.error(request, " ".join(str(law_text.message(v.message)) for v in exc.violations))
        return redirect(
            "assessments:worklist" if back else "assessments:detail", *([] if back else [pk])
        )
    messages.success(
        request,
        _("You have taken %(ref)s. Record your arrival when you get there.") % {"ref": detention},
    )
    return redirect(
        "assessments:worklist" if back else "assessments:detail", *([] if back else [pk])
    )


@require_POST
@assessment_required
def doctor_take(request, pk):
    """A doctor takes the case from their own account: it is on their worklist."""
    detention = _detention(request, pk, "take_case")
    if not _is_doctor(request.user):
        raise PermissionDenied  # the doctor's own account
    try:
        services.take_as_doctor(detention, user=request.user)
    except RuleViolation as exc:
        messages.error(request, " ".join(str(law_text.message(v.message)) for v in exc.violations))
        return redirect("assessments:detail", pk)
    back = request.POST.get("next") == "my_cases"
    messages.success(request, _("%(ref)s is on your list of cases.") % {"ref": detention.reference})
    return redirect("assessments:my_cases") if back else redirect("assessments:detail", pk)


def _form_page(request, detention, template, form, **extra):
    return render(
        request,
        template,
        _context(request, detention, form=form, error_forms=[form] if form.errors else [], **extra),
    )


def _arrived(request, pk, *, who):
    """ "I have arrived" (the AMHP's or the doctor's): the time defaults to now and is shown,
    editable, before it is recorded, so a start typed a few minutes earlier is not refused."""
    detention = _detention(request, pk, "assessment")
    if detention.is_ended:
        return _ended_page(request, detention)
    form_class = DoctorArrivedForm if who == "doctor" else ArrivedForm
    mine = (who == "doctor" and _is_doctor(request.user)) or (
        who == "amhp" and _is_amhp(request.user)
    )
    if request.method == "POST":
        form = form_class(request.POST)

        def record(data):
            if who == "doctor":
                services.record_doctor_arrival(
                    detention,
                    arrived_at=data["arrived_at"],
                    doctor_name=data["name"] or None,
                    s12_approved=data.get("s12_approved"),
                    user=request.user if mine else None,
                )
            else:
                services.record_amhp_arrival(
                    detention, arrived_at=data["arrived_at"], amhp_name=data["name"] or None
                )

        if _recorded(
            form, record, {"doctor_arrived_at": "arrived_at", "amhp_arrived_at": "arrived_at"}
        ):
            return _done(request, detention, _("The arrival is recorded."))
    else:
        form = form_class(initial={"name": str(request.user) if mine else ""})
    return _form_page(
        request,
        detention,
        "assessments/arrived.html",
        form,
        who=who,
        title=_("The doctor has arrived") if who == "doctor" else _("The AMHP has arrived"),
    )


@assessment_required
def amhp_arrived(request, pk):
    return _arrived(request, pk, who="amhp")


@assessment_required
def doctor_arrived(request, pk):
    return _arrived(request, pk, who="doctor")


TASK_TITLES = {
    "amhp": _lazy("AMHP requested and arrived"),
    "doctor": _lazy("Doctors requested and arrived"),
    "times": _lazy("Assessment started and completed"),
}


def _task_initial(detention, task) -> dict:
    initial = _steps_initial(detention)
    fields = TASK_FORMS[task].base_fields
    out = {k: v for k, v in initial.items() if k in fields}
    for name in ("doctor_s12_approved", "second_doctor_s12_approved"):
        if name in out:
            out[name] = yes_no_initial(out[name])
    return out


def _task(request, pk, task):
    """One task of the list: only what the user changes is saved (a blank time changes
    nothing); times the record lacks default to now where the step is the next one."""
    detention = _detention(request, pk, "assessment")
    form_class = TASK_FORMS[task]
    if request.method == "POST":
        if detention.is_ended:
            return _ended_page(request, detention)
        form = form_class(request.POST)

        def record(data):
            initial = _steps_initial(detention)
            services.record_assessment_progress(detention, **_changed(form, initial))

        if _recorded(form, record):
            return _done(request, detention, _("%(task)s: saved.") % {"task": TASK_TITLES[task]})
    else:
        initial = _task_initial(detention, task)
        if task == "times" and not detention.is_ended:
            # The next step's time defaults to now (shown and editable before it is saved).
            if not initial.get("started_at"):
                initial["started_at"] = now_initial()
            elif not initial.get("completed_at"):
                initial["completed_at"] = now_initial()
        form = form_class(initial=initial)
    return _form_page(
        request, detention, "assessments/task.html", form, task=task, title=TASK_TITLES[task]
    )


@assessment_required
def amhp_task(request, pk):
    return _task(request, pk, "amhp")


@assessment_required
def doctor_task(request, pk):
    return _task(request, pk, "doctor")


@assessment_required
def times_task(request, pk):
    return _task(request, pk, "times")


@assessment_required
def bed(request, pk):
    detention = _detention(request, pk, "assessment")
    detail = _detail_for(detention)
    if request.method == "POST":
        if detention.is_ended:
            return _ended_page(request, detention)
        form = BedForm(request.POST)

        def record(data):
            services.record_bed_search(
                detention,
                bed_requested_at=data["bed_requested_at"],
                bed_found_at=data["bed_found_at"],
                bed_location=data["bed_location"],
                admit=data["admit"],
            )

        if _recorded(form, record):
            return _done(request, detention, _("The bed search is updated."))
    else:
        form = BedForm(
            initial={
                "bed_requested_at": detail.bed_requested_at if detail else None,
                "bed_found_at": detail.bed_found_at if detail else None,
                "bed_location": detail.bed_location if detail else "",
            }
        )
    return _form_page(request, detention, "assessments/bed.html", form)


@require_POST
@assessment_required
def add_delay(request, pk):
    detention = _detention(request, pk, "assessment")
    form = DelayForm(request.POST, prefix="delay")

    def record(data):
        services.add_delay(
            detention, reason=data["reason"], started_at=data["started_at"], note=data["note"]
        )

    if _recorded(form, record):
        return _done(request, detention, _("The delay is recorded."), "#delays")
    return _page(request, detention, delay_form=form)


@require_POST
@assessment_required
def end_delay(request, pk, delay_pk):
    detention = _detention(request, pk, "assessment")
    try:
        delay = AssessmentDelay.objects.get(pk=delay_pk, detention=detention)
    except AssessmentDelay.DoesNotExist:
        raise Http404 from None
    form = EndDelayForm(request.POST, prefix=f"delay{delay.pk}")
    if _recorded(form, lambda data: services.end_delay(delay, ended_at=data["ended_at"])):
        return _done(request, detention, _("The delay has ended."), "#delays")
    return _page(request, detention, end_delay_form=form, end_delay_pk=delay.pk)


@assessment_required
def outcome(request, pk):
    """The outcome, with what the assessment record lacks shown first: the user confirms they
    know (A1: never blocked; what is missing can be added later)."""
    detention = _detention(request, pk, "assessment")
    d = _load(detention)
    _decorate(d, timezone.now(), principal_of(request).organisation_id)
    missing = missing_for_outcome(d)
    if request.method == "POST":
        if detention.is_ended:
            return _ended_page(request, detention)
        form = OutcomeForm(request.POST, missing=missing)

        def record(data):
            services.record_outcome(
                detention,
                outcome=data["outcome"],
                decided_at=data["decided_at"],
                awaiting_bed=data["awaiting_bed"],
                notes=data["notes"],
            )

        if _recorded(form, record):
            detention.refresh_from_db()
            if detention.is_ended:
                msg = _("The outcome is recorded and the detention has ended.")
            else:
                msg = _("The outcome is recorded. The detention goes on until a bed is found.")
            return _done(request, detention, msg)
    else:
        form = OutcomeForm(missing=missing)
    return _form_page(request, detention, "assessments/outcome.html", form, missing=missing)


@assessment_required
def no_mental_disorder(request, pk):
    """A3: the doctor found no mental disorder; confirm, and the person is released."""
    detention = _detention(request, pk, "assessment")
    if request.method == "POST":
        form = NoMentalDisorderForm(request.POST)

        def record(data):
            services.record_no_mental_disorder(
                detention, found_at=data["found_at"], doctor_name=data["doctor_name"]
            )

        if _recorded(form, record):
            return _done(
                request,
                detention,
                _("No mental disorder found: the person is released and the detention has ended."),
            )
    else:
        a = detention.assessment if _has_assessment(detention) else None
        name = a.doctor_name if a and a.doctor_name else ""
        if not name and _is_doctor(request.user):
            name = str(request.user)
        form = NoMentalDisorderForm(initial={"doctor_name": name})
    return render(
        request,
        "assessments/no_mental_disorder.html",
        {"d": detention, "form": form, "error_forms": [form] if form.errors else []},
    )


# --------------------------------------------------------------------------- a doctor's cases
@perm_required(Perm.RECORD_ASSESSMENT)
def my_cases(request):
    """A doctor's own cases: the detentions where they took the case or recorded their
    arrival from their account (running first, then those ended in the last day), and the
    running detentions they can see that have no doctor yet. A fixed number of queries."""
    if not _is_doctor(request.user):
        raise PermissionDenied
    now = timezone.now()
    org_id = principal_of(request).organisation_id
    base = _visible(request).select_related(
        "person",
        "current_place_of_safety",
        "in_transfer_to",
        "assessment",
        "handover",
        "assessment_detail__amhp_organisation",
        "assessment_detail__amhp_user",
        "assessment_detail__doctor_user",
    )
    mine = list(
        base.filter(assessment_detail__doctor_user=request.user)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=now - dt.timedelta(hours=24)))
        .order_by(F("ended_at").desc(nulls_first=True), F("expires_at").asc(nulls_last=True))
    )
    waiting = list(
        base.active()
        .filter(
            Q(assessment_detail__isnull=True) | Q(assessment_detail__doctor_user__isnull=True),
            Q(assessment__isnull=True) | Q(assessment__doctor_arrived_at__isnull=True),
        )
        .order_by(F("expires_at").asc(nulls_last=True), "detained_at")
    )
    for row in (*mine, *waiting):
        _decorate(row, now, org_id)
    return render(
        request, "assessments/my_cases.html", {"mine": mine, "waiting": waiting, "now": now}
    )


# --------------------------------------------------------------------------- delays report
class Median(Aggregate):
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def delays_report(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (
        has_perm(request.user, Perm.RECORD_ASSESSMENT) or has_perm(request.user, Perm.VIEW_REPORTS)
    ):
        raise PermissionDenied
    today = timezone.localdate()
    form = DelayReportForm(request.GET or None)
    date_from, date_to = today - dt.timedelta(days=30), today
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    if not form.is_bound or form.is_valid():
        form = DelayReportForm(initial={"date_from": date_from, "date_to": date_to})
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    rows = (
        AssessmentDelay.objects.filter(
            detention__in=_visible(request).values("pk"),
            started_at__gte=start,
            started_at__lt=end,
        )
        .order_by()
        .values("reason")
        .annotate(
            count=Count("pk"),
            still_open=Count("pk", filter=Q(ended_at__isnull=True)),
            median=Median(F("ended_at") - F("started_at"), filter=Q(ended_at__isnull=False)),
        )
    )
    target = _assessment_target_report(request, start, end)
    by_reason = {r["reason"]: r for r in rows}
    table = []
    for value, label in DelayReason.choices:
        r = by_reason.get(value, {})
        median = r.get("median")
        table.append(
            {
                "reason": value,
                "label": label,
                "count": r.get("count", 0),
                "still_open": r.get("still_open", 0),
                "median_minutes": round(median.total_seconds() / 60)
                if median is not None
                else None,
            }
        )
    return render(
        request,
        "assessments/delays.html",
        {
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "table": table,
            "total": sum(r["count"] for r in table),
            "target": target,
            "target_hours": _target_hours(),
        },
    )


def _target_hours():
    from django.conf import settings

    return round(settings.HARBOUR["ASSESSMENT_TARGET"].total_seconds() / 3600, 2)


def _assessment_target_report(request, start, end) -> dict:
    """A2 for detentions whose clock started in the range: assessments begun within the target,
    missed (begun late, or not begun once the target passed), not yet due, and the median time
    from the clock start to the assessment's start. One query."""
    now = timezone.now()
    started = F("assessment__started_at")
    due = F("assessment_due_at")
    not_begun_by = Coalesce(F("ended_at"), Value(now))
    row = (
        _visible(request)
        .filter(clock_started_at__gte=start, clock_started_at__lt=end)
        .aggregate(
            detentions=Count("pk"),
            met=Count(
                "pk",
                filter=Q(assessment__started_at__isnull=False, assessment__started_at__lte=due),
            ),
            missed=Count(
                "pk",
                filter=Q(assessment__started_at__isnull=False, assessment__started_at__gt=due)
                | Q(assessment__started_at__isnull=True, assessment_due_at__lt=not_begun_by),
            ),
            median=Median(
                started - F("clock_started_at"), filter=Q(assessment__started_at__isnull=False)
            ),
        )
    )
    row["pending"] = row["detentions"] - row["met"] - row["missed"]
    median = row.pop("median")
    row["median_minutes"] = round(median.total_seconds() / 60) if median is not None else None
    return row
