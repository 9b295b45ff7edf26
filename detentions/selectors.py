"""Reads about detentions asked by other apps: how full each place of safety is and who is
there (installed into places_of_safety.occupancy by IncidentsConfig.ready; the detention forms
use them directly). Queries only: nothing here writes."""

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from places_of_safety.models import FLAGGED_STATUSES, PlaceOfSafety, PlaceStatus

from .models import Detention, DetentionArrival, HandoverRequest, Transfer


def _count(queryset, group_by: str):
    """A correlated `COUNT(*)` subquery (0 when there are no rows): no joins, no GROUP BY outside."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=models.Count("pk")).values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


def _at_place(place):
    return Detention.objects.filter(
        current_place_of_safety=place, ended_at__isnull=True, status="at_place_of_safety"
    )


def with_occupancy(places):
    """Annotates `occupancy` (active detentions at the place now) and `effective_status`
    (`full` whenever occupancy >= capacity, otherwise the declared status), both in SQL so
    that they can be filtered and ordered on in the database."""
    return places.annotate(
        occupancy=_count(_at_place(OuterRef("pk")), "current_place_of_safety"),
        effective_status=models.Case(
            models.When(occupancy__gte=F("capacity"), then=models.Value(PlaceStatus.FULL)),
            default=F("declared_status"),
            output_field=models.CharField(),
        ),
    )


def effective_status(place) -> str:
    """`full` whenever occupancy >= capacity, otherwise what staff declared (one query unless the
    place was loaded through `with_occupancy()`)."""
    annotated = getattr(place, "effective_status", None)
    if annotated is not None:
        return annotated
    return (
        with_occupancy(PlaceOfSafety.objects.filter(pk=place.pk))
        .values_list("effective_status", flat=True)
        .get()
    )


def for_board(places):
    """`with_occupancy()` plus `in_transit` (transfers under way towards the place) and
    `flagged_occupants` (people there now who arrived while it was full or closed)."""
    incoming = Detention.objects.filter(in_transfer_to=OuterRef("pk"), ended_at__isnull=True)
    flagged = _at_place(OuterRef("pk")).filter(
        arrival__place=OuterRef("pk"),
        arrival__place_status_at_arrival__in=FLAGGED_STATUSES,
        transfers__isnull=True,
    )
    return with_occupancy(places).annotate(
        in_transit=_count(incoming, "in_transfer_to"),
        flagged_occupants=_count(flagged, "current_place_of_safety"),
    )


def occupants(place):
    """The detentions at the place now, earliest arrival here first, with `arrived_here_at`
    (by transfer, else on arrival), `transfer_arrived_at` (None unless by transfer) and
    `handover_requested_at` (a handover request waiting for the place's staff, else None)."""
    arrived_by_transfer = Transfer.objects.filter(
        detention=OuterRef("pk"), to_place=place, arrived_at__isnull=False
    ).order_by("-arrived_at", "-pk")
    waiting = HandoverRequest.objects.filter(
        detention=OuterRef("pk"), state=HandoverRequest.State.REQUESTED
    )
    return (
        _at_place(place)
        .select_related("arrival", "handover", "person")
        .annotate(
            transfer_arrived_at=Subquery(arrived_by_transfer.values("arrived_at")[:1]),
            arrived_here_at=Coalesce(F("transfer_arrived_at"), F("arrival__arrived_at")),
            # A4: the handover request waiting for the place's health staff, if any.
            handover_requested_at=Subquery(waiting.values("requested_at")[:1]),
        )
        .order_by("arrived_here_at", "pk")
    )


def incoming(place):
    """Active detentions in transfer towards the place, with `departed_at` and
    `from_place_name`, earliest departure first."""
    under_way = Transfer.objects.filter(
        detention=OuterRef("pk"), to_place=place, arrived_at__isnull=True
    ).order_by("-departed_at", "-pk")
    return (
        Detention.objects.filter(in_transfer_to=place, ended_at__isnull=True)
        .annotate(
            departed_at=Subquery(under_way.values("departed_at")[:1]),
            from_place_name=Subquery(under_way.values("from_place__name")[:1]),
        )
        .order_by("departed_at", "pk")
    )


def flagged_arrivals(place, statuses=FLAGGED_STATUSES, limit=20):
    """The latest arrivals at the place while its status was one of `statuses`."""
    return list(
        DetentionArrival.objects.filter(place=place, place_status_at_arrival__in=statuses)
        .select_related("detention")
        .order_by("-arrived_at", "-pk")[:limit]
    )


def without_destination() -> int:
    """Detentions in transit with no destination recorded."""
    return Detention.objects.filter(
        ended_at__isnull=True, status="in_transit", in_transfer_to__isnull=True
    ).count()
