from datetime import date
from typing import Any

import pytest

from werkregie.accounts.models import User
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.employer_services import services
from werkregie.employer_services.models import (
    AccountHolder,
    ContactMoment,
    Employer,
    EmployerContact,
)
from werkregie.employer_services.tests.factories import make_employer, make_vacancy

pytestmark = pytest.mark.django_db


def test_creates_employer_with_sector_and_municipality_from_its_codes(region: None) -> None:
    employer = make_employer(postcode="7601 ab", sbi_code="4711")
    assert employer.postcode == "7601AB"
    assert employer.sector == "G"
    assert employer.municipality is not None and employer.municipality.cbs_code == "GM0141"
    assert AuditEvent.objects.filter(action="employer.created", object_id=str(employer.pk)).exists()


def test_refuses_a_second_record_for_the_same_kvk_number_naming_the_first(region: None) -> None:
    make_employer(kvk="12345678", name="Twentse Metaal BV")
    with pytest.raises(DomainError) as error:
        make_employer(kvk="12345678", name="Iets Anders", postcode="7450AA")
    assert "Twentse Metaal BV" in error.value.message
    assert error.value.field == "kvk_number"
    assert Employer.objects.count() == 1


def test_flags_a_similar_name_at_the_same_postcode_until_confirmed(region: None) -> None:
    make_employer(kvk="12345678", name="Twentse Metaal B.V.")
    with pytest.raises(DomainError) as error:
        make_employer(kvk="87654321", name="Twentse Metaal")
    assert "Mogelijk dubbel" in error.value.message
    assert "12345678" in error.value.message
    other = services.create_employer(
        actor=None,
        confirmed=True,
        kvk_number="87654321",
        name="Twentse Metaal",
        postcode="7601AB",
        city="Almelo",
    )
    assert other.pk


def test_a_similar_name_elsewhere_is_no_duplicate(region: None) -> None:
    make_employer(kvk="12345678", name="Twentse Metaal BV", postcode="7601AB")
    assert make_employer(kvk="87654321", name="Twentse Metaal BV", postcode="7450AA").pk


def test_second_account_holder_is_refused_with_the_name_of_the_current(
    cast: dict[str, User],
) -> None:
    employer = make_employer()
    adviser = cast["employer_adviser"]
    adviser.first_name, adviser.last_name = "Wim", "Adviseur"
    adviser.save()
    services.assign_account_holder(
        actor=adviser, employer=employer, user=adviser, started_on=date(2026, 1, 1)
    )
    with pytest.raises(DomainError) as error:
        services.assign_account_holder(
            actor=adviser, employer=employer, user=cast["jobcoach_nuo"], started_on=date(2026, 2, 1)
        )
    assert "Wim Adviseur" in error.value.message
    assert "Werkplein West-Twente" in error.value.message
    assert AccountHolder.objects.filter(employer=employer).count() == 1


def test_account_holder_can_change_after_the_current_one_ends(cast: dict[str, User]) -> None:
    employer = make_employer()
    services.assign_account_holder(
        actor=None, employer=employer, user=cast["employer_adviser"], started_on=date(2026, 1, 1)
    )
    services.release_account_holder(actor=None, employer=employer, ended_on=date(2026, 3, 31))
    holder = services.assign_account_holder(
        actor=None, employer=employer, user=cast["jobcoach_nuo"], started_on=date(2026, 4, 1)
    )
    assert services.current_account_holder(employer) == holder
    assert employer.accounts.count() == 2


@pytest.mark.parametrize("who", ["hr_nuo", "controller_wierden", "client_director_wierden"])
def test_account_holder_comes_from_the_nuo_or_a_werkplein_as_adviser_coach_or_director(
    cast: dict[str, User], who: str
) -> None:
    employer = make_employer()
    if who == "client_director_wierden":
        assert services.assign_account_holder(
            actor=None, employer=employer, user=cast[who], started_on=date(2026, 1, 1)
        )
        return
    with pytest.raises(DomainError, match="kan geen accounthouder zijn"):
        services.assign_account_holder(
            actor=None, employer=employer, user=cast[who], started_on=date(2026, 1, 1)
        )


def test_merge_moves_everything_and_keeps_the_duplicate_as_history(
    cast: dict[str, User],
) -> None:
    survivor = make_employer(kvk="12345678", name="Twentse Metaal BV")
    duplicate = make_employer(kvk="11111111", name="Metaalbedrijf Twente", postcode="7450AA")
    services.save_contact(actor=None, employer=duplicate, name="Piet", function="HR")
    services.record_contact_moment(
        actor=cast["employer_adviser"],
        employer=duplicate,
        occurred_on=date(2026, 5, 1),
        channel="visit",
        subject="Kennismaking",
    )
    vacancy = make_vacancy(duplicate)
    services.assign_account_holder(
        actor=None, employer=survivor, user=cast["employer_adviser"], started_on=date(2026, 1, 1)
    )
    services.assign_account_holder(
        actor=None, employer=duplicate, user=cast["jobcoach_nuo"], started_on=date(2026, 1, 1)
    )

    services.merge_employers(
        actor=cast["employer_adviser"], survivor=survivor, duplicate=duplicate, on=date(2026, 6, 1)
    )

    duplicate.refresh_from_db()
    vacancy.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.merged_on == date(2026, 6, 1)
    assert EmployerContact.objects.get().employer == survivor
    assert ContactMoment.objects.get().employer == survivor
    assert vacancy.employer == survivor
    # One account holder: the survivor's; the duplicate's ended on the merge, kept as history.
    assert services.current_account_holder(survivor).user == cast["employer_adviser"]  # type: ignore[union-attr]
    assert survivor.accounts.filter(ended_on=date(2026, 6, 1)).count() == 1
    assert list(Employer.objects.current()) == [survivor]
    events = AuditEvent.objects.filter(action="employer.merged")
    assert {e.object_id for e in events} == {str(survivor.pk), str(duplicate.pk)}
    with pytest.raises(DomainError, match="al samengevoegd"):
        services.merge_employers(
            actor=None, survivor=survivor, duplicate=duplicate, on=date(2026, 6, 2)
        )


def test_merged_record_takes_no_new_contacts(region: None) -> None:
    survivor = make_employer(kvk="12345678")
    duplicate = make_employer(kvk="11111111", name="Ander", postcode="7450AA")
    services.merge_employers(
        actor=None, survivor=survivor, duplicate=duplicate, on=date(2026, 6, 1)
    )
    duplicate.refresh_from_db()
    with pytest.raises(DomainError, match="samengevoegd"):
        services.record_contact_moment(
            actor=None,
            employer=duplicate,
            occurred_on=date(2026, 5, 1),
            channel="phone",
            subject="x",
        )


def test_contact_log_is_shared_and_names_the_organisation(cast: dict[str, Any]) -> None:
    employer = make_employer()
    for who in ("employer_adviser", "jobcoach_nuo", "client_director_almelo"):
        services.record_contact_moment(
            actor=cast[who],
            employer=employer,
            occurred_on=date(2026, 5, 1),
            channel="phone",
            subject=f"Contact door {who}",
        )
    organisations = {m.organisation.code for m in employer.moments.all() if m.organisation}
    assert organisations == {"werkplein-west-twente", "nuo", "werkplein-almelo"}


def test_follow_up_before_the_contact_is_refused(region: None) -> None:
    with pytest.raises(DomainError) as error:
        services.record_contact_moment(
            actor=None,
            employer=make_employer(),
            occurred_on=date(2026, 5, 1),
            follow_up_on=date(2026, 4, 1),
            channel="phone",
            subject="x",
        )
    assert error.value.field == "follow_up_on"
