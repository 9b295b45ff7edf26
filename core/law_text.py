"""The rule engine's words in the reader's language (issue 23).

`law` imports no Django: its rule titles, explanations and messages are English, marked with
`law.text.gettext_noop`; a message with values is a `law.text.Text` that keeps its template and
values. They are translated here, where pages, emails and the API show them.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

import law


def rule_title(rule: str) -> str:
    return gettext(law.rule_title(rule))


def rule_explanation(rule: str) -> str:
    return gettext(law.rule_explanation(rule))


def _english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def _time(value: datetime) -> str:
    local = timezone.localtime(value)
    pattern = "j M Y H:i:s T" if local.second or local.microsecond else "j M Y H:i T"
    return formats.date_format(local, pattern)


def _label(text: str) -> str:
    """A marked word or phrase (`law.text.gettext_noop`), also when the engine changed the case
    of its first letter ("The arrival" / "the arrival")."""
    found = gettext(text)
    if found != text or not text:
        return found
    first = text[:1]
    other = (first.lower() if first.isupper() else first.upper()) + text[1:]
    found = gettext(other)
    if found == other:
        return text
    return (found[:1].upper() if first.isupper() else found[:1].lower()) + found[1:]


def _value(value):
    if isinstance(value, datetime):
        return _time(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(_value(v)) for v in value)
    if isinstance(value, str):
        return message(value)
    return value


def message(text):
    """A rule engine message (or a label) in the active language; English as the engine wrote
    it. A message the catalogue does not have stays as it is."""
    if not text:
        return text
    if _english():
        return str(text)
    template = getattr(text, "template", None)
    if template is None:
        return _label(str(text))
    params = getattr(text, "params", {}) or {}
    return gettext(template) % {k: _value(v) for k, v in params.items()}
