"""Reconciliation: everyone in is someone out, and no euro of wage is lost (DOMAIN.md).

"In" is the old company's records as the plan carries them; "out" is what execution created.
Both sides are grouped by the municipality of the (planned or actual) employer, so the two
columns of one municipality must match after execution. Persons and arbeidsjaren are kept
as separate figures and never added together.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any, TypedDict

from werkregie.people import codes
from werkregie.people.models import Employment
from werkregie.transition.models import LegacyTrajectory, PlanFlag, Transfer, TransitionPlan
from werkregie.transition.rules import SECONDMENTS

FULL_TIME = Decimal(36)
UNKNOWN = "onbekend"


class Totals(TypedDict):
    persons_in: int
    persons_out: int
    work_years_in: str
    work_years_out: str
    wage_bill_in: str
    wage_bill_out: str
    secondments_in: int
    secondments_out: int
    trajectories_in: int
    trajectories_out: int


def _empty() -> dict[str, Any]:
    return {
        "persons_in": 0,
        "persons_out": 0,
        "work_years_in": Decimal(0),
        "work_years_out": Decimal(0),
        "wage_bill_in": Decimal(0),
        "wage_bill_out": Decimal(0),
        "secondments_in": 0,
        "secondments_out": 0,
        "trajectories_in": 0,
        "trajectories_out": 0,
    }


def _finish(raw: dict[str, Any]) -> Totals:
    return {  # type: ignore[return-value]
        key: (str(value.quantize(Decimal("0.01"))) if isinstance(value, Decimal) else value)
        for key, value in raw.items()
    }


def reconcile(plan: TransitionPlan) -> dict[str, Any]:
    """The reconciliation in the agreed JSON shape (issue 3), with per-organisation totals."""
    by_municipality: dict[str, dict[str, Any]] = defaultdict(_empty)
    by_organisation: dict[str, dict[str, Any]] = defaultdict(_empty)
    total = _empty()
    entries = plan.entries.select_related(
        "legacy", "employer__municipality", "organisation", "new_employment__employer__municipality"
    )
    for entry in entries:
        planned = (
            entry.employer.municipality.cbs_code
            if entry.employer and entry.employer.municipality
            else UNKNOWN
        )
        org = entry.organisation.code if entry.organisation else UNKNOWN
        old = entry.legacy
        seconded = entry.work_form in SECONDMENTS and bool(entry.hirer_kvk)
        for bucket in (total, by_municipality[planned], by_organisation[org]):
            bucket["persons_in"] += 1
            bucket["work_years_in"] += old.hours_per_week / FULL_TIME
            bucket["wage_bill_in"] += old.gross_monthly_wage
            bucket["secondments_in"] += seconded
        new = entry.new_employment
        if new is not None:
            actual = new.employer.municipality.cbs_code if new.employer.municipality else UNKNOWN
            for bucket in (total, by_municipality[actual], by_organisation[org]):
                bucket["persons_out"] += 1
                bucket["work_years_out"] += new.hours_per_week / FULL_TIME
                bucket["wage_bill_out"] += new.gross_monthly_wage
    for transfer in plan.transfers.filter(kind=Transfer.Kind.SECONDMENT).select_related(
        "to_organisation__municipality"
    ):
        municipality = transfer.to_organisation.municipality
        key = municipality.cbs_code if municipality else UNKNOWN
        for bucket in (total, by_municipality[key]):
            bucket["secondments_out"] += 1
    running = LegacyTrajectory.objects.filter(end_date__gte=plan.effective_date).select_related(
        "residence"
    )
    for trajectory in running:
        for bucket in (total, by_municipality[trajectory.residence.cbs_code]):
            bucket["trajectories_in"] += 1
    moved = plan.transfers.filter(kind=Transfer.Kind.TRAJECTORY).values_list("reference", flat=True)
    residence_of = {t.number: t.residence.cbs_code for t in running}
    for number in moved:
        for bucket in (total, by_municipality[residence_of.get(number, UNKNOWN)]):
            bucket["trajectories_out"] += 1
    flags = (
        PlanFlag.objects.filter(entry__plan=plan)
        .select_related("entry__legacy")
        .order_by("entry__legacy__personnel_number", "code")
    )
    flag_rows = [
        {
            "personeelsnummer": f.entry.legacy.personnel_number,
            "reason_code": f.code,
            "reason": f.reason,
            "resolved": f.resolved,
        }
        for f in flags
    ]
    return {
        **_finish(total),
        "plan": plan.pk,
        "status": plan.status,
        "policy_version": plan.policy_version,
        "effective_date": plan.effective_date.isoformat(),
        "flags_open": sum(not f["resolved"] for f in flag_rows),
        "flags_resolved": sum(f["resolved"] for f in flag_rows),
        "by_municipality": {k: _finish(v) for k, v in sorted(by_municipality.items())},
        "by_organisation": {k: _finish(v) for k, v in sorted(by_organisation.items())},
        "flags": flag_rows,
    }


class Movement(TypedDict):
    organisation: str
    work_form: str
    persons: int
    work_years: str


def movements(plan: TransitionPlan, cbs_code: str) -> list[Movement]:
    """Who moves where, as counts: per destination organisation and work form, for the
    employees the plan gives to this municipality (no personal data: for the council)."""
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    entries = plan.entries.filter(employer__municipality__cbs_code=cbs_code).select_related(
        "organisation"
    )
    for entry in entries:
        name = entry.organisation.name if entry.organisation else UNKNOWN
        groups[(name, entry.work_form)].append(entry.hours_per_week / FULL_TIME)
    return [
        {
            "organisation": org,
            "work_form": Employment.WorkForm(codes.WORK_FORM[form]).label,
            "persons": len(years),
            "work_years": str(sum(years, Decimal(0)).quantize(Decimal("0.01"))),
        }
        for (org, form), years in sorted(groups.items())
    ]
