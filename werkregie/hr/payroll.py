"""What a month costs per employee, computed from the employment versions (never stored as
the truth): the payroll file per employer, its corrections of earlier months, and the cost
report with employer charges, hours and arbeidsjaren per work form.

Rules: a version counts for the calendar days it covers in the month (wage × days / days in
the month, rounded to cents per version); hours are the weekly hours × 52/12 for those days;
arbeidsjaren are the weekly hours / 36 averaged over the days of the period.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.core.reports import Column, Persons, Table, Unit, WorkYears
from werkregie.hr.models import EmployerCharge, PayrollLine
from werkregie.hr.wages import WEEKS_PER_MONTH
from werkregie.people.models import Employment
from werkregie.people.queries import FULL_TIME_HOURS, rounded_work_years

WORK_YEAR_PLACES = Decimal("0.0001")
LOOKBACK_MONTHS = 24


def work_years_of(value: Decimal) -> WorkYears:
    return WorkYears(rounded_work_years(value, WORK_YEAR_PLACES))


@dataclass(frozen=True)
class Slice:
    """One employment version's part of a period."""

    employment_id: int
    person_id: int
    employer_id: int
    kind: str
    work_form: str
    indication: str
    scale: str
    step: int | None
    hours_per_week: Decimal
    wage: Decimal
    valid_from: date
    valid_to: date | None
    days: int
    extra: tuple[Any, ...] = ()


_SLICE_FIELDS = (
    "pk",
    "person_id",
    "employer_id",
    "kind",
    "work_form",
    "indication",
    "scale",
    "step",
    "hours_per_week",
    "gross_monthly_wage",
    "valid_from",
    "valid_to",
)


def overlapping(employments: QuerySet[Employment], first: date, last: date) -> QuerySet[Employment]:
    return employments.filter(
        Q(valid_from__lte=last), Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )


def slices(
    employments: QuerySet[Employment], first: date, last: date, extra: tuple[str, ...] = ()
) -> Iterator[Slice]:
    """Every version of `employments` that covers part of [first, last], with its days and
    the `extra` values (e.g. person fields) asked for."""
    rows = overlapping(employments, first, last).order_by("person_id", "valid_from", "pk")
    for row in rows.values_list(*_SLICE_FIELDS, *extra).iterator(chunk_size=5000):
        pk, person, employer, kind, form, indication, scale, step, hours, wage, start, end = row[
            :12
        ]
        days = (min(end or last, last) - max(start, first)).days + 1
        yield Slice(
            pk, person, employer, kind, form, indication, scale, step, hours, wage, start, end,
            days, tuple(row[12:]),
        )  # fmt: skip


@dataclass
class MonthLine:
    """One employee's month at one employer."""

    person_id: int
    employer_id: int
    period: date
    gross_wage: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)
    work_years: WorkYears = field(default_factory=lambda: WorkYears(0))
    kind: str = ""
    work_form: str = ""
    scale: str = ""
    step: int | None = None
    hours_per_week: Decimal | None = None


def compute_month(
    employments: QuerySet[Employment], month: date
) -> dict[tuple[int, int], MonthLine]:
    """(employer, person) → the month's wage, hours and arbeidsjaren from the versions."""
    first, last = month_bounds(month)
    days_in_month = Decimal(last.day)
    raw_years: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    lines: dict[tuple[int, int], MonthLine] = {}
    for part in slices(employments, first, last):
        key = (part.employer_id, part.person_id)
        line = lines.get(key) or lines.setdefault(
            key, MonthLine(part.person_id, part.employer_id, first)
        )
        share = Decimal(part.days) / days_in_month
        line.gross_wage += cents(part.wage * share)
        line.hours += cents(part.hours_per_week * WEEKS_PER_MONTH * share)
        raw_years[key] += part.hours_per_week / FULL_TIME_HOURS * share
        # Ordered by valid_from: the last version of the month describes the line.
        line.kind, line.work_form, line.scale, line.step = (
            part.kind,
            part.work_form,
            part.scale,
            part.step,
        )
        line.hours_per_week = part.hours_per_week
    for key, value in raw_years.items():
        lines[key].work_years = work_years_of(value)
    return lines


def employer_employments(employer_id: int) -> QuerySet[Employment]:
    return Employment.objects.filter(employer_id=employer_id)


@dataclass(frozen=True)
class Correction:
    person_id: int
    period: date
    gross_wage: Decimal
    hours: Decimal
    work_years: WorkYears
    line: MonthLine | None


def months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def corrections(employer_id: int, month: date) -> list[Correction]:
    """For every earlier month already in a final file of this employer (the last two
    years): the difference between what the files reported and what the versions say now.
    A change effective in the past so reaches every month after it."""
    reported = (
        PayrollLine.objects.filter(
            export__employer_id=employer_id,
            export__month__lt=month,
            period__gte=months_back(month, LOOKBACK_MONTHS),
        )
        .values("person_id", "period")
        .annotate(wage=Sum("gross_wage"), hours=Sum("hours"), years=Sum("work_years"))
    )
    by_period: dict[date, dict[int, tuple[Decimal, Decimal, Decimal]]] = defaultdict(dict)
    for row in reported:
        by_period[row["period"]][row["person_id"]] = (row["wage"], row["hours"], row["years"])
    found: list[Correction] = []
    for period in sorted(by_period):
        now = {
            person: line
            for (_, person), line in compute_month(
                employer_employments(employer_id), period
            ).items()
        }
        before = by_period[period]
        for person in sorted(set(now) | set(before)):
            line = now.get(person)
            old = before.get(person, (Decimal(0), Decimal(0), Decimal(0)))
            new = (
                (line.gross_wage, line.hours, line.work_years)
                if line
                else (Decimal(0), Decimal(0), Decimal(0))
            )
            wage, hours, years = (n - o for n, o in zip(new, old, strict=True))
            if wage or hours or years:
                found.append(
                    Correction(
                        person, period, cents(wage), cents(hours), work_years_of(years), line
                    )
                )
    return found


# --- Employer charges and the cost report -------------------------------------------------


def charge_rates(employer_id: int | None, day: date) -> dict[str, Decimal]:
    """Component → percentage on `day`: the employer's own version, else the default
    (`employer_id` None: the defaults only)."""
    rates: dict[str, tuple[bool, date, Decimal]] = {}
    for component, own, valid_from, percentage in EmployerCharge.objects.filter(
        Q(employer_id=employer_id) | Q(employer__isnull=True), valid_from__lte=day
    ).values_list("component", "employer_id", "valid_from", "percentage"):
        candidate = (own is not None, valid_from, percentage)
        if component not in rates or candidate[:2] > rates[component][:2]:
            rates[component] = candidate
    return {component: value[2] for component, value in sorted(rates.items())}


def months(first: date, last: date) -> Iterator[date]:
    current = first.replace(day=1)
    while current <= last:
        yield current
        current = months_back(current, -1)


WORK_FORM_LABELS = dict(Employment.WorkForm.choices)


def cost_report(employer_ids: Iterable[int], first_month: date, last_month: date) -> Table:
    """Wage bill, employer charges, hours, persons and arbeidsjaren per work form over the
    months first..last of the employers; persons and arbeidsjaren each in their own column."""
    employer_ids = list(employer_ids)
    period_months = list(months(first_month, last_month))
    total_days = sum(month_bounds(m)[1].day for m in period_months)
    persons: dict[str, set[int]] = defaultdict(set)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    year_days: dict[str, Decimal] = defaultdict(Decimal)
    wages: dict[str, Decimal] = defaultdict(Decimal)
    charges: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    components: set[str] = set()
    for month in period_months:
        days = month_bounds(month)[1].day
        lines = compute_month(Employment.objects.filter(employer_id__in=employer_ids), month)
        wage_per: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for line in lines.values():
            persons[line.work_form].add(line.person_id)
            hours[line.work_form] += line.hours
            year_days[line.work_form] += line.work_years * days
            wages[line.work_form] += line.gross_wage
            wage_per[(line.employer_id, line.work_form)] += line.gross_wage
        for (employer_id, form), amount in wage_per.items():
            for component, percentage in charge_rates(employer_id, month).items():
                components.add(component)
                charges[(form, component)] += cents(amount * percentage / 100)
    ordered = sorted(components)
    columns = [
        Column("work_form", "Werkvorm"),
        Column("persons", "Personen", Unit.PERSONS),
        Column("hours", "Uren", Unit.HOURS),
        Column("work_years", "Arbeidsjaren", Unit.WORK_YEARS),
        Column("wages", "Brutoloon", Unit.MONEY),
        *[Column(f"charge_{i}", name, Unit.MONEY) for i, name in enumerate(ordered)],
        Column("charges", "Werkgeverslasten", Unit.MONEY),
        Column("costs", "Loonkosten totaal", Unit.MONEY),
    ]
    rows: list[dict[str, Any]] = []
    for form in sorted(persons, key=lambda f: list(WORK_FORM_LABELS).index(f)):
        form_charges = {f"charge_{i}": charges[(form, name)] for i, name in enumerate(ordered)}
        charge_total = sum(form_charges.values(), Decimal(0))
        rows.append(
            {
                "work_form": WORK_FORM_LABELS.get(form, form),
                "persons": Persons(len(persons[form])),
                "hours": hours[form],
                "work_years": work_years_of(year_days[form] / total_days),
                "wages": wages[form],
                **form_charges,
                "charges": charge_total,
                "costs": wages[form] + charge_total,
            }
        )
    total: dict[str, Any] = {
        "work_form": "Totaal",
        "persons": Persons(len(set().union(*persons.values()))),
    }
    for column in columns[2:]:
        total[column.key] = sum(
            (row[column.key] for row in rows),
            WorkYears(0) if column.unit == Unit.WORK_YEARS else Decimal(0),
        )
    table = Table(
        title="Loonkosten",
        columns=columns,
        rows=rows,
        total=total,
        notes=[
            "Personen: verschillende personen in de periode; wie van werkvorm wisselde telt in "
            "elke werkvorm en één keer in het totaal.",
            "Arbeidsjaren: uren per week / 36, gemiddeld over de dagen van de periode.",
        ],
    )
    table.check()
    return table
