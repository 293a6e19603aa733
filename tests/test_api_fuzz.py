"""API fuzzing: schemathesis generates requests for every documented operation and sends them
through the WSGI app. Every response must match the OpenAPI schema; no input may cause a 5xx.

Eight examples per operation and role, on each engine: scripts/test.sh runs this on SQLite and
on PostgreSQL with fresh random draws, so every operation sees sixteen per role in a run, and
each engine sees every operation (what one refuses the other may not, such as a NUL in text).
An operation the role may not use at all (only 403s) stops after two.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from werkregie.accounts.models import User
from werkregie.client_direction.models import Product
from werkregie.client_direction.services import place_order, register_client
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.planning import services as planning_services
from werkregie.secondments.tests.factories import make_sent_invoice
from werkregie.testing import (
    api_key,
    make_agreement,
    make_employment,
    make_legacy_employee,
    make_person,
    make_scenario,
)
from werkregie.transition.plan_services import plan_transition

pytestmark = pytest.mark.fuzz
EXAMPLES = 8  # per operation and role, on each engine
DENIED_EXAMPLES = 2


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Like Django's test client: a WSGI request must not close the test's DB connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _draft_plan() -> None:
    """A one-person draft plan, so the transition endpoints have something to work on."""
    make_legacy_employee()
    plan_transition(actor=None)


def _planning() -> None:
    """An agreement of Wierden with a target, a scenario and a decision to work on."""
    agreement = make_agreement()
    planning_services.save_target(
        actor=None,
        agreement=agreement,
        indicator="sheltered_places",
        product=None,
        target=Decimal(5),
    )
    make_scenario("Fuzz")
    planning_services.load_roadmap()


# HR sees the registry, the transitiemanager the transition endpoints, the klantregisseur the
# clients and orders, the jobcoach the orders placed with the NUO, the werkgeversadviseur the
# employers, vacancies and candidates, the controller planning & control (each gets 403
# elsewhere).
@pytest.mark.parametrize(
    "role",
    [
        "hr_nuo",
        "transition_manager",
        "client_director_almelo",
        "jobcoach_nuo",
        "employer_adviser",
        "controller_wierden",
    ],
)
def test_every_operation_conforms_to_its_schema(
    role: str, cast: dict[str, User], keep_test_connection: None
) -> None:
    person = make_person(bsn="111222333")
    make_employment(person)
    _draft_plan()
    client = register_client(
        actor=None, person=person, kind="participatiewet", registered_on=date(2024, 3, 1)
    )
    place_order(
        actor=None,
        client=client,
        product=Product.objects.get(provider__code="nuo", code="jobcoaching"),
        start_date=date(2025, 2, 1),
        end_date=date(2025, 7, 31),
        requested_on=date(2025, 1, 15),
    )
    vacancy = make_vacancy(make_employer())
    make_profile(person, shareable=True)
    make_sent_invoice(vacancy.employer, person)
    _planning()
    headers = {"Authorization": f"Token {api_key(cast[role])}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", WSGIHandler(), headers=headers)
    # An operation the loader could not parse arrives as Err; .ok() raises on it, failing here.
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 10

    for operation in operations:
        statuses: list[int] = []

        def fuzz(examples: int, operation: Any = operation, statuses: list[int] = statuses) -> None:
            @given(case=operation.as_strategy())
            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                # A schema-valid id of a row that does not exist is rightly a 400 or 404.
                response = case.call_and_validate(
                    headers=headers,
                    excluded_checks=[schemathesis.checks.positive_data_acceptance],
                )
                statuses.append(response.status_code)

            check()

        # What the role may not do at all answers 403 before reading any input: two examples
        # show that; the operations it may use get the rest.
        fuzz(DENIED_EXAMPLES)
        if set(statuses) != {403}:
            fuzz(EXAMPLES - DENIED_EXAMPLES)
