"""The rijksbijdrage Wsw of a year per municipality against its actual Wsw wage costs: the
gap each municipality funds itself. Residence decides which municipality pays (DOMAIN.md)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.core.reports import Column, Persons, Table, Unit, WorkYears
from werkregie.hr.models import StateContribution
from werkregie.hr.payroll import charge_rates, compute_month, months, work_years_of
from werkregie.organisations.models import Municipality
from werkregie.people.models import Employment, Person

COLUMNS = [
    Column("municipality", "Gemeente"),
    Column("persons", "Personen", Unit.PERSONS),
    Column("se", "Standaardeenheden (arbeidsjaren)", Unit.WORK_YEARS),
    Column("per_se", "Rijksbijdrage per SE", Unit.MONEY),
    Column("contribution", "Rijksbijdrage", Unit.MONEY),
    Column("wages", "Brutoloon", Unit.MONEY),
    Column("charges", "Werkgeverslasten", Unit.MONEY),
    Column("costs", "Loonkosten Wsw", Unit.MONEY),
    Column("gap", "Zelf te financieren", Unit.MONEY),
    Column("cost_per_se", "Loonkosten per SE", Unit.MONEY),
]


def contribution_table(municipalities: QuerySet[Municipality], year: int) -> Table:
    """Per municipality: SE realised by its Wsw residents in `year` (hours/36 averaged over
    the year), the rijksbijdrage (SE × amount per SE), and their wage costs."""
    rate = StateContribution.objects.filter(year=year).first()
    per_se = rate.amount_per_se if rate else None
    names = dict(municipalities.values_list("pk", "name"))
    residence = dict(
        Person.objects.filter(residence_municipality_id__in=list(names)).values_list(
            "pk", "residence_municipality_id"
        )
    )
    employments = Employment.objects.filter(kind=Employment.Kind.WSW, person_id__in=list(residence))
    persons: dict[int, set[int]] = defaultdict(set)
    year_days: dict[int, Decimal] = defaultdict(Decimal)
    wages: dict[int, Decimal] = defaultdict(Decimal)
    charges: dict[int, Decimal] = defaultdict(Decimal)
    first_month, last_month = date(year, 1, 1), date(year, 12, 1)
    for month in months(first_month, last_month):
        days = month_bounds(month)[1].day
        per_employer: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for line in compute_month(employments, month).values():
            municipality = residence[line.person_id]
            persons[municipality].add(line.person_id)
            year_days[municipality] += line.work_years * days
            wages[municipality] += line.gross_wage
            per_employer[(municipality, line.employer_id)] += line.gross_wage
        for (municipality, employer), amount in per_employer.items():
            percentage = sum(charge_rates(employer, month).values(), Decimal(0))
            charges[municipality] += cents(amount * percentage / 100)
    days_in_year = Decimal((date(year, 12, 31) - date(year, 1, 1)).days + 1)
    rows: list[dict[str, Any]] = []
    for pk, name in sorted(names.items(), key=lambda item: item[1]):
        se = work_years_of(year_days[pk] / days_in_year)
        contribution = cents(se * per_se) if per_se is not None else None
        costs = wages[pk] + charges[pk]
        rows.append(
            {
                "municipality": name,
                "persons": Persons(len(persons[pk])),
                "se": se,
                "per_se": per_se,
                "contribution": contribution,
                "wages": wages[pk],
                "charges": charges[pk],
                "costs": costs,
                "gap": costs - contribution if contribution is not None else None,
                "cost_per_se": cents(costs / se) if se else None,
            }
        )
    total_se = sum((row["se"] for row in rows), WorkYears(0))
    total_costs = sum((row["costs"] for row in rows), Decimal(0))
    contributions = [row["contribution"] for row in rows if row["contribution"] is not None]
    total_contribution = sum(contributions, Decimal(0)) if per_se is not None else None
    total = {
        "municipality": "Totaal",
        "persons": Persons(len(set().union(*persons.values()))) if persons else Persons(0),
        "se": total_se,
        "per_se": per_se,
        "contribution": total_contribution,
        "wages": sum((row["wages"] for row in rows), Decimal(0)),
        "charges": sum((row["charges"] for row in rows), Decimal(0)),
        "costs": total_costs,
        "gap": total_costs - total_contribution if total_contribution is not None else None,
        "cost_per_se": cents(total_costs / total_se) if total_se else None,
    }
    notes = [
        "SE: arbeidsjaren van de Wsw-medewerkers die in de gemeente wonen (uren / 36, "
        "gemiddeld over het jaar); maanden na vandaag volgens de dienstverbanden van nu.",
        "Loonkosten: brutoloon plus werkgeverslasten, bij elke werkgever.",
    ]
    if per_se is None:
        notes.append(f"Voor {year} is geen rijksbijdrage per SE vastgelegd.")
    table = Table(
        title=f"Rijksbijdrage {year}", columns=COLUMNS, rows=rows, total=total, notes=notes
    )
    table.check()
    return table
