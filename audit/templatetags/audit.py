from django import template

from accounts.principal import principal_of
from audit import history
from audit.policy import may_read_history

register = template.Library()


@register.inclusion_tag("audit/_history_link.html", takes_context=True)
def history_link(context, obj, text=None):
    """`{% load audit %}{% history_link detention %}`: a link to the record's history, shown
    where the history policy (audit/policy.py) would open it."""
    request = context.get("request")
    model = type(obj)
    label = history.label_of(model)
    show = request is not None and bool(may_read_history(principal_of(request), model, obj.pk))
    return {"show": show, "label": label, "pk": obj.pk, "record": str(obj), "text": text}
