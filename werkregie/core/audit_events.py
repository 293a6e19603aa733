"""The register of audit event names. Each app declares its own (`<app>/events.py`, a
TextChoices class decorated with `register`; core's are `core.models.AuditAction`), so a new
event is a line in its app and no migration: the log stores the name, the register gives the
Dutch label the audit log shows. `core.apps` imports every installed app's `events` module
at start-up (as the admin discovers `admin` modules), so all names are known before the first
request."""

from typing import TypeVar

from django.db import models

Event = models.TextChoices  # a member of any app's events class
E = TypeVar("E", bound=type[models.TextChoices])

_REGISTERED: dict[str, Event] = {}


def register(events: E) -> E:
    """Add an app's events; a name another app already declared is a programming error."""
    for member in events:
        known = _REGISTERED.get(member.value)
        if known is not None and known is not member:
            raise ValueError(f"Audit event {member.value!r} is declared twice.")
    _REGISTERED.update((member.value, member) for member in events)
    return events


def event(name: str) -> Event:
    """The declared event of a stored name (KeyError for one nobody declared)."""
    return _REGISTERED[name]


def label(name: str) -> str:
    """The Dutch label of a stored event name (the name itself if no app declares it)."""
    member = _REGISTERED.get(name)
    return str(member.label) if member is not None else name


def choices() -> list[tuple[str, str]]:
    """Every declared event as (name, label), by label: the audit log's filter."""
    return sorted(((m.value, str(m.label)) for m in _REGISTERED.values()), key=lambda c: c[1])
