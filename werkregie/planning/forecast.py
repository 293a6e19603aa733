"""The Wsw forecast: population, arbeidsjaren, wage costs and rijksbijdrage per municipality
(residence) year by year, from the survival table, the AOW date and wage indexation.

Per person and year, with p the chance of still being employed on 1 January:
- the part of the year before the AOW date counts (`share`); the employment ends then;
- the chance of staying through that part is q^share (q: the table's one-year chance);
- presence in the year = p × share × (1 + q^share) / 2 (leavers leave on average mid-way);
- persons at year end = p × q (0 after the AOW date);
- arbeidsjaren = presence × hours / 36; wage costs = presence × 12 × monthly wage × (1 +
  employer charges) × (1 + indexation)^(years after the base year);
- rijksbijdrage = arbeidsjaren (SE) × the amount per SE (known years from the data, later
  years the last known amount × (1 + contribution growth)^years).
The band: the same projection with every hazard × (1 ± 1.96 / √(leavers observed +
PRIOR_EVENTS)), widened by 1.96 × the binomial standard deviation of the head count.

Backtest: fit on the history up to year Y, project Y+1 … Y+3 from the people employed on
1 January Y+1, compare the year-end head counts with what happened to those same people.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.core.charts import Series, line_chart
from werkregie.core.reports import Column, Persons, Table, Unit
from werkregie.hr.payroll import work_years_of
from werkregie.people.queries import FULL_TIME_HOURS
from werkregie.planning.survival import Spell, SurvivalTable, age_on, kaplan_meier

PRIOR_EVENTS = 100
Z = 1.96
FULL_TIME = float(FULL_TIME_HOURS)  # the forecast computes in floats


@dataclass(frozen=True)
class Economics:
    """The money side of a forecast; a scenario can change every figure."""

    indexation_pct: float = 2.5  # yearly wage rise (WML steps + CAO increase)
    charges_pct: float = 47.08  # employer charges on the gross wage
    contribution_per_se: dict[int, float] = field(default_factory=dict)  # known years
    contribution_growth_pct: float = 2.0  # after the last known year

    def contribution(self, year: int) -> float:
        if year in self.contribution_per_se:
            return self.contribution_per_se[year]
        if not self.contribution_per_se:
            return 0.0
        last = (
            max(y for y in self.contribution_per_se if y <= year)
            if any(y <= year for y in self.contribution_per_se)
            else min(self.contribution_per_se)
        )
        growth = (1 + self.contribution_growth_pct / 100) ** max(0, year - last)
        return self.contribution_per_se[last] * growth


@dataclass
class YearFigures:
    persons: float = 0.0  # expected at year end
    persons_low: float = 0.0
    persons_high: float = 0.0
    work_years: float = 0.0
    wage_costs: float = 0.0
    contribution: float = 0.0

    @property
    def gap(self) -> float:
        return self.wage_costs - self.contribution


@dataclass
class Projection:
    base: date
    years: list[int]
    # municipality id → year → figures; key 0 is the total
    figures: dict[int, dict[int, YearFigures]]
    start_persons: dict[int, int]

    def total(self) -> dict[int, YearFigures]:
        return self.figures[0]


def _keys(spell: Spell) -> tuple[int, ...]:
    """Where a person counts: their municipality and the total (key 0)."""
    return (spell.municipality_id, 0) if spell.municipality_id else (0,)


def _walk(
    spells: Sequence[Spell],
    table: SurvivalTable,
    base: date,
    until: int,
    pension: Callable[[date], date],
    economics: Economics | None,
) -> tuple[dict[int, dict[int, YearFigures]], dict[int, dict[int, float]]]:
    """The projection loop; `economics` None computes head counts only (for the band)."""
    figures: dict[int, dict[int, YearFigures]] = defaultdict(lambda: defaultdict(YearFigures))
    variance: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    years = range(base.year, until + 1)
    bounds = [(date(y, 1, 1), date(y + 1, 1, 1)) for y in years]
    for spell in spells:
        retire = pension(spell.birth)
        sex = spell.sex
        keys = _keys(spell)
        p = 1.0
        age = age_on(spell.birth, base)
        fte = float(spell.hours) / FULL_TIME
        yearly = float(spell.monthly_wage) * 12
        for index, (start, end) in enumerate(bounds):
            if p == 0.0 or retire <= start:
                break
            share = 1.0 if retire >= end else (retire - start).days / (end - start).days
            stay = table.chance(sex, age + index) ** share
            following = p * stay if retire >= end else 0.0
            year = start.year
            for key in keys:
                row = figures[key][year]
                row.persons += following
                variance[key][year] += following * (1 - following)
            if economics is not None:
                presence = p * share * (1 + stay) / 2
                work_years = presence * fte
                costs = (
                    presence
                    * yearly
                    * (1 + economics.charges_pct / 100)
                    * (1 + economics.indexation_pct / 100) ** index
                )
                contribution = work_years * economics.contribution(year)
                for key in keys:
                    row = figures[key][year]
                    row.work_years += work_years
                    row.wage_costs += costs
                    row.contribution += contribution
            p = following
    return figures, variance


def project(
    spells: Iterable[Spell],
    table: SurvivalTable,
    *,
    base: date,
    until: int,
    pension: Callable[[date], date],
    economics: Economics,
) -> Projection:
    """The forecast of everyone employed on `base` (a 1 January) to the end of `until`."""
    population = [s for s in spells if s.employed_on(base)]
    figures, variance = _walk(population, table, base, until, pension, economics)
    spread = Z / math.sqrt(table.events + PRIOR_EVENTS)
    low, _ = _walk(population, table.scaled(1 + spread), base, until, pension, None)
    high, _ = _walk(population, table.scaled(max(0.0, 1 - spread)), base, until, pension, None)
    years = list(range(base.year, until + 1))
    start: dict[int, int] = defaultdict(int)
    for spell in population:
        for key in _keys(spell):
            start[key] += 1
    for key, per_year in figures.items():
        for year in years:
            row = per_year[year]
            sd = math.sqrt(variance[key][year])
            row.persons_low = max(0.0, low[key][year].persons - Z * sd)
            row.persons_high = high[key][year].persons + Z * sd
    return Projection(base, years, {k: dict(v) for k, v in figures.items()}, dict(start))


@dataclass(frozen=True)
class BacktestRow:
    year: int
    predicted: float
    actual: int

    @property
    def error_pct(self) -> float:
        return abs(self.predicted - self.actual) / self.actual * 100 if self.actual else 0.0


@dataclass
class Backtest:
    fitted_until: int
    rows: list[BacktestRow]

    @property
    def mape(self) -> float:
        """Mean absolute percentage error of the year-end head counts."""
        rows = [r for r in self.rows if r.actual]
        return sum(r.error_pct for r in rows) / len(rows) if rows else 0.0


def backtest(
    spells: Sequence[Spell],
    *,
    observed_from: date,
    fitted_until: int,
    horizon: int = 3,
    pension: Callable[[date], date],
    prior: SurvivalTable | None = None,
) -> Backtest:
    """Fit on the history up to 31 December `fitted_until`, predict the next `horizon`
    year-end head counts of the people employed on 1 January after, and compare."""
    cut = date(fitted_until, 12, 31)
    # What was known at the cut: later leavers were still employed then.
    known = [
        Spell(s.person_id, s.sex, s.birth, s.start, None, "", s.municipality_id)
        if s.end is not None and s.end > cut
        else s
        for s in spells
        if s.start <= cut
    ]
    table = kaplan_meier(known, observed_from, cut, prior)
    base = date(fitted_until + 1, 1, 1)
    projection = project(
        known,
        table,
        base=base,
        until=fitted_until + horizon,
        pension=pension,
        economics=Economics(),
    )
    population = [s for s in spells if s.employed_on(base)]
    rows = []
    for year in range(fitted_until + 1, fitted_until + horizon + 1):
        year_end = date(year, 12, 31)
        actual = sum(1 for s in population if s.employed_on(year_end))
        rows.append(BacktestRow(year, projection.total()[year].persons, actual))
    return Backtest(fitted_until, rows)


def last_full_year(spells: Sequence[Spell], today: date) -> int | None:
    """The latest year the history can be cut at with three later years known, if any."""
    first = min((s.start for s in spells), default=None)
    if first is None:
        return None
    year = today.year - 4
    return year if date(year, 1, 1) > first else None


FORECAST_COLUMNS = [
    Column("year", "Jaar"),
    Column("persons", "Personen eind jaar (verwacht)", Unit.PERSONS),
    Column("low", "Ondergrens (95%)", Unit.PERSONS),
    Column("high", "Bovengrens (95%)", Unit.PERSONS),
    Column("work_years", "Arbeidsjaren (SE)", Unit.WORK_YEARS),
    Column("wage_costs", "Loonkosten", Unit.MONEY),
    Column("contribution", "Rijksbijdrage", Unit.MONEY),
    Column("gap", "Zelf te financieren", Unit.MONEY),
]


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))


def forecast_table(projection: Projection, key: int, label: str) -> tuple[Table, str]:
    """The forecast of one municipality (key 0: all) as a table and a chart with the band."""
    figures = projection.figures.get(key, {})
    rows: list[dict[str, Any]] = []
    for year in projection.years:
        row = figures.get(year, YearFigures())
        rows.append(
            {
                "year": str(year),
                "persons": Persons(round(row.persons)),
                "low": Persons(math.floor(row.persons_low)),
                "high": Persons(math.ceil(row.persons_high)),
                "work_years": work_years_of(Decimal(str(row.work_years))),
                "wage_costs": _money(row.wage_costs),
                "contribution": _money(row.contribution),
                "gap": _money(row.gap),
            }
        )
    table = Table(
        f"Prognose Wsw {label}",
        FORECAST_COLUMNS,
        rows,
        notes=[
            f"Vertrekpunt: {projection.start_persons.get(key, 0)} Wsw-medewerkers in dienst op "
            f"{projection.base:%d-%m-%Y}; geen nieuwe instroom (sinds 2015 gesloten).",
        ],
    )
    table.check()
    svg = line_chart(
        f"Wsw-medewerkers {label}: verwacht aantal met 95%-band",
        [r["year"] for r in rows],
        [Series("Verwacht", [float(r["persons"]) for r in rows])],
        band=([float(r["low"]) for r in rows], [float(r["high"]) for r in rows]),
    )
    return table, svg


BACKTEST_COLUMNS = [
    Column("year", "Jaar"),
    Column("predicted", "Voorspeld", Unit.PERSONS),
    Column("actual", "Werkelijk", Unit.PERSONS),
    Column("error", "Afwijking (%)", Unit.PERCENTAGE),
]


def backtest_table(result: Backtest) -> Table:
    rows = [
        {
            "year": str(r.year),
            "predicted": Persons(round(r.predicted)),
            "actual": Persons(r.actual),
            "error": _money(r.error_pct),
        }
        for r in result.rows
    ]
    table = Table(
        f"Terugtoets: geschat op de jaren t/m {result.fitted_until}",
        BACKTEST_COLUMNS,
        rows,
        total={"year": "Gemiddeld (MAPE)", "error": _money(result.mape)},
    )
    table.check()
    return table
