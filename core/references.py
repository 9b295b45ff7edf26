"""References to other systems (a force's command-and-control incident number, custody record
number, records-management reference, an NHS trust's record id): the one rule for their shape.

A reference is kept as typed (surrounding spaces removed): letters, digits and the separators
those systems print (`/ - . _` and single spaces), up to 40 characters, starting with a letter
or digit. References are not unique: two forces' systems may reuse a number, and a record may
be entered twice before it is merged. The validator's code, `invalid_reference`, is what the
pages and the API answer (drf-standardized-errors documents it from the validator)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 40
REFERENCE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9/._-]| (?! ))*\Z"

validate_reference = RegexValidator(
    REFERENCE_PATTERN,
    message=_(
        "Enter the reference as the other system shows it: letters, digits, single spaces and "
        "the characters / - . _ (starting with a letter or digit)"
    ),
    code="invalid_reference",
)


def clean_reference(value) -> str:
    """Surrounding spaces removed; None becomes ''."""
    return (value or "").strip()
