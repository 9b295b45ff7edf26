from django import template

from accounts.permissions import Perm, has_perm
from audit import history

register = template.Library()


@register.inclusion_tag("audit/_history_link.html", takes_context=True)
def history_link(context, obj, text=None):
    """`{% load audit %}{% history_link detention %}`: a link to the record's history, for users
    who may see it (auditors, or the record's view permission; the page checks the organisation)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    model = type(obj)
    label = history.label_of(model)
    perm = history.view_perm_for(model)
    show = user is not None and (
        has_perm(user, Perm.VIEW_AUDIT) or (perm is not None and has_perm(user, perm))
    )
    return {"show": show, "label": label, "pk": obj.pk, "record": str(obj), "text": text}
