"""Dutch number formatting: decimal comma, dot as thousands separator."""

from decimal import Decimal


def format_decimal(value: Decimal | int | str | None, places: int = 2) -> str:
    """`Decimal("1234.5")` (or `"1234.5"`) → `"1.234,50"`; None → empty string."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_euro(value: Decimal | int | str | None) -> str:
    """`Decimal("2345.6")` → `"€ 2.345,60"`."""
    if value is None:
        return ""
    return f"€ {format_decimal(value)}"


# Column headers of the import files as users read them; other headers lose their
# underscores (a header is what the user typed, so it is shown beside the label).
_COLUMN_WORDS = {"kvk": "KvK", "bsn": "BSN", "sbi": "SBI", "cao": "cao"}


def column_label(column: str) -> str:
    """ "kvk_nummer" → "KvK-nummer", "uren_per_week" → "uren per week"."""
    words = [_COLUMN_WORDS.get(w, w) for w in column.split("_") if w]
    if len(words) > 1 and words[0] in _COLUMN_WORDS.values():
        return f"{words[0]}-{' '.join(words[1:])}"
    return " ".join(words)
