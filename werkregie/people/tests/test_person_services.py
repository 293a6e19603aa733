from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from werkregie.accounts.models import User
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.people import services
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Employment, Person
from werkregie.testing import BSN_A, BSN_INVALID, make_employment, make_person


def test_refuses_bsn_failing_eleven_test_and_writes_nothing(cast: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as exc:
        make_person(bsn=BSN_INVALID, actor=cast["hr_nuo"])
    assert "elfproef" in str(exc.value.message_dict["bsn"])
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action=PeopleEvent.PERSON_CREATED).exists()


def test_derives_residence_from_postcode(cast: dict[str, User]) -> None:
    person = services.create_person(
        actor=cast["hr_nuo"],
        surname="Nijhuis",
        birth_date=date(1980, 1, 2),
        sex="V",
        postcode="7641 AB",
        house_number="3",
    )
    assert person.residence_municipality.cbs_code == "GM0189"
    assert person.postcode == "7641AB"


def test_refuses_unknown_postcode_without_explicit_residence(cast: dict[str, User]) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_person(
            actor=None, surname="X", birth_date=date(1980, 1, 2), sex="V", postcode="1012AB"
        )
    assert exc.value.field == "residence_municipality"


def test_audits_bsn_change_without_storing_the_number(cast: dict[str, User]) -> None:
    person = make_person(bsn=BSN_A)
    services.update_person(actor=cast["hr_nuo"], person=person, changes={"bsn": "123456782"})
    event = AuditEvent.objects.get(action=PeopleEvent.PERSON_CHANGED)
    assert event.changes["bsn"] == {"old": "******333", "new": "******782"}
    assert BSN_A not in str(event.changes)


def test_change_ends_old_version_and_starts_new_one_with_one_audit_event(
    cast: dict[str, User],
) -> None:
    employment = make_employment(make_person())
    before = AuditEvent.objects.count()
    successor = services.change_employment(
        actor=cast["hr_nuo"],
        employment=employment,
        effective_date=date(2024, 7, 1),
        changes={"hours_per_week": Decimal("32.00")},
    )
    employment.refresh_from_db()
    assert employment.valid_to == date(2024, 6, 30)
    assert employment.hours_per_week == Decimal("36.00")
    assert successor.valid_from == date(2024, 7, 1)
    assert successor.hours_per_week == Decimal("32.00")
    assert successor.gross_monthly_wage == employment.gross_monthly_wage
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action=PeopleEvent.EMPLOYMENT_CHANGED)
    assert event.changes["hours_per_week"] == {"old": "36.00", "new": "32.00"}
    assert event.actor == cast["hr_nuo"]
    assert event.person_id == employment.person_id


def test_refuses_change_effective_on_or_before_the_start(cast: dict[str, User]) -> None:
    employment = make_employment(make_person())
    with pytest.raises(DomainError):
        services.change_employment(
            actor=cast["hr_nuo"],
            employment=employment,
            effective_date=date(2021, 1, 1),
            changes={"scale": "4"},
        )
    assert Employment.objects.count() == 1


def test_refuses_indication_on_staff_employment(cast: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        make_employment(make_person(), kind=Employment.Kind.STAFF)


def test_renamed_person_is_found_under_the_new_name(cast: dict[str, User]) -> None:
    person = make_person(surname="Jansen")
    services.update_person(actor=cast["hr_nuo"], person=person, changes={"surname": "Çelik"})
    assert Person.objects.get(pk=person.pk).search_name == "celik"
