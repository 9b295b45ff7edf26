"""Pages: the live availability board, its refreshable fragment, a place's page and its status form.

Every page is for users with `places.view`. Counts on the board are visible to all of them; who is
at a place is shown only to the place's operator and to the detaining force."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, perm_required
from accounts.principal import resolve

from . import occupancy, services
from .forms import BoardFilterForm, StatusForm
from .models import FLAGGED_STATUSES, PlaceOfSafety, PlaceStatus
from .policy import may_see_occupant, may_set_status

DEFAULT_REFRESH_SECONDS = 15


def _viewer_organisation_id(user):
    return resolve(user).organisation_id


def _refresh_seconds(request) -> int:
    try:
        value = int(request.GET.get("refresh", DEFAULT_REFRESH_SECONDS))
    except (TypeError, ValueError):
        return DEFAULT_REFRESH_SECONDS
    return min(max(value, 2), 300)


def _board_context(request):
    form = BoardFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    places = (
        PlaceOfSafety.objects.filter(active=True)
        .for_board()
        .select_related("organisation")
        .order_by("name", "pk")
    )
    if filters.get("under_18"):
        places = places.filter(accepts_under_18=True)
    if filters.get("open_now"):
        places = places.filter(effective_status="open")
    places = list(places)
    no_destination = occupancy.selectors().without_destination()
    state = "|".join(
        f"{p.pk}:{p.effective_status}:{p.declared_status}:{p.occupancy}:{p.in_transit}:"
        f"{p.flagged_occupants}:{p.status_updated_at and p.status_updated_at.timestamp()}"
        for p in places
    )
    state = hashlib.sha256(f"{state}|{no_destination}".encode()).hexdigest()[:16]
    query = request.GET.copy()
    query.pop("refresh", None)
    counts = {
        s: sum(1 for p in places if p.effective_status == s) for s in ("open", "full", "closed")
    }
    return {
        "form": form,
        "places": places,
        "counts": counts,
        "no_destination": no_destination,
        "state": state,
        "now": timezone.now(),
        "query": query.urlencode(),
        "refresh_seconds": _refresh_seconds(request),
        "filtered": bool(filters.get("under_18") or filters.get("open_now")),
    }


@require_GET
@never_cache
@perm_required(Perm.VIEW_PLACES)
def board(request):
    return render(request, "places_of_safety/board.html", _board_context(request))


@require_GET
@never_cache
@perm_required(Perm.VIEW_PLACES)
def board_fragment(request):
    """The board's body alone, fetched by static/js/places_board.js every few seconds."""
    return render(request, "places_of_safety/_board.html", _board_context(request))


def _occupants(place, viewer_org_id, now):
    rows = occupancy.selectors().occupants(place)
    out = []
    for d in rows:
        by_transfer = d.transfer_arrived_at is not None
        arrival = getattr(d, "arrival", None)
        status_at_arrival = (
            arrival.place_status_at_arrival if arrival is not None and not by_transfer else ""
        )
        handover = getattr(d, "handover", None)
        handed_over_at = handover.handed_over_at if handover else None
        officer_until = (
            handed_over_at if handed_over_at and handed_over_at >= d.arrived_here_at else now
        )
        due = d.handover_due_at
        out.append(
            {
                "detention": d,
                "visible": may_see_occupant(viewer_org_id, place, d),
                "url": d.get_absolute_url(),
                "arrived_at": d.arrived_here_at,
                "by_transfer": by_transfer,
                "status_at_arrival": status_at_arrival,
                "flagged": status_at_arrival in FLAGGED_STATUSES,
                "handover": handover,
                "handover_due_at": due if place.is_health_based else None,
                "handover_overdue": bool(
                    place.is_health_based and due and not handover and now > due
                ),
                "handover_remaining": (due - now) if due and now <= due else None,
                "handover_overdue_by": (now - due) if due and now > due else None,
                "officer_time": officer_until - d.arrived_here_at,
                "officer_time_final": officer_until is not now,
                # Issue 19: staff see who is here and how long is left (the detaining force
                # and the operator only: `visible`), and a waiting handover (A4).
                "expires_at": d.expires_at,
                "time_left": (d.expires_at - now) if d.expires_at and d.expires_at > now else None,
                "past_limit": bool(d.expires_at and d.expires_at <= now),
                "handover_requested_at": d.handover_requested_at,
            }
        )
    return out


def _incoming(place, viewer_org_id):
    rows = occupancy.selectors().incoming(place)
    return [
        {
            "detention": d,
            "visible": may_see_occupant(viewer_org_id, place, d),
            "url": d.get_absolute_url(),
        }
        for d in rows
    ]


def _place_context(request, place, form=None):
    now = timezone.now()
    viewer_org_id = _viewer_organisation_id(request.user)
    can_set = may_set_status(request.user, place)
    flagged_arrivals = occupancy.selectors().flagged_arrivals(place, FLAGGED_STATUSES, 20)
    return {
        "place": place,
        "now": now,
        "occupants": _occupants(place, viewer_org_id, now),
        "incoming": _incoming(place, viewer_org_id),
        "history": list(place.status_changes.select_related("set_by")[:50]),
        "flagged_arrivals": [
            {
                "arrival": a,
                "visible": may_see_occupant(viewer_org_id, place, a.detention),
                "url": a.detention.get_absolute_url(),
            }
            for a in flagged_arrivals
        ],
        "can_set_status": can_set,
        "form": form
        if form is not None
        else (
            StatusForm(initial={"status": place.declared_status, "reason": place.status_reason})
            if can_set
            else None
        ),
        "handover_target": settings.HARBOUR.get("HANDOVER_TARGET", timedelta(hours=1)),
        # A4: health staff of the operator answer a waiting handover here in one step (the
        # detentions policy decides again on the POST).
        "may_answer_handover": viewer_org_id == place.organisation_id
        and request.user.has_perm(Perm.RECORD_ASSESSMENT),
    }


def _get_place(pk):
    return get_object_or_404(
        PlaceOfSafety.objects.for_board().select_related("organisation", "status_updated_by"),
        pk=pk,
    )


@require_GET
@perm_required(Perm.VIEW_PLACES)
def place_detail(request, pk):
    place = _get_place(pk)
    return render(request, "places_of_safety/place_detail.html", _place_context(request, place))


@require_POST
@perm_required(Perm.VIEW_PLACES)
def place_set_status(request, pk):
    place = _get_place(pk)
    if not may_set_status(request.user, place):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(
                place,
                form.cleaned_data["status"],
                form.cleaned_data["reason"],
                actor_user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("reason" if field == "status_reason" else "status", errors)
        else:
            messages.success(
                request,
                _("%(place)s is now recorded as %(status)s.")
                % {
                    "place": place.name,
                    "status": str(PlaceStatus(form.cleaned_data["status"]).label).lower(),
                },
            )
            return redirect("places_of_safety:detail", pk=place.pk)
    context = _place_context(request, place, form=form)
    return render(request, "places_of_safety/place_detail.html", context)
