"""The open-alert count in the header of every page."""

from functools import cache

from accounts.permissions import Perm, has_perm


def open_alerts(request):
    """`open_alert_count`: the unacknowledged, unclosed alerts of the user's inbox (the same
    query as the inbox's "Open" list, its statement compiled once per organisation and roles:
    `alerts.policy.open_inbox_count`). Lazy: evaluated (one COUNT) only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_perm(user, Perm.VIEW_ALERTS):
        return {}
    membership = getattr(user, "membership", None)
    if membership is None:
        return {}

    @cache
    def count():
        from .policy import open_inbox_count

        return open_inbox_count(user)

    # A callable: the template calls it (once, cached) only where the header shows it.
    return {"open_alert_count": count}
