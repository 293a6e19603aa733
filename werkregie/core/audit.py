"""The audit trail: `record_change` for services, `record_read` for access helpers.

Both write in the caller's transaction, so a change and its audit row commit or fail together.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils import timezone

from werkregie.core.audit_events import Event
from werkregie.core.db import insert_rows
from werkregie.core.middleware import current_origin_ip
from werkregie.core.models import AuditAction, AuditEvent

M = TypeVar("M", bound=models.Model)

SYSTEM_LABEL = "systeem"
Change = dict[str, dict[str, Any]]


def json_value(value: Any) -> Any:
    """A field value as the audit log stores it (foreign keys as ids, decimals as text)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of `fields` (foreign keys as their ids)."""
    return {name: json_value(getattr(obj, name)) for name in fields}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> Change:
    """Old/new pairs for every key whose value differs."""
    return {
        key: {"old": old.get(key), "new": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def _event(
    actor: AbstractBaseUser | None, action: Event, obj: models.Model, changes: Mapping[str, Any]
) -> AuditEvent:
    return AuditEvent(
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor.get_username() if actor is not None else SYSTEM_LABEL,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        person_id=getattr(obj, "audit_person_id", None),
        changes=dict(changes),
        origin_ip=current_origin_ip(),
    )


def record_change(
    *,
    actor: AbstractBaseUser | None,
    action: Event,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record a change made by a service; `actor` None means a system process."""
    event = _event(actor, action, obj, changes or {})
    event.save()
    return event


def save_audited(
    actor: AbstractBaseUser | None, action: Event, obj: M, fields: list[str], old: Mapping[str, Any]
) -> M:
    """Validate and save, and audit the old/new values of `fields` ({} old: created)."""
    obj.full_clean()
    obj.save()
    record_change(actor=actor, action=action, obj=obj, changes=diff(old, snapshot(obj, fields)))
    return obj


def record_read(*, actor: AbstractBaseUser | None, action: Event, obj: models.Model) -> AuditEvent:
    """Record that `actor` saw the personal data of `obj`."""
    event = _event(actor, action, obj, {})
    event.save()
    return event


def record_reads(
    *, actor: AbstractBaseUser | None, action: Event, objects: Iterable[models.Model]
) -> int:
    """Record one read per object shown in a list, in a single insert."""
    return record_changes(actor=actor, action=action, changes=((obj, {}) for obj in objects))


def record_listed(*, actor: AbstractBaseUser | None, rows: Iterable[models.Model]) -> int:
    """A list, search result or export showed these rows' persons: one `person.listed` event
    per row, tied to its person (the row's audit_person_id), so "who saw person X" finds every
    list that showed X. The one shape for every list of personal data (screens and API)."""
    return record_reads(actor=actor, action=AuditAction.PERSON_LISTED, objects=rows)


def record_changes(
    *,
    actor: AbstractBaseUser | None,
    action: Event,
    changes: Iterable[tuple[models.Model, Mapping[str, Any]]],
) -> int:
    """Record one event per (object, old/new values) pair, in batched inserts (bulk imports)."""
    return record_rows(
        actor=actor,
        action=action,
        entries=(
            (
                obj._meta.label_lower,
                str(obj.pk),
                str(obj),
                getattr(obj, "audit_person_id", None),
                values,
            )
            for obj, values in changes
        ),
    )


# What `record_rows` takes per event: object type (`app.model`), object id, label,
# person id (or None) and the old/new values.
AuditEntry = tuple[str, str, str, int | None, Mapping[str, Any]]
ROW_FIELDS = [
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "person_id",
    "changes",
    "origin_ip",
]


def record_rows(
    *, actor: AbstractBaseUser | None, action: Event, entries: Iterable[AuditEntry]
) -> int:
    """Record one event per entry for records written without model instances (imports):
    the same rows `record_changes` writes, in one insert."""
    now, ip = timezone.now(), current_origin_ip()
    actor_id = actor.pk if actor is not None else None
    label = actor.get_username() if actor is not None else SYSTEM_LABEL
    rows = [
        (now, actor_id, label, str(action), kind, pk, text[:200], person, dict(values), ip)
        for kind, pk, text, person, values in entries
    ]
    insert_rows(AuditEvent, ROW_FIELDS, rows, return_ids=False)
    return len(rows)


def record_event(
    *,
    actor: AbstractBaseUser | None,
    action: Event,
    object_type: str,
    object_id: str = "",
    label: str = "",
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Record something that happened to no stored object: a refused request, a login
    attempt for an unknown name (security events; never a BSN or a password)."""
    record_rows(
        actor=actor,
        action=action,
        entries=[(object_type, object_id[:40], label[:200], None, changes or {})],
    )
