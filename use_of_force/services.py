"""The one door for changes to force, search and restraint records.

Refusals are `RuleViolation`s (as the detention services raise), so the API answers them in
the contract's error format and the pages show them beside the field they name. Records may be
added after the detention has ended (forms are often completed at the end of a shift): the
time must still lie within the detention's span, and the record is marked `entered_late`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actor import current_actor
from detentions.errors import RuleViolation
from law.violations import Violation
from places_of_safety.models import PlaceKind

from .models import (
    RESTRAINT_TACTICS,
    ProtectiveSearch,
    Reason,
    Tactic,
    UseOfForce,
    Where,
)

FUTURE_SKEW = timedelta(minutes=5)  # as the rule engine's C4


def _actor_label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _error(attr, code, message, rule="") -> Violation:
    return Violation(rule=rule, code=code, attr=attr, message=str(message))


def _time_errors(detention, at: datetime, attr: str, now: datetime) -> list[Violation]:
    """C4: within the detention's span and not in the future."""
    if at < detention.detained_at:
        return [
            _error(
                attr,
                "time_order",
                _("This is before the detention began. Check the date and time."),
                "C4",
            )
        ]
    if detention.ended_at is not None and at > detention.ended_at:
        return [
            _error(
                attr,
                "time_order",
                _("This is after the detention ended. Check the date and time."),
                "C4",
            )
        ]
    if at > now + FUTURE_SKEW:
        return [_error(attr, "time_order", _("This time is in the future."), "C4")]
    return []


def place_at(detention, at: datetime):
    """The place of safety the person was at, at `at` (arrival and transfer arrivals), or None."""
    stays = []
    arrival = getattr(detention, "arrival", None) if hasattr(detention, "arrival") else None
    if arrival is not None:
        stays.append((arrival.arrived_at, arrival.place))
    stays += [
        (t.arrived_at, t.to_place)
        for t in detention.transfers.select_related("to_place").filter(arrived_at__isnull=False)
    ]
    here = None
    for arrived_at, place in sorted(stays, key=lambda s: s[0]):
        if arrived_at <= at:
            here = place
    return here


def _place_errors(detention, location, place, at, errors):
    """The place for a record made at a place of safety: the one given, or where the person was
    at that time. Returns the place to store."""
    if location != Where.PLACE_OF_SAFETY:
        if place is not None:
            errors.append(
                _error(
                    "place_of_safety",
                    "invalid",
                    _("Give the place of safety only when this happened at a place of safety."),
                )
            )
        return None
    place = place or place_at(detention, at)
    if place is None:
        errors.append(
            _error(
                "place_of_safety",
                "required",
                _("Choose the place of safety where this happened."),
            )
        )
    return place


def needs_review(tactic, place) -> bool:
    """A prone restraint, or any restraint at a health-based place of safety."""
    if tactic == Tactic.PRONE_RESTRAINT:
        return True
    return (
        tactic in RESTRAINT_TACTICS and place is not None and place.kind == PlaceKind.HEALTH_BASED
    )


def record_use_of_force(
    detention,
    *,
    officer_name: str,
    tactic: str,
    used_at: datetime,
    location: str,
    reasons: list[str],
    person_injured: bool,
    officer_injured: bool,
    officer_number: str = "",
    tactic_detail: str = "",
    place_of_safety=None,
    reason_detail: str = "",
    injury_detail: str = "",
    now: datetime | None = None,
) -> UseOfForce:
    now = now or timezone.now()
    errors = _time_errors(detention, used_at, "used_at", now)
    if tactic == Tactic.OTHER and not tactic_detail.strip():
        errors.append(_error("tactic_detail", "required", _("Say what the other tactic was.")))
    if not reasons:
        errors.append(_error("reasons", "required", _("Choose at least one reason.")))
    if Reason.OTHER in reasons and not reason_detail.strip():
        errors.append(_error("reason_detail", "required", _("Say what the other reason was.")))
    if (person_injured or officer_injured) and not injury_detail.strip():
        errors.append(_error("injury_detail", "required", _("Describe the injuries.")))
    place = _place_errors(detention, location, place_of_safety, used_at, errors)
    if errors:
        raise RuleViolation(errors)
    with transaction.atomic():
        return UseOfForce.objects.create(
            detention=detention,
            officer_name=officer_name.strip(),
            officer_number=officer_number.strip(),
            tactic=tactic,
            tactic_detail=tactic_detail.strip(),
            used_at=used_at,
            location=location,
            place_of_safety=place,
            reasons=list(dict.fromkeys(reasons)),
            reason_detail=reason_detail.strip(),
            person_injured=person_injured,
            officer_injured=officer_injured,
            injury_detail=injury_detail.strip(),
            review_required=needs_review(tactic, place),
            entered_late=detention.ended_at is not None,
            recorded_by=_actor_label(),
        )


def record_search(
    detention,
    *,
    officer_name: str,
    searched_at: datetime,
    location: str,
    grounds: str,
    items_found: bool,
    officer_number: str = "",
    place_of_safety=None,
    found_description: str = "",
    kept_description: str = "",
    now: datetime | None = None,
) -> ProtectiveSearch:
    """s136C: a constable may search a detained person who may present a danger to themselves
    or others and may be concealing an item that could cause physical injury."""
    now = now or timezone.now()
    errors = _time_errors(detention, searched_at, "searched_at", now)
    if not grounds.strip():
        errors.append(_error("grounds", "required", _("Give the grounds for the search.")))
    if items_found and not found_description.strip():
        errors.append(_error("found_description", "required", _("Say what was found.")))
    if not items_found and (found_description.strip() or kept_description.strip()):
        errors.append(
            _error(
                "items_found",
                "invalid",
                _("Nothing was found, so nothing can have been found or kept."),
            )
        )
    place = _place_errors(detention, location, place_of_safety, searched_at, errors)
    if errors:
        raise RuleViolation(errors)
    with transaction.atomic():
        return ProtectiveSearch.objects.create(
            detention=detention,
            officer_name=officer_name.strip(),
            officer_number=officer_number.strip(),
            searched_at=searched_at,
            location=location,
            place_of_safety=place,
            grounds=grounds.strip(),
            items_found=items_found,
            found_description=found_description.strip(),
            kept_description=kept_description.strip(),
            entered_late=detention.ended_at is not None,
            recorded_by=_actor_label(),
        )


def record_review(use: UseOfForce, *, decision: str, note: str, now=None) -> UseOfForce:
    """The force mental health lead's review: a decision and a note, kept in history (a later
    review replaces the current one; every earlier one stays in history)."""
    errors = []
    if not use.review_required:
        errors.append(
            _error(None, "review_not_required", _("This use of force is not for review."))
        )
    if not note.strip():
        errors.append(_error("note", "required", _("Write a note of the review.")))
    if errors:
        raise RuleViolation(errors)
    with transaction.atomic():
        use = UseOfForce.objects.select_for_update().get(pk=use.pk)
        use.review_decision = decision
        use.review_note = note.strip()
        use.reviewed_at = now or timezone.now()
        use.reviewed_by = _actor_label()
        use._change_reason = "review"
        use.save(update_fields=["review_decision", "review_note", "reviewed_at", "reviewed_by"])
    return use
