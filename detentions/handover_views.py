"""Pages for A4 as a request and its answer (detentions/handover.py).

- `request_view`: the detaining force asks health staff to take over (policy `request_handover`).
- `answer_view`: health staff of the place where the person is now accept (whether police must
  stay, and why) or decline (why); `quick_accept` does it in one step from the place's "People
  here now"; `release_view` says police who had to stay may now leave (policy `answer_handover`).
- `link_view`: the same answer without an account, through a one-time link sent to the place's
  shared inbox. No sign-in: the signed token is the credential. Every hit, used or refused, is
  written to the access log (installed by audit, `use_link_access_log`) and counted against the
  caller's address (`HANDOVER_LINK["RATE"]` per `RATE_WINDOW`, in the cache shared by every
  worker); a refused use of a real link counts towards its lock (`MAX_REFUSED_USES`).
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.principal import principal_of
from core.actor import SYSTEM, Actor, acting_as
from core.cache import CACHE_ERRORS, warn_cache_down

from . import handover as service
from . import policy
from .errors import RuleViolation
from .handover_forms import ACCEPT, HandoverAnswerForm, HandoverRequestForm, QuickAcceptForm
from .models import Detention, HandoverRequest

log = logging.getLogger(__name__)

# --- The access log for links, installed by audit (a higher app) ------------------------------

_link_loggers: list = []


def use_link_access_log(logger) -> None:
    """audit installs `logger(request, *, link, detention, status_code, outcome)`."""
    if logger not in _link_loggers:
        _link_loggers.append(logger)


def _log_link(request, *, link, status_code, outcome) -> None:
    detention = link.request.detention if link is not None else None
    for logger in _link_loggers:
        logger(request, link=link, detention=detention, status_code=status_code, outcome=outcome)


# --- What the detention page and the board show ----------------------------------------------


def attach_latest_requests(detentions) -> None:
    """Sets `handover_request` (the latest, or None) on each detention: one query."""
    ids = [d.pk for d in detentions]
    latest = {}
    if ids:
        for h in (
            HandoverRequest.objects.filter(detention_id__in=ids)
            .order_by("detention_id", "-requested_at", "-id")
            .distinct("detention_id")
        ):
            latest[h.detention_id] = h
    for d in detentions:
        d.handover_request = latest.get(d.pk)


def section(request, d) -> dict | None:
    """The detention page's "Handover to health staff": the latest request's state and what
    this user may do next (from the policy). None where a handover is not asked for."""
    requests = list(d.handover_requests.all())  # prefetched, newest first
    latest = requests[0] if requests else None
    place = d.current_place_of_safety
    if latest is None and (d.ended_at or place is None or not place.is_health_based):
        return None
    handed_over = getattr(d, "handover", None) is not None if hasattr(d, "handover") else False
    if latest is None and handed_over:
        return None  # recorded directly (the timeline says by whom)
    allowed = policy.actions_for(principal_of(request), d)
    running = d.ended_at is None
    return {
        "latest": latest,
        "earlier": requests[1:],
        "can_request": running
        and "request_handover" in allowed
        and not handed_over
        and (latest is None or latest.state == HandoverRequest.State.DECLINED)
        and place is not None
        and place.is_health_based
        and not d.in_transfer_to_id,
        "can_answer": running
        and "answer_handover" in allowed
        and latest is not None
        and latest.is_open,
        "can_release": running
        and "answer_handover" in allowed
        and latest is not None
        and latest.state == HandoverRequest.State.ACCEPTED
        and latest.police_must_stay
        and latest.police_released_at is None,
    }


# --- Signed-in pages ---------------------------------------------------------------------------


def _own_name(user) -> str:
    return str(user)


def _detention(request, pk, action) -> Detention:
    actor = principal_of(request)
    policy.permitted(actor, action).enforce()  # the role first (403)
    detention = get_object_or_404(
        policy.visible_detentions(actor).select_related(
            "person", "current_place_of_safety", "in_transfer_to"
        ),
        pk=pk,
    )  # then visibility (404)
    policy.may(actor, action, detention, visible=True).enforce()  # then the relation (403)
    return detention


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@require_http_methods(["GET", "POST"])
def request_view(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    d = _detention(request, pk, "request_handover")
    form = HandoverRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.request_handover(
                d, note=form.cleaned_data["note"], requested_by_name=_own_name(request.user)
            )
        except RuleViolation as exc:
            form.add_violations(exc)
        else:
            messages.success(request, _("Handover requested. Health staff have been told."))
            return redirect("detention-detail", d.pk)
    return render(
        request,
        "detentions/handover_request.html",
        {"d": d, "form": form, "waiting": service.open_request(d)},
    )


def _answer(form, hreq, *, name, link=None, via=""):
    cd = form.cleaned_data
    if cd["decision"] == ACCEPT:
        return service.accept_handover(
            hreq,
            received_by=name,
            police_must_stay=form.must_stay,
            stay_reason=cd.get("stay_reason") or "",
            link=link,
            via=via,
        )
    return service.decline_handover(
        hreq, reason=cd.get("decline_reason") or "", declined_by=name, link=link, via=via
    )


def _answered_message(hreq) -> str:
    if hreq.state == HandoverRequest.State.DECLINED:
        return _("Handover declined. The officers have been told.")
    if hreq.police_must_stay:
        return _("Handover accepted; police must stay. The officers have been told.")
    return _("Handover accepted; police may leave. The officers have been told.")


@never_cache
@require_http_methods(["GET", "POST"])
def answer_view(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    d = _detention(request, pk, "answer_handover")
    hreq = service.open_request(d)
    initial = {"received_by": _own_name(request.user)}
    form = HandoverAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and hreq is not None and form.is_valid():
        try:
            hreq = _answer(form, hreq, name=form.cleaned_data["received_by"])
        except RuleViolation as exc:
            form.add_violations(exc)
        else:
            messages.success(request, _answered_message(hreq))
            return redirect(_safe_next(request, d.get_absolute_url()))
    return render(
        request,
        "detentions/handover_answer.html",
        {"d": d, "hreq": hreq, "form": form, "next": _safe_next(request, "")},
    )


@never_cache
@require_POST
def quick_accept(request, pk):
    """Accept in one step from the place's "People here now" (errors: the full answer page)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    d = _detention(request, pk, "answer_handover")
    hreq = service.open_request(d)
    quick = QuickAcceptForm(request.POST)
    data = {
        "decision": ACCEPT,
        "received_by": _own_name(request.user),
        "police_must_stay": request.POST.get("police_must_stay", ""),
        "stay_reason": request.POST.get("stay_reason", ""),
    }
    form = HandoverAnswerForm(data)
    if hreq is not None and quick.is_valid() and form.is_valid():
        try:
            hreq = _answer(form, hreq, name=data["received_by"])
        except RuleViolation as exc:
            form.add_violations(exc)
        else:
            messages.success(request, _answered_message(hreq))
            return redirect(_safe_next(request, d.get_absolute_url()))
    return render(
        request,
        "detentions/handover_answer.html",
        {"d": d, "hreq": hreq, "form": form, "next": _safe_next(request, "")},
    )


@never_cache
@require_POST
def release_view(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    d = _detention(request, pk, "answer_handover")
    hreq = service.latest_request(d)
    if hreq is None:
        return redirect(d.get_absolute_url())
    try:
        service.release_police(hreq)
    except RuleViolation as exc:
        messages.error(request, "; ".join(v.message for v in exc.violations))
    else:
        messages.success(request, _("Police released. The officers may leave."))
    return redirect(_safe_next(request, d.get_absolute_url()))


# --- The one-time link ---------------------------------------------------------------------------


def _client_ip(request) -> str:
    """The caller's address, as the access log takes it (behind a proxy that sets it, the first
    X-Forwarded-For address when `HARBOUR_AUDIT["TRUST_X_FORWARDED_FOR"]`)."""
    from django.conf import settings

    if getattr(settings, "HARBOUR_AUDIT", {}).get("TRUST_X_FORWARDED_FOR"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.split(",")[0].strip():
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or "unknown"


def _rate_limited(request) -> bool:
    """True when this address has hit link pages more than RATE times in RATE_WINDOW."""
    cfg = service.link_settings()
    window = int(cfg["RATE_WINDOW"].total_seconds())
    key = f"handover-link-rate:{_client_ip(request)}"
    try:
        cache.add(key, 0, timeout=window)
        hits = cache.incr(key)
    except CACHE_ERRORS as exc:
        warn_cache_down("handover link rate limit", exc)
        return False
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        hits = 1
    return hits > cfg["RATE"]


def _link_actor(link) -> Actor:
    return Actor(
        kind=SYSTEM,
        # i18n-ignore: an actor's label kept in the history (an identifier), not translated
        label=f"one-time link {link.pk}",
        organisation_id=link.request.place.organisation_id,
        triggered_by=link.sent_to,
    )


def _refused(request, link, code, status):
    _log_link(request, link=link, status_code=status, outcome=f"refused: {code}")
    if link is not None:
        service.count_refused_use(link)
    response = render(
        request,
        "detentions/handover_link_refused.html",
        {
            "message": service.LINK_MESSAGES.get(
                code, service.LINK_MESSAGES["handover_link_invalid"]
            )
        },
        status=status,
    )
    return response


REFUSAL_STATUS = {
    "handover_link_invalid": 404,
    "handover_link_used": 410,
    "handover_link_expired": 410,
    "handover_link_locked": 410,
    "handover_already_answered": 410,
    "detention_ended": 410,
}


@never_cache
@require_http_methods(["GET", "POST"])
def link_view(request, token):
    if _rate_limited(request):
        _log_link(request, link=None, status_code=429, outcome="refused: rate_limited")
        return render(
            request,
            "detentions/handover_link_refused.html",
            {"message": _("Too many tries from this address. Wait a few minutes and try again.")},
            status=429,
        )
    link = service.link_from_token(token)
    if link is None:
        return _refused(request, None, "handover_link_invalid", 404)
    now = timezone.now()
    refusal = service.link_refusal(link, now)
    if refusal is not None:
        return _refused(request, link, refusal, REFUSAL_STATUS[refusal])
    hreq = link.request
    form = HandoverAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with acting_as(_link_actor(link)):
                    hreq = _answer(form, hreq, name=form.cleaned_data["received_by"], link=link)
            except RuleViolation as exc:
                form.add_violations(exc)
            else:
                _log_link(request, link=link, status_code=200, outcome=f"used: {hreq.state}")
                return render(
                    request,
                    "detentions/handover_link_done.html",
                    {"hreq": hreq, "message": _answered_message(hreq)},
                )
        status = 400  # a form error is logged, not counted against the link
        _log_link(request, link=link, status_code=400, outcome="refused: form errors")
    else:
        _log_link(request, link=link, status_code=200, outcome="opened")
    return render(
        request,
        "detentions/handover_link.html",
        {"hreq": hreq, "d": hreq.detention, "form": form, "link": link},
        status=status,
    )
