"""Invoice arithmetic (pure): line amounts, VAT per rate and totals, as EN 16931 wants them.

A line is hours × rate, rounded half up to cents. VAT is computed per VAT rate on the sum
of that rate's lines (not per line), rounded half up: the invoice's VAT breakdown then adds
up exactly (EN 16931 BR-CO-17). Totals are sums of what they total.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from werkregie.core.money import cents


def line_amount(hours: Decimal, rate: Decimal) -> Decimal:
    return cents(hours * rate)


@dataclass(frozen=True)
class VatGroup:
    rate: Decimal
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    groups: tuple[VatGroup, ...]


def totals(lines: Iterable[tuple[Decimal, Decimal]]) -> Totals:
    """Totals of (amount, VAT rate) lines."""
    taxable: dict[Decimal, Decimal] = {}
    for amount, rate in lines:
        taxable[rate] = taxable.get(rate, Decimal(0)) + amount
    groups = tuple(
        VatGroup(rate=rate, taxable=base, vat=cents(base * rate / 100))
        for rate, base in sorted(taxable.items())
    )
    net = sum((g.taxable for g in groups), Decimal(0))
    vat = sum((g.vat for g in groups), Decimal(0))
    return Totals(net=net, vat=vat, gross=net + vat, groups=groups)


def invoice_number(prefix: str, sequence: int) -> str:
    """The issuer's one series: NUO-000123."""
    return f"{prefix}-{sequence:06d}"
