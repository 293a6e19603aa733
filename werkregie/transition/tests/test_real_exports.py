"""The transition on exports written the way real exports are (issue 14).

Each test is named after the finding it covers; the property test at the end generates
messy exports (tests/messy.py, not the project's generator) and checks the outcome against
what the generated file means.
"""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from werkregie.accounts.models import User
from werkregie.client_direction.models import Order
from werkregie.client_direction.statements import statements_for
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.core.tables import FieldError, parse_decimal, read_table
from werkregie.demo.transition import decide_open_flags
from werkregie.people.models import Employment, Person
from werkregie.secondments.models import SecondmentContract
from werkregie.testing import login_client, make_person
from werkregie.transition import execution
from werkregie.transition.events import TransitionEvent
from werkregie.transition.execution import execute_plan
from werkregie.transition.models import (
    LegacyContract,
    LegacyEmployee,
    LegacyTrajectory,
    PlanEntry,
    PlanFlag,
    RosterFile,
    RosterImport,
    TransitionPlan,
)
from werkregie.transition.plan_services import (
    approve_plan,
    check_guarantees,
    plan_transition,
    propose_plan,
    resolve_flags,
    withdraw_plan,
)
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.services import import_roster
from werkregie.transition.tests.messy import (
    Contract,
    Employee,
    Export,
    Notation,
    Trajectory,
    bsn_from,
    exports,
)

CSV = Notation("csv")


def employee(number: str, **values: Any) -> Employee:
    base = Employee(
        number=number,
        bsn=bsn_from(int(number)),
        surname="Jansen",
        prefix="",
        birth_date=date(1970, 5, 17),
        residence="GM0141",
        kind="wsw",
        work_form="beschut_binnen",
        site="Almelo Bedrijfsweg",
        site_code="almelo-hoofdlocatie",
        team="Inpak 1",
        hours=Decimal(36),
        wage=Decimal("2345.67"),
    )
    return replace(base, **values)


def trajectory(number: str, bsn: str, **values: Any) -> Trajectory:
    base = Trajectory(
        number=number,
        bsn=bsn,
        surname="Bakker",
        birth_date=date(1990, 2, 3),
        residence="GM0141",
        owner="GM0141",
        product="jobcoaching",
        start=date(2020, 9, 1),
        end=date(2021, 6, 30),
        price=Decimal("4000.00"),
    )
    return replace(base, **values)


def _state() -> tuple[int, ...]:
    return (
        LegacyEmployee.objects.count(),
        LegacyTrajectory.objects.count(),
        LegacyContract.objects.count(),
        RosterImport.objects.count(),
        RosterFile.objects.count(),
        AuditEvent.objects.count(),
    )


def _execute(manager: User, secretary: User) -> TransitionPlan:
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    return execute_plan(actor=manager, plan=plan)


# -- finding 1: amounts are read one way only ----------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [("3.412,50", "3412.50"), ("3412,50", "3412.50"), ("3412", "3412"), ("€ 1.000,5", "1000.5")],
)
def test_dutch_amounts_are_read_exactly(cell: str, value: str) -> None:
    assert parse_decimal(cell) == Decimal(value)


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("3,412.50", "Engelse notatie"),
        ("3412.5", "Engelse notatie"),
        ("3.412", "dubbelzinnig"),
        ("3,412", "3 decimalen"),
        ("12,345", "3 decimalen"),
        ("NaN", "geen bedrag"),
    ],
)
def test_other_notations_are_refused_with_what_was_read(cell: str, says: str) -> None:
    with pytest.raises(FieldError) as refused:
        parse_decimal(cell)
    assert says in str(refused.value) and f"'{cell}'" in str(refused.value)


@pytest.mark.parametrize(
    ("column", "cell"), [("bruto_maandloon", "3,412.50"), ("bruto_maandloon", "3.412"),
                         ("uren_per_week", "32.5")]
)  # fmt: skip
def test_a_misread_amount_refuses_the_import_naming_file_row_and_column(
    cast: dict[str, User], column: str, cell: str
) -> None:
    export = Export([employee("1001"), employee("1002")], [], [], CSV)
    export.cells[("medewerkers", 3, column)] = cell
    before = _state()
    report = import_roster(files=export.files(), actor=cast["transition_manager"])
    assert [(e.file, e.row, e.column) for e in report.errors] == [("medewerkers.csv", 3, column)]
    assert f"'{cell}'" in report.errors[0].message
    assert _state() == before


def test_thousands_separators_keep_the_wage_bill_to_the_cent(cast: dict[str, User]) -> None:
    people = [employee("1001", wage=Decimal("3412.50")), employee("1002", wage=Decimal("1234"))]
    export = Export(people, [], [], replace(CSV, thousands=True, short_decimals=True))
    assert b"3.412,5;" in export.files()[0][1]
    assert import_roster(files=export.files(), actor=cast["transition_manager"]).ok
    assert sorted(LegacyEmployee.objects.values_list("gross_monthly_wage", flat=True)) == [
        Decimal("1234.00"),
        Decimal("3412.50"),
    ]


def test_typed_excel_numbers_are_exact(cast: dict[str, User]) -> None:
    people = [employee("1001", wage=Decimal("2199.10"), hours=Decimal("28.5"))]
    export = Export(people, [], [], Notation("xlsx", typed=True))
    assert import_roster(files=export.files(), actor=cast["transition_manager"]).ok
    stored = LegacyEmployee.objects.get()
    assert (stored.gross_monthly_wage, stored.hours_per_week) == (
        Decimal("2199.10"),
        Decimal("28.50"),
    )


# -- finding 2: the same person twice ------------------------------------------------------


def test_same_bsn_with_another_birth_date_is_refused(cast: dict[str, User]) -> None:
    first = employee("1001")
    other = replace(first, number="1002", birth_date=date(1971, 1, 1))
    report = import_roster(
        files=Export([first, other], [], [], CSV).files(), actor=cast["transition_manager"]
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "bsn")]
    assert "medewerkers.csv rij 2" in report.errors[0].message


def test_one_bsn_under_two_numbers_is_a_flag_a_person_decides(cast: dict[str, User]) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    first = employee("1001")
    twin = replace(first, number="1002")
    assert import_roster(
        files=Export([first, twin, employee("1003")], [], [], CSV).files(), actor=manager
    ).ok
    plan = plan_transition(actor=manager)
    flagged = PlanFlag.objects.filter(entry__plan=plan, code=PlanFlag.Code.DUPLICATE_EMPLOYEE)
    assert sorted(f.entry.legacy.personnel_number for f in flagged) == ["1001", "1002"]
    assert "personeelsnummer 1002" in flagged.get(entry__legacy__personnel_number="1001").reason
    # Confirming the proposal without choosing a record does not make the plan executable.
    resolve_flags(
        actor=manager,
        flags=PlanFlag.objects.filter(entry__plan=plan).select_related("entry__plan"),
        decision="Akkoord.",
    )
    report = check_guarantees(plan)
    assert set(report.violations) == {"1001", "1002"}
    assert "dubbele medewerker" in report.violations["1001"][0]
    with pytest.raises(DomainError, match="niet vervuld"):
        propose_plan(actor=manager, plan=plan)
    # The second number is the same record: only the first continues.
    kept = plan.entries.get(legacy__personnel_number="1001")
    twin_entry = plan.entries.get(legacy__personnel_number="1002")
    PlanFlag.objects.filter(entry=twin_entry).update(resolved=False, decision="")
    resolve_flags(
        actor=manager,
        flags=twin_entry.flags.filter(resolved=False).select_related("entry__plan"),
        decision="Twee keer geëxporteerd; personeelsnummer 1001 is juist.",
        duplicate_of=kept,
    )
    assert check_guarantees(plan).ok
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    execute_plan(actor=manager, plan=plan)
    person = Person.objects.get(bsn=first.bsn)
    assert Employment.objects.filter(person=person, valid_from=plan.effective_date).count() == 1
    report_data = reconcile(plan)
    assert report_data["balanced"], report_data["differences"]
    assert (report_data["persons_in"], report_data["persons_decided"]) == (3, 1)
    assert report_data["persons_out"] == 2
    assert report_data["decided"][0]["reference"] == "1002"


def test_a_duplicate_can_only_point_at_the_same_bsn(cast: dict[str, User]) -> None:
    manager = cast["transition_manager"]
    first = employee("1001")
    assert import_roster(
        files=Export([first, replace(first, number="1002"), employee("1003")], [], [], CSV).files(),
        actor=manager,
    ).ok
    plan = plan_transition(actor=manager)
    twin = plan.entries.get(legacy__personnel_number="1002")
    with pytest.raises(DomainError, match="hetzelfde BSN"):
        resolve_flags(
            actor=manager,
            flags=list(twin.flags.all()),
            decision="Fout gekozen.",
            duplicate_of=plan.entries.get(legacy__personnel_number="1003"),
        )


def test_a_failed_execution_rolls_back_and_can_be_executed_again(
    cast: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    assert import_roster(
        files=Export([employee("1001"), employee("1002")], [], [], CSV).files(), actor=manager
    ).ok
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    persons, employments = Person.objects.count(), Employment.objects.count()

    def refuse(*args: Any) -> None:
        raise IntegrityError("UNIQUE constraint failed: people_team.name")

    monkeypatch.setattr(execution, "_set_team_leaders", refuse)
    with pytest.raises(DomainError, match="teruggedraaid"):
        execute_plan(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert plan.status == TransitionPlan.Status.APPROVED
    assert "UNIQUE constraint failed" in plan.execution_error
    assert (Person.objects.count(), Employment.objects.count()) == (persons, employments)
    assert (
        AuditEvent.objects.filter(action=TransitionEvent.TRANSITION_EXECUTION_FAILED).count() == 1
    )
    page = _client(manager).get(reverse("transition:plan")).content.decode()
    assert "is mislukt; er is niets gewijzigd" in page
    monkeypatch.undo()
    execute_plan(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert plan.status == TransitionPlan.Status.EXECUTED and plan.execution_error == ""


def test_a_plan_that_no_longer_holds_goes_back_to_draft(cast: dict[str, User]) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    first = employee("1001")
    assert import_roster(files=Export([first], [], [], CSV).files(), actor=manager).ok
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    # Since approval someone else was registered under this BSN: execution is refused.
    make_person(bsn=first.bsn, surname="Anders")
    with pytest.raises(DomainError, match="hoort in de registratie bij Anders"):
        execute_plan(actor=manager, plan=plan)
    withdraw_plan(actor=manager, plan=plan)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (TransitionPlan.Status.DRAFT, None)
    assert AuditEvent.objects.filter(action=TransitionEvent.TRANSITION_WITHDRAWN).exists()


def test_a_hirer_kvk_that_execution_could_not_use_is_refused_at_import(
    cast: dict[str, User],
) -> None:
    """Execution makes a shared employer per hirer KvK number: a bad number fails there, so
    the import refuses it (and restores the leading zero Excel dropped)."""
    people = [employee("1001", work_form="individuele_detachering", hirer_kvk="1234567")]
    bad = Contract("C1", "1234-567", date(2019, 1, 1), None, Decimal("30"), ("1001",))
    report = import_roster(
        files=Export(people, [], [bad], CSV).files(), actor=cast["transition_manager"]
    )
    assert [(e.file, e.row, e.column) for e in report.errors] == [
        ("contracten.csv", 2, "klant_kvk")
    ]
    good = replace(bad, hirer_kvk="1234567")
    assert import_roster(
        files=Export(people, [], [good], CSV).files(), actor=cast["transition_manager"]
    ).ok
    assert LegacyContract.objects.get().customer_kvk == "01234567"
    assert LegacyEmployee.objects.get().hirer_kvk == "01234567"


# -- finding 3: an order attached to the wrong person --------------------------------------


def test_a_trajectory_with_an_employees_bsn_and_another_name_is_refused(
    cast: dict[str, User],
) -> None:
    worker = employee("1001")
    export = Export([worker], [trajectory("T1", worker.bsn, surname="Pietersen")], [], CSV)
    before = _state()
    report = import_roster(files=export.files(), actor=cast["transition_manager"])
    assert [(e.file, e.row, e.column) for e in report.errors] == [("trajecten.csv", 2, "bsn")]
    assert "medewerkers.csv rij 2" in report.errors[0].message
    assert _state() == before


def test_the_same_conflict_across_two_imports_is_refused(cast: dict[str, User]) -> None:
    manager = cast["transition_manager"]
    worker = employee("1001")
    assert import_roster(files=Export([worker], [], [], CSV).files(), actor=manager).ok
    later = Export([], [trajectory("T1", worker.bsn, surname="Pietersen")], [], CSV)
    report = import_roster(files=later.files(), actor=manager)
    assert [(e.file, e.row, e.column) for e in report.errors] == [("trajecten.csv", 2, "bsn")]
    assert "een eerdere import (personeelsnummer 1001)" in report.errors[0].message
    # The same person in a trajectory ("van Dam" written whole) is accepted.
    same = trajectory(
        "T2", worker.bsn, surname="van Dam", birth_date=worker.birth_date, residence="GM0141"
    )
    dam = replace(worker, surname="Dam", prefix="van")
    assert import_roster(files=Export([dam], [same], [], CSV).files(), actor=manager).ok


# -- finding 4: workplaces as the old company spelled them ---------------------------------


def test_old_spellings_find_the_site_and_fire_the_sheltered_conflict(
    cast: dict[str, User],
) -> None:
    manager = cast["transition_manager"]
    people = [
        employee("1001", site="ALMELO - Bedrijfsweg"),
        # Lives in Hellendoorn (Multipack by rule 3) but works at the Almelo site (rule 4).
        employee("1002", residence="GM0163", site="Soweco Almelo"),
        employee("1003", site="De Sterkerij", residence="GM1742"),
        employee("1004", site="Hengelo Centrum"),
    ]
    assert import_roster(files=Export(people, [], [], CSV).files(), actor=manager).ok
    plan = plan_transition(actor=manager)
    sites = dict(plan.entries.values_list("legacy__personnel_number", "site__code"))
    assert sites == {
        "1001": "almelo-hoofdlocatie",
        "1002": "almelo-hoofdlocatie",
        "1003": "rijssen",
        "1004": None,
    }
    codes = set(plan.entries.get(legacy__personnel_number="1002").flags.values_list("code"))
    assert (PlanFlag.Code.SITE_DIFFERS_FROM_RULE,) in codes
    unknown = PlanFlag.objects.get(entry__plan=plan, code=PlanFlag.Code.UNKNOWN_SITE)
    assert unknown.entry.legacy.personnel_number == "1004"
    assert "Hengelo Centrum" in unknown.reason
    # Rule 4 in the guarantees: a workplace that does not continue needs a decision.
    assert (
        "werkplek 'Hengelo Centrum' loopt niet door" in check_guarantees(plan).violations["1004"][0]
    )
    resolve_flags(
        actor=manager,
        flags=[unknown],
        decision="Werkt voortaan op de hoofdlocatie.",
        site=plan.entries.get(legacy__personnel_number="1001").site,
    )
    assert "1004" not in check_guarantees(plan).violations


def test_the_plan_screen_speaks_dutch_about_flags(cast: dict[str, User]) -> None:
    manager = cast["transition_manager"]
    people = [employee("1001", site="Hengelo Centrum"), employee("1002", residence="GM0163")]
    assert import_roster(files=Export(people, [], [], CSV).files(), actor=manager).ok
    plan_transition(actor=manager)
    page = _client(manager).get(reverse("transition:plan")).content.decode()
    assert "Onbekende locatie" in page and ">unknown_site<" not in page
    assert ">site_differs_from_rule<" not in page


# -- finding 5 and 6: billing from the effective date, cents that add up -------------------


def test_taken_over_trajectories_are_billed_from_the_effective_date_to_the_cent(
    cast: dict[str, User],
) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    worker = employee("1001")
    running = trajectory("T1", bsn_from(99), price=Decimal("1000.00"))
    export = Export([worker], [running], [], CSV)
    assert import_roster(files=export.files(), actor=manager).ok
    plan = _execute(manager, secretary)
    order = Order.objects.get(legacy_reference="T1")
    assert order.billable_from == plan.effective_date
    billed: dict[date, Decimal] = {}
    for month in [date(2020, m, 1) for m in range(9, 13)] + [date(2021, m, 1) for m in range(1, 7)]:
        for statement in statements_for(Order.objects.all(), month):
            billed[month] = billed.get(month, Decimal(0)) + statement.total
    assert not [m for m in billed if m < plan.effective_date]
    # 181 of the 303 planned days fall in 2021: 1000 × 181 / 303 = 597.36..., exactly once.
    assert sum(billed.values()) == Decimal("597.36")


# -- finding 8: the smaller ones -----------------------------------------------------------


def test_mac_line_endings_are_read() -> None:
    table = read_table("medewerkers.csv", b"a;b\r1;2\r3;4\r")
    assert table.rows == [["1", "2"], ["3", "4"]]


def test_an_empty_file_is_one_sentence(cast: dict[str, User]) -> None:
    report = import_roster(files=[("medewerkers.csv", b"")], actor=None)
    assert [str(e) for e in report.errors] == [
        "medewerkers.csv, rij 1: Het bestand is leeg: er staat geen kopregel en geen gegevens in."
    ]


def test_a_header_only_file_after_an_import_says_nothing_changed(cast: dict[str, User]) -> None:
    manager = cast["transition_manager"]
    files = Export([employee("1001")], [], [], CSV).files()
    assert import_roster(files=files, actor=manager).ok
    header_only = files[0][1].decode("utf-8-sig").splitlines()[0].encode()
    report = import_roster(files=[("medewerkers.csv", header_only)], actor=manager)
    assert report.ok and not report.changed
    assert any("alleen een kopregel" in n for n in report.notices)
    again = import_roster(files=files, actor=manager)
    assert again.notices == ["Er is niets gewijzigd: alle rijen staan al zo in Werkregie."]


def test_employer_import_errors_name_columns_in_dutch(cast: dict[str, User]) -> None:
    client = _client(cast["employer_adviser"])
    upload = _upload(
        "werkgevers.csv", b"kvk_nummer;naam;postcode;plaats\r\n1234;X;7600AA;Almelo\r\n"
    )
    page = client.post(
        reverse("employer_services:employer_import"), {"file": upload}
    ).content.decode()
    assert "KvK-nummer</td>" in page
    assert ">kvk_nummer</td>" not in page


# -- the reconciliation is a proof against the files ----------------------------------------


def test_a_changed_wage_after_execution_unbalances_the_report(cast: dict[str, User]) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    people = [employee("1001", work_form="individuele_detachering", hirer_kvk="12345678")]
    contract = Contract("C1", "12345678", date(2019, 1, 1), None, Decimal("30"), ("1001",))
    assert import_roster(files=Export(people, [], [contract], CSV).files(), actor=manager).ok
    plan = _execute(manager, secretary)
    report = reconcile(plan)
    assert report["balanced"], report["differences"]
    assert report["by_organisation"]["nuo"]["secondment_contracts_out"] == 1
    assert sum(r["seconded_out"] for r in report["by_organisation"].values()) == 1
    assert SecondmentContract.objects.filter(legacy_reference="C1").exists()
    Employment.objects.filter(valid_from=plan.effective_date).update(
        gross_monthly_wage=Decimal("2345.66")
    )
    report = reconcile(plan)
    assert report["balanced"] is False
    assert report["differences"] == [
        {"reference": "1001", "what": "bruto maandloon", "in": "€ 2345,67", "out": "€ 2345,66"}
    ]
    client = _client(manager)
    assert "De aansluiting klopt niet" in client.get(reverse("transition:report")).content.decode()
    assert (
        b'"balanced": false'
        in client.get(reverse("transition:report"), {"formaat": "json"}).content
    )
    pdf = client.get(reverse("transition:report"), {"formaat": "pdf", "gemeente": "GM0141"})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "klopt niet" in " ".join(text.split())


def test_the_in_side_is_the_file_not_the_table(cast: dict[str, User]) -> None:
    manager = cast["transition_manager"]
    assert import_roster(files=Export([employee("1001")], [], [], CSV).files(), actor=manager).ok
    # A table changed behind the import's back: the plan copies it, the file does not.
    LegacyEmployee.objects.update(gross_monthly_wage=Decimal("999.99"))
    plan = plan_transition(actor=manager)
    report = reconcile(plan)
    assert report["wage_bill_in"] == "2345.67" and report["wage_bill_out"] == "999.99"
    assert report["balanced"] is False


# -- property: messy exports either refuse cleanly or reconcile exactly ---------------------


@st.composite
def faulty(draw: st.DrawFn) -> Export:
    """An export, perhaps with one fault the import must refuse."""
    export = draw(exports())
    fault = draw(st.sampled_from(["none", "none", "english", "ambiguous", "bsn"]))
    row = draw(st.integers(2, len(export.employees) + 1))
    if fault == "english":
        export.cells[("medewerkers", row, "bruto_maandloon")] = draw(
            st.sampled_from(["3412.50", "3,412.50", "1,000.00"])
        )
        export.fault = ("medewerkers", row, "bruto_maandloon")
    elif fault == "ambiguous":
        export.cells[("medewerkers", row, "bruto_maandloon")] = "3.412"
        export.fault = ("medewerkers", row, "bruto_maandloon")
    elif fault == "bsn":
        target = export.employees[row - 2]
        export.trajectories.append(
            trajectory(
                "T9999", target.bsn, surname=target.surname + "x", birth_date=target.birth_date
            )
        )
        export.fault = ("trajecten", len(export.trajectories) + 1, "bsn")
    return export


class RolledBackError(Exception):
    pass


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(export=faulty())
def test_a_messy_export_is_refused_whole_or_reconciles_exactly_against_the_file(
    cast: dict[str, User], export: Export
) -> None:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    files = export.files()
    try:
        with transaction.atomic():
            before = _state()
            report = import_roster(files=files, actor=manager)
            if export.fault is not None:
                kind, row, column = export.fault
                assert (kind, row, column) in {
                    (e.file.split(".")[0], e.row, e.column) for e in report.errors
                }, report.errors
                assert _state() == before
                raise RolledBackError
            assert report.ok, report.errors
            # The same files again change nothing.
            assert not import_roster(files=files, actor=manager).changed
            plan = _execute(manager, secretary)
            result = reconcile(plan)
            assert result["balanced"], (result["differences"], result["source_problems"])
            # Against what the generated file means, not against any table.
            kept: dict[str, Employee] = {}
            for e in export.employees:
                kept.setdefault(e.bsn, e)
            assert result["persons_in"] == len(export.employees)
            assert result["persons_out"] == len(kept)
            assert Decimal(result["wage_bill_in"]) == sum(e.wage for e in export.employees)
            assert Decimal(result["wage_bill_out"]) == sum(e.wage for e in kept.values())
            assert Decimal(result["hours_out"]) == sum(e.hours for e in kept.values())
            for e in kept.values():
                new = Employment.objects.get(person__bsn=e.bsn, valid_from=plan.effective_date)
                assert (new.gross_monthly_wage, new.hours_per_week) == (e.wage, e.hours)
                entry = PlanEntry.objects.get(plan=plan, legacy__personnel_number=e.number)
                assert entry.site is not None and entry.site.code == e.site_code
            assert result["trajectories_out"] == len(export.trajectories)
            assert Order.objects.filter(legacy_reference__startswith="T").count() == len(
                [t for t in export.trajectories if t.owner]
            )
            raise RolledBackError
    except RolledBackError:
        pass


def _client(user: User) -> Client:
    return login_client(user)


def _upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
