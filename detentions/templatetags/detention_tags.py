"""Template helpers for the detention pages: GOV.UK form fields, UK times and countdowns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms, template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import law_text
from core.form_fields import AMBIGUOUS, DateOfBirthField, LocalDateTimeField

register = template.Library()
LONDON = ZoneInfo("Europe/London")


def _kind(bf) -> str:
    field, widget = bf.field, bf.field.widget
    if isinstance(field, LocalDateTimeField):
        return "datetime"
    if isinstance(field, DateOfBirthField):
        return "dob"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.NumberInput):
        return "number"
    return "text"


def _selected(bf) -> set[str]:
    value = bf.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    if hasattr(value, "pk"):
        return {str(value.pk)}
    return {str(value)}


@register.inclusion_tag("detentions/fields/field.html")
def field(bf, reveal="", width="", hint=None, options=None, label_size="s", autocomplete=""):
    """Renders a bound field the GOV.UK way.

    `reveal`: comma-separated option values that reveal `conditional-<name>-<value>` (GOV.UK
    conditional radios; the revealed blocks live in the page). `options`: a list of objects
    with `pk` (places) to add hints and a data-kind to each option."""
    kind = _kind(bf)
    reveals = {v for v in reveal.split(",") if v}
    hints = {}
    kinds = {}
    if options is not None:
        from detentions.forms import place_hint

        for obj in options:
            hints[str(obj.pk)] = place_hint(obj)
            kinds[str(obj.pk)] = getattr(obj, "kind", "")
    selected = _selected(bf)
    choices = []
    if kind in ("radios", "checkboxes", "select"):
        base = bf.auto_id
        for i, (value, label) in enumerate(bf.field.choices):
            value = str(getattr(value, "value", value))
            if kind != "select" and value == "":
                continue
            choices.append(
                {
                    "value": value,
                    "label": label,
                    "id": base if not choices else f"{base}-{len(choices) + 1}",
                    "checked": value in selected,
                    "hint": hints.get(value, ""),
                    "kind": kinds.get(value, ""),
                    "reveal": f"conditional-{bf.html_name}-{value}" if value in reveals else "",
                    "index": i,
                }
            )
    value = bf.value()
    needs_fold = False
    if kind == "datetime":
        value = bf.field.prepare_value(value) if not isinstance(value, dict) else value
        needs_fold = any(e.code == AMBIGUOUS for e in bf.errors.as_data()) or bool(
            (value or {}).get("fold")
        )
    elif kind == "dob":
        value = bf.field.prepare_value(value)
    return {
        "bf": bf,
        "kind": kind,
        "choices": choices,
        "value": "" if value is None else value,
        "width": width,
        "hint": bf.help_text if hint is None else hint,
        "needs_fold": needs_fold,
        "label_size": label_size,
        "autocomplete": autocomplete,
        "required": bf.field.required,
    }


@register.filter
def uk(value, fmt="j M Y, H:i T"):
    """An instant in UK time with its zone: '29 Mar 2026, 03:30 BST'."""
    if not value:
        return ""
    from django.utils.dateformat import format as dformat

    return dformat(value.astimezone(LONDON), fmt)


@register.filter
def uk_time(value):
    return uk(value, "H:i T")


@register.filter
def iso_utc(value):
    if not value:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def human_duration(delta: timedelta) -> str:
    seconds = int(abs(delta.total_seconds()))
    hours, rem = divmod(seconds, 3600)
    minutes = rem // 60
    if hours:
        return _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    return ngettext("%(m)s minute", "%(m)s minutes", minutes) % {"m": minutes}


@register.simple_tag
def left_text(target, now):
    """'3 h 12 min left' or '25 minutes overdue': the no-JavaScript text of a countdown."""
    if not target:
        return ""
    delta = target - now
    if delta.total_seconds() >= 0:
        return _("%(d)s left") % {"d": human_duration(delta)}
    return _("%(d)s overdue") % {"d": human_duration(delta)}


@register.simple_tag
def since_text(start, now):
    if not start:
        return ""
    return _("%(d)s since detention") % {"d": human_duration(now - start)}


@register.filter
def is_past(value, now):
    return bool(value) and value < now


def utcnow() -> datetime:
    return datetime.now(UTC)


@register.filter
def getfield(form, name):
    return form[name]


@register.filter
def law_message(text):
    """A rule engine message in the reader's language (core.law_text)."""
    return law_text.message(text)


@register.filter
def rule_why(rule):
    """The law behind a rule in plain words, for the "Why?" disclosure."""
    return law_text.rule_explanation(rule)
