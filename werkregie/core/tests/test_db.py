from decimal import Decimal

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.db import bulk_insert, filter_in, insert_rows
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Municipality
from werkregie.people.events import PeopleEvent


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
            action=PeopleEvent.PERSON_VIEWED,
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
    later = audit.record_change(actor=user, action=PeopleEvent.PERSON_VIEWED, obj=user)
    assert later.pk not in {e.pk for e in inserted}


def test_insert_rows_returns_ids_in_order_and_stores_json_and_foreign_keys(
    cast: dict[str, User],
) -> None:
    user = cast["hr_nuo"]
    fields = ["actor_id", "actor_label", "action", "object_type", "object_id", "changes"]
    rows = [
        (user.pk, "hr_nuo", PeopleEvent.PERSON_VIEWED.value, "x", str(i), changes)
        for i, changes in enumerate([{}, {"a": {"old": 1, "new": [2, "drie"]}}, {}])
    ]
    ids = insert_rows(AuditEvent, fields, rows)
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=ids)}
    assert [stored[pk].object_id for pk in ids] == ["0", "1", "2"]
    assert stored[ids[1]].changes == {"a": {"old": 1, "new": [2, "drie"]}}
    assert stored[ids[0]].changes == {} and stored[ids[0]].actor == user
    assert insert_rows(AuditEvent, fields, rows[:1], return_ids=False) == []
    assert AuditEvent.objects.filter(object_type="x").count() == 4
    assert insert_rows(AuditEvent, fields, []) == []


def test_record_rows_writes_the_same_event_as_record_changes(cast: dict[str, User]) -> None:
    user = cast["hr_nuo"]
    audit.record_changes(
        actor=user, action=PeopleEvent.PERSON_CHANGED, changes=[(user, {"x": {"old": 1}})]
    )
    audit.record_rows(
        actor=user,
        action=PeopleEvent.PERSON_CHANGED,
        entries=[("accounts.user", str(user.pk), str(user), None, {"x": {"old": 1}})],
    )
    first, second = AuditEvent.objects.filter(action=PeopleEvent.PERSON_CHANGED).order_by("id")
    same = ["actor", "actor_label", "object_type", "object_id", "object_label", "changes"]
    assert [getattr(first, f) for f in same] == [getattr(second, f) for f in same]
