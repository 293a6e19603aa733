"""Wage rules: the versioned WML and CAO tables, the monthly wage of a scale/step and hours,
and what an indexation on a date does to a wage (never less)."""

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from werkregie.core.money import cents
from werkregie.hr.models import EmployerCharge, MinimumWage, StateContribution, WageScale

DATA_FILE = Path(__file__).parent / "data" / "wage_tables.yaml"
# A month of a weekly contract: 52 weeks over 12 months (the CAO SW's 156 hours for 36).
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)


def monthly_wage(hourly: Decimal, hours_per_week: Decimal) -> Decimal:
    """Gross monthly wage of an hourly wage and weekly hours: hourly × hours × 52 / 12."""
    return cents(hourly * hours_per_week * WEEKS_PER_MONTH)


@functools.cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


def table_versions(data: dict[str, Any]) -> list[tuple[date, dict[tuple[str, int], Decimal]]]:
    """Every CAO table version: the base, then each increase applied to the previous one."""
    agreement = data["collective_agreement"]
    base = agreement["base"]
    table: dict[tuple[str, int], Decimal] = {}
    for scale, (start, per_step, top) in base["scales"].items():
        for step in range(int(top) + 1):
            table[(str(scale), step)] = Decimal(start) + Decimal(per_step) * step
    versions = [(base["valid_from"], table)]
    for increase in agreement["increases"]:
        factor = 1 + Decimal(increase["percentage"]) / 100
        table = {cell: cents(hourly * factor) for cell, hourly in table.items()}
        versions.append((increase["valid_from"], table))
    return versions


@transaction.atomic
def load_wage_tables(data: dict[str, Any] | None = None) -> dict[str, int]:
    """Load the data file (or `data`) into the tables; rows already there stay as they are."""
    data = data or _data()
    created = {"minimum_wage": 0, "wage_scales": 0, "charges": 0, "contributions": 0}
    for row in data["minimum_wage"]:
        _, new = MinimumWage.objects.get_or_create(
            valid_from=row["valid_from"],
            defaults={"hourly": Decimal(row["hourly"]), "note": row.get("note", "")},
        )
        created["minimum_wage"] += new
    name = data["collective_agreement"]["name"]
    existing = set(
        WageScale.objects.filter(collective_agreement=name).values_list(
            "valid_from", "scale", "step"
        )
    )
    cells = [
        WageScale(collective_agreement=name, valid_from=day, scale=scale, step=step, hourly=hourly)
        for day, table in table_versions(data)
        for (scale, step), hourly in table.items()
        if (day, scale, step) not in existing
    ]
    WageScale.objects.bulk_create(cells)
    created["wage_scales"] = len(cells)
    for row in data["employer_charges"]:
        _, new = EmployerCharge.objects.get_or_create(
            employer=None,
            component=row["component"],
            valid_from=row["valid_from"],
            defaults={"percentage": Decimal(row["percentage"])},
        )
        created["charges"] += new
    for row in data["state_contribution"]:
        _, new = StateContribution.objects.get_or_create(
            year=row["year"], defaults={"amount_per_se": Decimal(row["amount_per_se"])}
        )
        created["contributions"] += new
    return created


def pension_date(birth_date: date, table: list[dict[str, Any]] | None = None) -> date:
    """The day the AOW age is reached (the employment ends by law the day before)."""
    rows = table or _data()["pension_age"]
    applicable = [row for row in rows if row["born_from"] <= birth_date][-1]
    months = birth_date.month - 1 + int(applicable["months"])
    year = birth_date.year + int(applicable["years"]) + months // 12
    month = months % 12 + 1
    # Born on the 31st, AOW in a 30-day month: the first day after the month's last.
    try:
        return date(year, month, birth_date.day)
    except ValueError:
        return date(year + (month == 12), month % 12 + 1, 1)


@dataclass(frozen=True)
class WageTables:
    """The WML and CAO tables in memory, for runs over thousands of employees."""

    minimum: list[tuple[date, Decimal]]
    scales: dict[tuple[str, int], list[tuple[date, Decimal]]]

    @classmethod
    def load(cls) -> "WageTables":
        minimum = sorted(MinimumWage.objects.values_list("valid_from", "hourly"))
        scales: dict[tuple[str, int], list[tuple[date, Decimal]]] = {}
        for day, scale, step, hourly in WageScale.objects.order_by("valid_from").values_list(
            "valid_from", "scale", "step", "hourly"
        ):
            scales.setdefault((scale, step), []).append((day, hourly))
        return cls(minimum=minimum, scales=scales)

    @classmethod
    def from_data(cls, data: dict[str, Any] | None = None) -> "WageTables":
        """The tables straight from the data file, without the database."""
        data = data or _data()
        minimum = sorted((r["valid_from"], Decimal(r["hourly"])) for r in data["minimum_wage"])
        scales: dict[tuple[str, int], list[tuple[date, Decimal]]] = {}
        for day, table in table_versions(data):
            for cell, hourly in table.items():
                scales.setdefault(cell, []).append((day, hourly))
        return cls(minimum=minimum, scales=scales)

    def minimum_hourly(self, day: date) -> Decimal | None:
        found = [hourly for valid_from, hourly in self.minimum if valid_from <= day]
        return found[-1] if found else None

    def top_step(self, scale: str) -> int | None:
        steps = [step for (s, step) in self.scales if s == scale]
        return max(steps) if steps else None

    def hourly(self, scale: str, step: int | None, day: date) -> Decimal | None:
        """The CAO hourly wage of scale/step on `day`, never below the WML of that day."""
        if step is None:
            return None
        history = self.scales.get((scale, step), [])
        found = [hourly for valid_from, hourly in history if valid_from <= day]
        if not found:
            return None
        floor = self.minimum_hourly(day) or Decimal(0)
        return max(found[-1], floor)

    def table_wage(
        self, scale: str, step: int | None, hours_per_week: Decimal, day: date
    ) -> Decimal | None:
        hourly = self.hourly(scale, step, day)
        return None if hourly is None else monthly_wage(hourly, hours_per_week)


@dataclass(frozen=True)
class Proposal:
    new_wage: Decimal
    reason: str


def indexed_wage(
    tables: WageTables,
    *,
    kind: str,
    scale: str,
    step: int | None,
    hours_per_week: Decimal,
    wage: Decimal,
    day: date,
) -> Proposal:
    """The wage from `day`: the current wage plus the table's rise for this scale, step and
    hours (so a personal allowance above the table is kept), never less than today's."""
    before = date.fromordinal(day.toordinal() - 1)
    if kind == "wsw":
        old = tables.table_wage(scale, step, hours_per_week, before)
        new = tables.table_wage(scale, step, hours_per_week, day)
        if old is None or new is None:
            return Proposal(wage, "geen cao-schaal en trede: loon blijft gelijk")
        reason = f"cao {scale}/{step}: {old} → {new}"
    elif kind == "sheltered_work":
        old_hourly, new_hourly = tables.minimum_hourly(before), tables.minimum_hourly(day)
        if old_hourly is None or new_hourly is None:
            return Proposal(wage, "geen WML bekend: loon blijft gelijk")
        old, new = (
            monthly_wage(old_hourly, hours_per_week),
            monthly_wage(new_hourly, hours_per_week),
        )
        reason = f"WML: {old} → {new}"
    else:
        return Proposal(wage, "geen cao SW of WML: loon blijft gelijk")
    proposed = wage + max(Decimal(0), new - old)
    # No step is ever paid below the table of the day.
    return Proposal(max(wage, proposed, new), reason)
