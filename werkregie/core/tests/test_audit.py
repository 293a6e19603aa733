import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from werkregie.accounts.events import AccountsEvent
from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.models import AuditEvent
from werkregie.people.events import PeopleEvent


def _event(user: User) -> AuditEvent:
    return audit.record_change(actor=user, action=AccountsEvent.USER_LOGGED_IN, obj=user)


def test_records_actor_action_and_object(cast: dict[str, User]) -> None:
    event = _event(cast["hr_nuo"])
    assert event.actor_label == "hr_nuo"
    assert event.object_type == "accounts.user"
    assert event.object_id == str(cast["hr_nuo"].pk)


def test_refuses_to_save_an_existing_event_again(cast: dict[str, User]) -> None:
    event = _event(cast["hr_nuo"])
    event.action = PeopleEvent.PERSON_VIEWED
    with pytest.raises(PermissionError):
        event.save()


def test_refuses_delete_and_bulk_update(cast: dict[str, User]) -> None:
    event = _event(cast["hr_nuo"])
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action=PeopleEvent.PERSON_VIEWED)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_raw_update(cast: dict[str, User]) -> None:
    event = _event(cast["hr_nuo"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == AccountsEvent.USER_LOGGED_IN


def test_admin_offers_no_add_change_or_delete_even_to_superuser(cast: dict[str, User]) -> None:
    request = RequestFactory().get("/")
    request.user = cast["functional_admin"]
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
