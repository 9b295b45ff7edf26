"""UK mobile numbers: what a person may type, and the one form Harbour stores (+447...).

GOV.UK Notify sends text messages to UK mobiles; Harbour accepts the usual ways of writing one
(`07700 900123`, `+44 7700 900123`, `0044 7700 900 123`, `(07700) 900-123`) and stores it as
`+447700900123`. Landlines, short codes and other countries are refused with what to type.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s().\-]")
_UK_MOBILE = re.compile(r"^7\d{9}$")  # after the country code or the leading 0

INVALID = _(
    "Enter a UK mobile number, like 07700 900123 or +44 7700 900123 (landlines cannot "
    "receive text messages)"
)


def normalise_uk_mobile(value: str) -> str:
    """The number as +447XXXXXXXXX, or ValidationError saying what to type. Empty stays empty."""
    raw = _SEPARATORS.sub("", value or "")
    if not raw:
        return ""
    if raw.startswith("+44"):
        national = raw[3:]
    elif raw.startswith("0044"):
        national = raw[4:]
    elif raw.startswith("44") and len(raw) == 12:
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        raise ValidationError(INVALID, code="invalid_uk_mobile")
    national = national.removeprefix("0")  # "+44 (0)7700 ..."
    if not _UK_MOBILE.match(national):
        raise ValidationError(INVALID, code="invalid_uk_mobile")
    return f"+44{national}"


def validate_uk_mobile(value: str) -> None:
    normalise_uk_mobile(value)
