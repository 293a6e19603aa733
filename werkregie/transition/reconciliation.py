"""Reconciliation: everyone in is someone out, and no euro of wage is lost (DOMAIN.md).

"In" is read from the old company's files as received (kept byte for byte with their
SHA-256 at import, parsed again here), never from the tables the import filled; "out" is
what execution created (persons' new employments, the NUO's secondment contracts, the
orders of the trajectories), or before execution what the plan would create. Rows a person
decided not to continue (a duplicate record of the same person) are "besloten", listed with
the decision. Every figure per municipality and per organisation must satisfy
in − besloten = uit exactly, to the cent and to the person; each difference is listed by
personeelsnummer or number, and the report is `balanced` only when there are none.
Persons, hours and money are separate figures and never added together.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from werkregie.client_direction.models import Order
from werkregie.core.money import CENT
from werkregie.organisations.models import Municipality
from werkregie.people import codes
from werkregie.people.models import Employment
from werkregie.people.queries import FULL_TIME_HOURS, rounded_work_years
from werkregie.secondments.models import SecondmentContract
from werkregie.transition import checks
from werkregie.transition.models import (
    PlanEntry,
    PlanFlag,
    Transfer,
    TransitionPlan,
)
from werkregie.transition.services import Received, read_received

UNKNOWN = "onbekend"

# Each figure and whether it is money/hours (Decimal) or a count.
FIGURES: dict[str, type] = {
    "persons": int,
    "hours": Decimal,
    "wage_bill": Decimal,
    "secondment_contracts": int,
    "seconded": int,
    "trajectories": int,
}
SIDES = ("in", "decided", "out")


def _empty() -> dict[str, Any]:
    return {f"{f}_{side}": kind() for f, kind in FIGURES.items() for side in SIDES}


def _finish(raw: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        key: str(value.quantize(CENT)) if isinstance(value, Decimal) else value
        for key, value in raw.items()
    }
    for side in ("in", "out"):
        row[f"work_years_{side}"] = str(rounded_work_years(raw[f"hours_{side}"] / FULL_TIME_HOURS))
    row["balanced"] = all(raw[f"{f}_in"] - raw[f"{f}_decided"] == raw[f"{f}_out"] for f in FIGURES)
    return row


class _Ledger:
    """Figures per bucket: the total, per municipality and per organisation."""

    def __init__(self) -> None:
        self.total = _empty()
        self.by_municipality: dict[str, dict[str, Any]] = defaultdict(_empty)
        self.by_organisation: dict[str, dict[str, Any]] = defaultdict(_empty)

    def add(
        self, side: str, *, municipality: str | None, organisation: str | None, **figures: Any
    ) -> None:
        buckets = [self.total]
        if municipality is not None:
            buckets.append(self.by_municipality[municipality])
        if organisation is not None:
            buckets.append(self.by_organisation[organisation])
        for bucket in buckets:
            for name, value in figures.items():
                bucket[f"{name}_{side}"] += value


def _money(value: Decimal) -> str:
    return f"€ {value:.2f}".replace(".", ",")


class _Reconciliation:
    def __init__(self, plan: TransitionPlan, received: Received) -> None:
        self.plan = plan
        self.received = received
        self.day = plan.effective_date
        self.executed = plan.status == TransitionPlan.Status.EXECUTED
        self.ledger = _Ledger()
        self.differences: list[dict[str, Any]] = []
        self.decided: list[dict[str, Any]] = []
        self.entries = {
            e.legacy.personnel_number: e
            for e in plan.entries.select_related(
                "legacy",
                "employer__municipality",
                "organisation",
                "duplicate_of__legacy",
                "new_employment__employer__municipality",
            )
        }
        self.codes = dict(Municipality.objects.values_list("pk", "cbs_code"))

    def differ(self, reference: str, what: str, found_in: Any, found_out: Any) -> None:
        def shown(value: Any) -> Any:
            return value if isinstance(value, int) else str(value)

        self.differences.append(
            {"reference": reference, "what": what, "in": shown(found_in), "out": shown(found_out)}
        )

    # -- persons, hours and wage ------------------------------------------------------------

    def persons(self) -> None:
        for number, row in sorted(self.received.employees.items()):
            entry = self.entries.get(number)
            municipality = _municipality(entry.employer) if entry and entry.employer else UNKNOWN
            organisation = entry.organisation.code if entry and entry.organisation else UNKNOWN
            figures = {
                "persons": 1,
                "hours": row["uren_per_week"],
                "wage_bill": row["bruto_maandloon"],
            }
            self.ledger.add("in", municipality=municipality, organisation=organisation, **figures)
            if entry is None:
                self.differ(number, "staat in het ontvangen bestand, niet in het plan", 1, 0)
                continue
            if entry.duplicate_of is not None:
                self.ledger.add(
                    "decided", municipality=municipality, organisation=organisation, **figures
                )
                decision = entry.flags.filter(code=PlanFlag.Code.DUPLICATE_EMPLOYEE).first()
                self.decided.append(
                    {
                        "reference": number,
                        "what": "dubbel record van personeelsnummer "
                        f"{entry.duplicate_of.legacy.personnel_number}",
                        "decision": decision.decision if decision else "",
                    }
                )
                continue
            self._person_out(number, row, entry)
        for number in sorted(set(self.entries) - set(self.received.employees)):
            self.differ(number, "staat in het plan, maar in geen ontvangen bestand", 0, 1)

    def _person_out(self, number: str, row: dict[str, Any], entry: PlanEntry) -> None:
        organisation = entry.organisation.code if entry.organisation else UNKNOWN
        values: dict[str, Any]
        if self.executed:
            new: Employment | None = entry.new_employment
            if new is None:
                self.differ(number, "geen nieuw dienstverband", 1, 0)
                return
            municipality = _municipality(new.employer)
            values = {
                "uren_per_week": new.hours_per_week,
                "bruto_maandloon": new.gross_monthly_wage,
                "schaal": new.scale,
                "trede": new.step,
                "soort_dienstverband": new.kind,
            }
            kind = codes.KIND[row["soort_dienstverband"]]
        else:
            municipality = _municipality(entry.employer) if entry.employer else UNKNOWN
            values = {
                "uren_per_week": entry.hours_per_week,
                "bruto_maandloon": entry.gross_monthly_wage,
                "schaal": entry.scale,
                "trede": entry.step,
                "soort_dienstverband": entry.contract_kind,
            }
            kind = row["soort_dienstverband"]
        self.ledger.add(
            "out",
            municipality=municipality,
            organisation=organisation,
            persons=1,
            hours=values["uren_per_week"],
            wage_bill=values["bruto_maandloon"],
        )
        expected = {
            "uren_per_week": row["uren_per_week"],
            "bruto_maandloon": row["bruto_maandloon"],
            "schaal": row["schaal"] or "",
            "trede": row["trede"],
            "soort_dienstverband": kind,
        }
        for name, value in expected.items():
            if values[name] != value:
                label = name.replace("_", " ")
                shown = (
                    (_money(value), _money(values[name]))
                    if name == "bruto_maandloon"
                    else (value, values[name])
                )
                self.differ(number, label, *shown)

    # -- secondments ------------------------------------------------------------------------

    def secondments(self) -> None:
        running = {
            number: row
            for number, row in self.received.contracts.items()
            if row["soort"] == "detachering"
            and row.get("klant_kvk")
            and (row["einddatum"] is None or row["einddatum"] >= self.day)
        }
        for _, row in sorted(running.items()):
            self.ledger.add("in", municipality=None, organisation="nuo", secondment_contracts=1)
            for person_number in row["personeelsnummers"]:
                entry = self._continuing(person_number)
                self.ledger.add("in", seconded=1, **self._where(entry))
                if self._listed_twice(person_number, row["personeelsnummers"]):
                    self.ledger.add("decided", seconded=1, **self._where(entry))
            if not self.executed:  # what the plan would create: the contract, once per person
                self.ledger.add(
                    "out", municipality=None, organisation="nuo", secondment_contracts=1
                )
                for person in {self._continuing(n) for n in row["personeelsnummers"]}:
                    self.ledger.add("out", seconded=1, **self._where(person))
        if not self.executed:
            return
        entry_of_person = {
            e.new_employment.person_id: e
            for e in self.entries.values()
            if e.new_employment is not None
        }
        taken = {
            c.legacy_reference: c
            for c in SecondmentContract.objects.filter(
                legacy_reference__in=list(running)
            ).select_related("issuer__organisation")
        }
        for number, row in sorted(running.items()):
            contract = taken.get(number)
            if contract is None:
                self.differ(number, "detacheringscontract niet overgenomen", 1, 0)
                continue
            self.ledger.add(
                "out",
                municipality=None,
                organisation=contract.issuer.organisation.code,
                secondment_contracts=1,
            )
            seconded = [
                entry_of_person.get(p)
                for p in contract.secondments.values_list("person_id", flat=True)
            ]
            for entry in seconded:
                self.ledger.add("out", seconded=1, **self._where(entry))
            wanted = {self._continuing(n) for n in row["personeelsnummers"]}
            if len(seconded) != len(wanted) or set(seconded) != wanted:
                self.differ(number, "gedetacheerden onder het contract", len(wanted), len(seconded))

    def _listed_twice(self, number: str, numbers: list[str]) -> bool:
        """A decided duplicate on the same contract as the record that continues: one
        person, seconded once."""
        entry = self.entries.get(number)
        return bool(
            entry is not None
            and entry.duplicate_of is not None
            and entry.duplicate_of.legacy.personnel_number in numbers
        )

    def _continuing(self, number: str) -> PlanEntry | None:
        entry = self.entries.get(number)
        return entry.duplicate_of if entry is not None and entry.duplicate_of else entry

    def _where(self, entry: PlanEntry | None) -> dict[str, str]:
        if entry is None:
            return {"municipality": UNKNOWN, "organisation": UNKNOWN}
        employer = (
            entry.new_employment.employer
            if self.executed and entry.new_employment is not None
            else entry.employer
        )
        return {
            "municipality": _municipality(employer) if employer else UNKNOWN,
            "organisation": entry.organisation.code if entry.organisation else UNKNOWN,
        }

    # -- trajectories -----------------------------------------------------------------------

    def trajectories(self) -> None:
        providers = checks.trajectory_providers(self.plan)
        running = {
            number: row
            for number, row in self.received.trajectories.items()
            if row["einddatum"] >= self.day
        }
        orders = dict(
            Order.objects.filter(legacy_reference__in=list(running)).values_list(
                "legacy_reference", "product__provider__code"
            )
        )
        moved = dict(
            self.plan.transfers.filter(kind=Transfer.Kind.TRAJECTORY).values_list(
                "reference", "to_organisation__code"
            )
        )
        for number, row in sorted(running.items()):
            residence = self.codes.get(row["woongemeente"], UNKNOWN)
            provider = providers[number].code if number in providers else UNKNOWN
            self.ledger.add("in", municipality=residence, organisation=provider, trajectories=1)
            if not self.executed:
                if number in providers:
                    self.ledger.add(
                        "out", municipality=residence, organisation=provider, trajectories=1
                    )
                else:
                    self.differ(number, "traject zonder uitvoerder in het plan", 1, 0)
                continue
            # An order under klantregie, or (for an owner outside the region) the transfer.
            where = orders.get(number) or moved.get(number)
            if where is None:
                self.differ(number, "lopend traject niet overgenomen", 1, 0)
                continue
            self.ledger.add("out", municipality=residence, organisation=where, trajectories=1)

    def result(self) -> dict[str, Any]:
        self.persons()
        self.secondments()
        self.trajectories()
        problems = [str(e) for e in self.received.errors]
        if not self.received.files:
            problems.append(
                "Er zijn geen ontvangen exportbestanden bewaard: de aansluiting heeft geen bron."
            )
        total = _finish(self.ledger.total)
        by_municipality = {k: _finish(v) for k, v in sorted(self.ledger.by_municipality.items())}
        by_organisation = {k: _finish(v) for k, v in sorted(self.ledger.by_organisation.items())}
        balanced = (
            not self.differences
            and not problems
            and total["balanced"]
            and all(r["balanced"] for r in [*by_municipality.values(), *by_organisation.values()])
        )
        return {
            **total,
            "balanced": balanced,
            "stage": "executed" if self.executed else "plan",
            "sources": self.received.files,
            "source_problems": problems,
            "differences": sorted(self.differences, key=lambda d: (d["reference"], d["what"])),
            "decided": self.decided,
            "by_municipality": by_municipality,
            "by_organisation": by_organisation,
        }


def _municipality(organisation: Any) -> str:
    return organisation.municipality.cbs_code if organisation.municipality else UNKNOWN


def reconcile(plan: TransitionPlan, received: Received | None = None) -> dict[str, Any]:
    """The reconciliation of `plan` against the files as received (see the module)."""
    report = _Reconciliation(plan, received or read_received()).result()
    flags = (
        PlanFlag.objects.filter(entry__plan=plan)
        .select_related("entry__legacy")
        .order_by("entry__legacy__personnel_number", "code")
    )
    flag_rows = [
        {
            "personeelsnummer": f.entry.legacy.personnel_number,
            "reason_code": f.code,
            "reason_label": f.get_code_display(),
            "reason": f.reason,
            "resolved": f.resolved,
        }
        for f in flags
    ]
    return {
        **report,
        "plan": plan.pk,
        "status": plan.status,
        "policy_version": plan.policy_version,
        "effective_date": plan.effective_date.isoformat(),
        "flags_open": sum(not f["resolved"] for f in flag_rows),
        "flags_resolved": sum(f["resolved"] for f in flag_rows),
        "flags": flag_rows,
    }


def movements(plan: TransitionPlan, cbs_code: str) -> list[dict[str, Any]]:
    """Who moves where, as counts: per destination organisation and work form, for the
    employees the plan gives to this municipality (no personal data: for the council)."""
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    entries = plan.entries.filter(
        employer__municipality__cbs_code=cbs_code, duplicate_of__isnull=True
    ).select_related("organisation")
    for entry in entries:
        name = entry.organisation.name if entry.organisation else UNKNOWN
        groups[(name, entry.work_form)].append(entry.hours_per_week / FULL_TIME_HOURS)
    return [
        {
            "organisation": org,
            "work_form": Employment.WorkForm(codes.WORK_FORM[form]).label,
            "persons": len(years),
            "work_years": str(rounded_work_years(sum(years, Decimal(0)))),
        }
        for (org, form), years in sorted(groups.items())
    ]
