"""Builders for secondment tests: an employee, a contract with secondments, hours."""

from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.core.testing import make_employment, make_person
from werkregie.employer_services.tests.factories import make_employer
from werkregie.people.models import Person
from werkregie.secondments import services
from werkregie.secondments.models import Issuer, Secondment, SecondmentContract

MONTH = date(2026, 10, 1)


def nuo() -> Issuer:
    return Issuer.objects.get(organisation__code="nuo")


def employee(number: str, employer: str = "gemeente-almelo", **person: Any) -> Person:
    worker = make_person(personnel_number=number, **person)
    make_employment(worker, employer=employer, valid_from=date(2021, 1, 1))
    return worker


def make_contract(
    kvk: str = "12345678", rate: Decimal = Decimal("27.50"), **extra: Any
) -> SecondmentContract:
    hirer = make_employer(kvk=kvk, name=f"Inlener {kvk}", postcode=f"76{kvk[:2]}AB")
    return services.create_contract(
        actor=None,
        issuer=nuo(),
        hirer=hirer,
        hourly_rate=rate,
        start_date=date(2026, 1, 1),
        **extra,
    )


def second(
    contract: SecondmentContract, worker: Person, hours: Decimal = Decimal(32)
) -> Secondment:
    return services.add_secondment(
        actor=None,
        contract=contract,
        person=worker,
        hours_per_week=hours,
        start_date=date(2026, 1, 1),
    )
