"""The home page's panel for administrators (core/attention.py): their organisation's
accounts and API keys in use, with the way to manage them. Two counts: two queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from core import attention

from .models import ApiKey, Membership
from .permissions import Perm


def organisation(actor, user, now):
    if not actor.has_perm(Perm.MANAGE_ORGANISATION) or actor.organisation_id is None:
        return None
    people = Membership.objects.filter(
        organisation_id=actor.organisation_id, user__is_active=True
    ).count()
    keys = ApiKey.objects.filter(organisation_id=actor.organisation_id, revoked=False).count()
    return attention.Panel(
        key="organisation",
        title=gettext_lazy("Your organisation"),
        count=people,
        summary=ngettext("%(n)d person has an account", "%(n)d people have accounts", people)
        % {"n": people},
        items=[
            attention.Item(
                text=ngettext("%(n)d API key in use", "%(n)d API keys in use", keys) % {"n": keys},
                url=reverse("api-keys"),
            )
        ],
        # Accounts are managed in the administration site (staff only).
        link_url=reverse("admin:index") if user.is_staff else None,
        link_text=gettext_lazy("Administration"),
    )


def install() -> None:
    attention.register("organisation", organisation, order=60)
