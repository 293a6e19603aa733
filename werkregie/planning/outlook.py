"""What the screens and the API show, assembled once: the P&C report of the municipalities
asked for, and the Wsw forecast with its backtest."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from werkregie.accounts.models import User
from werkregie.core.reports import Table
from werkregie.hr.wages import pension_date
from werkregie.organisations.models import Municipality
from werkregie.planning import realisation
from werkregie.planning.forecast import (
    Backtest,
    Economics,
    Projection,
    backtest,
    backtest_table,
    forecast_table,
    last_full_year,
    project,
)
from werkregie.planning.models import PerformanceAgreement, planning_municipalities
from werkregie.planning.population import default_economics, observation_start, wsw_spells
from werkregie.planning.survival import SurvivalTable, kaplan_meier, national_table

UNTIL = 2040
ALL = "alle"


def choose(user: User, raw: str) -> tuple[list[Municipality], str] | None:
    """The municipalities asked for by CBS code, or all the user sees ("alle", or nothing
    asked by someone who sees more than one) with the label; None: not one of theirs."""
    allowed = planning_municipalities(user).order_by("name")
    if raw == ALL or (not raw and allowed.count() > 1):
        found = list(allowed)
        return (found, "alle gemeenten") if found else None
    one = allowed.filter(cbs_code=raw).first() if raw else allowed.first()
    return ([one], one.name) if one is not None else None


def pc_report(
    user: User, municipalities: list[Municipality], period: realisation.Period, label: str
) -> realisation.Report:
    agreements = list(
        PerformanceAgreement.objects.visible_to(user)
        .filter(municipality__in=municipalities, year=period.year)
        .select_related("municipality", "provider")
        .order_by("municipality__name", "provider__name")
    )
    kind = "Jaarrapportage" if period.quarter == 4 else "Tussenrapportage"
    title = f"{kind} prestatieafspraken {period.label} – {label}"
    if len(municipalities) > 1:
        return realisation.board_report(agreements, period, title)
    return realisation.report(agreements, period, title)


@dataclass
class ForecastResult:
    label: str
    projection: Projection
    table: Table
    svg: str
    survival: SurvivalTable
    economics: Economics
    observed_from: date
    backtest: Backtest | None
    backtest_table: Table | None


def forecast(
    municipalities: list[Municipality], label: str, today: date, until: int = UNTIL
) -> ForecastResult:
    spells = wsw_spells([m.pk for m in municipalities])
    observed_from = observation_start(spells)
    table = kaplan_meier(spells, observed_from, today, national_table())
    economics = default_economics(today)
    projection = project(
        spells,
        table,
        base=date(today.year, 1, 1),
        until=until,
        pension=pension_date,
        economics=economics,
    )
    result_table, svg = forecast_table(projection, 0, label)
    fitted = last_full_year(spells, today)
    tested = None
    if fitted is not None and date(fitted, 12, 31) > observed_from:
        tested = backtest(
            spells, observed_from=observed_from, fitted_until=fitted, pension=pension_date
        )
    return ForecastResult(
        label,
        projection,
        result_table,
        svg,
        table,
        economics,
        observed_from,
        tested,
        backtest_table(tested) if tested else None,
    )


# -- the same reports as data (the API, and the jobs that make them) ----------------------


def pc_report_data(report: realisation.Report, period: realisation.Period) -> dict[str, Any]:
    from werkregie.core.report_api import table_data

    return {
        "title": report.title,
        "year": period.year,
        "quarter": period.quarter,
        "sections": [
            {
                "title": s.title,
                "subtitle": s.subtitle,
                "tables": [table_data(b.table) for b in s.blocks],
            }
            for s in report.sections
        ],
        "notes": report.notes,
    }


def forecast_data(result: Any) -> dict[str, Any]:
    from werkregie.core.report_api import table_data

    return {
        "label": result.label,
        "base": result.projection.base,
        "observed_from": result.observed_from,
        "leavers_observed": result.survival.events,
        "economics": {
            "indexation_pct": result.economics.indexation_pct,
            "charges_pct": result.economics.charges_pct,
            "contribution_growth_pct": result.economics.contribution_growth_pct,
        },
        "forecast": table_data(result.table),
        "backtest": table_data(result.backtest_table) if result.backtest_table else None,
        "backtest_mape": round(result.backtest.mape, 2) if result.backtest else None,
    }
