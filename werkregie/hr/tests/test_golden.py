"""Golden test: a small fixed set of employees on the loaded wage tables gives exactly the
committed monthly wages, arbeidsjaren and Wsw-statistiek file (tests/golden/). A change in
a rule shows up here as a diff to review; regenerate with GOLDEN_UPDATE=1 only on purpose."""

import csv
import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from werkregie.hr import payroll, services, statistics
from werkregie.hr.payroll import months
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Employment
from werkregie.testing import make_employment, make_person

GOLDEN = Path(__file__).parent / "golden"


def _fixed_set() -> None:
    def person(bsn: str, number: str, residence: str, sex: str, born: date) -> Any:
        return make_person(
            bsn=bsn, personnel_number=number, residence=residence, surname=f"Golden{number}",
            sex=sex, birth_date=born,
        )  # fmt: skip

    a = person("123456782", "G1", "GM0141", "M", date(1968, 4, 2))
    make_employment(a, valid_from=date(2010, 1, 1))
    b = person("123456794", "G2", "GM0141", "V", date(1990, 8, 20))
    make_employment(
        b, indication="severe", work_form="group_secondment", hours_per_week=Decimal(24),
        gross_monthly_wage=Decimal("1800.00"), valid_from=date(2015, 3, 1),
        valid_to=date(2026, 3, 15),
    )  # fmt: skip
    c = person("123456800", "G3", "GM0189", "M", date(1975, 1, 31))
    make_employment(
        c, work_form="individual_secondment", hours_per_week=Decimal(32),
        gross_monthly_wage=Decimal("2400.00"), valid_from=date(2012, 6, 1),
    )  # fmt: skip
    services.record_employment_change(
        actor=None, person=c, kind="hours", effective_date=date(2026, 2, 10),
        hours_per_week=Decimal(20),
    )  # fmt: skip
    d = person("123456812", "G4", "GM0141", "V", date(1962, 11, 5))
    make_employment(
        d, employer="gemeente-wierden", work_form="green", scale="2", step=10,
        gross_monthly_wage=Decimal("2500.00"), valid_from=date(2001, 9, 1),
    )  # fmt: skip
    e = person("123456824", "G5", "GM0141", "M", date(1996, 2, 29))
    make_employment(
        e, employer="nuo", kind="sheltered_work", indication="", scale="", step=None,
        hours_per_week=Decimal(30), gross_monthly_wage=Decimal("1912.30"),
        valid_from=date(2023, 1, 1),
    )  # fmt: skip


def _wages_text() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["maand", "personeelsnummer", "werkgever", "brutoloon", "uren", "arbeidsjaren"])
    employers = dict(Organisation.objects.values_list("pk", "code"))
    numbers = dict(Employment.objects.values_list("person_id", "person__personnel_number"))
    for month in months(date(2026, 1, 1), date(2026, 6, 1)):
        lines = payroll.compute_month(Employment.objects.all(), month)
        for line in sorted(lines.values(), key=lambda item: numbers[item.person_id] or ""):
            writer.writerow(
                [
                    f"{month:%Y-%m}", numbers[line.person_id], employers[line.employer_id],
                    line.gross_wage, line.hours, line.work_years,
                ]
            )  # fmt: skip
    return buffer.getvalue()


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOLDEN_UPDATE") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.mark.django_db
def test_monthly_wages_and_work_years_match_the_golden_file(region: None) -> None:
    _fixed_set()
    _check("wages_2026_h1.csv", _wages_text())


@pytest.mark.django_db
def test_statistics_file_matches_the_golden_file(region: None) -> None:
    _fixed_set()
    almelo = Municipality.objects.get(cbs_code="GM0141")
    text = statistics.file_text(statistics.person_rows(almelo, 2026, 1), almelo, 2026, 1)
    _check("wsw-statistiek-GM0141-2026-H1.csv", text)
