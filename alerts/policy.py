"""Who may see alerts: the organisations they are addressed to, and those that can see the
detention or referral an alert is about (`AlertQuerySet.visible_to_organisation`)."""

from accounts.principal import resolve
from core.policy import ALLOW, Decision, deny, organisation_visible, register
from core.statements import actor_of_shape, actor_shape, cached_count

from .models import Alert

visible_alerts = organisation_visible(lambda: Alert.objects.all())


def alerts_of_organisation(organisation_id):
    """What an organisation sees (webhooks ask it for each subscribed organisation)."""
    if organisation_id is None:
        return Alert.objects.none()
    return Alert.objects.visible_to_organisation(organisation_id)


def inbox_alerts(user):
    """The alerts a user's inbox lists: the inbox and the header's open count ask this one
    query, so the count in the header is the number of open alerts in the inbox."""
    return visible_alerts(resolve(user))


def _open_inbox(shape):
    """The inbox's "Open" list (`inbox_alerts(user).open()`) for an actor of this shape."""
    return visible_alerts(actor_of_shape(shape)).open()


_open_inbox_count = cached_count(_open_inbox)


def open_inbox_count(user) -> int:
    """The header's count: `inbox_alerts(user).open().count()`, its statement built once per
    actor shape (organisation, roles...: core/statements.py) and re-run on every page. Building
    it (six nested EXISTS) cost more than running it. The build reads neither the database nor
    the clock; of its parameters only the organisation's id differs between organisations
    (tests/alerts/test_header_count.py)."""
    return _open_inbox_count(actor_shape(resolve(user)))


register("alerts.alert", visible_alerts)


# --- How each person is told (ChannelPreference) ----------------------------------------------


def visible_channel_preferences(actor):
    """A person sees their own; an organisation's administrators (MANAGE_ORGANISATION) see
    those of its members (the admin); nobody else any."""
    from accounts.permissions import Perm

    from .models import ChannelPreference

    qs = ChannelPreference.objects.all()
    if not actor.is_user or actor.user is None:
        return qs.none()
    if actor.has_perm(Perm.MANAGE_ORGANISATION) and actor.organisation_id is not None:
        return qs.filter(user__membership__organisation_id=actor.organisation_id)
    return qs.filter(user=actor.user)


def administers_channels(actor) -> bool:
    """Sets the channels of their organisation's members (the admin)."""
    from accounts.permissions import Perm

    return actor.is_user and actor.has_perm(Perm.MANAGE_ORGANISATION)


def may_set_channels(actor, user) -> Decision:
    """A signed-in person sets their own channels; an administrator those of the members of
    their organisation (in the admin)."""
    from accounts.permissions import Perm

    if not actor.is_user or actor.user is None:
        return deny()
    if actor.user.pk == user.pk:
        return ALLOW
    membership = getattr(user, "membership", None)
    if (
        actor.has_perm(Perm.MANAGE_ORGANISATION)
        and membership is not None
        and membership.organisation_id == actor.organisation_id
    ):
        return ALLOW
    return deny()


register("alerts.channelpreference", visible_channel_preferences)
