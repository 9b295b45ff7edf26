"""The rule engine's words in the reader's language (issue 23).

`law` imports no Django: its rule titles and explanations are English message ids marked with
`law.titles.gettext_noop`; they are translated here, where pages, reports and the API show them.
"""

from __future__ import annotations

from django.utils.translation import gettext

import law


def rule_title(rule: str) -> str:
    return gettext(law.rule_title(rule))


def rule_explanation(rule: str) -> str:
    return gettext(law.rule_explanation(rule))


def message(text: str) -> str:
    """A rule engine message in the active language when the catalogue has it (messages that
    carry times or names are English until the engine gives them as a template)."""
    return gettext(str(text)) if text else text
