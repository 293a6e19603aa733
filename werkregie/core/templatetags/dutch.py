from decimal import Decimal

from django import template

from werkregie.core.formatting import format_decimal, format_euro

register = template.Library()


@register.filter
def euro(value: Decimal | int | str | None) -> str:
    return format_euro(value)


@register.filter
def decimal_nl(value: Decimal | int | str | None) -> str:
    return format_decimal(value)
