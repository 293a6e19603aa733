"""Every helper of every app's `access.py` (issue 15), one case each: the scope (a role that
sees the object, a role with the same permission elsewhere or without it that does not), the
denial (404 outside the scope, 403 for a missing action inside it) and the read it records
in the audit log, tied to the person. The access matrix tests the pages and endpoints built
on these helpers; this file tests the helpers themselves, so a rule that breaks is named at
its source. A new helper without a case here fails `test_every_helper_has_a_case`."""

import importlib
import inspect
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from werkregie.accounts.models import User
from werkregie.client_direction import access as client_access
from werkregie.client_direction import statements
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Order
from werkregie.client_direction.tests.factories import make_client, make_order, product, running
from werkregie.core.access import Action
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.employer_services import access as employer_access
from werkregie.employer_services.events import EmployerServicesEvent
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.hr import access as hr_access
from werkregie.hr import services as hr_services
from werkregie.hr.events import HrEvent
from werkregie.hr.models import IndexationRun, PayrollExport
from werkregie.people import access as people_access
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Person
from werkregie.planning import access as planning_access
from werkregie.secondments import access as secondment_access
from werkregie.secondments import services as secondment_services
from werkregie.secondments.events import SecondmentsEvent
from werkregie.secondments.tests.factories import employee, make_sent_invoice, nuo, second
from werkregie.testing import (
    BSN_A,
    BSN_B,
    make_agreement,
    make_employment,
    make_legacy_employee,
    make_person,
    make_scenario,
)
from werkregie.transition import access as transition_access
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import PlanEntry
from werkregie.transition.plan_services import plan_transition

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent / "werkregie"


def _employment() -> Any:
    return make_employment(make_person(), employer="nuo")


def _change() -> Any:
    person = make_employment(make_person(), employer="nuo").person
    return hr_services.report_sick(actor=None, person=person, effective_date=date(2026, 2, 2))


def _contract() -> Any:
    contract = secondment_services.create_contract(
        actor=None,
        issuer=nuo(),
        hirer=make_employer(),
        hourly_rate=Decimal("27.50"),
        start_date=date(2026, 1, 1),
    )
    second(contract, employee("70001"), hours=Decimal(20))
    return contract


def _invoice() -> Any:
    return make_sent_invoice(make_employer(), employee("80001"))


def _plan_entry() -> Any:
    legacy = make_legacy_employee()
    plan_transition(actor=None)
    return PlanEntry.objects.get(legacy=legacy)


# (scope helper, what it scopes, a role that sees it, a role that does not)
SCOPES: list[tuple[Callable[[User], Any], Callable[[], Any], str, str]] = [
    (people_access.persons_for, make_person, "client_director_almelo", "client_director_wierden"),
    (people_access.employments_for, _employment, "hr_nuo", "client_director_wierden"),
    (client_access.clients_for, make_client, "client_director_almelo", "client_director_wierden"),
    (client_access.orders_for, make_order, "client_director_almelo", "client_director_wierden"),
    (employer_access.employers_for, make_employer, "employer_adviser", "hr_nuo"),
    (employer_access.vacancies_for, make_vacancy, "employer_adviser", "hr_nuo"),
    (
        employer_access.profiles_for,
        lambda: make_profile(make_person()),
        "client_director_almelo",
        "client_director_wierden",
    ),
    (hr_access.employment_changes_for, _change, "hr_nuo", "client_director_almelo"),
    (
        hr_access.indexation_runs_for,
        lambda: IndexationRun.objects.create(effective_date=date(2027, 1, 1)),
        "hr_nuo",
        "controller_wierden",
    ),
    (
        hr_access.payroll_exports_for,
        lambda: PayrollExport.objects.create(employer=nuo().organisation, month=date(2026, 1, 1)),
        "hr_nuo",
        "controller_wierden",
    ),
    (
        planning_access.agreements_for,
        make_agreement,
        "controller_wierden",
        "client_director_almelo",
    ),
    (planning_access.scenarios_for, make_scenario, "controller_wierden", "client_director_almelo"),
    (secondment_access.contracts_for, _contract, "hr_nuo", "client_director_almelo"),
    (secondment_access.invoices_for, _invoice, "hr_nuo", "client_director_almelo"),
    (transition_access.plan_entries_for, _plan_entry, "transition_manager", "hr_nuo"),
]


def _name(helper: Callable[..., Any]) -> str:
    return f"{helper.__module__.split('.')[1]}.{helper.__name__}"


def _mark() -> int:
    """The last audit event so far: what a helper records comes after it."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id"))


def _events(**match: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**match).order_by("id"))


@pytest.mark.parametrize(
    ("helper", "make", "sees", "blind"), SCOPES, ids=[_name(case[0]) for case in SCOPES]
)
def test_a_scope_helper_holds_what_the_role_may_see(
    cast: dict[str, User],
    helper: Callable[[User], Any],
    make: Callable[[], Any],
    sees: str,
    blind: str,
) -> None:
    obj = make()
    assert helper(cast[sees]).filter(pk=obj.pk).exists()
    assert not helper(cast[blind]).filter(pk=obj.pk).exists()
    assert not helper(cast["outsider"]).exists()


def person_of(obj: Any) -> int | None:
    """The person an object is about, by its own relations: a plan entry before execution
    is a row of the old company's export, not yet a person."""
    if isinstance(obj, Person):
        return obj.pk
    if isinstance(obj, Order):
        return obj.client.person_id
    if isinstance(obj, PlanEntry):
        return None
    return obj.person_id  # type: ignore[no-any-return]


# (lookup, what it looks up, the role in scope, the role outside it; keyword arguments)
LOOKUPS: list[tuple[Callable[..., Any], Callable[[], Any], str, str, dict[str, Any]]] = [
    (people_access.get_person_for, make_person, "client_director_almelo", "hr_nuo", {}),
    (
        people_access.get_employment_for,
        _employment,
        "hr_nuo",
        "client_director_wierden",
        {"action": Action.PERSON_VIEW},
    ),
    (
        client_access.get_client_for,
        make_client,
        "client_director_almelo",
        "client_director_wierden",
        {"shown": True},
    ),
    (
        client_access.get_order_for,
        make_order,
        "client_director_almelo",
        "client_director_wierden",
        {"shown": True},
    ),
]


@pytest.mark.parametrize(
    ("lookup", "make", "sees", "blind", "kwargs"), LOOKUPS, ids=[_name(c[0]) for c in LOOKUPS]
)
def test_a_lookup_finds_in_scope_records_the_read_and_is_404_outside(
    cast: dict[str, User],
    lookup: Callable[..., Any],
    make: Callable[[], Any],
    sees: str,
    blind: str,
    kwargs: dict[str, Any],
) -> None:
    obj = make()
    before = _mark()
    assert lookup(cast[sees], obj.pk, **kwargs) == obj
    (event,) = _since(before)
    assert event.actor == cast[sees]
    assert event.person_id == person_of(obj)
    for user in (cast[blind], cast["outsider"]):
        with pytest.raises(Http404):
            lookup(user, obj.pk, **kwargs)
    assert len(_since(before)) == 1, "a refused lookup recorded a read"


def test_a_lookup_of_an_order_or_client_that_only_changes_records_nothing(
    cast: dict[str, User],
) -> None:
    order = make_order()
    user = cast["client_director_almelo"]
    before = _mark()
    assert client_access.get_order_for(user, order.pk, shown=False) == order
    assert client_access.get_client_for(user, order.client.pk, shown=False) == order.client
    assert _since(before) == []


def test_a_person_lookup_inside_the_scope_without_the_action_is_403(
    cast: dict[str, User],
) -> None:
    person = make_person()
    with pytest.raises(PermissionDenied):
        people_access.get_person_for(
            cast["client_director_almelo"], person.pk, action=Action.PAYROLL_EXPORT
        )
    employment = _employment()
    with pytest.raises(PermissionDenied):
        people_access.get_employment_for(cast["hr_nuo"], employment.pk, action=Action.CLIENT_CHANGE)


# (recorder, what it records, how it is called, the event it writes)
RECORDS: list[tuple[Callable[..., Any], Callable[[], Any], Callable[[Any, Any], Any], str]] = [
    (
        people_access.record_person_shown,
        make_person,
        lambda user, p: people_access.record_person_shown(user=user, person=p),
        PeopleEvent.PERSON_VIEWED,
    ),
    (
        people_access.record_persons_listed,
        make_person,
        lambda user, p: people_access.record_persons_listed(user=user, persons=[p]),
        AuditAction.PERSON_LISTED,
    ),
    (
        people_access.record_employments_shown,
        _employment,
        lambda user, e: people_access.record_employments_shown(user=user, employments=[e]),
        PeopleEvent.EMPLOYMENT_VIEWED,
    ),
    (
        client_access.record_client_shown,
        make_client,
        lambda user, c: client_access.record_client_shown(user=user, client=c),
        ClientDirectionEvent.CLIENT_VIEWED,
    ),
    (
        client_access.record_clients_listed,
        make_client,
        lambda user, c: client_access.record_clients_listed(user=user, clients=[c]),
        AuditAction.PERSON_LISTED,
    ),
    (
        client_access.record_order_shown,
        make_order,
        lambda user, o: client_access.record_order_shown(user=user, order=o),
        ClientDirectionEvent.ORDER_VIEWED,
    ),
    (
        client_access.record_orders_listed,
        make_order,
        lambda user, o: client_access.record_orders_listed(user=user, orders=[o]),
        ClientDirectionEvent.ORDERS_LISTED,
    ),
    (
        employer_access.record_profile_shown,
        lambda: make_profile(make_person()),
        lambda user, p: employer_access.record_profile_shown(user=user, profile=p),
        EmployerServicesEvent.PROFILE_VIEWED,
    ),
    (
        employer_access.record_profiles_listed,
        lambda: make_profile(make_person()),
        lambda user, p: employer_access.record_profiles_listed(user=user, profiles=[p]),
        EmployerServicesEvent.PROFILE_VIEWED,
    ),
    (
        hr_access.record_changes_listed,
        _change,
        lambda user, c: hr_access.record_changes_listed(user=user, changes=[c]),
        HrEvent.EMPLOYMENT_CHANGES_VIEWED,
    ),
    (
        transition_access.record_entry_shown,
        _plan_entry,
        lambda user, e: transition_access.record_entry_shown(user=user, entry=e),
        TransitionEvent.PLAN_ENTRY_VIEWED,
    ),
    (
        transition_access.record_entries_listed,
        _plan_entry,
        lambda user, e: transition_access.record_entries_listed(user=user, entries=[e]),
        AuditAction.PERSON_LISTED,
    ),
]


@pytest.mark.parametrize(
    ("recorder", "make", "call", "action"), RECORDS, ids=[_name(c[0]) for c in RECORDS]
)
def test_a_recorder_writes_one_read_per_object_tied_to_its_person(
    cast: dict[str, User],
    recorder: Callable[..., Any],
    make: Callable[[], Any],
    call: Callable[[Any, Any], Any],
    action: str,
) -> None:
    obj = make()
    user = cast["functional_admin"]
    before = _mark()
    call(user, obj)
    (event,) = _since(before)
    assert (event.action, event.actor_id) == (str(action), user.pk)
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.person_id == person_of(obj)


def test_indexation_lines_shown_are_recorded_per_person(cast: dict[str, User]) -> None:
    make_employment(make_person(), employer="nuo")
    run = hr_services.propose_indexation(actor=None, effective_date=date(2027, 1, 1))
    lines = list(run.lines.all())
    assert lines, "the proposal has no lines: the test proves nothing"
    before = _mark()
    hr_access.record_indexation_lines_shown(user=cast["hr_nuo"], lines=lines)
    events = _since(before)
    assert {e.action for e in events} == {HrEvent.INDEXATION_VIEWED}
    assert sorted(e.person_id or 0 for e in events) == sorted(line.person_id for line in lines)


def test_statement_lines_shown_name_each_client(cast: dict[str, User]) -> None:
    order = make_order(
        product_=product("nuo", "beschut-werkplek"),
        start=date(2026, 2, 10),
        end=date(2026, 4, 15),
        requested=date(2026, 1, 20),
    )
    running(order, cast["jobcoach_nuo"])
    (statement,) = statements.statements_for(Order.objects.filter(pk=order.pk), date(2026, 3, 1))
    before = _mark()
    user = cast["controller_wierden"]
    client_access.record_statement_lines_shown(user=user, lines=statement.lines)
    (event,) = _since(before)
    assert event.action == ClientDirectionEvent.STATEMENT_VIEWED
    assert (event.object_id, event.person_id) == (str(order.pk), order.client.person_id)


def test_a_search_records_itself_and_each_person_shown(cast: dict[str, User]) -> None:
    found = [make_person(bsn=BSN_A), make_person(bsn=BSN_B)]
    user = cast["client_director_almelo"]
    before = _mark()
    people_access.record_search(user=user, query_kind="bsn", persons=found)
    search, *shown = _since(before)
    assert search.action == PeopleEvent.PERSON_SEARCHED and search.person_id is None
    assert "bsn" in str(search.changes) and BSN_A not in str(search.changes)
    assert [(e.action, e.person_id) for e in shown] == [
        (AuditAction.PERSON_LISTED, p.pk) for p in found
    ]


def test_candidates_shown_come_from_the_scope_and_are_recorded(cast: dict[str, User]) -> None:
    vacancy = make_vacancy()
    profile = make_profile(make_person(), shareable=True)
    seen = employer_access.candidates_shown(user=cast["employer_adviser"], vacancy=vacancy, limit=5)
    assert [r.profile for r in seen] == [profile]
    assert _events(action=EmployerServicesEvent.CANDIDATES_MATCHED, person_id=profile.person_id)
    assert employer_access.candidates_shown(user=cast["outsider"], vacancy=vacancy, limit=5) == []


def test_only_the_issuers_staff_see_who_is_seconded(cast: dict[str, User]) -> None:
    contract = _contract()
    staff, adviser = cast["hr_nuo"], cast["employer_adviser"]
    assert secondment_access.is_issuer_staff(staff, contract)
    assert not secondment_access.is_issuer_staff(adviser, contract)
    secondment_access.require_issuer_staff(staff, contract)
    with pytest.raises(PermissionDenied):
        secondment_access.require_issuer_staff(adviser, contract)
    (row,) = secondment_access.secondments_shown(user=staff, contract=contract)
    assert _events(action=SecondmentsEvent.SECONDMENT_VIEWED, person_id=row.person_id)
    assert secondment_access.secondments_shown(user=adviser, contract=contract) == []


def test_an_invoice_shown_records_the_invoice_and_each_employee_on_it(
    cast: dict[str, User],
) -> None:
    invoice = _invoice()
    line_persons = {
        line.secondment.person_id for line in invoice.lines.select_related("secondment")
    }
    assert line_persons, "the invoice has no lines: the test proves nothing"
    before = _mark()
    secondment_access.record_invoice_shown(user=cast["hr_nuo"], invoice=invoice)
    read, *listed = _since(before)
    assert (read.action, read.object_id) == (SecondmentsEvent.INVOICE_VIEWED, str(invoice.pk))
    assert {e.person_id for e in listed} == line_persons
    assert {e.action for e in listed} == {AuditAction.PERSON_LISTED}


SPECIFIC = {
    "hr.record_indexation_lines_shown",
    "client_direction.record_statement_lines_shown",
    "people.record_search",
    "employer_services.candidates_shown",
    "secondments.is_issuer_staff",
    "secondments.require_issuer_staff",
    "secondments.secondments_shown",
    "secondments.record_invoice_shown",
}


def test_every_helper_has_a_case() -> None:
    """Each public function of each app's access.py is in one of the tables above."""
    helpers = set()
    for path in sorted(ROOT.glob("*/access.py")):
        app = path.parent.name
        if app in ("core", "accounts"):  # the role table and signed_in: tested on their own
            continue
        module = importlib.import_module(f"werkregie.{app}.access")
        helpers |= {
            f"{app}.{name}"
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module.__name__ and not name.startswith("_")
        }
    cased = {_name(c[0]) for table in (SCOPES, LOOKUPS, RECORDS) for c in table} | SPECIFIC
    assert helpers - cased == set(), "access helpers without a case"
    assert cased - helpers == set(), "cases of helpers that are gone"
