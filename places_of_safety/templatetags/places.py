from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value):
    """A timedelta as "2 hours 5 minutes" (whole minutes; "less than a minute" under 60 s)."""
    if not isinstance(value, timedelta):
        return ""
    minutes = int(abs(value).total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


@register.filter
def since(value, now):
    """The time between `value` (an instant) and `now`."""
    if value is None or now is None:
        return None
    return now - value


STATUS_TAGS = {"open": "govuk-tag--green", "full": "govuk-tag--red", "closed": "govuk-tag--grey"}


@register.filter
def status_tag_class(status):
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def status_label(status):
    from places_of_safety.models import PlaceStatus

    try:
        return PlaceStatus(status).label
    except ValueError:
        return status or _("Not recorded")
