"""The shared test cast: the region, one user per role, and small factories (pytest fixtures)."""

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.db import transaction
from django.test import Client

from werkregie.accounts.models import User
from werkregie.client_direction.catalogue import load_catalogue
from werkregie.core.access import Role
from werkregie.hr.wages import load_wage_tables
from werkregie.organisations.models import Municipality, Organisation
from werkregie.organisations.region import load_region
from werkregie.people import services
from werkregie.people.models import Employment, Person
from werkregie.planning import services as planning_services
from werkregie.planning.models import PerformanceAgreement, Scenario
from werkregie.secondments.issuers import load_issuers
from werkregie.transition.models import LegacyEmployee

if TYPE_CHECKING:
    from rest_framework.test import APIClient

# Valid (11-proef) invented BSNs for tests.
BSN_A = "111222333"
BSN_B = "123456782"
BSN_INVALID = "123456789"

ROLE_CAST: dict[str, tuple[Role, str]] = {
    "client_director_almelo": (Role.CLIENT_DIRECTOR, "werkplein-almelo"),
    "client_director_wierden": (Role.CLIENT_DIRECTOR, "werkplein-wierden"),
    "jobcoach_nuo": (Role.JOB_COACH, "nuo"),
    "employer_adviser": (Role.EMPLOYER_ADVISER, "werkplein-west-twente"),
    "hr_nuo": (Role.HR_PAYROLL, "nuo"),
    "controller_wierden": (Role.CONTROLLER, "gemeente-wierden"),
    "board_nuo": (Role.BOARD, "nuo"),
    "transition_manager": (Role.TRANSITION_MANAGER, "gemeente-almelo"),
    "functional_admin": (Role.FUNCTIONAL_ADMIN, "gemeente-almelo"),
    "secretary_wierden": (Role.MUNICIPAL_SECRETARY, "gemeente-wierden"),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the regional model once per test database; tests roll back on top of it."""
    with django_db_blocker.unblock():
        load_region()
        load_catalogue()
        load_issuers()
        load_wage_tables()


def _ensure_region() -> None:
    # A transactional test (the browser tests) flushes the database: load it again then.
    if not Organisation.objects.filter(code="nuo").exists():
        load_region()
        load_catalogue()
        load_issuers()
        load_wage_tables()


@pytest.fixture
def region(db: Any) -> None:
    _ensure_region()


@contextlib.contextmanager
def kept_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Django's setUpTestData for a pytest module: rows made inside the block are kept for
    every test of the module (each test's own transaction is a savepoint inside this one, so
    what a test writes is still rolled back) and rolled back when the module is done. For
    large read-mostly fixtures such as the access matrix's world, made once, not per test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        _ensure_region()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def make_user(name: str, role: Role | None, org_code: str | None) -> User:
    org = Organisation.objects.get(code=org_code) if org_code else None
    user = User.objects.create_user(
        username=name,
        password="test-wachtwoord",
        role=role or "",
        organisation=org,
        is_staff=role == Role.FUNCTIONAL_ADMIN,
        is_superuser=role == Role.FUNCTIONAL_ADMIN,
    )
    return user


def make_cast() -> dict[str, User]:
    """Every role of the cast, plus `outsider`: a logged-in user without a role."""
    users = {name: make_user(name, role, org) for name, (role, org) in ROLE_CAST.items()}
    users["outsider"] = make_user("outsider", None, None)
    return users


@pytest.fixture
def cast(region: None) -> dict[str, User]:
    return make_cast()


def api_client(user: User) -> "APIClient":
    """An API client that authenticates as `user` with a key of their own (as integrations
    do), made as the user makes one: after enrolling the second factor."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return client


def api_key(user: User) -> str:
    """A fresh API key of `user` (their TOTP device enrolled first, as the service demands)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkregie.accounts.services import create_api_token

    TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    return create_api_token(actor=user, name="test", valid_days=30)[1]


def login_client(user: User) -> Client:
    """A test client logged in as `user` with the second factor passed."""
    client = Client()
    client.force_login(user)
    session = client.session
    # Mark the session as OTP-verified as django_otp.login would, with a real device.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login() -> Callable[[User], Client]:
    return login_client


def make_person(
    *,
    residence: str = "GM0141",
    bsn: str | None = None,
    surname: str = "Jansen",
    actor: User | None = None,
    birth_date: date = date(1970, 5, 17),
    sex: str = "M",
    **extra: Any,
) -> Person:
    return services.create_person(
        actor=actor,
        surname=surname,
        birth_date=birth_date,
        sex=sex,
        initials="J.",
        bsn=bsn,
        residence_municipality=Municipality.objects.get(cbs_code=residence),
        **extra,
    )


def make_employment(
    person: Person, *, employer: str = "gemeente-almelo", **extra: Any
) -> Employment:
    values: dict[str, Any] = {
        "kind": Employment.Kind.WSW,
        "indication": Employment.Indication.MODERATE,
        "work_form": Employment.WorkForm.SHELTERED_INSIDE,
        "scale": "3",
        "step": 4,
        "hours_per_week": Decimal("36.00"),
        "gross_monthly_wage": Decimal("2612.40"),
        "valid_from": date(2021, 1, 1),
        "employer": Organisation.objects.get(code=employer),
        **extra,
    }
    return services.create_employment(actor=None, person=person, **values)


def make_legacy_employee(
    number: str = "1", *, bsn: str = BSN_A, residence: str = "GM0141", **extra: Any
) -> LegacyEmployee:
    """A row of the old company's `medewerkers` export, as the importer stores it."""
    values: dict[str, Any] = {
        "personnel_number": number,
        "bsn": bsn,
        "surname": "Jansen",
        "birth_date": date(1970, 1, 1),
        "sex": "m",
        "residence": Municipality.objects.get(cbs_code=residence),
        "contract_kind": "wsw",
        "indication": "matig",
        "work_form": "beschut_binnen",
        "collective_agreement": "CAO SW",
        "hours_per_week": Decimal(36),
        "gross_monthly_wage": Decimal(2500),
        "start_date": date(2000, 1, 1),
        **extra,
    }
    return LegacyEmployee.objects.create(**values)


def make_agreement(*, year: int = 2026, municipality: str = "GM0189") -> PerformanceAgreement:
    """A draft prestatieafspraak of a municipality (Wierden) with the NUO."""
    return planning_services.save_agreement(
        actor=None,
        municipality=Municipality.objects.get(cbs_code=municipality),
        provider=Organisation.objects.get(code="nuo"),
        year=year,
        budget=Decimal(1000),
        mandate="",
        status="draft",
    )


def make_scenario(name: str = "Scenario") -> Scenario:
    """The split execution model to 2028, with plain assumptions."""
    return planning_services.save_scenario(
        actor=None,
        name=name,
        execution_model="split",
        until_year=2028,
        indexation_pct=Decimal(2),
        contribution_growth_pct=Decimal(1),
        overhead_per_work_year=Decimal(0),
        fixed_costs_per_organisation=Decimal(0),
        hazard_factor=Decimal(1),
    )


def finished_job(client: Any, response: Any, status: str = "done") -> dict[str, Any]:
    """A 202 that started a job: poll its Location (the tests run jobs in the request, so it
    has finished) and return the job, asserting its status."""
    assert response.status_code == 202, response.content
    job: dict[str, Any] = client.get(response["Location"]).json()
    assert job["status"] == status, job
    return job


def job_file_from_form(client: Any, url: str, data: dict[str, Any], position: int = 1) -> Any:
    """Post a screen's form that starts a job making files, follow to the job page (the tests
    run jobs in the request) and fetch its file number `position`."""
    import re

    page = client.post(url, data, follow=True)
    assert page.redirect_chain and page.redirect_chain[0][0].startswith("/taken/"), page
    links = re.findall(r'href="(/taken/[^"]+/bestanden/\d+/)"', page.content.decode())
    assert len(links) >= position, page.content.decode()[:2000]
    return client.get(links[position - 1])


def fingerprint_in(page: str) -> str:
    """The edit fingerprint (core.locking) a screen's form carries."""
    import re

    found = re.search(r'name="fingerprint" value="(\w+)"', page)
    assert found, "the form carries no fingerprint"
    return found.group(1)
