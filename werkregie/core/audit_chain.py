"""Tamper evidence for the audit log, and its retention (issue 20).

The application never updates or deletes an audit event (AuditEventQuerySet refuses), but
whoever holds the database could. `seal` chains every event, in id order, into SHA-256
digests stored as AuditSeal rows; `verify` recomputes them. Sealing leaves the most recent
minutes alone, so an event whose transaction commits late is not skipped.

Retention removes whole sealed segments older than the retention period, oldest first; the
first remaining seal keeps the digest it chained from, so the rest still verifies.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from werkregie.core.audit import ROW_FIELDS
from werkregie.core.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
# An event younger than this may still have a transaction open on a lower id.
SETTLE = timedelta(minutes=10)
_FIELDS = ["id", *ROW_FIELDS]


def _canonical(row: tuple[object, ...]) -> bytes:
    values = dict(zip(_FIELDS, row, strict=True))
    created = values["created_at"]
    assert isinstance(created, datetime)
    values["created_at"] = created.astimezone(UTC).isoformat()
    return json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder).encode()


def _chain(previous: str, rows: Iterable[tuple[object, ...]]) -> tuple[str, int, int, int]:
    """The digest after `rows`, with their count and first and last id."""
    digest, count, first, last = previous, 0, 0, 0
    for row in rows:
        digest = hashlib.sha256(digest.encode() + _canonical(row)).hexdigest()
        count += 1
        first = first or int(str(row[0]))
        last = int(str(row[0]))
    return digest, count, first, last


def _rows(after: int, up_to: int | None = None) -> Iterator[tuple[object, ...]]:
    events = AuditEvent.objects.filter(id__gt=after)
    if up_to is not None:
        events = events.filter(id__lte=up_to)
    return events.order_by("id").values_list(*_FIELDS).iterator(chunk_size=5000)


@transaction.atomic
def seal(*, now: datetime | None = None) -> AuditSeal | None:
    """Seal every settled event after the last seal; None when there is nothing new."""
    last = AuditSeal.objects.select_for_update().order_by("-last_event_id").first()
    after, previous = (last.last_event_id, last.digest) if last else (0, GENESIS)
    settled = (now or timezone.now()) - SETTLE
    up_to = (
        AuditEvent.objects.filter(id__gt=after, created_at__lt=settled)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if up_to is None:
        return None
    digest, count, first, last_id = _chain(previous, _rows(after, up_to))
    return AuditSeal.objects.create(
        first_event_id=first,
        last_event_id=last_id,
        events=count,
        previous_digest=previous,
        digest=digest,
    )


@dataclass(frozen=True)
class Verification:
    seals: int
    events: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Verification:
    """Recompute every seal; name each one whose events no longer give its digest."""
    problems: list[str] = []
    seals = list(AuditSeal.objects.order_by("last_event_id"))
    after, expected_previous, events = 0, None, 0
    if seals:
        # Retention may have removed the oldest segments: start where the first seal does.
        after = seals[0].first_event_id - 1
        expected_previous = seals[0].previous_digest
    for current in seals:
        if current.previous_digest != expected_previous:
            problems.append(f"{current}: sluit niet aan op het vorige zegel.")
        digest, count, _, _ = _chain(current.previous_digest, _rows(after, current.last_event_id))
        if (digest, count) != (current.digest, current.events):
            problems.append(
                f"{current}: {count} gebeurtenissen gevonden, {current.events} verzegeld; "
                "de inhoud wijkt af van het zegel (gewijzigd of verwijderd)."
            )
        events += count
        after, expected_previous = current.last_event_id, current.digest
    return Verification(seals=len(seals), events=events, problems=problems)


@transaction.atomic
def remove_expired(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete sealed segments whose events are all older than `older_than`, oldest first;
    unsealed events are never removed. Returns the number of events removed."""
    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for current in AuditSeal.objects.select_for_update().order_by("last_event_id"):
        newest = (
            AuditEvent.objects.filter(id__gte=current.first_event_id, id__lte=current.last_event_id)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if newest is not None and newest >= cutoff:
            break
        segment = AuditEvent.objects.filter(id__lte=current.last_event_id)
        # The one deletion of audit events: past the retention period, in whole segments.
        removed += models.QuerySet.delete(segment)[0]
        later = AuditSeal.objects.filter(last_event_id__gt=current.last_event_id).first()
        current.delete()
        if later is None:
            break
    return removed
