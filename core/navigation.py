"""The service menu and the home page's links, filtered by what the user may do.

Apps add entries with `register(...)` from their AppConfig.ready; every entry's URL name must
exist (a mistyped one fails the page loudly). An entry's `perm` is a permission name (`accounts.permissions.Perm`);
whether the user holds it is answered by the check the accounts app installs with
`use_permission_check` (core imports no app: docs/architecture.md "Layers").
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    title: str | Promise
    description: str | Promise
    perm: str | None
    in_menu: bool = True
    order: int = 100


ENTRIES: list[NavEntry] = []


def _refuse(user, perm) -> bool:
    return False


# `(user, perm) -> bool`; nothing is shown by permission until an app installs the check.
_has_perm: Callable[[object, str], bool] = _refuse


def use_permission_check(check: Callable[[object, str], bool]) -> None:
    """Installs how a user's permission is checked (accounts.apps installs `has_perm`)."""
    global _has_perm
    _has_perm = check


def register(url_name, title, description, perm, *, in_menu=True, order=100):
    ENTRIES.append(NavEntry(url_name, title, description, perm, in_menu, order))


def entries_for(user):
    out = []
    for e in sorted(ENTRIES, key=lambda e: e.order):
        if callable(e.perm):  # a policy's answer (e.g. only police forces start detentions)
            if not e.perm(user):
                continue
        elif e.perm is not None and not _has_perm(user, e.perm):
            continue
        if e.perm is None and not user.is_staff:
            continue
        out.append(
            {
                "title": e.title,
                "description": e.description,
                "url": reverse(e.url_name),
                "in_menu": e.in_menu,
            }
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
