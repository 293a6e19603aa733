"""The Wsw-statistiek: the half-yearly person-level delivery of each financially responsible
municipality (residence decides), its check totals and the differences with the half-year
before. The file is deterministic: the same data give the same bytes."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.reports import Column, Persons, Table, Unit, WorkYears
from werkregie.hr.events import HrEvent
from werkregie.hr.models import StatisticsDelivery
from werkregie.hr.payroll import Slice, slices, work_years_of
from werkregie.organisations.models import Municipality
from werkregie.people.models import Employment, Person
from werkregie.people.queries import FULL_TIME_HOURS

DUE_AFTER = timedelta(weeks=6)

# The statistiek knows four work forms; green maintenance is group work at the municipality.
STATISTICS_WORK_FORM: dict[str, str] = {
    Employment.WorkForm.SHELTERED_INSIDE: "beschut binnen",
    Employment.WorkForm.GROUP_SECONDMENT: "groepsdetachering",
    Employment.WorkForm.GREEN: "groepsdetachering",
    Employment.WorkForm.INDIVIDUAL_SECONDMENT: "individuele detachering",
    Employment.WorkForm.SUPPORTED_EMPLOYMENT: "begeleid werken",
}
WORK_FORMS = ["beschut binnen", "groepsdetachering", "individuele detachering", "begeleid werken"]
INDICATIONS = {"moderate": "matig", "severe": "ernstig"}
SEXES = {"M": "man", "V": "vrouw", "X": "onbekend"}
AGE_BANDS = [(34, "tot 35"), (44, "35-44"), (54, "45-54"), (59, "55-59"), (200, "60 en ouder")]

FILE_COLUMNS = [
    "gemeentecode",
    "periode",
    "bsn",
    "personeelsnummer",
    "geslacht",
    "leeftijdsklasse",
    "indicatie",
    "werkvorm",
    "werkgever_gemeentecode",
    "uren_per_week",
    "arbeidsjaren",
    "in_dienst_einde_periode",
]


def half_bounds(year: int, half: int) -> tuple[date, date]:
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def previous_half(year: int, half: int) -> tuple[int, int]:
    return (year - 1, 2) if half == 1 else (year, 1)


def due_date(year: int, half: int) -> date:
    """Within six weeks after the half-year."""
    return half_bounds(year, half)[1] + DUE_AFTER


def age_band(birth_date: date, day: date) -> str:
    age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return next(label for top, label in AGE_BANDS if age <= top)


@dataclass(frozen=True)
class PersonRow:
    municipality_code: str
    bsn: str
    personnel_number: str
    sex: str
    age_band: str
    indication: str
    work_form: str
    employer_code: str
    hours_per_week: Decimal
    # In the file: rounded half up to 4 decimals per person (docs/payroll_file.md).
    work_years: WorkYears
    employed_at_end: bool
    # Unrounded: every total adds these and rounds once (issue 14, finding 7).
    work_years_exact: Decimal = Decimal(0)
    person_id: int | None = None


def total_work_years(rows: Iterable[PersonRow]) -> WorkYears:
    """Arbeidsjaren of many persons: the unrounded values added, then rounded once."""
    return work_years_of(sum((r.work_years_exact for r in rows), Decimal(0)))


_PERSON_FIELDS = (
    "person__residence_municipality_id",
    "person__bsn",
    "person__personnel_number",
    "person__sex",
    "person__birth_date",
    "employer__municipality__cbs_code",
)


def rows_by_municipality(
    municipalities: QuerySet[Municipality], year: int, half: int
) -> dict[int, list[PersonRow]]:
    """Per municipality of residence, one row per Wsw employee employed in the half-year."""
    first, last = half_bounds(year, half)
    days = Decimal((last - first).days + 1)
    codes = dict(municipalities.values_list("pk", "cbs_code"))
    employments = Employment.objects.filter(
        kind=Employment.Kind.WSW, person__residence_municipality_id__in=list(codes)
    )
    years: dict[int, Decimal] = defaultdict(Decimal)
    final: dict[int, tuple[Slice, bool]] = {}
    for part in slices(employments, first, last, _PERSON_FIELDS):
        years[part.person_id] += part.hours_per_week / FULL_TIME_HOURS * part.days / days
        final[part.person_id] = (part, part.valid_to is None or part.valid_to >= last)
    result: dict[int, list[PersonRow]] = {pk: [] for pk in codes}
    for person_id, (part, at_end) in final.items():
        municipality_id, bsn, number, sex, birth, employer_code = part.extra
        result[municipality_id].append(
            PersonRow(
                municipality_code=codes[municipality_id],
                bsn=bsn or "",
                personnel_number=number or "",
                sex=SEXES[sex],
                age_band=age_band(birth, last),
                indication=INDICATIONS[part.indication],
                work_form=STATISTICS_WORK_FORM.get(part.work_form, "beschut binnen"),
                employer_code=employer_code or "",
                hours_per_week=part.hours_per_week,
                work_years=work_years_of(years[person_id]),
                employed_at_end=bool(at_end),
                work_years_exact=years[person_id],
                person_id=person_id,
            )
        )
    for rows in result.values():
        rows.sort(key=lambda r: (r.bsn, r.personnel_number))
    return result


def person_rows(municipality: Municipality, year: int, half: int) -> list[PersonRow]:
    found = rows_by_municipality(Municipality.objects.filter(pk=municipality.pk), year, half)
    return found[municipality.pk]


def _number(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


def file_name(municipality: Municipality, year: int, half: int) -> str:
    return f"wsw-statistiek-{municipality.cbs_code}-{year}-H{half}.csv"


def file_text(rows: list[PersonRow], municipality: Municipality, year: int, half: int) -> str:
    """The delivery file: `;`-separated UTF-8, decimal comma, one row per person, sorted on
    BSN and personnel number, no timestamps, so the same data give the same file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(FILE_COLUMNS)
    period = f"{year}-H{half}"
    for r in rows:
        writer.writerow(
            [
                r.municipality_code, period, r.bsn, r.personnel_number, r.sex, r.age_band,
                r.indication, r.work_form, r.employer_code, _number(r.hours_per_week),
                _number(r.work_years), "J" if r.employed_at_end else "N",
            ]
        )  # fmt: skip
    # Every value above is a code, number or date written here: nothing to neutralise.
    return buffer.getvalue()


DIMENSIONS = [
    ("work_form", "Werkvorm", WORK_FORMS),
    ("indication", "Indicatie", list(INDICATIONS.values())),
    ("age_band", "Leeftijdsklasse", [label for _, label in AGE_BANDS]),
    ("sex", "Geslacht", list(SEXES.values())),
]
CHECK_COLUMNS = [
    Column("value", ""),
    Column("persons", "Personen", Unit.PERSONS),
    Column("persons_before", "Personen vorig halfjaar", Unit.PERSONS),
    Column("persons_change", "Verschil personen", Unit.PERSONS),
    Column("work_years", "Arbeidsjaren", Unit.WORK_YEARS),
    Column("work_years_before", "Arbeidsjaren vorig halfjaar", Unit.WORK_YEARS),
    Column("work_years_change", "Verschil arbeidsjaren", Unit.WORK_YEARS),
]


def _totals(rows: list[PersonRow], attribute: str) -> dict[str, tuple[Persons, WorkYears]]:
    groups: dict[str, list[PersonRow]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return {key: (Persons(len(group)), total_work_years(group)) for key, group in groups.items()}


def check_tables(current: list[PersonRow], before: list[PersonRow]) -> list[Table]:
    """Totals per dimension now and a half-year earlier, with the differences."""
    tables = []
    for attribute, title, values in DIMENSIONS:
        now, then = _totals(current, attribute), _totals(before, attribute)
        rows: list[dict[str, Any]] = []
        for value in values:
            persons, years = now.get(value, (Persons(0), WorkYears(0)))
            persons_before, years_before = then.get(value, (Persons(0), WorkYears(0)))
            rows.append(
                {
                    "value": value,
                    "persons": persons,
                    "persons_before": persons_before,
                    "persons_change": persons - persons_before,
                    "work_years": years,
                    "work_years_before": years_before,
                    "work_years_change": years - years_before,
                }
            )
        years, years_before = total_work_years(current), total_work_years(before)
        total: dict[str, Any] = {
            "value": "Totaal",
            "persons": Persons(len(current)),
            "persons_before": Persons(len(before)),
            "persons_change": Persons(len(current) - len(before)),
            "work_years": years,
            "work_years_before": years_before,
            "work_years_change": years - years_before,
        }
        table = Table(
            title=title,
            columns=[Column("value", title), *CHECK_COLUMNS[1:]],
            rows=rows,
            total=total,
        )
        table.check()
        tables.append(table)
    return tables


def record_file_read(
    *,
    user: User,
    municipality: Municipality,
    year: int,
    half: int,
    person_ids: Iterable[int | None],
) -> None:
    """Whoever reads the person-level file read every person in it: one event per person,
    linked to that person (issue 20, finding 3); screens and API call this one helper."""
    period = f"{year}-H{half}"
    audit.record_rows(
        actor=user,
        action=HrEvent.STATISTICS_VIEWED,
        entries=(
            (
                "people.person",
                str(person_id),
                f"Wsw-statistiek {municipality.cbs_code} {period}",
                person_id,
                {"half_year": period},
            )
            for person_id in person_ids
        ),
    )


def record_delivery_read(*, user: User, delivery: StatisticsDelivery) -> None:
    """A delivered file opened again: as `record_file_read`, every person in it (read from
    the file as delivered, by personnel number; persons erased since are no longer there)."""
    reader = csv.DictReader(io.StringIO(delivery.content), delimiter=";")
    numbers = {row["personeelsnummer"] for row in reader if row.get("personeelsnummer")}
    record_file_read(
        user=user,
        municipality=delivery.municipality,
        year=delivery.year,
        half=delivery.half,
        person_ids=Person.objects.filter(personnel_number__in=numbers).values_list("pk", flat=True),
    )
