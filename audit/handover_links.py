"""The access log for one-time handover links (detentions/handover_views.py `link_view`).

A link is used without an account, so the access-log middleware (which logs signed-in users and
keys) does not see it; the link page calls this writer, installed from `AuditConfig.ready`, on
every hit: opened, used (accepted or declined), or refused (invalid, used, expired, locked,
answered, ended, rate-limited, form errors). The row names the link (never its token: the path
is written with the token replaced), the detention and the person, the place's operator as the
actor's organisation, the address and user agent, the status and what happened.
"""

from __future__ import annotations

from core.records import record_label

from .access import client_ip

ACTOR_KIND = "handover_link"


def log_link_use(request, *, link, detention, status_code: int, outcome: str) -> None:
    from detentions.models import Detention, HandoverLink

    from .models import AccessLog

    # The record: the detention the link is for; a token that names no link: the link record,
    # "unknown" (the history page then says there is no such record).
    if detention is not None:
        record_model, record_id = record_label(Detention), str(detention.pk)
    else:
        record_model, record_id = record_label(HandoverLink), "unknown"

    label = f"one-time link {link.pk} ({link.sent_to})" if link is not None else "one-time link"
    marker = f"link:{link.pk}" if link is not None else "link:invalid"
    AccessLog.objects.create(
        actor_kind=ACTOR_KIND,
        actor_label=label[:200],
        user_id=None,
        api_key_id="",
        actor_organisation_id=link.request.place.organisation_id if link is not None else None,
        record_model=record_model,
        record_id=record_id,
        record_organisation_id=detention.organisation_id if detention is not None else None,
        person_id=detention.person_id if detention is not None else None,
        channel=AccessLog.Channel.PAGE,
        method=request.method,
        path=f"/handover/link/{marker}/",
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        status_code=status_code,
        outside_normal_roles=False,
        reason=f"one-time handover link: {outcome}"[:2000],
    )
