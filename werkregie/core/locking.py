"""Optimistic locking of edits (issue 16): a stale edit is refused, never silently applied.

A row's fingerprint is a hash over its stored values. An edit screen renders it in a hidden
field and the API sends it as the ETag of a GET; saving compares it with the row as it is now,
locked for the rest of the transaction. Anyone's change in between (screen, API, import)
changes the fingerprint, so the later edit is refused with a Dutch message (screen), 412
Precondition Failed (API, If-Match given) or 428 Precondition Required (API, none given).
No version column is needed, so every model can be protected the same way.

An object whose edits change rows of its own beside it (an agreement's targets, a
contract's registered hours) declares them in `lock_scope()`: they count in its fingerprint,
and editing them goes through the parent's lock (`stored`), so two editors of the same
contract's hours are serialised and the later one refused.
"""

import hashlib
import json
from typing import Any

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from werkregie.core.errors import DomainError

STALE = (
    "Iemand anders heeft deze gegevens gewijzigd nadat u ze opende{by}. Uw wijziging is niet "
    "opgeslagen. Bekijk de huidige gegevens (open de pagina opnieuw); opnieuw opslaan "
    "overschrijft de wijziging van de ander."
)


class StaleEditError(DomainError):
    """The row changed since the editor read it (HTTP 412 in the API)."""


class PreconditionMissingError(DomainError):
    """An API edit without If-Match (HTTP 428)."""


def _values(obj: models.Model) -> list[list[Any]]:
    return [[f.attname, getattr(obj, f.attname)] for f in obj._meta.concrete_fields]


def fingerprint(obj: models.Model) -> str:
    """The hash over a row's stored values and those of the rows in its `lock_scope()`; any
    change to any column of any of them (or a row added or removed) changes it."""
    values: list[Any] = _values(obj)
    scope = getattr(obj, "lock_scope", None)
    if scope is not None:
        values.append([[row._meta.label_lower, _values(row)] for row in scope().order_by("pk")])
    raw = json.dumps(values, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def stored(obj: models.Model) -> models.Model:
    """The row as the database has it now, locked until the transaction ends."""
    manager = type(obj)._base_manager
    if transaction.get_connection().in_atomic_block:
        return manager.select_for_update().get(pk=obj.pk)
    return manager.get(pk=obj.pk)


def _last_change(obj: models.Model) -> str:
    from werkregie.core.models import AuditEvent

    event = (
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .exclude(action__endswith="viewed")
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        return ""
    return f" ({event.actor_label}, {timezone.localtime(event.created_at):%d-%m-%Y %H:%M})"


def refuse_if_stale(obj: models.Model, token: str | None) -> models.Model:
    """The current row, when `token` is its fingerprint; StaleEditError otherwise."""
    current = stored(obj)
    if token != fingerprint(current):
        raise StaleEditError(STALE.format(by=_last_change(current)))
    return current


def protect(form: forms.BaseForm, edited: models.Model) -> None:
    """Give an edit form the row's fingerprint as a hidden field (posted back on save)."""
    form.fields["fingerprint"] = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=fingerprint(stored(edited))
    )


def refuse_stale_form(form: forms.BaseForm, edited: models.Model) -> None:
    """Inside the saving transaction: StaleEditError unless the posted fingerprint is current.
    When refused, the form carries the new fingerprint: saving again is then a deliberate
    overwrite of the other's change, made after seeing the message."""
    try:
        refuse_if_stale(edited, form.data.get(form.add_prefix("fingerprint")))
    except StaleEditError:
        posted: Any = form.data
        data = posted.copy()  # a QueryDict: every value of a multiple choice stays
        data[form.add_prefix("fingerprint")] = fingerprint(stored(edited))
        form.data = data
        raise
