"""The rule engine's words, ready to be translated where they are shown (issue 23).

`law` imports no Django, so it cannot translate. It writes English and marks each message:
- a fixed sentence or label with `gettext_noop("...")` (read by makemessages, returns the text);
- a sentence with values (times, names, numbers) as `Text(gettext_noop("... %(name)s ..."),
  name=value)`: a `str` holding the English sentence (so every existing use of a message keeps
  working) that also remembers its template and values. A door (`core.law_text.message`)
  translates the template and formats the values in the reader's language (a time in Welsh
  month names, a label through the catalogue).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def gettext_noop(message: str) -> str:
    """Marks `message` for translation without translating it."""
    return message


def fmt(instant: datetime) -> str:
    """An instant for a message, in UK time with its zone (officers read local time):
    "29 Mar 2026 03:30 BST". Only the presentation is local; every computation is on UTC."""
    local = instant.astimezone(UTC).astimezone(LONDON)
    pattern = "%d %b %Y %H:%M:%S %Z" if local.second or local.microsecond else "%d %b %Y %H:%M %Z"
    return local.strftime(pattern)


def english(value: object) -> object:
    """A value as the English sentence shows it."""
    if isinstance(value, datetime):
        return fmt(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(english(v)) for v in value)
    return value


class Text(str):
    """An English sentence built from a marked template and its values."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        sentence = template % {k: english(v) for k, v in params.items()} if params else template
        self = super().__new__(cls, sentence)
        self.template = template
        self.params = params
        return self

    def __reduce__(self):
        return (_text, (self.template, self.params))


def _text(template: str, params: dict) -> Text:
    return Text(template, **params)
