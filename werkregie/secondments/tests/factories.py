"""Builders for secondment tests: an employee, a contract with secondments, hours."""

from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.employer_services.models import Employer
from werkregie.employer_services.tests.factories import make_employer
from werkregie.people.models import Person
from werkregie.secondments import services
from werkregie.secondments.models import Invoice, Issuer, Secondment, SecondmentContract
from werkregie.testing import make_employment, make_person

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


def make_sent_invoice(hirer: Employer, person: Person) -> Invoice:
    """A contract with `person` seconded, their October hours, and the invoice sent."""
    contract = services.create_contract(
        actor=None,
        issuer=nuo(),
        hirer=hirer,
        hourly_rate=Decimal("27.50"),
        start_date=date(2026, 1, 1),
    )
    secondment = services.add_secondment(
        actor=None,
        contract=contract,
        person=person,
        hours_per_week=Decimal(32),
        start_date=date(2026, 1, 1),
    )
    services.register_hours(actor=None, secondment=secondment, month=MONTH, hours=Decimal(120))
    draft = services.run_invoices(actor=None, issuer=contract.issuer, month=MONTH).drafts[0]
    return services.send_invoice(actor=None, invoice=draft, issued_on=date(2026, 11, 2))
