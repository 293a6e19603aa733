"""Scenarios: the same people under another execution model, cost per municipality per year.

Cost of a municipality in a year = wage costs of its Wsw residents (forecast) + guidance and
staff (the scenario's amount per arbeidsjaar) + its share of the fixed costs of the
organisations that serve it − the rijksbijdrage. Fixed costs per organisation per year:
- joint: one organisation for the six municipalities; each pays by its share of arbeidsjaren;
- split (the agreement): the NUO for its member municipalities, shared by arbeidsjaren, and
  each local beschut-werk organisation carried by its own municipality.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.core.charts import Series, line_chart
from werkregie.core.money import cents
from werkregie.core.reports import Column, Table, Unit
from werkregie.hr.wages import pension_date
from werkregie.organisations.models import Municipality, Organisation
from werkregie.planning.forecast import Economics, Projection, project
from werkregie.planning.models import Scenario
from werkregie.planning.population import default_economics, observation_start, wsw_spells
from werkregie.planning.survival import kaplan_meier


def organisation_groups(model: str, municipalities: list[Municipality]) -> list[list[int]]:
    """Which municipalities share one organisation's fixed costs under `model`."""
    ids = [m.pk for m in municipalities]
    if model == Scenario.ExecutionModel.JOINT:
        return [ids]
    groups: list[list[int]] = []
    covered: set[int] = set()
    for organisation in Organisation.objects.filter(
        kind__in=[Organisation.Kind.FOUNDATION, Organisation.Kind.SHELTERED_WORK],
        valid_to__isnull=True,
    ).prefetch_related("members"):
        members = [m.pk for m in organisation.members.all() if m.pk in ids]
        if not members and organisation.municipality_id in ids:
            members = [organisation.municipality_id]
        members = [m for m in members if m not in covered]
        if members:
            groups.append(members)
            covered.update(members)
    groups.extend([[m] for m in ids if m not in covered])
    return groups


@dataclass
class ScenarioResult:
    scenario: Scenario
    years: list[int]
    # municipality id → year → net cost
    costs: dict[int, dict[int, Decimal]]


def economics_of(scenario: Scenario, base: Economics) -> Economics:
    return Economics(
        indexation_pct=float(scenario.indexation_pct),
        charges_pct=base.charges_pct,
        contribution_per_se=base.contribution_per_se,
        contribution_growth_pct=float(scenario.contribution_growth_pct),
    )


def evaluate(scenario: Scenario, today: date) -> ScenarioResult:
    """The scenario for all six municipalities: an organisation's fixed costs are shared by
    all it serves, whichever municipality the caller looks at."""
    municipalities = list(Municipality.objects.filter(in_region=True))
    spells = wsw_spells([m.pk for m in municipalities])
    base_day = date(today.year, 1, 1)
    table = kaplan_meier(spells, observation_start(spells), today).scaled(
        float(scenario.hazard_factor)
    )
    projection = project(
        spells,
        table,
        base=base_day,
        until=scenario.until_year,
        pension=pension_date,
        economics=economics_of(scenario, default_economics(today)),
    )
    return ScenarioResult(scenario, projection.years, _costs(scenario, projection, municipalities))


def _costs(
    scenario: Scenario, projection: Projection, municipalities: list[Municipality]
) -> dict[int, dict[int, Decimal]]:
    costs: dict[int, dict[int, Decimal]] = defaultdict(dict)
    groups = organisation_groups(scenario.execution_model, municipalities)
    fixed = float(scenario.fixed_costs_per_organisation)
    overhead = float(scenario.overhead_per_work_year)
    for year in projection.years:
        work_years = {m.pk: projection.figures.get(m.pk, {}).get(year) for m in municipalities}
        for group in groups:
            group_years = sum(w.work_years for m in group if (w := work_years[m]) is not None)
            for m in group:
                row = work_years[m]
                if row is None:
                    share = 1 / len(group) if not group_years else 0.0
                    costs[m][year] = cents(Decimal(fixed * share))
                    continue
                share = row.work_years / group_years if group_years else 1 / len(group)
                net = row.wage_costs + overhead * row.work_years + fixed * share - row.contribution
                costs[m][year] = cents(Decimal(str(round(net, 2))))
    return dict(costs)


COLUMNS = [
    Column("year", "Jaar"),
    Column("first", "Scenario A", Unit.MONEY),
    Column("second", "Scenario B", Unit.MONEY),
    Column("difference", "Verschil B − A", Unit.MONEY),
]


def comparison(
    first: ScenarioResult, second: ScenarioResult, municipality_ids: list[int], label: str
) -> tuple[Table, str]:
    """Side by side: net cost per year of the municipalities in `municipality_ids`."""
    columns = [
        COLUMNS[0],
        Column("first", first.scenario.name, Unit.MONEY),
        Column("second", second.scenario.name, Unit.MONEY),
        COLUMNS[3],
    ]
    rows: list[dict[str, Any]] = []
    years = [y for y in first.years if y in second.years]
    for year in years:
        a = sum(
            (first.costs.get(m, {}).get(year, Decimal(0)) for m in municipality_ids), Decimal(0)
        )
        b = sum(
            (second.costs.get(m, {}).get(year, Decimal(0)) for m in municipality_ids), Decimal(0)
        )
        rows.append({"year": str(year), "first": a, "second": b, "difference": b - a})
    total = {
        "year": "Totaal",
        "first": sum((r["first"] for r in rows), Decimal(0)),
        "second": sum((r["second"] for r in rows), Decimal(0)),
        "difference": sum((r["difference"] for r in rows), Decimal(0)),
    }
    table = Table(f"Netto kosten {label}", columns, rows, total=total)
    table.check()
    svg = line_chart(
        f"Netto kosten per jaar – {label}",
        [r["year"] for r in rows],
        [
            Series(first.scenario.name, [float(r["first"]) for r in rows]),
            Series(second.scenario.name, [float(r["second"]) for r in rows]),
        ],
    )
    return table, svg
