from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def nhs_number_is_valid(value: str) -> bool:
    """10 digits; the 10th is the modulus-11 check digit of the first nine (weights 10..2)."""
    digits = (value or "").replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError(
            _(
                "Enter a valid 10-digit NHS number (the last digit is a check digit; check for a typing error)."
            ),
            code="invalid_nhs_number",
        )
