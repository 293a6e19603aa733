"""The demo's present, made the real way: the old company's generated exports go through
import, plan, decisions, four-eyes approval and execution, as the transitiemanager and a
gemeentesecretaris would do it in the screens. The executed plan, its reconciliation and
the audit trail are then there to inspect.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from werkregie.accounts.models import User
from werkregie.demo.generator import SCALES, Generator
from werkregie.demo.roster_export import write_contracts, write_employees, write_trajectories
from werkregie.organisations.models import Organisation
from werkregie.transition.execution import execute_plan
from werkregie.transition.models import PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.plan_services import (
    approve_plan,
    plan_transition,
    propose_plan,
    resolve_flags,
)
from werkregie.transition.services import import_roster

FALLBACK_ORGANISATION = "nuo"


@dataclass(frozen=True)
class DemoTransition:
    plan: TransitionPlan
    employees: int
    decided: int


def export_files(scale: str, seed: int) -> list[tuple[str, bytes]]:
    """The three exports of the old company for a generated data set, as (name, bytes)."""
    generator = Generator(SCALES[scale], seed)
    employees = list(generator.employees())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_employees(folder / "medewerkers.csv", employees)
        write_trajectories(folder / "trajecten.csv", generator.clients())
        write_contracts(folder / "contracten.csv", generator.contracts(employees))
        return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def decide_open_flags(plan: TransitionPlan, actor: User | None) -> int:
    """The transitiemanager's decisions: who has no destination gets the municipality they
    live in (or else work in) as employer and the NUO as organisation; every other proposal
    is confirmed. Each with a reason, audited like any decision."""
    employers = {
        org.municipality.cbs_code: org
        for org in Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, municipality__in_region=True
        ).select_related("municipality")
        if org.municipality
    }
    fallback = Organisation.objects.get(code=FALLBACK_ORGANISATION)
    decided = 0
    undecided = plan.entries.filter(
        Q(employer__isnull=True) | Q(organisation__isnull=True)
    ).select_related("legacy__residence", "legacy__work_municipality", "employer", "organisation")
    for entry in undecided:
        legacy = entry.legacy
        work = legacy.work_municipality.cbs_code if legacy.work_municipality else ""
        employer = (
            entry.employer
            or employers.get(legacy.residence.cbs_code)
            or employers.get(work)
            or employers["GM0141"]
        )
        decided += resolve_flags(
            actor=actor,
            flags=entry.flags.filter(resolved=False).select_related("entry__plan"),
            decision="Bestemming vastgesteld na gesprek met de medewerker.",
            employer=employer,
            organisation=entry.organisation or fallback,
        )
    # The same person under several personnel numbers: the lowest number continues.
    first: dict[str, PlanEntry] = {}
    for entry in (
        plan.entries.filter(flags__code=PlanFlag.Code.DUPLICATE_EMPLOYEE, flags__resolved=False)
        .select_related("legacy", "plan")
        .order_by("legacy__personnel_number")
    ):
        kept = first.setdefault(entry.legacy.bsn, entry)
        if kept is not entry:
            decided += resolve_flags(
                actor=actor,
                flags=entry.flags.filter(resolved=False).select_related("entry__plan"),
                decision="Dubbel record in het oude bestand; "
                "het eerste personeelsnummer gaat door.",
                duplicate_of=kept,
            )
    decided += resolve_flags(
        actor=actor,
        flags=PlanFlag.objects.filter(entry__plan=plan, resolved=False).select_related(
            "entry__plan"
        ),
        decision="Voorstel besproken en akkoord.",
    )
    return decided


@transaction.atomic
def run_demo_transition(
    *, manager: Any, secretary: Any, scale: str = "region", seed: int = 2021
) -> DemoTransition:
    """Import, plan, decide, propose, approve and execute the generated old company."""
    report = import_roster(files=export_files(scale, seed), actor=manager)
    if not report.ok:
        raise ValueError(f"Demo-export afgekeurd: {report.errors[:3]}")
    plan = plan_transition(actor=manager)
    decided = decide_open_flags(plan, manager)
    propose_plan(actor=manager, plan=plan)
    approve_plan(actor=secretary, plan=plan)
    plan = execute_plan(actor=manager, plan=plan)
    return DemoTransition(
        plan=plan, employees=report.counts["medewerkers"].created, decided=decided
    )
