"""Every list a user scans answers in a constant number of queries, however many rows it
holds (issue 15): measured with one row, then with six, on the screen and the API alike.
A growing count is an N+1 query that the national data set would turn into seconds."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from werkregie.accounts.models import User
from werkregie.client_direction.tests.factories import make_client, make_order
from werkregie.core.models import Job
from werkregie.employer_services.services import record_match
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.hr import services as hr_services
from werkregie.hr.models import IndexationRun, PayrollExport
from werkregie.organisations.models import Organisation
from werkregie.secondments import services
from werkregie.secondments.tests.factories import employee, make_sent_invoice, nuo, second
from werkregie.testing import (
    api_client,
    login_client,
    make_agreement,
    make_employment,
    make_legacy_employee,
    make_person,
    make_scenario,
)
from werkregie.transition.plan_services import plan_transition

pytestmark = pytest.mark.django_db
_n = count(1)


def _employer() -> Any:
    n = next(_n)
    # Another employer on purpose: the similar-name check is confirmed, as a user would.
    return make_employer(kvk=f"{30000000 + n}", name=f"Werkgever {n} BV", confirmed=True)


def _contract() -> Any:
    contract = services.create_contract(
        actor=None,
        issuer=nuo(),
        hirer=_employer(),
        hourly_rate=Decimal("27.50"),
        start_date=date(2026, 1, 1),
    )
    second(contract, employee(f"7{next(_n):04d}"), hours=Decimal(20))
    return contract


def _job() -> Any:
    return Job.objects.create(
        operation="werkregie.hr.jobs.payroll_preview",
        title="Salarisbestanden",
        requested_by=User.objects.get(username="hr_nuo"),
        idempotency_key=f"key-{next(_n)}",
    )


def _payroll_export() -> Any:
    month = date(2020, 1, 1) + timedelta(days=31 * next(_n))
    return PayrollExport.objects.create(
        employer=Organisation.objects.get(code="nuo"), month=month.replace(day=1)
    )


def _plan_entry(**legacy: Any) -> Any:
    # A new plan supersedes the draft: it holds every legacy row, the new one included.
    n = next(_n)
    make_legacy_employee(f"{n}", bsn=f"{n:09d}", **legacy)
    return plan_transition(actor=None)


MAKERS: dict[str, Callable[[], Any]] = {
    "person": lambda: make_employment(make_person()),
    "client": lambda: make_client(),
    "order": lambda: make_order(),
    "employer": _employer,
    "vacancy": lambda: make_vacancy(_employer()),
    "profile": lambda: make_profile(make_person()),
    "contract": _contract,
    "invoice": lambda: make_sent_invoice(_employer(), employee(f"8{next(_n):04d}")),
    "change": lambda: hr_services.report_sick(
        actor=None, person=make_employment(make_person()).person, effective_date=date(2026, 2, 2)
    ),
    "event": lambda: make_person(),  # a registration is an audit event
    "match": lambda: record_match(
        actor=None,
        vacancy=make_vacancy(_employer()),
        profile=make_profile(make_person(), shareable=True),
        status="proposed",
        recorded_on=date(2026, 11, 2),
    ),
    "job": _job,
    "indexation": lambda: IndexationRun.objects.create(
        effective_date=date(2027, 1, next(_n) % 28 + 1)
    ),
    "payroll export": _payroll_export,
    "agreement": lambda: make_agreement(year=2030 + next(_n) % 70),
    "scenario": lambda: make_scenario(f"Scenario {next(_n)}"),
    "plan entry": _plan_entry,
    "plan flag": lambda: _plan_entry(site="Een plek die Soweco niet kende"),
}

# (role, screen or API list, what one more row is)
LISTS = [
    ("client_director_almelo", "/personen/", "person"),
    ("client_director_almelo", "/api/v1/persons", "person"),
    ("hr_nuo", "/api/v1/employments", "person"),
    ("client_director_almelo", "/klantregie/clienten/", "client"),
    ("client_director_almelo", "/api/v1/clients", "client"),
    ("client_director_almelo", "/klantregie/opdrachten/", "order"),
    ("client_director_almelo", "/api/v1/orders", "order"),
    ("employer_adviser", "/werkgevers/", "employer"),
    ("employer_adviser", "/api/v1/employers", "employer"),
    ("employer_adviser", "/vacatures/", "vacancy"),
    ("employer_adviser", "/api/v1/vacancies", "vacancy"),
    ("client_director_almelo", "/kandidaten/", "profile"),
    ("client_director_almelo", "/api/v1/candidate-profiles", "profile"),
    ("hr_nuo", "/detacheringen/", "contract"),
    ("hr_nuo", "/api/v1/secondment-contracts", "contract"),
    ("hr_nuo", "/facturen/?maand=2026-10", "invoice"),
    ("hr_nuo", "/api/v1/invoices", "invoice"),
    ("hr_nuo", "/mutaties/", "change"),
    ("hr_nuo", "/api/v1/employment-changes", "change"),
    ("functional_admin", "/auditlog/?action=person.created", "event"),
    ("employer_adviser", "/matches/", "match"),
    ("employer_adviser", "/api/v1/matches", "match"),
    ("hr_nuo", "/taken/", "job"),
    ("hr_nuo", "/api/v1/jobs", "job"),
    ("hr_nuo", "/indexatie/", "indexation"),
    ("hr_nuo", "/api/v1/indexation-runs", "indexation"),
    ("hr_nuo", "/api/v1/payroll-exports", "payroll export"),
    ("controller_wierden", "/prestatieafspraken/", "agreement"),
    ("controller_wierden", "/api/v1/performance-agreements", "agreement"),
    ("controller_wierden", "/scenarios/", "scenario"),
    ("controller_wierden", "/api/v1/scenarios", "scenario"),
    ("transition_manager", "/transitie/plan/", "plan entry"),
    ("transition_manager", "/api/v1/plan-entries", "plan entry"),
    ("transition_manager", "/api/v1/plan-flags", "plan flag"),
]


def _rows(response: Any) -> int:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        rows: list[Any] = body["results"] if isinstance(body, dict) else body
        return len(rows)
    page: str = response.content.decode()
    return page.count("<tr")


@pytest.mark.parametrize(("role", "url", "kind"), LISTS, ids=[f"{r}:{u}" for r, u, _ in LISTS])
def test_a_list_answers_in_constant_queries(
    cast: dict[str, User], role: str, url: str, kind: str
) -> None:
    client = api_client(cast[role]) if url.startswith("/api/") else login_client(cast[role])
    make = MAKERS[kind]
    make()
    client.get(url)  # the first request of a session warms its caches
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for _ in range(5):
        make()
    with CaptureQueriesContext(connection) as many:
        more = client.get(url)
    assert first.status_code == more.status_code == 200
    assert _rows(more) > _rows(first), "the added rows are not on the list: the test proves nothing"
    assert len(many) == len(few), "\n".join(q["sql"][:300] for q in many.captured_queries)
