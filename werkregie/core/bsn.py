"""The burgerservicenummer (BSN) and its 11-proef."""

from django.core.exceptions import ValidationError

_WEIGHT_SUM = 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 - 1


def normalise_bsn(raw: str) -> str:
    """Strip spaces and dots and restore leading zeros that Excel dropped (8 digits → 9)."""
    value = raw.strip().replace(" ", "").replace(".", "")
    if value.isdigit() and len(value) == 8:
        value = "0" + value
    return value


def passes_eleven_test(value: str) -> bool:
    """The 11-proef: weights 9…2 and −1, the weighted sum divisible by 11 and not zero."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return False
    # Unrolled over the ASCII codes (48 is "0"): an import checks tens of thousands.
    d = value.encode()
    total = (
        (9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7])
        - d[8]
        - 48 * _WEIGHT_SUM
    )
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
