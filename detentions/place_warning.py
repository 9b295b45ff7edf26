"""A warning before an arrival at a place of safety that is full or closed (issue 19).

An arrival is a fact: it is recorded even at a full or closed place (the status at arrival is
kept with it, `DetentionArrival.place_status_at_arrival`, and the places board flags it). But
the officer is told first, on the page where they choose the place, and asked to confirm: the
start questions (`start_flow.py`) and the arrival, transfer and transfer-arrival forms. The
warning never refuses: once confirmed, the arrival goes to the service as before.

The confirmation is `place_warning_confirmed=<the place's id>`, so choosing another place asks
again; `place_warning_shown=<id>` tells a second submission without the box ticked (an error)
from the first time the warning appears (a question, not yet an error).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from detentions import selectors
from places_of_safety.models import FLAGGED_STATUSES, PlaceOfSafety, PlaceStatus

CONFIRM_FIELD = "place_warning_confirmed"
SHOWN_FIELD = "place_warning_shown"


def flag(place) -> dict | None:
    """The warning for `place` when it is full or closed now, else None."""
    if place is None:
        return None
    annotated = (
        selectors.with_occupancy(PlaceOfSafety.objects.filter(pk=place.pk))
        .values("occupancy", "effective_status", "capacity")
        .first()
    )
    if annotated is None or annotated["effective_status"] not in FLAGGED_STATUSES:
        return None
    status = annotated["effective_status"]
    counts = {"place": place.name, "n": annotated["occupancy"], "c": annotated["capacity"]}
    if status == PlaceStatus.CLOSED:
        text = _("%(place)s is closed.") % counts
        confirm = _("Record the arrival at %(place)s although it is closed") % counts
    else:
        if annotated["occupancy"] >= annotated["capacity"]:
            text = _("%(place)s is full: %(n)s of %(c)s places are in use.") % counts
        else:
            text = (
                _(
                    "%(place)s is full: its staff say they cannot take anyone more "
                    "(%(n)s of %(c)s places are in use)."
                )
                % counts
            )
        confirm = _("Record the arrival at %(place)s although it is full") % counts
    return {
        "place": place,
        "status": status,
        "text": text,
        "confirm": confirm,
        "occupancy": annotated["occupancy"],
        "capacity": annotated["capacity"],
    }


def confirmed(data, place) -> bool:
    """Whether the user ticked the confirmation for this place (`data`: a QueryDict or dict)."""
    return place is not None and str(data.get(CONFIRM_FIELD) or "") == str(place.pk)


def check(data, place) -> dict | None:
    """The warning context to show (the page must not save yet), or None to go ahead."""
    warning = flag(place)
    if warning is None or confirmed(data, place):
        return None
    if str(data.get(SHOWN_FIELD) or "") == str(place.pk):
        warning["error"] = _(
            "Tick the box to confirm that they are at %(place)s although it is %(status)s, "
            "or choose another place of safety"
        ) % {"place": place.name, "status": str(PlaceStatus(warning["status"]).label).lower()}
    return warning


class PlaceWarningMixin:
    """For `EventView`s that take the person to a place: `warned_place(form)` is the place the
    form's answers name; `place_warning(form)` the warning to show before saving."""

    def warned_place(self, form):  # pragma: no cover - every user defines it
        raise NotImplementedError

    def place_warning(self, form):
        return check(self.request.POST, self.warned_place(form))
