"""Each app declares its audit event names; the register knows them all, once each."""

import pytest
from django.db import models

from werkregie.core import audit_events
from werkregie.core.models import AuditAction
from werkregie.hr.events import HrEvent
from werkregie.people.events import PeopleEvent


def test_every_app_s_events_are_registered_at_start_up_with_their_dutch_label() -> None:
    names = dict(audit_events.choices())
    assert names[PeopleEvent.PERSON_VIEWED] == "Persoon ingezien"
    assert names[HrEvent.PAYROLL_FINALISED] == HrEvent.PAYROLL_FINALISED.label
    assert names[AuditAction.PERSON_LISTED] == "Persoon in lijst getoond"
    assert audit_events.event("person.viewed") is PeopleEvent.PERSON_VIEWED
    assert audit_events.label("iets.onbekends") == "iets.onbekends"


def test_a_name_declared_twice_is_refused() -> None:
    class Again(models.TextChoices):
        PERSON_VIEWED = "person.viewed", "Nog eens"

    with pytest.raises(ValueError, match=r"person\.viewed"):
        audit_events.register(Again)
    assert audit_events.event("person.viewed") is PeopleEvent.PERSON_VIEWED
