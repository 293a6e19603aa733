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
