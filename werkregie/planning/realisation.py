"""Realisation of the performance agreements, computed from the live records, and the
quarterly and year reports: target against realised against forecast, with charts.

Per indicator, for the municipality and the agreement's execution organisation, from
1 January to the end of the quarter:
- product: orders delivered (a line on a monthly statement in the period) and the amount
  of those statement lines (client_direction.statements, the same arithmetic as billing);
- outflow to regular work: persons whose order with the organisation ended in the period
  with that result;
- sheltered places: persons in nieuw beschut werk employment living in the municipality on
  the last day of the period (a stock, against the yearly quotum);
- Wsw arbeidsjaren: contract hours / 36 of the Wsw residents, averaged over the period;
- secondment revenue: sent invoice lines (and credit notes) of the period for employees
  the municipality employs.
Forecast for the year: flows (amounts, outflow, revenue) drawn on linearly from the days
elapsed; stocks (orders delivered, places, arbeidsjaren) as realised.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from werkregie.client_direction.models import Order
from werkregie.client_direction.statements import statements_for
from werkregie.core.charts import Series, bar_chart, data_uri
from werkregie.core.formatting import format_euro
from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.core.reports import Column, Persons, Table, Unit, WorkYears
from werkregie.hr.payroll import months, slices, work_years_of
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Employment
from werkregie.people.queries import FULL_TIME_HOURS
from werkregie.planning.models import AgreementTarget, PerformanceAgreement
from werkregie.secondments.models import Invoice, InvoiceLine

Indicator = AgreementTarget.Indicator


@dataclass(frozen=True)
class Period:
    """1 January of `year` to the end of `quarter` (4: the whole year)."""

    year: int
    quarter: int

    @property
    def first(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last(self) -> date:
        return month_bounds(date(self.year, self.quarter * 3, 1))[1]

    @property
    def share(self) -> Decimal:
        """The part of the year the period covers, by calendar days."""
        elapsed = (self.last - self.first).days + 1
        return Decimal(elapsed) / Decimal((date(self.year, 12, 31) - self.first).days + 1)

    @property
    def label(self) -> str:
        return f"{self.year}" if self.quarter == 4 else f"{self.year} t/m kwartaal {self.quarter}"


def municipal_owner(municipality: Municipality) -> Organisation | None:
    """The organisation that places and pays the municipality's orders and employs its Wsw."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality=municipality
    ).first()


def product_deliveries(
    municipality: Municipality, provider: Organisation, period: Period
) -> dict[int, tuple[int, Decimal]]:
    """Per product: (orders delivered, amount) in the period, from the monthly statements of
    the municipality's orders with the provider (one statement run per month)."""
    owner = municipal_owner(municipality)
    if owner is None:
        return {}
    orders = Order.objects.filter(client_owner=owner)
    delivered: dict[int, set[int]] = defaultdict(set)
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for month in months(period.first, period.last):
        for statement in statements_for(orders, month, provider=provider):
            for line in statement.lines:
                delivered[line.product.pk].add(line.order_id)
                amounts[line.product.pk] += line.line.amount
    return {pk: (len(delivered[pk]), amounts[pk]) for pk in delivered}


def product_delivery(
    municipality: Municipality, provider: Organisation, product_id: int, period: Period
) -> tuple[int, Decimal]:
    """(orders delivered, amount) of one product in the period."""
    return product_deliveries(municipality, provider, period).get(product_id, (0, Decimal(0)))


def outflow_regular_work(
    municipality: Municipality, provider: Organisation, period: Period
) -> Persons:
    owner = municipal_owner(municipality)
    return Persons(
        Order.objects.filter(
            client_owner=owner,
            product__provider=provider,
            result=Order.Result.REGULAR_WORK,
            ended_on__range=(period.first, period.last),
        )
        .values("client__person_id")
        .distinct()
        .count()
    )


def sheltered_places(municipality: Municipality, day: date) -> Persons:
    return Persons(
        Employment.objects.filter(
            kind=Employment.Kind.SHELTERED_WORK, person__residence_municipality=municipality
        )
        .active_on(day)
        .values("person_id")
        .distinct()
        .count()
    )


def wsw_work_years(municipality: Municipality, first: date, last: date) -> WorkYears:
    """Contract hours / 36 of the Wsw residents, averaged over the days of [first, last]."""
    employments = Employment.objects.filter(
        kind=Employment.Kind.WSW, person__residence_municipality=municipality
    )
    days = Decimal((last - first).days + 1)
    total = sum(
        (
            part.hours_per_week / FULL_TIME_HOURS * part.days / days
            for part in slices(employments, first, last)
        ),
        Decimal(0),
    )
    return work_years_of(total)


def secondment_revenue(municipality: Municipality, period: Period) -> Decimal:
    owner = municipal_owner(municipality)
    found = InvoiceLine.objects.filter(
        employer=owner,
        invoice__status=Invoice.Status.SENT,
        invoice__month__range=(period.first, period.last),
    ).aggregate(total=Sum("amount"))["total"]
    return found or Decimal(0)


# --- the report ---------------------------------------------------------------------------


@dataclass
class Block:
    """One table of the report with its chart: the chart shows `series` columns per row."""

    table: Table
    label_column: str
    series: list[str]
    svg: str = ""

    @property
    def image(self) -> str:
        """The chart as an <img> source (the PDF)."""
        return data_uri(self.svg)


@dataclass
class Section:
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    agreement: PerformanceAgreement | None = None

    @property
    def spent(self) -> Decimal:
        """The products' amount delivered (the Producten table's total)."""
        for block in self.blocks:
            if block.table.title == "Producten" and block.table.total:
                spent: Decimal = block.table.total["spent"]
                return spent
        return Decimal(0)


@dataclass
class Report:
    title: str
    period: Period
    sections: list[Section]
    notes: list[str]


def _percentage(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return cents(Decimal(part) / Decimal(whole) * 100)


PRODUCT_COLUMNS = [
    Column("product", "Product"),
    Column("target", "Doel (opdrachten)", Unit.COUNT),
    Column("realised", "Geleverd (opdrachten)", Unit.COUNT),
    Column("budget", "Budget", Unit.MONEY),
    Column("spent", "Besteed", Unit.MONEY),
    Column("forecast", "Prognose besteding jaar", Unit.MONEY),
    Column("share", "Prognose t.o.v. budget (%)", Unit.PERCENTAGE),
]


def _goal_columns(unit: Unit, what: str) -> list[Column]:
    return [
        Column("indicator", "Doel"),
        Column("target", f"Afgesproken ({what})", unit),
        Column("realised", "Gerealiseerd", unit),
        Column("forecast", "Prognose jaar", unit),
        Column("share", "Prognose t.o.v. afspraak (%)", Unit.PERCENTAGE),
    ]


GOALS: dict[str, tuple[Unit, str, str]] = {
    Indicator.OUTFLOW_REGULAR_WORK: (Unit.PERSONS, "personen", "Resultaten in personen"),
    Indicator.SHELTERED_PLACES: (Unit.PERSONS, "personen", "Resultaten in personen"),
    Indicator.WSW_WORK_YEARS: (Unit.WORK_YEARS, "arbeidsjaren", "Wsw-arbeidsjaren"),
    Indicator.SECONDMENT_REVENUE: (Unit.MONEY, "euro", "Opbrengst detacheringen"),
}


def _as_unit(unit: Unit, value: Decimal) -> Any:
    if unit == Unit.PERSONS:
        return Persons(int(value.to_integral_value(rounding=ROUND_HALF_UP)))
    if unit == Unit.WORK_YEARS:
        return work_years_of(Decimal(value))
    return cents(Decimal(value))


def goal_row(target: AgreementTarget, period: Period) -> dict[str, Any]:
    """One result goal: agreed, realised to the period's end, forecast for the year."""
    agreement = target.agreement
    municipality, provider = agreement.municipality, agreement.provider
    unit = GOALS[target.indicator][0]
    realised: Any
    if target.indicator == Indicator.OUTFLOW_REGULAR_WORK:
        realised = outflow_regular_work(municipality, provider, period)
        forecast = _as_unit(unit, Decimal(realised) / period.share)
    elif target.indicator == Indicator.SHELTERED_PLACES:
        realised = sheltered_places(municipality, period.last)
        forecast = realised
    elif target.indicator == Indicator.WSW_WORK_YEARS:
        realised = wsw_work_years(municipality, period.first, period.last)
        forecast = realised
    else:
        realised = secondment_revenue(municipality, period)
        forecast = _as_unit(unit, realised / period.share)
    agreed = _as_unit(unit, target.target)
    return {
        "indicator": target.get_indicator_display(),
        "target": agreed,
        "realised": realised,
        "forecast": forecast,
        "share": _percentage(Decimal(forecast), Decimal(agreed)),
    }


def product_row(
    target: AgreementTarget, period: Period, deliveries: dict[int, tuple[int, Decimal]]
) -> dict[str, Any]:
    assert target.product is not None
    delivered, spent = deliveries.get(target.product.pk, (0, Decimal(0)))
    forecast = cents(spent / period.share)
    return {
        "product": target.product.name,
        "target": int(target.target),
        "realised": delivered,
        "budget": target.budget,
        "spent": spent,
        "forecast": forecast,
        "share": _percentage(forecast, target.budget),
    }


def _chart(block: Block) -> str:
    columns = {c.key: c for c in block.table.columns}
    return bar_chart(
        block.table.title,
        [str(row[block.label_column]) for row in block.table.rows],
        [
            Series(columns[key].label, [_float(row.get(key)) for row in block.table.rows])
            for key in block.series
        ],
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def agreement_section(agreement: PerformanceAgreement, period: Period) -> Section:
    targets = list(agreement.targets.select_related("product", "agreement__municipality"))
    section = Section(
        f"{agreement.municipality.name} – {agreement.provider.name}",
        f"Prestatieafspraak {agreement.year} ({agreement.get_status_display().lower()}), "
        f"financieel kader {format_euro(agreement.budget)}",
        agreement=agreement,
    )
    volume = [t for t in targets if t.indicator == Indicator.PRODUCT_VOLUME]
    deliveries = (
        product_deliveries(agreement.municipality, agreement.provider, period) if volume else {}
    )
    products = [product_row(t, period, deliveries) for t in volume]
    if products:
        total_budget = sum((r["budget"] or Decimal(0) for r in products), Decimal(0))
        total_forecast = sum((r["forecast"] for r in products), Decimal(0))
        table = Table(
            "Producten",
            PRODUCT_COLUMNS,
            products,
            total={
                "product": "Totaal",
                "budget": total_budget,
                "spent": sum((r["spent"] for r in products), Decimal(0)),
                "forecast": total_forecast,
                "share": _percentage(total_forecast, total_budget),
            },
        )
        section.blocks.append(Block(table, "product", ["budget", "spent", "forecast"]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for target in targets:
        if target.indicator in GOALS:
            groups.setdefault(GOALS[target.indicator][2], []).append(goal_row(target, period))
    for title, rows in groups.items():
        unit, what = next((u, w) for u, w, t in GOALS.values() if t == title)
        table = Table(title, _goal_columns(unit, what), rows)
        section.blocks.append(Block(table, "indicator", ["target", "realised", "forecast"]))
    for block in section.blocks:
        block.table.check()
        block.svg = _chart(block)
    return section


NOTES = [
    "Gerealiseerd: berekend uit de opdrachten, maandoverzichten, dienstverbanden en facturen "
    "in Werkregie, van 1 januari tot het einde van de periode; niets is ingetypt.",
    "Prognose: bedragen, uitstroom en opbrengst lineair doorgetrokken naar het hele jaar; "
    "geleverde opdrachten, beschut-werkplekken en arbeidsjaren zoals gerealiseerd.",
    "Personen en arbeidsjaren staan in aparte tabellen en worden nooit opgeteld.",
]


def report(agreements: Iterable[PerformanceAgreement], period: Period, title: str) -> Report:
    sections = [agreement_section(a, period) for a in agreements]
    return Report(title, period, sections, NOTES)


def board_summary(sections: list[Section], period: Period) -> Section:
    """For the stichting board: per agreement the budget, spent and forecast (money only,
    aggregates), ahead of the sections per municipality."""
    rows = []
    for section in sections:
        agreement = section.agreement
        assert agreement is not None
        forecast = cents(section.spent / period.share)
        rows.append(
            {
                "municipality": agreement.municipality.name,
                "provider": agreement.provider.name,
                "budget": agreement.budget,
                "spent": section.spent,
                "forecast": forecast,
                "share": _percentage(forecast, agreement.budget),
            }
        )
    table = Table(
        "Per gemeente",
        [
            Column("municipality", "Gemeente"),
            Column("provider", "Uitvoeringsorganisatie"),
            Column("budget", "Financieel kader", Unit.MONEY),
            Column("spent", "Besteed aan producten", Unit.MONEY),
            Column("forecast", "Prognose jaar", Unit.MONEY),
            Column("share", "Prognose t.o.v. kader (%)", Unit.PERCENTAGE),
        ],
        rows,
    )
    table.check()
    block = Block(table, "municipality", ["budget", "spent", "forecast"])
    block.svg = _chart(block)
    return Section("Overzicht voor het bestuur", "Alle gemeenten", [block])


def board_report(agreements: list[PerformanceAgreement], period: Period, title: str) -> Report:
    result = report(agreements, period, title)
    result.sections.insert(0, board_summary(result.sections, period))
    return result
