"""The one door for every change to an assessment (rules A1-A3).

The core assessment fields (requested, arrived, started, completed, names) are written through
`incidents.services.detentions.record_assessment`, and a detention is ended only through
`incidents.services.detentions.end_detention`, in the same transaction as the details kept
here. Every function takes keyword-only `now=None` and reads who acts from `core.actor`.

Which outcomes end the detention (A3 and the domain outcomes):
- `no_mental_disorder` (A3): the person is released at once, whether or not an AMHP has seen
  them (`record_no_mental_disorder`).
- admissions (`admitted_informal`, `detained_s2`, `detained_s3`): the s136 ends when the person
  is admitted. When a bed is available the detention ends at once; when the AMHP records that
  the person is waiting for a bed, the decision is kept, a `no_bed` delay is opened and the
  detention goes on (its clock still runs) until the bed is found (`record_bed_search` with
  `admit=True`) or the outcome is recorded again.
- every other assessment outcome (`discharged_no_follow_up`, `discharged_with_referral`,
  `transferred_physical_care`, `arrested_for_offence`, `other`) ends the detention at once.
- `absconded` is not an assessment outcome: an escape is recorded on the detention (X1).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import law
from accounts.roles import OrganisationKind
from core.actor import current_actor
from detentions import services as detention_services
from detentions.errors import RuleViolation
from detentions.models import Assessment, Detention

from .models import (
    ADMISSION_OUTCOMES,
    AssessmentDelay,
    AssessmentDetail,
    AssessmentOutcome,
    DelayReason,
)

CORE_FIELDS = detention_services.ASSESSMENT_TIMES + detention_services.ASSESSMENT_OTHER
DETAIL_FIELDS = (
    "responsible_doctor_name",
    "second_doctor_name",
    "second_doctor_s12_approved",
)


def _now(now):
    return now or timezone.now()


def _minute(instant):
    """Default times ("now") are kept to the minute, as people enter them on the pages: an
    arrival recorded with one click at 14:09:31 must not be after a start typed as 14:09."""
    return instant.replace(second=0, microsecond=0)


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _actor_user_id():
    actor = current_actor()
    return actor.user_id if actor else None


def _lock(detention: Detention) -> Detention:
    return (
        Detention.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=detention.pk)
    )


def _detail(detention: Detention) -> AssessmentDetail:
    detail = AssessmentDetail.objects.select_for_update().filter(detention=detention).first()
    return detail or AssessmentDetail(detention=detention)


def _assessment(detention: Detention) -> Assessment | None:
    return Assessment.objects.filter(detention=detention).first()


def _violation(rule, code, attr, message):
    return law.Violation(rule, code, attr, str(message))


def _ended(detention: Detention) -> list[law.Violation]:
    """C7 (the engine's): nothing more is added to an ended detention."""
    return law.check_not_ended(detention.ended_at)


def _check_instants(detention: Detention, instants: dict, now) -> list[law.Violation]:
    """C4 (the engine's) for the times kept here: within the detention's span, not in the
    future."""
    return law.check_times(detention.rule_set, detention.detained_at, instants, now)


def _refuse(violations) -> None:
    violations = [v for v in violations if v.code]
    if violations:
        raise RuleViolation(violations)


def _save_detail(detail: AssessmentDetail) -> AssessmentDetail:
    detail.recorded_by = _actor_label()
    detail.save()
    return detail


def _core(detention: Detention, now, **fields) -> Assessment | None:
    """Writes the core fields through incidents' one door (only when something changes)."""
    current = _assessment(detention)
    changed = {
        k: v
        for k, v in fields.items()
        if current is None
        or getattr(current, k) != ("" if v is None and k.endswith("_name") else v)
    }
    if not changed:
        return current
    return detention_services.record_assessment(detention, now=now, **changed)


# --------------------------------------------------------------------------- the AMHP's steps
@transaction.atomic
def take_case(
    detention: Detention,
    *,
    organisation=None,
    user=None,
    amhp_name: str | None = None,
    requested_at=None,
    take_over: bool = False,
    now=None,
) -> AssessmentDetail:
    """An AMHP service takes the case: who took it and when; the AMHP counts as requested from
    `requested_at` (default: now) unless a request was already recorded earlier. A case another
    AMHP has taken is refused (`case_taken`: two people took it at once) unless a colleague of
    the same local authority takes it over on purpose (`take_over=True`)."""
    now = _now(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    from accounts.models import User

    user_id = user.pk if user is not None else _actor_user_id()
    if user is None and user_id is not None:
        user = User.objects.select_related("membership__organisation").get(pk=user_id)
    if organisation is None and user is not None:
        organisation = user.organisation
    if organisation is None:
        raise RuleViolation(
            [
                _violation(
                    "A1",
                    law.Code.REQUIRED.value,
                    "amhp_organisation",
                    _("Say which local authority's AMHP service is taking the case."),
                )
            ]
        )
    if organisation.kind != OrganisationKind.LOCAL_AUTHORITY:
        raise RuleViolation(
            [
                _violation(
                    "A1",
                    law.Code.INVALID.value,
                    "amhp_organisation",
                    _("Only a local authority's AMHP service can take a case."),
                )
            ]
        )
    detail = _detail(detention)
    if detail.amhp_organisation_id and detail.amhp_organisation_id != organisation.pk:
        raise RuleViolation(
            [
                _violation(
                    "A1",
                    "case_taken",
                    None,
                    _("%(org)s has already taken this case.") % {"org": detail.amhp_organisation},
                )
            ]
        )
    if (
        detail.amhp_user_id
        and user is not None
        and detail.amhp_user_id != user.pk
        and not take_over
    ):
        raise RuleViolation(
            [
                _violation(
                    "A1",
                    "case_taken",
                    None,
                    _("%(who)s has already taken this case.") % {"who": detail.amhp_user},
                )
            ]
        )
    requested_at = requested_at or _minute(now)
    _refuse(
        _check_instants(detention, {"amhp_requested_at": (requested_at, _("The request"))}, now)
    )
    current = _assessment(detention)
    core = {}
    if current is None or current.amhp_requested_at is None:
        core["amhp_requested_at"] = requested_at
    name = amhp_name or (str(user) if user is not None else "")
    if name and (current is None or not current.amhp_name or amhp_name or take_over):
        core["amhp_name"] = name
    if core:
        _core(detention, now, **core)
    detail.amhp_organisation = organisation
    detail.amhp_user = user
    detail.taken_at = now
    return _save_detail(detail)


@transaction.atomic
def record_amhp_arrival(
    detention: Detention, *, arrived_at=None, amhp_name: str | None = None, now=None
) -> Assessment:
    """The AMHP has arrived (default: now). An AMHP must have been requested: when no request
    is recorded the arrival time stands for it too."""
    now = _now(now)
    arrived_at = arrived_at or _minute(now)
    current = _assessment(detention)
    fields = {"amhp_arrived_at": arrived_at}
    if current is None or current.amhp_requested_at is None:
        fields["amhp_requested_at"] = arrived_at
    if amhp_name:
        fields["amhp_name"] = amhp_name
    return _core(detention, now, **fields)


@transaction.atomic
def take_as_doctor(detention: Detention, *, user, now=None) -> AssessmentDetail:
    """A doctor takes the case from their own account: it is on their worklist ("My cases"),
    the doctor counts as requested from now unless a request was recorded earlier, and their
    name goes on the record unless another doctor's is there."""
    now = _now(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    current = _assessment(detention)
    core = {}
    if current is None or current.doctor_requested_at is None:
        core["doctor_requested_at"] = _minute(now)
    if current is None or not current.doctor_name:
        core["doctor_name"] = str(user)
    if core:
        _core(detention, now, **core)
    detail = _detail(detention)
    detail.doctor_user = user
    return _save_detail(detail)


@transaction.atomic
def record_doctor_arrival(
    detention: Detention,
    *,
    arrived_at=None,
    doctor_name: str | None = None,
    s12_approved: bool | None = None,
    requested_at=None,
    user=None,
    now=None,
) -> Assessment:
    """The doctor has arrived (default: now); from a doctor's own account (`user`) the case is
    theirs too (their worklist)."""
    now = _now(now)
    arrived_at = arrived_at or _minute(now)
    if user is not None:
        detail = _detail(_lock(detention))
        if detail.doctor_user_id != user.pk:
            detail.doctor_user = user
            _save_detail(detail)
    current = _assessment(detention)
    fields = {"doctor_arrived_at": arrived_at}
    if requested_at is not None:
        fields["doctor_requested_at"] = requested_at
    elif current is None or current.doctor_requested_at is None:
        fields["doctor_requested_at"] = arrived_at
    if doctor_name:
        fields["doctor_name"] = doctor_name
    if s12_approved is not None:
        fields["doctor_s12_approved"] = s12_approved
    return _core(detention, now, **fields)


@transaction.atomic
def record_assessment_progress(detention: Detention, *, now=None, **fields) -> AssessmentDetail:
    """Partial update of any step: the core fields (`amhp_requested_at` ... `completed_at`,
    `amhp_name`, `doctor_name`, `doctor_s12_approved`) and the doctors kept here
    (`responsible_doctor_name`, `second_doctor_name`, `second_doctor_s12_approved`)."""
    now = _now(now)
    unknown = set(fields) - set(CORE_FIELDS) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    core = {k: v for k, v in fields.items() if k in CORE_FIELDS}
    if core:
        _core(detention, now, **core)
    detail = _detail(detention)
    changed = False
    for name in DETAIL_FIELDS:
        if name in fields:
            value = fields[name]
            if name.endswith("_name"):
                value = value or ""
            if getattr(detail, name) != value:
                setattr(detail, name, value)
                changed = True
    if changed or detail.pk is None:
        _save_detail(detail)
    return detail


# --------------------------------------------------------------------------- bed search, delays
@transaction.atomic
def record_bed_search(
    detention: Detention,
    *,
    bed_requested_at=None,
    bed_found_at=None,
    bed_location: str | None = None,
    admit: bool = False,
    now=None,
) -> AssessmentDetail:
    """Bed requested / found (and where). Finding a bed closes any open `no_bed` delay; with
    `admit=True` and an admission outcome already decided, the detention ends at `bed_found_at`
    with that outcome (the person is admitted)."""
    now = _now(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    detail = _detail(detention)
    requested = bed_requested_at if bed_requested_at is not None else detail.bed_requested_at
    found = bed_found_at if bed_found_at is not None else detail.bed_found_at
    where = bed_location if bed_location is not None else detail.bed_location
    v = _check_instants(
        detention,
        {
            "bed_requested_at": (bed_requested_at, _("The bed request")),
            "bed_found_at": (bed_found_at, _("Finding the bed")),
        },
        now,
    )
    v += law.check_bed_times(requested, found)
    if found is not None and not (where or "").strip():
        v.append(
            _violation(
                "A1",
                law.Code.REQUIRED.value,
                "bed_location",
                _("Say where the bed is."),
            )
        )
    if found is not None and requested is None:
        requested = found
    _refuse(v)
    detail.bed_requested_at = requested
    detail.bed_found_at = found
    detail.bed_location = (where or "").strip()
    _save_detail(detail)
    if found is not None:
        for delay in AssessmentDelay.objects.select_for_update().filter(
            detention=detention, reason=DelayReason.NO_BED, ended_at__isnull=True
        ):
            delay.ended_at = max(found, delay.started_at)
            delay.recorded_by = _actor_label()
            delay.save()
    if admit and found is not None and detail.outcome in ADMISSION_OUTCOMES:
        # The person is admitted once the bed is found (never before the decision to admit).
        admitted_at = max(found, detail.outcome_decided_at or found)
        _end(detention, ended_at=admitted_at, outcome=detail.outcome, now=now, attr="bed_found_at")
    return detail


@transaction.atomic
def add_delay(
    detention: Detention, *, reason: str, started_at=None, note: str = "", now=None
) -> AssessmentDelay:
    now = _now(now)
    started_at = started_at or _minute(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    v = []
    if reason not in DelayReason.values:
        v.append(
            _violation(
                "A1",
                law.Code.INVALID_CHOICE.value,
                "reason",
                _("Choose the reason for the delay."),
            )
        )
    if reason == DelayReason.OTHER and not (note or "").strip():
        v.append(_violation("A1", law.Code.REQUIRED.value, "note", _("Describe the delay.")))
    v += _check_instants(detention, {"started_at": (started_at, _("The start of the delay"))}, now)
    _refuse(v)
    if AssessmentDelay.objects.filter(
        detention=detention, reason=reason, ended_at__isnull=True
    ).exists():
        raise RuleViolation(
            [
                _violation(
                    "A1",
                    "delay_open",
                    "reason",
                    _("A delay for this reason is already open. End it before adding another."),
                )
            ]
        )
    return AssessmentDelay.objects.create(
        detention=detention,
        reason=reason,
        started_at=started_at,
        note=(note or "").strip(),
        recorded_by=_actor_label(),
    )


@transaction.atomic
def end_delay(delay: AssessmentDelay, *, ended_at=None, now=None) -> AssessmentDelay:
    now = _now(now)
    ended_at = ended_at or _minute(now)
    detention = _lock(delay.detention)
    delay = AssessmentDelay.objects.select_for_update().get(pk=delay.pk)
    v = []
    if delay.ended_at is not None:
        v.append(_violation("A1", "delay_ended", "ended_at", _("This delay has already ended.")))
    v += _check_instants(detention, {"ended_at": (ended_at, _("The end of the delay"))}, now)
    v += law.check_delay_end(delay.started_at, ended_at, detention.ended_at)
    _refuse(v)
    delay.ended_at = ended_at
    delay.recorded_by = _actor_label()
    delay.save()
    return delay


def _close_open_delays(detention: Detention, at) -> None:
    for delay in AssessmentDelay.objects.select_for_update().filter(
        detention=detention, ended_at__isnull=True
    ):
        delay.ended_at = max(at, delay.started_at)
        delay.recorded_by = _actor_label()
        delay.save()


# --------------------------------------------------------------------------- outcomes
@transaction.atomic
def record_outcome(
    detention: Detention,
    *,
    outcome: str,
    decided_at=None,
    awaiting_bed: bool = False,
    notes: str = "",
    now=None,
) -> AssessmentDetail:
    """Records the assessment's outcome and, per the module docstring, ends the detention
    through `end_detention` (at `decided_at`, default now) unless an admission waits for a bed.
    The assessment's `completed_at` is set to `decided_at` when it is not recorded yet."""
    now = _now(now)
    decided_at = decided_at or _minute(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    v = []
    if outcome not in AssessmentOutcome.values:
        v.append(
            _violation(
                "A1",
                law.Code.INVALID_CHOICE.value if outcome else law.Code.REQUIRED.value,
                "outcome",
                _("Choose the outcome of the assessment."),
            )
        )
    if awaiting_bed and outcome not in ADMISSION_OUTCOMES:
        v.append(
            _violation(
                "A1",
                law.Code.INVALID.value,
                "awaiting_bed",
                _("Only an admission to hospital waits for a bed."),
            )
        )
    v += _check_instants(detention, {"decided_at": (decided_at, _("The decision"))}, now)
    _refuse(v)
    current = _assessment(detention)
    if current is None or current.completed_at is None:
        try:
            _core(detention, now, completed_at=decided_at)
        except RuleViolation as exc:
            # Report the clash against the field the user gave.
            raise RuleViolation(
                [
                    law.Violation(
                        x.rule,
                        x.code,
                        "decided_at" if x.attr == "completed_at" else x.attr,
                        x.message,
                    )
                    for x in exc.violations
                ]
            ) from exc
    detail = _detail(detention)
    detail.outcome = outcome
    detail.outcome_decided_at = decided_at
    detail.outcome_notes = (notes or "").strip()
    _save_detail(detail)
    if awaiting_bed:
        if detail.bed_requested_at is None:
            detail.bed_requested_at = decided_at
            _save_detail(detail)
        if not AssessmentDelay.objects.filter(
            detention=detention, reason=DelayReason.NO_BED, ended_at__isnull=True
        ).exists():
            AssessmentDelay.objects.create(
                detention=detention,
                reason=DelayReason.NO_BED,
                started_at=decided_at,
                note=_("Waiting for a bed after the decision to admit."),
                recorded_by=_actor_label(),
            )
        return detail
    _end(detention, ended_at=decided_at, outcome=outcome, now=now)
    return detail


def _end(detention, *, ended_at, outcome, now, attr="decided_at"):
    try:
        detention_services.end_detention(detention, ended_at=ended_at, outcome=outcome, now=now)
    except RuleViolation as exc:
        raise RuleViolation(
            [
                law.Violation(x.rule, x.code, attr if x.attr == "ended_at" else x.attr, x.message)
                for x in exc.violations
            ]
        ) from exc
    _close_open_delays(detention, ended_at)


@transaction.atomic
def record_no_mental_disorder(
    detention: Detention,
    *,
    found_at=None,
    doctor_name: str = "",
    s12_approved: bool | None = None,
    now=None,
) -> AssessmentDetail:
    """A3: the doctor found no mental disorder, so the person is released at once; no AMHP
    interview is needed. The examination counts as completed at `found_at` (default now)."""
    now = _now(now)
    found_at = found_at or _minute(now)
    detention = _lock(detention)
    if detention.is_ended:
        raise RuleViolation(_ended(detention))
    fields = {}
    current = _assessment(detention)
    if doctor_name:
        fields["doctor_name"] = doctor_name
        detail = _detail(detention)
        if not detail.responsible_doctor_name:
            detail.responsible_doctor_name = doctor_name
            _save_detail(detail)
    if s12_approved is not None:
        fields["doctor_s12_approved"] = s12_approved
    if current is None or current.doctor_arrived_at is None:
        # The doctor examined them, so was there by then.
        if current is None or current.doctor_requested_at is None:
            fields["doctor_requested_at"] = found_at
        fields["doctor_arrived_at"] = found_at
    if current is None or current.completed_at is None:
        fields["completed_at"] = found_at
    if fields:
        try:
            _core(detention, now, **fields)
        except RuleViolation as exc:
            raise RuleViolation(
                [
                    law.Violation(
                        x.rule,
                        x.code,
                        "found_at" if x.attr in ("completed_at", "doctor_arrived_at") else x.attr,
                        x.message,
                    )
                    for x in exc.violations
                ]
            ) from exc
    detail = _detail(detention)
    detail.outcome = AssessmentOutcome.NO_MENTAL_DISORDER
    detail.outcome_decided_at = found_at
    _save_detail(detail)
    try:
        detention_services.end_detention(
            detention, ended_at=found_at, outcome=AssessmentOutcome.NO_MENTAL_DISORDER, now=now
        )
    except RuleViolation as exc:
        raise RuleViolation(
            [
                law.Violation(
                    x.rule, x.code, "found_at" if x.attr == "ended_at" else x.attr, x.message
                )
                for x in exc.violations
            ]
        ) from exc
    _close_open_delays(detention, found_at)
    return detail
