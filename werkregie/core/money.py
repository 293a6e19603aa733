"""Money: amounts in euros as Decimal, rounded to cents half up (the one rounding of the
application; totals are sums of rounded lines, never rounded again)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """`value` rounded to whole cents, half up (2,345 → 2,35; −2,345 → −2,35)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
