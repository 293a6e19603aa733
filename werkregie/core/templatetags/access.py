from django import template
from django.db import models

from werkregie.core import access

register = template.Library()


@register.filter
def may(user: access.AnyUser | None, action: str) -> bool:
    """`{% if request.user|may:"person.create" %}`: the role table, without an object."""
    return access.has_permission(user, action)


@register.simple_tag
def can(user: access.AnyUser | None, action: str, obj: models.Model) -> bool:
    """`{% can request.user "person.change" person as allowed %}`: role and object scope."""
    return access.can(user, action, obj)


@register.filter
def sees(user: access.AnyUser | None, field: str) -> bool:
    """`{% if request.user|sees:"people.employment.gross_monthly_wage" %}`: need to know per
    field (access.FIELD_RULES)."""
    model, _, name = field.rpartition(".")
    return access.sees_field(user, model, name)
