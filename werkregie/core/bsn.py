"""The burgerservicenummer (BSN) and its 11-proef."""

from django.core.exceptions import ValidationError

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(raw: str) -> str:
    """Strip spaces and dots and restore leading zeros that Excel dropped (8 digits → 9)."""
    value = raw.strip().replace(" ", "").replace(".", "")
    if value.isdigit() and len(value) == 8:
        value = "0" + value
    return value


def passes_eleven_test(value: str) -> bool:
    """The 11-proef: weights 9…2 and −1, the weighted sum divisible by 11 and not zero."""
    if len(value) != 9 or not value.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def validate_bsn(value: str) -> None:
    """Django validator; the message never repeats the number itself."""
    if len(value) != 9 or not value.isdigit():
        raise ValidationError("Een BSN bestaat uit 9 cijfers.", code="bsn_format")
    if not passes_eleven_test(value):
        raise ValidationError(
            "Dit BSN is ongeldig: het voldoet niet aan de elfproef.", code="bsn_eleven_test"
        )


def mask_bsn(value: str | None) -> str:
    """Show only the last three digits, for audit records and screens without BSN access."""
    if not value:
        return ""
    return "******" + value[-3:]
