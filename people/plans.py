"""Response plans and warning markers on a person: the one door for every change.

A plan is written by an organisation (the person's force, or a partner that knows the person
through a referral), as a draft: the agreed response (what helps, what to avoid, who to call),
contacts and warning markers, addressed to organisations (the person's force always). It is
submitted for approval and approved (or rejected, with the reason) by a second person: never the
one who wrote or submitted it (`people.policy.may_plan` says who may; the services refuse too).
Only then do the organisations it is addressed to see it. An approved plan is not changed: it is
withdrawn (with the reason) and a new one written. A warning marker past its review date falls
away from what officers are shown (`current_markers`) and stays in the plan's history.

Every change is one transaction and leaves history (HarbourHistory) with who made it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from core.actor import current_actor

from .choices import PlanStatus
from .models import Person, PlanContact, ResponsePlan, WarningMarker

PLAN_TEXT_FIELDS = ("what_helps", "what_to_avoid", "who_to_call")
# A marker is reviewed at least every two years.
MAX_REVIEW_DAYS = 731
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,30}$")


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _today(now=None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def _error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: [ValidationError(message, code=code)]})


def _lock(plan: ResponsePlan) -> ResponsePlan:
    return ResponsePlan.objects.select_for_update().select_related("person").get(pk=plan.pk)


def _refuse_unless_editable(plan: ResponsePlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _(
                "This plan has been submitted or approved and can no longer be changed. "
                "Withdraw it and write a new one."
            ),
            code="plan_not_editable",
        )


def _addressees(person: Person, organisations) -> list[Organisation]:
    """The person's force always; other police forces never (a person is one force's record)."""
    chosen = {o.pk: o for o in organisations or ()}
    for org in chosen.values():
        if org.kind == OrganisationKind.POLICE_FORCE and org.pk != person.organisation_id:
            raise _error(
                "addressed_to",
                _("A plan is addressed to the person's force and partners, not another force."),
                "invalid_addressee",
            )
    chosen.setdefault(person.organisation_id, person.organisation)
    return list(chosen.values())


def _clean_contact(contact: PlanContact) -> None:
    contact.name = (contact.name or "").strip()
    contact.relationship = (contact.relationship or "").strip()
    contact.phone = (contact.phone or "").strip()
    contact.when_to_call = (contact.when_to_call or "").strip()
    errors: dict[str, list] = {}
    if contact.phone and not PHONE_RE.match(contact.phone):
        errors["phone"] = [
            ValidationError(
                _("Enter a phone number, like 01632 960 001 or +44 7700 900 982."),
                code="invalid_phone",
            )
        ]
    try:
        contact.full_clean(exclude=["plan", *errors])
    except ValidationError as exc:
        for name, errs in exc.error_dict.items():
            errors.setdefault(name, []).extend(errs)
    if errors:
        raise ValidationError(errors)


def _clean_marker(marker: WarningMarker, *, now=None) -> None:
    marker.details = (marker.details or "").strip()
    errors: dict[str, list] = {}
    today = _today(now)
    if marker.review_on and marker.review_on < today:
        errors["review_on"] = [
            ValidationError(
                _("The review date must be today or later."), code="review_date_in_past"
            )
        ]
    elif marker.review_on and marker.review_on > today + dt.timedelta(days=MAX_REVIEW_DAYS):
        errors["review_on"] = [
            ValidationError(
                _("Review a warning marker within two years: give an earlier review date."),
                code="review_date_too_far",
            )
        ]
    try:
        marker.full_clean(exclude=["plan", *errors])
    except ValidationError as exc:
        for name, errs in exc.error_dict.items():
            errors.setdefault(name, []).extend(errs)
    if errors:
        raise ValidationError(errors)


def _user(actor_user):
    return actor_user if getattr(actor_user, "pk", None) else None


@transaction.atomic
def create_plan(
    *,
    person: Person,
    author_organisation: Organisation,
    addressed_to=(),
    written_by=None,
    contacts=(),
    markers=(),
    now=None,
    **text,
) -> ResponsePlan:
    """A draft plan. `contacts` and `markers` are dicts of their fields."""
    unknown = set(text) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    if person.merged_into_id:
        raise _error(
            "person",
            _("This record was merged into another; write the plan on that one."),
            "person_merged",
        )
    plan = ResponsePlan(
        person=person,
        author_organisation=author_organisation,
        written_by=_user(written_by),
        written_by_name=_actor_label(),
        **{k: (v or "").strip() for k, v in text.items()},
    )
    plan.full_clean(exclude=["person", "author_organisation", "written_by"])
    addressees = _addressees(person, addressed_to)
    plan.save()
    plan.addressed_to.set(addressees)
    for index, values in enumerate(contacts or ()):
        _add_contact(plan, values, prefix=f"contacts.{index}.")
    for index, values in enumerate(markers or ()):
        _add_marker(plan, values, now=now, prefix=f"markers.{index}.")
    return plan


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if not prefix or not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({f"{prefix}{k}": v for k, v in exc.error_dict.items()})


def _add_contact(plan, values: dict, prefix: str = "") -> PlanContact:
    contact = PlanContact(plan=plan, **values)
    try:
        _clean_contact(contact)
    except ValidationError as exc:
        raise _prefixed(exc, prefix) from exc
    contact.save()
    return contact


def _add_marker(plan, values: dict, *, now=None, prefix: str = "") -> WarningMarker:
    marker = WarningMarker(plan=plan, **values)
    try:
        _clean_marker(marker, now=now)
    except ValidationError as exc:
        raise _prefixed(exc, prefix) from exc
    marker.save()
    return marker


@transaction.atomic
def update_plan(plan: ResponsePlan, *, addressed_to=None, **text) -> ResponsePlan:
    """Changes a draft (or a rejected plan, which becomes a draft again)."""
    unknown = set(text) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    locked = _lock(plan)
    _refuse_unless_editable(locked)
    for name, value in text.items():
        setattr(locked, name, (value or "").strip())
    locked.full_clean(exclude=["person", "author_organisation", "written_by"])
    if locked.status == PlanStatus.REJECTED:
        locked.status = PlanStatus.DRAFT
        locked._change_reason = _("Changed after it was rejected")
    locked.save()
    if addressed_to is not None:
        locked.addressed_to.set(_addressees(locked.person, addressed_to))
    return locked


@transaction.atomic
def add_contact(plan: ResponsePlan, **values) -> PlanContact:
    locked = _lock(plan)
    _refuse_unless_editable(locked)
    return _add_contact(locked, values)


@transaction.atomic
def remove_contact(contact: PlanContact) -> None:
    locked = _lock(contact.plan)
    _refuse_unless_editable(locked)
    contact.delete()


@transaction.atomic
def add_marker(plan: ResponsePlan, *, now=None, **values) -> WarningMarker:
    locked = _lock(plan)
    _refuse_unless_editable(locked)
    return _add_marker(locked, values, now=now)


@transaction.atomic
def remove_marker(marker: WarningMarker) -> None:
    locked = _lock(marker.plan)
    _refuse_unless_editable(locked)
    marker.delete()


@transaction.atomic
def submit_plan(plan: ResponsePlan, *, submitted_by=None, now=None) -> ResponsePlan:
    """Asks for approval. A plan says something: a response, a contact or a marker."""
    now = now or timezone.now()
    locked = _lock(plan)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Only a draft can be submitted for approval."), code="plan_not_draft"
        )
    has_text = any(getattr(locked, f) for f in PLAN_TEXT_FIELDS)
    if not (has_text or locked.contacts.exists() or locked.markers.exists()):
        raise ValidationError(
            _("Write what helps, what to avoid or who to call, or add a contact or a marker."),
            code="plan_empty",
        )
    if locked.markers.filter(review_on__lt=_today(now)).exists():
        raise ValidationError(
            _("A warning marker is past its review date: remove it or add it again."),
            code="review_date_in_past",
        )
    locked.status = PlanStatus.PENDING
    locked.submitted_at = now
    locked.submitted_by = _user(submitted_by)
    locked.submitted_by_name = _actor_label()
    locked._change_reason = _("Submitted for approval")
    locked.save()
    return locked


def _refuse_unless_pending(plan: ResponsePlan) -> None:
    if plan.status != PlanStatus.PENDING:
        raise ValidationError(_("This plan is not waiting for approval."), code="plan_not_pending")


def _refuse_own(plan: ResponsePlan, user) -> None:
    user_id = getattr(user, "pk", None)
    if user_id is None or user_id in (plan.written_by_id, plan.submitted_by_id):
        raise ValidationError(
            _("A second person approves a plan: not the person who wrote or submitted it."),
            code="approver_is_author",
        )


@transaction.atomic
def approve_plan(
    plan: ResponsePlan, *, approved_by, organisation: Organisation, now=None
) -> ResponsePlan:
    """Approves a plan waiting for approval: from now on the organisations it is addressed to
    see it, and officers see it on the person's incidents and detentions."""
    now = now or timezone.now()
    locked = _lock(plan)
    _refuse_unless_pending(locked)
    _refuse_own(locked, approved_by)
    locked.status = PlanStatus.APPROVED
    locked.decided_at = locked.approved_at = now
    locked.decided_by = approved_by
    locked.decided_by_name = _actor_label()
    locked.decided_by_organisation = organisation
    locked.rejection_reason = ""
    locked._change_reason = _("Approved")
    locked.save()
    return locked


@transaction.atomic
def reject_plan(
    plan: ResponsePlan, *, rejected_by, organisation: Organisation, reason: str, now=None
) -> ResponsePlan:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise _error(
            "reason",
            _("Say why the plan is rejected, so that its writer can change it."),
            "required",
        )
    locked = _lock(plan)
    _refuse_unless_pending(locked)
    _refuse_own(locked, rejected_by)
    locked.status = PlanStatus.REJECTED
    locked.decided_at = now
    locked.decided_by = rejected_by
    locked.decided_by_name = _actor_label()
    locked.decided_by_organisation = organisation
    locked.rejection_reason = reason
    locked._change_reason = _("Rejected: %(reason)s") % {"reason": reason}
    locked.save()
    return locked


@transaction.atomic
def withdraw_plan(plan: ResponsePlan, *, reason: str, now=None) -> ResponsePlan:
    """Withdraws a plan (any state but withdrawn): officers no longer see it; it stays in the
    history of everyone who saw it."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Say why the plan is withdrawn."), "required")
    locked = _lock(plan)
    if locked.status == PlanStatus.WITHDRAWN:
        raise ValidationError(_("This plan has already been withdrawn."), code="plan_withdrawn")
    locked.status = PlanStatus.WITHDRAWN
    locked.withdrawn_at = now
    locked.withdrawn_by_name = _actor_label()
    locked.withdrawal_reason = reason
    locked._change_reason = _("Withdrawn: %(reason)s") % {"reason": reason}
    locked.save()
    return locked


# --- What officers are shown -------------------------------------------------------------------


def current_markers_q(today):
    from django.db.models import Q

    return Q(review_on__gte=today)


def with_parts(plans, *, today=None, current_only=False):
    """Plans with their contacts and markers prefetched (two more queries, whatever the number of
    plans); `current_only` leaves out markers past their review date."""
    markers = WarningMarker.objects.order_by("kind", "pk")
    if current_only:
        markers = markers.filter(current_markers_q(today or _today()))
    return plans.select_related(
        "person", "author_organisation", "decided_by_organisation"
    ).prefetch_related(
        Prefetch("markers", queryset=markers),
        Prefetch("contacts", queryset=PlanContact.objects.order_by("pk")),
        "addressed_to",
    )


@dataclass
class PersonWarnings:
    person: Person
    plans: list = field(default_factory=list)

    @property
    def markers(self) -> list:
        return [m for p in self.plans for m in p.markers.all()]

    @property
    def contacts(self) -> list:
        return [c for p in self.plans for c in p.contacts.all()]


def warnings_for(plans_in_force, people, *, now=None) -> list[PersonWarnings]:
    """For each person (in order), the approved plans the actor may see (`plans_in_force`,
    from `people.policy.in_force_plans`) with their current markers. Three queries."""
    people = [p for p in people if p is not None]
    if not people:
        return []
    ids = [p.pk for p in people]
    plans = with_parts(
        plans_in_force.filter(person_id__in=ids).order_by("-approved_at", "-pk"),
        today=_today(now),
        current_only=True,
    )
    by_person: dict[int, list] = {}
    for plan in plans:
        by_person.setdefault(plan.person_id, []).append(plan)
    return [PersonWarnings(p, by_person[p.pk]) for p in people if p.pk in by_person]
