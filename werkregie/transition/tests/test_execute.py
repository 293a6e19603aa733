import io
import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from werkregie.accounts.models import User
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.demo.generator import Generator, Scale
from werkregie.demo.roster_export import write_contracts, write_employees, write_trajectories
from werkregie.demo.transition import decide_open_flags
from werkregie.people.models import Employment
from werkregie.testing import make_employment, make_person
from werkregie.transition.execution import execute_plan
from werkregie.transition.models import LegacyEmployee, Transfer, TransitionPlan
from werkregie.transition.plan_services import (
    approve_plan,
    plan_transition,
    propose_plan,
)
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.services import import_roster

Files = list[tuple[str, bytes]]


def run_transition(files: Files, cast: dict[str, User]) -> TransitionPlan:
    manager, secretary = cast["transition_manager"], cast["secretary_wierden"]
    assert import_roster(files=files, actor=manager).ok
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    return execute_plan(actor=manager, plan=plan)


def test_execution_moves_everyone_with_wage_intact(cast: dict[str, User], export: Files) -> None:
    plan = run_transition(export, cast)
    report = reconcile(plan)
    assert report["persons_in"] == report["persons_out"] == LegacyEmployee.objects.count()
    assert report["wage_bill_in"] == report["wage_bill_out"]
    for totals in report["by_municipality"].values():
        assert (totals["persons_in"], totals["wage_bill_in"]) == (
            totals["persons_out"],
            totals["wage_bill_out"],
        )
    assert report["flags_open"] == 0 and report["flags"]
    new = Employment.objects.filter(valid_from=plan.effective_date)
    assert new.count() == LegacyEmployee.objects.count()
    assert not new.filter(employer__code="soweco-nv").exists()
    assert (
        Employment.objects.filter(employer__code="soweco-nv", valid_to="2020-12-31").count()
        == new.count()
    )
    assert Transfer.objects.filter(kind="contract", needs_review=True).exists()
    assert Transfer.objects.filter(kind="trajectory").exists()
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_EXECUTED).count() == 1


def test_executing_twice_is_refused(cast: dict[str, User], export: Files) -> None:
    plan = run_transition(export, cast)
    count = Employment.objects.count()
    with pytest.raises(DomainError, match="al uitgevoerd"):
        execute_plan(actor=cast["transition_manager"], plan=plan)
    assert Employment.objects.count() == count


def test_the_proposer_cannot_approve_and_open_flags_block_proposal(
    cast: dict[str, User], export: Files
) -> None:
    manager = cast["transition_manager"]
    import_roster(files=export, actor=manager)
    plan = plan_transition(actor=manager)
    with pytest.raises(DomainError, match="signalen open"):
        propose_plan(actor=manager, plan=plan)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    with pytest.raises(DomainError, match="zelf goedkeuren"):
        approve_plan(actor=manager, plan=plan)
    with pytest.raises(DomainError, match="goedgekeurd plan"):
        execute_plan(actor=manager, plan=plan)


def _files(seed: int, scale: Scale) -> Files:
    generator = Generator(scale, seed)
    employees = list(generator.employees())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_employees(folder / "medewerkers.csv", employees)
        write_trajectories(folder / "trajecten.csv", generator.clients())
        write_contracts(folder / "contracten.csv", generator.contracts(employees))
        return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(min_value=0, max_value=100_000),
    wsw=st.integers(min_value=1, max_value=40),
    sheltered=st.integers(min_value=0, max_value=6),
    staff=st.integers(min_value=0, max_value=3),
)
def test_reconciliation_balances_for_any_generated_roster(
    cast: dict[str, User], seed: int, wsw: int, sheltered: int, staff: int
) -> None:
    scale = Scale(
        "prop", wsw=wsw, sheltered=sheltered, staff=staff, clients=4, trajectories=3, hirers=3
    )
    with transaction.atomic():
        plan = run_transition(_files(seed, scale), cast)
        report = reconcile(plan)
        buckets = [report, *report["by_municipality"].values()]
        for totals in buckets:
            assert totals["persons_in"] == totals["persons_out"]
            assert Decimal(totals["wage_bill_in"]) == Decimal(totals["wage_bill_out"])
            assert totals["work_years_in"] == totals["work_years_out"]
        for entry in plan.entries.select_related("legacy", "new_employment"):
            new = entry.new_employment
            assert new is not None and new.valid_to is None
            assert (new.gross_monthly_wage, new.hours_per_week, new.scale, new.step) == (
                entry.legacy.gross_monthly_wage,
                entry.legacy.hours_per_week,
                entry.legacy.scale,
                entry.legacy.step,
            )
            assert new.employer.municipality is not None and new.employer.municipality.in_region
        transaction.set_rollback(True)


def test_lifecycle_through_the_screens_and_report_downloads(
    cast: dict[str, User], export: Files, login: Callable[[User], Client]
) -> None:
    manager, secretary = login(cast["transition_manager"]), login(cast["secretary_wierden"])
    import_roster(files=export, actor=cast["transition_manager"])
    plan = plan_transition(actor=cast["transition_manager"])
    decide_open_flags(plan, cast["transition_manager"])
    manager.post(reverse("transition:propose"))
    assert "Plan goedkeuren" in secretary.get(reverse("transition:approval")).content.decode()
    secretary.post(reverse("transition:approve"))
    manager.post(reverse("transition:execute"))
    plan.refresh_from_db()
    assert plan.status == TransitionPlan.Status.EXECUTED
    assert plan.approved_by == cast["secretary_wierden"]
    data = json.loads(secretary.get(reverse("transition:report"), {"formaat": "json"}).content)
    assert {
        "persons_in",
        "persons_out",
        "wage_bill_in",
        "wage_bill_out",
        "by_municipality",
        "flags",
    } <= set(data)
    assert isinstance(data["persons_in"], int) and isinstance(data["wage_bill_in"], str)
    assert set(data["by_municipality"]) <= {
        "GM0141",
        "GM1700",
        "GM0183",
        "GM0189",
        "GM0163",
        "GM1742",
    }
    assert {"personeelsnummer", "reason_code", "reason_label", "reason", "resolved"} == set(
        data["flags"][0]
    )
    assert data["balanced"] is True and data["differences"] == []
    workbook = load_workbook(
        io.BytesIO(secretary.get(reverse("transition:report"), {"formaat": "xlsx"}).content)
    )
    assert workbook.sheetnames == [
        "Totaal",
        "Per gemeente",
        "Per organisatie",
        "Verschillen",
        "Besloten",
        "Signalen",
    ]
    again = manager.post(reverse("transition:execute"), follow=True)
    assert "al uitgevoerd" in again.content.decode()


def test_report_command_writes_json_and_xlsx(
    cast: dict[str, User], export: Files, tmp_path: Path
) -> None:
    run_transition(export, cast)
    out = io.StringIO()
    call_command("transition_report", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["persons_in"] == LegacyEmployee.objects.count()
    call_command("transition_report", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    assert load_workbook(tmp_path / "r.xlsx")["Totaal"]["A2"].value == "Personen in"


def test_council_pdf_has_a_section_per_municipality_without_personal_data(
    cast: dict[str, User], export: Files, tmp_path: Path
) -> None:
    run_transition(export, cast)
    call_command("transition_report", "--format", "pdf", "--output", str(tmp_path / "raad.pdf"))
    reader = PdfReader(tmp_path / "raad.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 6
    for name in ("Almelo", "Twenterand", "Tubbergen", "Wierden", "Hellendoorn", "Rijssen-Holten"):
        assert f"gemeente {name}" in text
    assert "Wie gaat waarheen" in text and "Openstaande punten" in text
    assert not [bsn for bsn in LegacyEmployee.objects.values_list("bsn", flat=True) if bsn in text]


def test_execution_refuses_when_someone_already_has_the_new_employment(
    cast: dict[str, User], export: Files
) -> None:
    manager = cast["transition_manager"]
    import_roster(files=export, actor=manager)
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=cast["secretary_wierden"], plan=plan)
    first = plan.entries.select_related("legacy").first()
    assert first is not None
    person = make_person(
        bsn=first.legacy.bsn,
        surname=first.legacy.surname,
        surname_prefix=first.legacy.surname_prefix,
        birth_date=first.legacy.birth_date,
    )
    make_employment(person, valid_from=plan.effective_date)
    before = Employment.objects.count()
    with pytest.raises(DomainError, match="al een dienstverband"):
        execute_plan(actor=manager, plan=plan)
    assert Employment.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == TransitionPlan.Status.APPROVED


def test_execution_follows_the_policy_the_plan_was_approved_under(
    cast: dict[str, User], export: Files
) -> None:
    manager = cast["transition_manager"]
    import_roster(files=export, actor=manager)
    plan = plan_transition(actor=manager)
    decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=cast["secretary_wierden"], plan=plan)
    # The recorded copy, not the file: every running trajectory goes to De Sterkerij here.
    plan.policy["sheltered_work"] = dict.fromkeys(plan.policy["sheltered_work"], "de-sterkerij")
    plan.save(update_fields=["policy"])
    execute_plan(actor=manager, plan=plan)
    providers = set(
        plan.transfers.filter(kind="trajectory").values_list("to_organisation__code", flat=True)
    )
    assert providers <= {"de-sterkerij", "nuo"} and "de-sterkerij" in providers


def test_execution_continues_every_running_secondment_at_the_nuo(
    cast: dict[str, User], export: Files
) -> None:
    from werkregie.secondments.models import Secondment, SecondmentContract
    from werkregie.transition.models import LegacyContract, PlanEntry

    plan = run_transition(export, cast)
    running = LegacyContract.objects.filter(kind="detachering").exclude(
        end_date__lt=plan.effective_date
    )
    assert running.exists()
    for legacy in running:
        contract = SecondmentContract.objects.get(legacy_reference=legacy.number)
        assert contract.issuer.organisation.code == "nuo"
        assert contract.hirer.kvk_number == legacy.customer_kvk
        assert contract.hourly_rate == legacy.hourly_rate
        assert contract.start_date == plan.effective_date
        seconded = {
            s.person.personnel_number: s.hours_per_week
            for s in Secondment.objects.filter(contract=contract).select_related("person")
        }
        planned = {
            e.legacy.personnel_number: e.hours_per_week
            for e in PlanEntry.objects.filter(
                plan=plan, legacy__personnel_number__in=legacy.personnel_numbers
            ).select_related("legacy")
        }
        assert seconded == planned
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION_EXECUTED)
    assert event.changes["secondment_contracts"]["new"] == running.count()
