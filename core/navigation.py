"""The service menu and the home page's links, filtered by what the user may do.

Apps add entries with `register(...)`; an entry whose URL does not exist (yet) is skipped.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Perm, has_perm


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    title: str | Promise
    description: str | Promise
    perm: Perm | None
    in_menu: bool = True
    order: int = 100


ENTRIES: list[NavEntry] = []


def register(url_name, title, description, perm, *, in_menu=True, order=100):
    ENTRIES.append(NavEntry(url_name, title, description, perm, in_menu, order))


def entries_for(user):
    out = []
    for e in sorted(ENTRIES, key=lambda e: e.order):
        if callable(e.perm):  # a policy's answer (e.g. only police forces start detentions)
            if not e.perm(user):
                continue
        elif e.perm is not None and not has_perm(user, e.perm):
            continue
        if e.perm is None and not user.is_staff:
            continue
        try:
            url = reverse(e.url_name)
        except NoReverseMatch:
            continue
        out.append(
            {"title": e.title, "description": e.description, "url": url, "in_menu": e.in_menu}
        )
    return out


def nav_items(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [{"title": _("Home"), "url": reverse("home")}] + [
        e for e in entries_for(user) if e["in_menu"]
    ]
    for item in items:
        item["active"] = request.path == item["url"] or (
            item["url"] != "/" and request.path.startswith(item["url"])
        )
    return {"nav_items": items}


register(
    "admin:index",
    _("Administration"),
    _("Organisations, users, places of safety, NPUs and API keys."),
    None,
    in_menu=False,
    order=900,
)
register(
    "api-docs",
    _("API documentation"),
    _("The partner REST API and its OpenAPI schema."),
    Perm.MANAGE_ORGANISATION,
    in_menu=False,
    order=950,
)
