"""Every URL pattern × every role → expected status. A URL missing from MATRIX fails."""

from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.models import Product
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.hr import services as hr_services
from werkregie.hr.models import PayrollExport, StatisticsDelivery
from werkregie.organisations.models import Municipality, Organisation, Team
from werkregie.planning import services as planning_services
from werkregie.secondments.tests.factories import make_sent_invoice
from werkregie.testing import (
    ROLE_CAST,
    kept_for_module,
    login_client,
    make_cast,
    make_employment,
    make_legacy_employee,
    make_person,
)
from werkregie.transition.models import PlanEntry, RosterImport
from werkregie.transition.plan_services import plan_transition

# scripts/test.sh runs the matrix on PostgreSQL, the production engine (see there).
pytestmark = pytest.mark.matrix

ROLES = [*ROLE_CAST, "outsider", "anonymous"]
VIEWERS = {
    "client_director_almelo",
    "client_director_wierden",
    "jobcoach_nuo",
    "hr_nuo",
    "transition_manager",
}
# The person of the matrix lives in Almelo and works in an NUO team, employed by Almelo.
IN_SCOPE = {"client_director_almelo", "jobcoach_nuo", "hr_nuo", "transition_manager"}
CREATORS = {"client_director_almelo", "client_director_wierden", "hr_nuo"}
CHANGERS = {"client_director_almelo", "hr_nuo"}
CLIENT_DIRECTORS = {"client_director_almelo", "client_director_wierden"}
WIERDEN = {"client_director_wierden"}
ORDER_SIDES = CLIENT_DIRECTORS | {"jobcoach_nuo"}
# The employer approach: the werkpleinen's klantregisseurs, the NUO's jobcoach, the adviser.
EMPLOYER_SIDE = ORDER_SIDES | {"employer_adviser"}
ADVISER = {"employer_adviser"}
# The matrix profile is the matrix person's: an Almelo client in an NUO team, kept by the
# werkplein; both guides see it whole, the adviser pseudonymised, Wierden not at all.
PROFILE_GUIDES = {"client_director_almelo", "jobcoach_nuo"}
# Secondments: the NUO contracts and invoices them; its staff see who is seconded.
SECONDMENT_SIDE = {"employer_adviser", "hr_nuo", "jobcoach_nuo"}
NUO_STAFF = {"hr_nuo", "jobcoach_nuo"}
HR = {"hr_nuo"}
REVENUE = {"hr_nuo", "controller_wierden", "board_nuo"}
# HR aggregates (wage costs, statistiek totals, rijksbijdrage, wage tables): HR, the
# controller (their municipality) and the board. Personal HR data: HR only.
REPORTS = REVENUE
# Planning & control (aggregates): the controller (their municipality), the board, the
# transition manager and the municipal secretary.
PLANNING = {"controller_wierden", "board_nuo", "transition_manager", "secretary_wierden"}
AGREEMENT_EDITORS = {"controller_wierden"}
SCENARIO_EDITORS = {"controller_wierden", "board_nuo", "transition_manager"}
ROADMAP_EDITORS = {"transition_manager", "secretary_wierden"}


def ui(
    allowed: AbstractSet[str],
    *,
    denied: int = 403,
    out_of_scope: AbstractSet[str] = frozenset(),
    ok: int = 200,
) -> Callable[[str], int]:
    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        if role in allowed:
            return ok
        return 404 if role in out_of_scope else denied

    return expected


def person_page(allowed: AbstractSet[str]) -> Callable[[str], int]:
    """Outside scope or without person access: 404; in scope without the action: 403."""

    def expected(role: str) -> int:
        if role == "anonymous":
            return 302
        if role in allowed:
            return 200
        return 403 if role in IN_SCOPE else 404

    return expected


def api(
    allowed: AbstractSet[str], *, ok: int = 200, hidden: AbstractSet[str] = frozenset()
) -> Callable[[str], int]:
    def expected(role: str) -> int:
        if role == "anonymous":
            return 401
        if role in hidden:
            return 404
        return ok if role in allowed else 403

    return expected


EVERY_ROLE = set(ROLE_CAST)
MATRIX: dict[str, tuple[str, Callable[[str], int]]] = {
    "home": ("get", ui(EVERY_ROLE | {"outsider"})),
    "accounts:login": ("get", lambda role: 200),
    "accounts:verify": ("get", lambda role: 302),
    "accounts:enroll": ("get", lambda role: 302),
    "accounts:logout": ("post", lambda role: 302),
    "core:audit": ("get", ui({"functional_admin"})),
    "core:health": ("get", lambda role: 200),
    # Everyone sees the jobs they started; another's job is not there (404).
    "core:jobs": ("get", ui(EVERY_ROLE)),
    "core:job": ("get", ui({"hr_nuo"}, out_of_scope=EVERY_ROLE - {"hr_nuo"})),
    "api:job-list": ("get", api(EVERY_ROLE)),
    "api:job-detail": ("get", api({"hr_nuo"}, hidden=EVERY_ROLE - {"hr_nuo"})),
    "core:job_file": ("get", ui({"hr_nuo"}, out_of_scope=EVERY_ROLE - {"hr_nuo"})),
    "api:job-file": ("get", api({"hr_nuo"}, hidden=EVERY_ROLE - {"hr_nuo"})),
    # Everyone manages their own API keys; a key is revoked only by its owner (others: 404).
    "accounts:api_tokens": ("get", ui(EVERY_ROLE | {"outsider"})),
    "accounts:api_token_revoke": ("post", ui({"hr_nuo"}, ok=302, denied=404)),
    "accounts:users": ("get", ui({"functional_admin"})),
    "accounts:user": ("get", ui({"functional_admin"})),
    "organisations:chart": ("get", ui(EVERY_ROLE)),
    "organisations:detail": ("get", ui(EVERY_ROLE)),
    "client_direction:catalogue": ("get", ui(EVERY_ROLE)),
    "client_direction:clients": ("get", ui(CLIENT_DIRECTORS)),
    # The matrix client lives in Almelo: Wierden's klantregisseur gets 404.
    "client_direction:client": (
        "get",
        ui({"client_director_almelo"}, out_of_scope={"client_director_wierden"}),
    ),
    "client_direction:client_register": (
        "get",
        ui({"client_director_almelo"}, out_of_scope={"client_director_wierden"}),
    ),
    "client_direction:consent_add": (
        "post",
        ui({"client_director_almelo"}, ok=302, out_of_scope={"client_director_wierden"}),
    ),
    "client_direction:consent_withdraw": (
        "post",
        ui({"client_director_almelo"}, ok=302, out_of_scope={"client_director_wierden"}),
    ),
    "client_direction:restriction_add": (
        "post",
        ui({"client_director_almelo"}, ok=302, out_of_scope={"client_director_wierden"}),
    ),
    # Orders: each side its own; the matrix order is an Almelo client's, placed with the NUO.
    "client_direction:orders": ("get", ui(ORDER_SIDES)),
    "client_direction:order": (
        "get",
        ui({"client_director_almelo", "jobcoach_nuo"}, out_of_scope=WIERDEN),
    ),
    "client_direction:order_place": (
        "get",
        ui({"client_director_almelo"}, out_of_scope=WIERDEN),
    ),
    # Stopping without a result: a redirect with a Dutch message, nothing changed.
    "client_direction:order_step": (
        "post",
        ui({"client_director_almelo", "jobcoach_nuo"}, ok=302, out_of_scope=WIERDEN),
    ),
    "client_direction:hand_over": ("get", ui(ORDER_SIDES)),
    "client_direction:statement": ("get", ui(ORDER_SIDES)),
    "client_direction:statement_file": ("post", ui(ORDER_SIDES, ok=302)),
    "employer_services:employers": ("get", ui(EMPLOYER_SIDE)),
    "employer_services:employer_create": ("get", ui(ADVISER)),
    "employer_services:employer_import": ("get", ui(ADVISER)),
    "employer_services:employer": ("get", ui(EMPLOYER_SIDE)),
    "employer_services:employer_edit": ("get", ui(ADVISER)),
    # A contact moment without fields: a redirect with a Dutch message, nothing saved.
    "employer_services:employer_step": ("post", ui(EMPLOYER_SIDE, ok=302)),
    "employer_services:vacancy_create": ("get", ui(ADVISER)),
    "employer_services:vacancies": ("get", ui(EMPLOYER_SIDE)),
    "employer_services:vacancy": ("get", ui(EMPLOYER_SIDE)),
    "employer_services:vacancy_edit": ("get", ui(ADVISER)),
    "employer_services:vacancy_outcome": (
        "post",
        ui(PROFILE_GUIDES | ADVISER, ok=302, out_of_scope=WIERDEN),
    ),
    "employer_services:profiles": ("get", ui(EMPLOYER_SIDE)),
    # A new Almelo resident: only Almelo's klantregisseur may see (and profile) them.
    "employer_services:profile_create": (
        "get",
        ui({"client_director_almelo"}, out_of_scope=WIERDEN | {"jobcoach_nuo"}),
    ),
    "employer_services:profile": ("get", ui(PROFILE_GUIDES | ADVISER, out_of_scope=WIERDEN)),
    "employer_services:profile_edit": ("get", ui(PROFILE_GUIDES, out_of_scope=WIERDEN)),
    "employer_services:profile_step": ("post", ui(PROFILE_GUIDES, ok=302, out_of_scope=WIERDEN)),
    "employer_services:matches": ("get", ui(EMPLOYER_SIDE)),
    "api:employer-list": ("get", api(EMPLOYER_SIDE)),
    "api:employer-detail": ("get", api(EMPLOYER_SIDE)),
    "api:employer-merge": ("post", api(ADVISER, ok=400)),  # {} names no duplicate
    "api:employer-assign-account-holder": ("post", api(ADVISER, ok=400)),
    "api:employer-release-account-holder": ("post", api(ADVISER, ok=400)),
    "api:employer-contacts": ("get", api(EMPLOYER_SIDE)),
    "api:employer-moments": ("get", api(EMPLOYER_SIDE)),
    "api:employer-agreements": ("get", api(EMPLOYER_SIDE)),
    "api:employer-import-file": ("post", api(ADVISER, ok=415)),  # the upload is multipart
    "api:vacancy-list": ("get", api(EMPLOYER_SIDE)),
    "api:vacancy-detail": ("get", api(EMPLOYER_SIDE)),
    "api:vacancy-candidates": ("get", api(EMPLOYER_SIDE)),
    "api:candidate-profile-list": ("get", api(EMPLOYER_SIDE)),
    "api:candidate-profile-detail": ("get", api(PROFILE_GUIDES | ADVISER, hidden=WIERDEN)),
    "api:candidate-profile-consent": ("post", api(PROFILE_GUIDES, ok=400, hidden=WIERDEN)),
    "api:candidate-profile-withdraw-consent": (
        "post",
        api(PROFILE_GUIDES, ok=400, hidden=WIERDEN),
    ),
    "api:candidate-profile-vacancies": (
        "get",
        api(PROFILE_GUIDES | ADVISER, hidden=WIERDEN),
    ),
    "api:match-list": ("get", api(EMPLOYER_SIDE)),
    "secondments:contracts": ("get", ui(SECONDMENT_SIDE)),
    "secondments:contract_create": ("get", ui({"employer_adviser", "hr_nuo"})),
    "secondments:contract": ("get", ui(SECONDMENT_SIDE)),
    # Hours without a month: a redirect with a Dutch message, nothing saved.
    "secondments:contract_step": ("post", ui(NUO_STAFF, ok=302)),
    "secondments:invoices": ("get", ui({"employer_adviser", "hr_nuo"})),
    # The matrix invoice is the NUO's: the adviser (a werkplein's) does not see it.
    "secondments:invoice": ("get", ui(HR, out_of_scope=ADVISER)),
    "secondments:invoice_step": ("post", ui(HR, ok=302)),
    "secondments:invoice_run": ("post", ui(HR, ok=302)),
    "secondments:revenue": ("get", ui(REVENUE)),
    "hr:wage_tables": ("get", ui(REPORTS)),
    "hr:changes": ("get", ui(HR)),
    "hr:periodic_increases": ("post", ui(HR, ok=302)),
    "hr:indexations": ("get", ui(HR)),
    "hr:indexation": ("get", ui(HR)),
    "hr:indexation_step": ("post", ui(HR, ok=302)),
    "hr:payroll": ("get", ui(HR)),
    "hr:payroll_finalise": ("post", ui(HR, ok=302)),
    "hr:payroll_download": ("get", ui(HR)),
    "hr:costs": ("get", ui(REPORTS)),
    "hr:statistics": ("get", ui(REPORTS)),
    "hr:statistics_file": ("get", ui(HR)),
    "hr:statistics_deliver": ("post", ui(HR, ok=302)),
    "hr:statistics_delivered": ("get", ui(HR)),
    "hr:contribution": ("get", ui(REPORTS)),
    "api:wage-table-list": ("get", api(REPORTS)),
    "api:employment-change-list": ("get", api(HR)),
    "api:indexation-run-list": ("get", api(HR)),
    "api:indexation-run-detail": ("get", api(HR)),
    "api:indexation-run-lines": ("get", api(HR)),
    "api:indexation-run-approve": ("post", api(HR)),
    "api:indexation-run-withdraw": ("post", api(HR)),
    "api:payroll-export-list": ("get", api(HR)),
    "api:payroll-export-detail": ("get", api(HR)),
    "api:payroll-export-download": ("get", api(HR)),
    "api:payroll-export-preview": ("post", api(HR, ok=400)),  # no employer and month
    "api:cost-report-list": ("get", api(REPORTS)),
    # The matrix person lives in Almelo: Wierden's controller gets 404 for Almelo's figures.
    "api:wsw-statistics-list": ("get", api(REPORTS, hidden={"controller_wierden"})),
    "api:wsw-statistics-file": ("get", api(HR)),
    "api:wsw-statistics-deliver": ("post", api(HR, ok=400)),  # {} names no municipality
    "api:wsw-statistics-deliveries": ("get", api(HR)),
    "api:state-contribution-list": ("get", api(REPORTS)),
    "api:employer-charge-list": ("get", api(REPORTS)),
    "planning:agreements": ("get", ui(PLANNING)),
    "planning:agreement": ("get", ui(PLANNING)),
    "planning:agreement_step": ("post", ui(AGREEMENT_EDITORS, ok=302)),
    "planning:report": ("get", ui(PLANNING)),
    "planning:forecast": ("get", ui(PLANNING)),
    "planning:scenarios": ("get", ui(PLANNING)),
    "planning:scenario": ("get", ui(SCENARIO_EDITORS)),
    "planning:real_estate": ("get", ui(PLANNING)),
    "planning:roadmap": ("get", ui(EVERY_ROLE)),
    "planning:decision": ("get", ui(EVERY_ROLE)),
    "planning:document": ("get", ui(EVERY_ROLE)),
    "api:performance-agreement-list": ("get", api(PLANNING)),
    "api:performance-agreement-detail": ("get", api(PLANNING)),
    # 428: let through, then asked for the agreement's ETag (optimistic locking).
    "api:performance-agreement-targets": ("post", api(AGREEMENT_EDITORS, ok=428)),
    "api:performance-agreement-agree": ("post", api(AGREEMENT_EDITORS, ok=428)),
    "api:pc-report-list": ("get", api(PLANNING)),
    "api:forecast-list": ("get", api(PLANNING)),
    "api:scenario-list": ("get", api(PLANNING)),
    "api:scenario-detail": ("get", api(PLANNING)),
    "api:scenario-compare": ("get", api(PLANNING, ok=400)),  # no scenarios named
    "api:real-estate-list": ("get", api(PLANNING)),
    "api:site-cost-list": ("get", api(PLANNING)),
    "api:activity-list": ("get", api(EVERY_ROLE)),
    "api:activity-detail": ("get", api(EVERY_ROLE)),
    "api:decision-list": ("get", api(EVERY_ROLE)),
    "api:decision-detail": ("get", api(EVERY_ROLE)),
    "api:decision-documents": ("post", api(ROADMAP_EDITORS, ok=400)),
    "api:secondment-contract-list": ("get", api(SECONDMENT_SIDE)),
    "api:secondment-contract-detail": ("get", api(SECONDMENT_SIDE)),
    "api:secondment-contract-secondments": ("get", api(NUO_STAFF)),
    "api:secondment-contract-hours": ("post", api(NUO_STAFF, ok=428)),  # If-Match asked
    "api:secondment-contract-end": ("post", api(HR, ok=400)),
    "api:invoice-list": ("get", api({"employer_adviser", "hr_nuo"})),
    "api:invoice-detail": ("get", api(HR, hidden=ADVISER)),
    "api:invoice-ubl": ("get", api(HR, hidden=ADVISER)),
    "api:invoice-run": ("post", api(HR, ok=400)),
    "api:invoice-send-drafts": ("post", api(HR, ok=400)),
    "api:invoice-send": ("post", api(HR, ok=400)),  # already sent
    "api:invoice-credit": ("post", api(HR, ok=400)),  # {} gives no reason
    "api:revenue-list": ("get", api(REVENUE)),
    "people:list": ("get", ui(VIEWERS)),
    "people:search": ("post", ui(VIEWERS)),
    "people:create": ("get", ui(CREATORS)),
    "people:detail": ("get", person_page(IN_SCOPE)),
    "people:edit": ("get", person_page(CHANGERS & IN_SCOPE)),
    "people:employment_change": ("get", person_page({"hr_nuo"})),
    "transition:import": ("get", ui({"transition_manager"})),
    "transition:plan": ("get", ui({"transition_manager"})),
    "transition:entry": ("get", ui({"transition_manager"})),
    "transition:resolve_bulk": ("post", ui({"transition_manager"}, ok=302)),
    # Lifecycle steps redirect with a Dutch message when the plan is not ready for them.
    "transition:propose": ("post", ui({"transition_manager"}, ok=302)),
    "transition:approval": ("get", ui({"secretary_wierden"})),
    "transition:approve": ("post", ui({"secretary_wierden"}, ok=302)),
    "transition:execute": ("post", ui({"transition_manager"}, ok=302)),
    "transition:withdraw": ("post", ui({"transition_manager"}, ok=302)),
    "transition:report": ("get", ui({"transition_manager", "secretary_wierden"})),
    "admin:index": ("get", lambda role: 200 if role == "functional_admin" else 302),
    # The admin paths of issue 20: users are listed and named there, but role, organisation,
    # flags, passwords of others and TOTP devices are out of its reach.
    "admin:accounts_user_changelist": (
        "get",
        lambda role: 200 if role == "functional_admin" else 302,
    ),
    "admin:accounts_user_change": ("get", lambda role: 200 if role == "functional_admin" else 302),
    "admin:auth_user_password_change": (
        "get",
        lambda role: 403 if role == "functional_admin" else 302,
    ),
    "api-schema": ("get", lambda role: 401 if role == "anonymous" else 200),
    "api:municipality-list": ("get", api(EVERY_ROLE)),
    "api:municipality-detail": ("get", api(EVERY_ROLE)),
    "api:organisation-list": ("get", api(EVERY_ROLE)),
    "api:organisation-detail": ("get", api(EVERY_ROLE)),
    "api:product-list": ("get", api(EVERY_ROLE)),
    "api:product-detail": ("get", api(EVERY_ROLE)),
    "api:client-list": ("get", api(CLIENT_DIRECTORS)),
    "api:client-detail": ("get", api({"client_director_almelo"}, hidden=WIERDEN)),
    "api:client-consents": ("post", api({"client_director_almelo"}, ok=400, hidden=WIERDEN)),
    "api:client-withdraw-consent": (
        "post",
        api({"client_director_almelo"}, ok=400, hidden=WIERDEN),
    ),
    "api:client-restrictions": ("get", api({"client_director_almelo"}, hidden=WIERDEN)),
    # The matrix order: an Almelo client's jobcoaching at the NUO, just requested.
    "api:order-list": ("get", api(CLIENT_DIRECTORS | {"jobcoach_nuo"})),
    "api:order-detail": ("get", api({"client_director_almelo", "jobcoach_nuo"}, hidden=WIERDEN)),
    "api:order-progress": (
        "get",
        api({"client_director_almelo", "jobcoach_nuo"}, hidden=WIERDEN),
    ),
    "api:order-accept": ("post", api({"jobcoach_nuo"})),
    "api:order-refuse": ("post", api({"jobcoach_nuo"}, ok=400)),  # {} lacks the reason
    "api:order-start": ("post", api({"jobcoach_nuo"}, ok=400)),  # not accepted yet
    "api:order-complete": ("post", api({"jobcoach_nuo"}, ok=400)),
    "api:order-stop": (
        "post",
        api({"client_director_almelo", "jobcoach_nuo"}, ok=400, hidden=WIERDEN),
    ),
    "api:client-hand-over": ("post", api(CLIENT_DIRECTORS, ok=400)),  # {} names nobody
    "api:order-hand-over": ("post", api({"jobcoach_nuo"}, ok=400)),
    "api:statement-list": ("get", api(ORDER_SIDES)),
    "api:statement-files": ("post", api(ORDER_SIDES, ok=400)),  # no month and format
    "api:person-list": ("get", api(VIEWERS)),
    "api:person-detail": ("get", api(IN_SCOPE, hidden={"client_director_wierden"})),
    "api:person-search": ("post", api(VIEWERS, ok=400)),  # allowed; {} lacks the query
    "api:employment-list": ("get", api(VIEWERS)),
    "api:employment-detail": ("get", api(IN_SCOPE, hidden={"client_director_wierden"})),
    "api:employment-change": ("post", api({"hr_nuo"}, ok=400)),  # allowed; {} lacks the date
    "api:roster-import-list": ("get", api({"transition_manager"})),
    "api:roster-import-detail": ("get", api({"transition_manager"})),
    "api:transition-plan-list": ("get", api({"transition_manager", "secretary_wierden"})),
    "api:transition-plan-detail": ("get", api({"transition_manager", "secretary_wierden"})),
    "api:transition-plan-report": ("get", api({"transition_manager", "secretary_wierden"})),
    # The matrix plan is a draft without open flags: it can be proposed, not yet approved
    # or executed (400 with a Dutch message).
    "api:transition-plan-propose": ("post", api({"transition_manager"})),
    "api:transition-plan-approve": ("post", api({"secretary_wierden"}, ok=400)),
    "api:transition-plan-execute": ("post", api({"transition_manager"}, ok=400)),
    # A draft cannot be withdrawn (400 with a Dutch message).
    "api:transition-plan-withdraw": ("post", api({"transition_manager"}, ok=400)),
    "api:plan-entry-list": ("get", api({"transition_manager"})),
    "api:plan-entry-detail": ("get", api({"transition_manager"})),
    "api:plan-entry-resolve": ("post", api({"transition_manager"}, ok=400)),  # {} lacks a reason
    "api:plan-flag-list": ("get", api({"transition_manager"})),
    "api:plan-flag-resolve": ("post", api({"transition_manager"}, ok=400)),
}
# The rest of Django's admin checks its own staff permissions; its index stands for it.
SKIPPED_NAMESPACES = {"admin"}


def _names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_every_url_pattern_is_in_the_matrix() -> None:
    missing = {
        name
        for name in _names(get_resolver())
        if name not in MATRIX and name.split(":")[0] not in SKIPPED_NAMESPACES
    }
    assert not missing, f"URL patterns missing from the access matrix: {sorted(missing)}"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[dict[str, User], Any]]:
    """The cast and one object of every kind, made once for the module (2,500 tests read
    them; each test's own writes still roll back)."""
    with kept_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            made = make_cast(), _objects()
        yield made


@pytest.fixture
def cast(world: tuple[dict[str, User], Any], db: None) -> dict[str, User]:
    return world[0]


@pytest.fixture
def objects(world: tuple[dict[str, User], Any], db: None) -> dict[str, Any]:
    return world[1]  # type: ignore[no-any-return]


def _objects() -> dict[str, Any]:
    nuo = Organisation.objects.get(code="nuo")
    person = make_person(residence="GM0141")
    employment = make_employment(person, team=Team.objects.create(name="Matrix", organisation=nuo))
    legacy = make_legacy_employee(residence=person.residence_municipality.cbs_code)
    plan = plan_transition(actor=None)
    entry = PlanEntry.objects.get(legacy=legacy)
    client = services.register_client(
        actor=None, person=person, kind="participatiewet", registered_on=date(2024, 3, 1)
    )
    employer = make_employer()
    invoice = make_sent_invoice(employer, person)
    decision = planning_services.save_decision(
        actor=None,
        body="db",
        municipality=None,
        kind="decision",
        subject="Matrix",
        date=date(2026, 1, 1),
        outcome="pending",
        activity=None,
        note="",
    )
    scenario_values: dict[str, Any] = {
        "until_year": 2028,
        "indexation_pct": Decimal(2),
        "contribution_growth_pct": Decimal(1),
        "overhead_per_work_year": Decimal(0),
        "fixed_costs_per_organisation": Decimal(0),
        "hazard_factor": Decimal(1),
    }
    return {
        "agreement": planning_services.save_agreement(
            actor=None,
            municipality=Municipality.objects.get(cbs_code="GM0189"),
            provider=nuo,
            year=2026,
            budget=Decimal(1000),
            mandate="",
            status="draft",
        ),
        "scenario": planning_services.save_scenario(
            actor=None, name="Matrix", execution_model="joint", **scenario_values
        ),
        "activity": planning_services.save_activity(
            actor=None,
            what="Matrix",
            who="DB",
            date=date(2026, 1, 1),
            time="",
            place="",
            status="planned",
            source="",
        ),
        "decision": decision,
        "document": planning_services.attach_document(
            actor=None, decision=decision, name="besluit.txt", content=b"Besluit"
        ),
        "indexation": hr_services.propose_indexation(actor=None, effective_date=date(2026, 7, 1)),
        "payroll_export": PayrollExport.objects.create(
            employer=employment.employer, month=date(2026, 1, 1)
        ),
        "delivery": StatisticsDelivery.objects.create(
            municipality=person.residence_municipality,
            year=2026,
            half=1,
            content="gemeentecode\n",
            sha256="0" * 64,
            persons=0,
            work_years=Decimal(0),
        ),
        "contract": invoice.lines.get().secondment.contract,
        "invoice": invoice,
        "employer": employer,
        "vacancy": make_vacancy(employer, demands=0),
        "profile": make_profile(person),
        "person": person,
        "employment": employment,
        "organisation": nuo,
        "entry": entry,
        "plan": plan,
        "import": RosterImport.objects.create(files=[], counts={}),
        "client": client,
        "order": services.place_order(
            actor=None,
            client=client,
            product=Product.objects.get(provider__code="nuo", code="jobcoaching"),
            start_date=date(2025, 2, 1),
            end_date=date(2025, 7, 31),
            requested_on=date(2025, 1, 15),
        ),
        "consent": services.record_consent(
            actor=None,
            client=client,
            subject="progress",
            shared_with=nuo,
            given_on=date(2024, 3, 1),
        ),
    }


def _url(name: str, objects: dict[str, Any]) -> str:
    if name in ("core:job", "api:job-detail", "core:job_file", "api:job-file"):
        from werkregie.core.models import Job, JobFile

        job = Job.objects.create(
            operation="werkregie.planning.jobs.forecast",
            title="Prognose Wsw",
            requested_by=User.objects.get(username="hr_nuo"),
            idempotency_key="matrix",
            status=Job.Status.DONE,
        )
        JobFile.objects.create(
            job=job, position=1, label="Excel", name="x.xlsx", content_type="x", content=b"x"
        )
        return reverse(name, args=[job.pk, 1] if "file" in name else [job.pk])
    if name == "accounts:api_token_revoke":
        from werkregie.accounts.services import create_api_token
        from werkregie.testing import api_key

        owner = User.objects.get(username="hr_nuo")
        api_key(owner)
        token = create_api_token(actor=owner, name="matrix", valid_days=1)[0]
        return reverse(name, args=[token.pk])
    if name in ("accounts:user", "admin:accounts_user_change", "admin:auth_user_password_change"):
        return reverse(name, args=[User.objects.get(username="hr_nuo").pk])
    if name in ("hr:indexation", "api:indexation-run-detail", "api:indexation-run-lines") or (
        name in ("api:indexation-run-approve", "api:indexation-run-withdraw")
    ):
        return reverse(name, args=[objects["indexation"].pk])
    if name == "hr:indexation_step":
        return reverse(name, args=[objects["indexation"].pk, "intrekken"])
    if name == "hr:payroll_download":
        return reverse(name, args=[objects["payroll_export"].pk, "csv"])
    if name in ("api:payroll-export-detail", "api:payroll-export-download"):
        return reverse(name, args=[objects["payroll_export"].pk])
    if name == "hr:statistics_delivered":
        return reverse(name, args=[objects["delivery"].pk])
    if name in ("api:wsw-statistics-list", "api:wsw-statistics-file"):
        return f"{reverse(name)}?municipality=GM0141&year=2026&half=1"
    if name == "api:cost-report-list":
        return f"{reverse(name)}?start=2026-01&end=2026-03"
    if name == "api:state-contribution-list":
        return f"{reverse(name)}?year=2026"
    if name == "api:employer-charge-list":
        return reverse(name)
    if name == "planning:agreement_step":
        return reverse(name, args=[objects["agreement"].pk, "vaststellen"])
    if name.startswith("api:performance-agreement-") and not name.endswith("-list"):
        return reverse(name, args=[objects["agreement"].pk])
    if name == "planning:agreement":
        return reverse(name, args=[objects["agreement"].pk])
    if name in ("planning:scenario", "api:scenario-detail"):
        return reverse(name, args=[objects["scenario"].pk])
    if name in ("planning:decision", "api:decision-detail", "api:decision-documents"):
        return reverse(name, args=[objects["decision"].pk])
    if name == "planning:document":
        return reverse(name, args=[objects["document"].pk])
    if name == "api:activity-detail":
        return reverse(name, args=[objects["activity"].pk])
    if name == "api:pc-report-list":
        return f"{reverse(name)}?year=2026&quarter=3"
    if name == "secondments:contract_step":
        return reverse(name, args=[objects["contract"].pk, "uren"])
    if name == "secondments:invoice_step":
        return reverse(name, args=[objects["invoice"].pk, "versturen"])
    if name == "secondments:invoice_run":
        return reverse(name, args=["maken"])
    if name == "api:revenue-list":
        return f"{reverse(name)}?year=2026"
    if name == "secondments:contract" or (
        name.startswith("api:secondment-contract-") and name != "api:secondment-contract-list"
    ):
        return reverse(name, args=[objects["contract"].pk])
    if name == "secondments:invoice" or (
        name.startswith("api:invoice-")
        and name not in ("api:invoice-list", "api:invoice-run", "api:invoice-send-drafts")
    ):
        return reverse(name, args=[objects["invoice"].pk])
    if name == "employer_services:employer_step":
        return reverse(name, args=[objects["employer"].pk, "contactmoment"])
    if name == "employer_services:profile_step":
        return reverse(name, args=[objects["profile"].pk, "toestemming"])
    if name == "employer_services:vacancy_outcome":
        return reverse(name, args=[objects["vacancy"].pk, objects["profile"].pk])
    if name == "employer_services:profile_create":
        return reverse(name, args=[make_person(residence="GM0141", surname="Kandidaat").pk])
    if name in ("employer_services:employer", "employer_services:employer_edit") or (
        name.startswith("api:employer-")
        and name not in ("api:employer-list", "api:employer-import-file")
    ):
        return reverse(name, args=[objects["employer"].pk])
    if name == "employer_services:vacancy_create":
        return reverse(name, args=[objects["employer"].pk])
    if name in ("employer_services:vacancy", "employer_services:vacancy_edit") or (
        name.startswith("api:vacancy-") and name != "api:vacancy-list"
    ):
        return reverse(name, args=[objects["vacancy"].pk])
    if name in ("employer_services:profile", "employer_services:profile_edit") or (
        name.startswith("api:candidate-profile-") and name != "api:candidate-profile-list"
    ):
        return reverse(name, args=[objects["profile"].pk])
    if name in ("people:detail", "people:edit", "api:person-detail"):
        return reverse(name, args=[objects["person"].pk])
    if name in ("people:employment_change", "api:employment-detail", "api:employment-change"):
        return reverse(name, args=[objects["employment"].pk])
    if name in ("organisations:detail", "api:organisation-detail"):
        return reverse(name, args=[objects["organisation"].pk])
    if name in ("transition:entry", "api:plan-entry-detail", "api:plan-entry-resolve"):
        return reverse(name, args=[objects["entry"].pk])
    if name.startswith("api:transition-plan-") and name != "api:transition-plan-list":
        return reverse(name, args=[objects["plan"].pk])
    if name == "api:roster-import-detail":
        return reverse(name, args=[objects["import"].pk])
    if name == "client_direction:client_register":
        return reverse(name, args=[make_person(residence="GM0141", surname="Nieuw").pk])
    if name == "client_direction:consent_withdraw":
        return reverse(name, args=[objects["client"].pk, objects["consent"].pk])
    if name == "client_direction:order":
        return reverse(name, args=[objects["order"].pk])
    if name == "client_direction:order_step":
        return reverse(name, args=[objects["order"].pk, "stoppen"])
    if name == "api:statement-list":
        return f"{reverse(name)}?month=2025-03"
    if name.startswith("client_direction:") and name not in (
        "client_direction:catalogue",
        "client_direction:clients",
        "client_direction:orders",
        "client_direction:hand_over",
        "client_direction:statement",
        "client_direction:statement_file",
    ):
        return reverse(name, args=[objects["client"].pk])
    if name.startswith("api:order-") and name not in ("api:order-list", "api:order-hand-over"):
        return reverse(name, args=[objects["order"].pk])
    if name.startswith("api:client-") and name not in ("api:client-list", "api:client-hand-over"):
        return reverse(name, args=[objects["client"].pk])
    if name == "api:product-detail":
        return reverse(name, args=[Product.objects.get(provider__code="nuo", code="training").pk])
    if name == "api:municipality-detail":
        return reverse(name, args=[objects["person"].residence_municipality_id])
    return reverse(name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name: str, role: str, cast: dict[str, User], objects: dict[str, Any]) -> None:
    method, expected = MATRIX[name]
    client = Client() if role == "anonymous" else login_client(cast[role])
    url = _url(name, objects)
    if method == "get":
        response = client.get(url)
    elif name.startswith("api:"):
        response = client.post(url, "{}", content_type="application/json")
    else:
        response = client.post(url, {})
    assert response.status_code == expected(role), f"{name} as {role}"


# Need to know per field (issue 16): role × field of an employment, shown or absent, in the
# API (list and detail) and on the person's page. Wage, scale and step are HR's alone.
WAGE_FIELDS = {"grossMonthlyWage": "Bruto maandloon", "scale": "Schaal / trede", "step": None}
FIELD_MATRIX: dict[str, set[str]] = {role: set() for role in IN_SCOPE} | {
    "hr_nuo": set(WAGE_FIELDS)
}


@pytest.mark.parametrize("role", sorted(FIELD_MATRIX))
def test_fields_of_an_employment_by_role(
    role: str, cast: dict[str, User], objects: dict[str, Any]
) -> None:
    client = login_client(cast[role])
    employment = objects["employment"]
    detail = client.get(reverse("api:employment-detail", args=[employment.pk])).json()
    listed = client.get(reverse("api:employment-list")).json()["results"]
    row = next(r for r in listed if r["id"] == employment.pk)
    page = client.get(reverse("people:detail", args=[objects["person"].pk])).content.decode()
    for field, heading in WAGE_FIELDS.items():
        shown = field in FIELD_MATRIX[role]
        assert (field in detail) is shown and (field in row) is shown, f"{field} as {role}"
        if heading:
            assert (heading in page) is shown, f"{heading} on the person page as {role}"
    # What every reader gets: the employment without the wage.
    assert {"id", "person", "employer", "hoursPerWeek", "validFrom"} <= set(detail)
    if not FIELD_MATRIX[role]:
        assert "2.612,40" not in page and "2612.40" not in str(detail)


def test_a_field_nobody_decided_on_is_absent() -> None:
    from werkregie.core.access import FIELD_RULES, sees_field
    from werkregie.people.models import Employment

    hr = User(username="x", role="hr_payroll", is_active=True)
    assert not sees_field(hr, "people.employment", "a_new_field")
    # Every field the API could give is decided: a model field not in the rules is absent.
    decided = set(FIELD_RULES["people.employment"])
    for field in Employment._meta.concrete_fields:
        name = field.name
        assert name in decided or name in {"created_at", "updated_at", "version"}, name
