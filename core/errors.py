"""The refusals a service raises; nothing was written when either is raised.

They live in core because every app's services raise them and every door maps them
(`core.api_errors` to the API's error format); `incidents.services.errors` re-exports them.
"""

from django.utils.translation import gettext_lazy as _


class RuleViolation(Exception):
    """The law (or a state check) refuses an input. Nothing was written.

    `violations` are `incidents.law.Violation`s with rule ids, codes and plain-English
    messages. `conflict` is true for a state conflict (an ended detention: HTTP 409).
    """

    def __init__(self, violations):
        self.violations = [v for v in violations if v.code]
        super().__init__("; ".join(f"{v.rule} {v.code}: {v.message}" for v in self.violations))

    @property
    def conflict(self) -> bool:
        return any(v.is_conflict for v in self.violations)

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.violations]


class NotAllowed(Exception):
    """The actor's role may not make this change."""

    default_message = _("Your role may not make this change.")

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))
