from decimal import Decimal

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.db import bulk_insert, filter_in
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.organisations.models import Municipality


def test_filter_in_returns_the_same_rows_in_small_chunks(region: None) -> None:
    codes = list(Municipality.objects.values_list("cbs_code", flat=True))
    found = list(filter_in(Municipality.objects.all(), "cbs_code", codes, chunk=3))
    assert sorted(m.cbs_code for m in found) == sorted(codes)


def test_bulk_insert_sets_ids_and_keeps_the_sequence_in_step(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    events = [
        AuditEvent(
            actor=user,
            actor_label="hr_nuo",
            action=AuditAction.PERSON_VIEWED,
            object_type="x",
            object_id=str(i),
            changes={"n": {"old": None, "new": Decimal("1.50")}},
        )
        for i in range(3)
    ]
    inserted = bulk_insert(AuditEvent, events)
    assert all(e.pk for e in inserted) and len({e.pk for e in inserted}) == 3
    stored = AuditEvent.objects.get(pk=inserted[1].pk)
    assert (stored.object_id, stored.changes, stored.actor) == (
        "1",
        {"n": {"old": None, "new": "1.50"}},
        user,
    )
    later = audit.record_change(actor=user, action=AuditAction.PERSON_VIEWED, obj=user)
    assert later.pk not in {e.pk for e in inserted}
