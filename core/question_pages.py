"""Question pages and check your answers (the GOV.UK patterns), for any long form.

A flow is a list of `Step`s, each asking for a few fields of one ordinary Django form (the
form that would take every answer on one page). The answers are kept server-side, in the
user's session, as a *draft* keyed by a random id: two tabs make two drafts, and nothing is
saved to the record until the user confirms on the check-your-answers page. Each page
validates the whole form with the answers so far and shows only its own fields' errors; the
confirmation validates everything again (the draft is only what the user typed, never trusted
as clean), so a tampered or stale draft cannot bypass a rule.

- `Drafts(request, kind)`: create, read (expired after `QUESTION_DRAFT_MINUTES` untouched, or
  belonging to another user: gone), save and discard drafts.
- `merge(data, post, fields)`: the draft's answers with one page's answers replaced (a radio
  left unchosen or a box unticked removes the old answer).
- `restrict_errors(form, fields, extra)`: keeps only the errors of one page's fields.
- `Flow`: the order of the steps, which apply to the answers so far, where Continue and Back go.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.utils import timezone

#: At most this many drafts of one kind are kept in a session (the oldest is dropped).
MAX_DRAFTS = 10


def draft_minutes() -> int:
    return int(getattr(settings, "QUESTION_DRAFT_MINUTES", 120))


def raw_keys(name: str, data: Iterable[str]) -> list[str]:
    """The keys a field's widget reads: `name` and `name-day`, `name-time`... (date inputs)."""
    return [k for k in data if k == name or k.startswith(f"{name}-")]


def merge(data: dict[str, list[str]], post, fields: Iterable[str]) -> dict[str, list[str]]:
    """`data` with the answers to `fields` replaced by those in `post` (a QueryDict)."""
    out = {k: list(v) for k, v in data.items()}
    fields = list(fields)
    for name in fields:
        for key in raw_keys(name, list(out)):
            del out[key]
    for key, values in post.lists():
        if any(key == n or key.startswith(f"{n}-") for n in fields):
            out[key] = [str(v) for v in values]
    return out


def as_querydict(data: dict[str, list[str]]) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, values in data.items():
        q.setlist(key, list(values))
    return q


def value(data: dict[str, list[str]], name: str, default: str = "") -> str:
    values = data.get(name) or []
    return values[0] if values else default


def restrict_errors(form, fields: Iterable[str], extra: dict | None = None) -> None:
    """Leaves on `form` only the errors of `fields` (plus `extra`: messages kept from the
    confirmation, by field), so a page shows the problems of its own questions."""
    errors = form.errors  # validates the whole form once
    kept = ErrorDict()
    for name in fields:
        messages = list(errors.get(name, []))
        for message in (extra or {}).get(name, []):
            if message not in messages:
                messages.append(message)
        if messages:
            kept[name] = ErrorList(messages)
    form._errors = kept
    if hasattr(form, "cleaned_data"):
        for name in kept:
            form.cleaned_data.pop(name, None)


def clear_errors(form) -> None:
    """A page shown with its answers so far and no errors (the first visit, or Back)."""
    form._errors = ErrorDict()


@dataclass(frozen=True)
class Step:
    slug: str
    title: object  # a lazy translation
    fields: tuple[str, ...]
    applies: Callable[[dict], bool] = field(default=lambda data: True)
    template: str = ""


class Flow:
    def __init__(self, steps: list[Step]):
        self.steps = steps
        self.by_slug = {s.slug: s for s in steps}

    def applicable(self, data) -> list[Step]:
        return [s for s in self.steps if s.applies(data)]

    def step(self, slug) -> Step | None:
        return self.by_slug.get(slug)

    def previous(self, slug, data) -> Step | None:
        steps = self.applicable(data)
        slugs = [s.slug for s in steps]
        if slug not in slugs:
            return None
        i = slugs.index(slug)
        return steps[i - 1] if i > 0 else None

    def next(self, slug, data, answered: Iterable[str], *, changing: bool) -> Step | None:
        """Where Continue goes: the next page in order, or (when changing an answer from the
        check page) the first page that now applies and was never answered; None: the check
        page."""
        answered = set(answered)
        steps = self.applicable(data)
        if changing:
            return next((s for s in steps if s.slug not in answered), None)
        slugs = [s.slug for s in steps]
        i = slugs.index(slug) if slug in slugs else -1
        return steps[i + 1] if i + 1 < len(steps) else None

    def first_unanswered(self, data, answered: Iterable[str]) -> Step | None:
        answered = set(answered)
        return next((s for s in self.applicable(data) if s.slug not in answered), None)

    def step_of(self, field_name, data) -> Step | None:
        return next((s for s in self.applicable(data) if field_name in s.fields), None)


class Drafts:
    """The drafts of one kind in this user's session: `{id: {"user", "touched", "data",
    "meta", "answered", "errors"}}`."""

    def __init__(self, request, kind: str):
        self.request = request
        self.session = request.session
        self.key = f"question-drafts:{kind}"

    def _all(self) -> dict:
        return self.session.get(self.key) or {}

    def _store(self, drafts: dict) -> None:
        self.session[self.key] = drafts
        self.session.modified = True

    def _expired(self, draft, now) -> bool:
        try:
            touched = datetime.fromisoformat(draft["touched"])
        except (KeyError, TypeError, ValueError):
            return True
        return now - touched > timedelta(minutes=draft_minutes())

    def create(self, data: dict[str, list[str]], meta: dict | None = None) -> str:
        now = timezone.now()
        drafts = {k: v for k, v in self._all().items() if not self._expired(v, now)}
        while len(drafts) >= MAX_DRAFTS:
            oldest = min(drafts, key=lambda k: drafts[k].get("touched", ""))
            del drafts[oldest]
        draft_id = secrets.token_urlsafe(9).replace("-", "a").replace("_", "b")
        drafts[draft_id] = {
            "user": self.request.user.pk,
            "touched": now.isoformat(),
            "data": data,
            "meta": meta or {},
            "answered": [],
            "errors": {},
        }
        self._store(drafts)
        return draft_id

    def get(self, draft_id: str) -> dict | None:
        drafts = self._all()
        draft = drafts.get(draft_id)
        if draft is None:
            return None
        if draft.get("user") != self.request.user.pk or self._expired(draft, timezone.now()):
            self.discard(draft_id)
            return None
        return draft

    def save(self, draft_id: str, draft: dict) -> None:
        drafts = self._all()
        draft["touched"] = timezone.now().isoformat()
        drafts[draft_id] = draft
        self._store(drafts)

    def discard(self, draft_id: str) -> None:
        drafts = self._all()
        if drafts.pop(draft_id, None) is not None:
            self._store(drafts)


def answer_text(form, name) -> str:
    """An answer as the user reads it on the check page: the label of a choice, a UK time with
    its zone for an instant, "Yes" for a ticked box; "" when not given (or not valid)."""
    from django.utils.dateformat import format as dformat
    from django.utils.translation import gettext as _

    from core.form_fields import LONDON

    if name in form.errors:
        return ""
    value = form.cleaned_data.get(name)
    if value in (None, "", False, [], ()):
        return ""
    if value is True:
        return str(_("Yes"))
    if hasattr(value, "astimezone"):
        return dformat(value.astimezone(LONDON), "j M Y, H:i T")
    if hasattr(value, "strftime"):
        return dformat(value, "j F Y")
    choices = dict(getattr(form.fields[name], "choices", None) or [])
    if isinstance(value, list | tuple):
        return "; ".join(str(choices.get(v, v)) for v in value)
    if choices and not hasattr(value, "pk"):
        return str(choices.get(value, value))
    return str(value)
