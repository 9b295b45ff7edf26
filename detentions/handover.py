"""A4 as a request and its answer: the one door for every change to a handover request.

1. The detaining force asks the health staff of the place (a health-based place of safety or an
   emergency department) to take over (`request_handover`). Where the place has a shared inbox
   (`PlaceOfSafety.handover_inbox`), a one-time link (`HandoverLink`) is made for it and emailed
   there by the alert outbox (alerts/handover.py).
2. Health staff of the place's operator answer it, from their own account or through the link:
   `accept_handover` (whether police must stay, and why: required when they must) or
   `decline_handover` (why: required). Accepting writes the legal A4 record (`Handover`) with
   the accepting person's name, marked when it came through a link.
3. Where police had to stay, health staff later say they may leave (`release_police`).

Every step locks the detention row, writes in one transaction (with history: the models have
`HarbourHistory`), recomputes the detention's derived columns, and publishes its domain event
(`core.events`: `detention.handover_requested|accepted|declined`), so alerts tell the officers
and webhooks tell partners, both in the same transaction. The officers' wait (request -> answer,
and request -> released) is what `reporting` counts as waiting time for the cost figures.
"""

from __future__ import annotations

import dataclasses
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import law
from core import events
from core.actor import current_actor

from .errors import RuleViolation
from .facts import facts_for
from .models import Detention, Handover, HandoverLink, HandoverRequest
from .services import _create, _lock, _refresh

LINK_SALT = "harbour.detentions.handover-link"


def link_settings() -> dict:
    defaults = {
        "TTL": timedelta(hours=2),
        "MAX_REFUSED_USES": 5,
        "RATE": 20,
        "RATE_WINDOW": timedelta(minutes=10),
        "BASE_URL": "http://localhost:8000",
    }
    return {**defaults, **settings.HARBOUR.get("HANDOVER_LINK", {})}


@dataclasses.dataclass(frozen=True)
class _Conflict(law.Violation):
    """A refusal because of the request's state (HTTP 409 in the API)."""

    @property
    def is_conflict(self) -> bool:
        return True


def _refuse(rule, code, attr, message, *, conflict=False):
    cls = _Conflict if conflict else law.Violation
    raise RuleViolation([cls(rule, code, attr, message)])


def _label() -> str:
    actor = current_actor()
    return actor.label if actor else ""


def _ended_check(detention, now):
    facts = facts_for(detention)
    if facts.ended_at is not None:  # C7 before every other rule
        violations = law.check_handover(
            facts, law.Handover(handed_over_at=now, received_by=""), now
        )
        raise RuleViolation([v for v in violations if v.code] or violations)
    return facts


def open_request(detention) -> HandoverRequest | None:
    return (
        HandoverRequest.objects.filter(detention=detention, state=HandoverRequest.State.REQUESTED)
        .select_related("place")
        .first()
    )


def open_request_or_refuse(detention) -> HandoverRequest:
    """The request waiting for an answer; refused (409) when there is none."""
    hreq = open_request(detention)
    if hreq is None:
        if detention.ended_at is not None:
            _ended_check(detention, timezone.now())
        _refuse(
            "A4",
            "no_open_handover_request",
            None,
            _("No handover is waiting for an answer on this detention."),
            conflict=True,
        )
    return hreq


def latest_request(detention) -> HandoverRequest | None:
    return (
        HandoverRequest.objects.filter(detention=detention).order_by("-requested_at", "-id").first()
    )


# --- Request ---------------------------------------------------------------------------------


@transaction.atomic
def request_handover(
    detention, *, note: str = "", requested_by_name: str = "", now=None
) -> HandoverRequest:
    """The detaining force asks the place's health staff to take over. Refused when the
    detention has ended (409), is not at a health-based place or emergency department, is
    already handed over, or already has a request waiting (409)."""
    now = now or timezone.now()
    detention = _lock(detention)
    _ended_check(detention, now)
    place = detention.current_place_of_safety
    if place is None or not place.is_health_based or detention.in_transfer_to_id:
        _refuse(
            "A4",
            "handover_place_not_health",
            None,
            _(
                "A handover to health staff is asked for at a health-based place of safety or "
                "an emergency department, once the person has arrived there."
            ),
        )
    if Handover.objects.filter(detention=detention).exists():
        _refuse(
            "A4",
            "handover_exists",
            None,
            _("The handover is already recorded. Correct it if it is wrong."),
            conflict=True,
        )
    if HandoverRequest.objects.filter(
        detention=detention, state=HandoverRequest.State.REQUESTED
    ).exists():
        _refuse(
            "A4",
            "handover_already_requested",
            None,
            _("A handover is already waiting for health staff. Wait for their answer."),
            conflict=True,
        )
    hreq = HandoverRequest.objects.create(
        detention=detention,
        place=place,
        requested_at=now,
        requested_by=_label(),
        requested_by_name=requested_by_name or _label(),
        note=note.strip(),
    )
    if place.handover_inbox:
        HandoverLink.objects.create(
            request=hreq,
            nonce=secrets.token_urlsafe(24),
            sent_to=place.handover_inbox,
            created_at=now,
            expires_at=now + link_settings()["TTL"],
        )
    _refresh(detention, now)
    # Only the request travels with the event (webhooks may send it on); the alert finds the
    # link itself.
    events.publish("detention.handover_requested", detention, now=now, handover=hreq)
    return hreq


# --- Answer ----------------------------------------------------------------------------------


def _locked_open(hreq: HandoverRequest, detention: Detention) -> HandoverRequest:
    hreq = HandoverRequest.objects.select_for_update().select_related("place").get(pk=hreq.pk)
    if hreq.detention_id != detention.pk:  # pragma: no cover - the doors fetch it by detention
        raise HandoverRequest.DoesNotExist
    if not hreq.is_open:
        _refuse(
            "A4",
            "handover_already_answered",
            None,
            _("Health staff have already answered this handover (%(state)s).")
            % {"state": hreq.get_state_display().lower()},
            conflict=True,
        )
    if detention.current_place_of_safety_id != hreq.place_id or detention.in_transfer_to_id:
        _refuse(
            "A4",
            "handover_wrong_place",
            None,
            _(
                "The person is no longer at the place this handover was asked for. The "
                "officer must ask again at the new place."
            ),
        )
    return hreq


def _use_link(link: HandoverLink | None, hreq: HandoverRequest, name: str, now) -> None:
    if link is None:
        return
    link = HandoverLink.objects.select_for_update().get(pk=link.pk)
    refusal = link_refusal(link, now)
    if refusal is None and link.request_id != hreq.pk:
        refusal = "handover_link_invalid"
    if refusal is not None:
        _refuse("A4", refusal, None, str(LINK_MESSAGES[refusal]), conflict=True)
    link.used_at = now
    link.used_by_name = name
    link.save(update_fields=["used_at", "used_by_name"])


def _via(link, via) -> str:
    if link is not None:
        return HandoverRequest.Via.LINK
    return via or HandoverRequest.Via.ACCOUNT


@transaction.atomic
def accept_handover(
    hreq: HandoverRequest,
    *,
    received_by: str,
    police_must_stay: bool | None,
    stay_reason: str = "",
    link: HandoverLink | None = None,
    via: str = "",
    now=None,
) -> HandoverRequest:
    """Health staff take over: the request is accepted and the A4 `Handover` written (at `now`,
    received by `received_by`). Whether police must stay is required (never assumed) and a
    reason is required when they must; when they need not, the officers are released now."""
    now = now or timezone.now()
    detention = _lock(hreq.detention)
    facts = _ended_check(detention, now)
    errors = []
    received_by = (received_by or "").strip()
    stay_reason = (stay_reason or "").strip()
    if not received_by:
        errors.append(
            law.Violation("A4", "required", "received_by", _("Enter your name and role."))
        )
    if police_must_stay is None:
        errors.append(
            law.Violation(
                "A4",
                "required",
                "police_must_stay",
                _("Say whether the police must stay with the person."),
            )
        )
    elif police_must_stay and not stay_reason:
        errors.append(
            law.Violation(
                "A4",
                "stay_reason_required",
                "stay_reason",
                _("Enter why the police must stay (for example a risk of violence)."),
            )
        )
    if errors:
        raise RuleViolation(errors)
    hreq = _locked_open(hreq, detention)
    if facts.handover is not None:
        _refuse(
            "A4",
            "handover_exists",
            None,
            _("The handover is already recorded. Correct it if it is wrong."),
            conflict=True,
        )
    proposed = law.Handover(handed_over_at=now, received_by=received_by)
    violations = [v for v in law.check_handover(facts, proposed, now) if v.code]
    if violations:
        raise RuleViolation(violations)
    _use_link(link, hreq, received_by, now)
    handover = _create(
        Handover,
        detention=detention,
        handed_over_at=now,
        received_by=received_by,
        via_link=link is not None,
        recorded_by=_label() or (f"one-time link {link.pk}" if link else ""),
    )
    hreq.state = HandoverRequest.State.ACCEPTED
    hreq.answered_at = now
    hreq.answered_by = _label() or (f"one-time link {link.pk}" if link else "")
    hreq.answered_by_name = received_by
    hreq.answered_via = _via(link, via)
    hreq.police_must_stay = police_must_stay
    hreq.stay_reason = stay_reason if police_must_stay else ""
    hreq.police_released_at = None if police_must_stay else now
    hreq.handover = handover
    hreq.save()
    _refresh(detention, now)
    events.publish("detention.handover_accepted", detention, now=now, handover=hreq)
    return hreq


@transaction.atomic
def decline_handover(
    hreq: HandoverRequest,
    *,
    reason: str,
    declined_by: str,
    link: HandoverLink | None = None,
    via: str = "",
    now=None,
) -> HandoverRequest:
    """Health staff cannot take over now: a reason is required. The officers keep the person
    and may ask again."""
    now = now or timezone.now()
    detention = _lock(hreq.detention)
    _ended_check(detention, now)
    reason = (reason or "").strip()
    declined_by = (declined_by or "").strip()
    errors = []
    if not declined_by:
        errors.append(
            law.Violation("A4", "required", "received_by", _("Enter your name and role."))
        )
    if not reason:
        errors.append(
            law.Violation(
                "A4",
                "decline_reason_required",
                "decline_reason",
                _("Enter why the handover cannot be accepted now."),
            )
        )
    if errors:
        raise RuleViolation(errors)
    hreq = _locked_open(hreq, detention)
    _use_link(link, hreq, declined_by, now)
    hreq.state = HandoverRequest.State.DECLINED
    hreq.answered_at = now
    hreq.answered_by = _label() or (f"one-time link {link.pk}" if link else "")
    hreq.answered_by_name = declined_by
    hreq.answered_via = _via(link, via)
    hreq.decline_reason = reason
    hreq.save()
    _refresh(detention, now)
    events.publish("detention.handover_declined", detention, now=now, handover=hreq)
    return hreq


@transaction.atomic
def release_police(hreq: HandoverRequest, *, now=None) -> HandoverRequest:
    """Police who had to stay may now leave (health staff say so)."""
    now = now or timezone.now()
    detention = _lock(hreq.detention)
    _ended_check(detention, now)
    hreq = HandoverRequest.objects.select_for_update().get(pk=hreq.pk)
    if hreq.state != HandoverRequest.State.ACCEPTED or hreq.police_released_at is not None:
        _refuse(
            "A4",
            "police_not_waiting",
            None,
            _("The police are not waiting to be released from this handover."),
            conflict=True,
        )
    hreq.police_released_at = now
    hreq.save(update_fields=["police_released_at"])
    return hreq


# --- One-time links ----------------------------------------------------------------------------

LINK_MESSAGES = {
    "handover_link_invalid": gettext_lazy(
        "This link is not valid. Ask the officer to send a new request."
    ),
    "handover_link_used": gettext_lazy("This link has already been used. Each link works once."),
    "handover_link_expired": gettext_lazy(
        "This link has expired. Ask the officer to send a new request."
    ),
    "handover_link_locked": gettext_lazy("This link was tried too many times and no longer works."),
    "handover_already_answered": gettext_lazy("This handover has already been answered."),
    "detention_ended": gettext_lazy("This detention has ended."),
}


def token_for(link: HandoverLink) -> str:
    """The link's token: its id and nonce, signed with the deployment's secret key."""
    return signing.Signer(salt=LINK_SALT).sign(f"{link.pk}.{link.nonce}")


def url_for(link: HandoverLink) -> str:
    from django.urls import reverse

    base = link_settings()["BASE_URL"].rstrip("/")
    return base + reverse("handover-link", args=[token_for(link)])


def link_from_token(token: str) -> HandoverLink | None:
    """The link a token names, or None when the signature or the nonce is wrong."""
    try:
        value = signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk, _sep, nonce = value.partition(".")
    if not pk.isdigit():
        return None
    link = (
        HandoverLink.objects.select_related(
            "request__detention__person", "request__place", "request__detention__organisation"
        )
        .filter(pk=int(pk))
        .first()
    )
    if link is None or not hmac.compare_digest(link.nonce, nonce):
        return None
    return link


def link_refusal(link: HandoverLink, now) -> str | None:
    """Why the link may not be used now (a code of LINK_MESSAGES), or None."""
    if link.used_at is not None:
        return "handover_link_used"
    if link.refused_uses >= link_settings()["MAX_REFUSED_USES"]:
        return "handover_link_locked"
    if now >= link.expires_at:
        return "handover_link_expired"
    if link.request.detention.ended_at is not None:
        return "detention_ended"
    if not link.request.is_open:
        return "handover_already_answered"
    return None


def count_refused_use(link: HandoverLink) -> None:
    """A refused use of a valid link (expired, used, a form error) counts towards its lock."""
    from django.db.models import F

    HandoverLink.objects.filter(pk=link.pk).update(refused_uses=F("refused_uses") + 1)


# --- What the pages show ----------------------------------------------------------------------


def officer_wait(hreq: HandoverRequest, now) -> dict:
    """The officers' wait for this request in minutes: `to_answer` (request -> accept or
    decline, or now) and `to_release` (request -> police released, declined, ended, or now)."""
    to_answer = (hreq.waiting_until(now) - hreq.requested_at).total_seconds() / 60
    to_release = (hreq.released_until(now) - hreq.requested_at).total_seconds() / 60
    return {"to_answer": max(0.0, to_answer), "to_release": max(0.0, to_release)}
