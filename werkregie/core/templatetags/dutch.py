from decimal import Decimal

from django import template
from django.contrib.auth.models import AbstractUser

from werkregie.core.formatting import column_label as format_column
from werkregie.core.formatting import format_decimal, format_euro

register = template.Library()


@register.filter
def euro(value: Decimal | int | str | None) -> str:
    return format_euro(value)


@register.filter
def column_label(value: str) -> str:
    return format_column(value)


@register.filter
def decimal_nl(value: Decimal | int | str | None) -> str:
    return format_decimal(value)


@register.filter
def user_label(user: AbstractUser | None) -> str:
    """A user as colleagues know them: full name, else the username; "—" for nobody."""
    if user is None:
        return "—"
    return str(user.get_full_name() or user.username)


@register.filter
def dutch_int(value: int | None) -> str:
    """A count with a point per thousand: 12.400."""
    return format_decimal(value, 0)


@register.simple_tag
def job_key() -> str:
    """A form that starts a job posts a fresh idempotency key: a double click is one job."""
    from django.utils.html import format_html

    from werkregie.core.jobs import new_key

    return format_html('<input type="hidden" name="idempotency_key" value="{}">', new_key())
