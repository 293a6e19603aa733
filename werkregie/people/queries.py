"""Read-only aggregates over people and employments (no personal data leaves here)."""

from decimal import ROUND_HALF_UP, Decimal
from typing import TypedDict

from django.db.models import Count, Sum
from django.utils import timezone

from werkregie.core.formatting import format_decimal
from werkregie.organisations.models import Municipality
from werkregie.people.models import Employment

# The full-time Wsw week (CAO SW): one arbeidsjaar is a year of 36 hours a week. The one
# definition: payroll, Wsw-statistiek, reconciliation, realisation and forecast use it.
FULL_TIME_HOURS = Decimal(36)
WORK_YEAR_CENT = Decimal("0.01")


def rounded_work_years(value: Decimal, places: Decimal = WORK_YEAR_CENT) -> Decimal:
    """Arbeidsjaren rounded half up (as money is): once, on the total that is shown."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


class HeadcountRow(TypedDict):
    employer: str
    kind: str
    persons: int
    work_years: str


class Headcount(TypedDict):
    municipality: str
    rows: list[HeadcountRow]


def work_years(hours_per_week: Decimal) -> Decimal:
    """Arbeidsjaren: contract hours per week divided by a full-time Wsw week of 36 hours."""
    return rounded_work_years(hours_per_week / FULL_TIME_HOURS)


def current_headcount(*, municipality_id: int | None) -> Headcount:
    """Persons and arbeidsjaren per employer and kind today; one municipality's employers or all."""
    employments = Employment.objects.active_on(timezone.localdate())
    name = ""
    if municipality_id is not None:
        employments = employments.filter(employer__municipality_id=municipality_id)
        name = str(Municipality.objects.get(pk=municipality_id))
    labels = dict(Employment.Kind.choices)
    rows = (
        employments.values("employer__name", "kind")
        .annotate(persons=Count("person", distinct=True), hours=Sum("hours_per_week"))
        .order_by("employer__name", "kind")
    )
    return {
        "municipality": name,
        "rows": [
            {
                "employer": row["employer__name"],
                "kind": labels[row["kind"]],
                "persons": row["persons"],
                "work_years": format_decimal(work_years(row["hours"] or Decimal(0))),
            }
            for row in rows
        ],
    }
