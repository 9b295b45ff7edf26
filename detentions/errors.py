"""The services' refusals. Defined in core (`core.errors`: every app raises them and the doors
map them); this is the name the apps import them by."""

from core.errors import NotAllowed, RuleViolation

__all__ = ["NotAllowed", "RuleViolation"]
