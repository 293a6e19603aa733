"""`make bench`, HR on the national data set (loaded by the people part, ≈63,000 Wsw).

Times the monthly payroll file of every employer (computed from the employment versions,
written as CSV) against one raw SQL statement that computes the same prorated wages and
hours per employee, and the half-yearly Wsw-statistiek of every municipality (person rows
and the delivery files) against one raw SQL statement of persons and arbeidsjaren per
municipality. The totals of both sides are compared, so the ratio is of equal work."""

import statistics as stats
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from werkregie.hr import payroll_file
from werkregie.hr import statistics as wsw
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Employment

MONTH = date(2026, 10, 1)
ROUNDS = 3

PAYROLL_SQL = """
SELECT employer_id, person_id,
       SUM(ROUND(gross_monthly_wage * (LEAST(COALESCE(valid_to, %(last)s), %(last)s)
           - GREATEST(valid_from, %(first)s) + 1) / %(days)s, 2)) AS wage,
       SUM(ROUND(hours_per_week * 52 / 12 * (LEAST(COALESCE(valid_to, %(last)s), %(last)s)
           - GREATEST(valid_from, %(first)s) + 1) / %(days)s, 2)) AS hours
FROM people_employment
WHERE valid_from <= %(last)s AND (valid_to IS NULL OR valid_to >= %(first)s)
GROUP BY employer_id, person_id
"""

STATISTICS_SQL = """
SELECT p.residence_municipality_id, COUNT(DISTINCT e.person_id),
       SUM(e.hours_per_week / 36 * (LEAST(COALESCE(e.valid_to, %(last)s), %(last)s)
           - GREATEST(e.valid_from, %(first)s) + 1) / %(days)s)
FROM people_employment e JOIN people_person p ON p.id = e.person_id
WHERE e.kind = 'wsw' AND e.valid_from <= %(last)s
  AND (e.valid_to IS NULL OR e.valid_to >= %(first)s)
GROUP BY p.residence_municipality_id
"""


def _median(fn: Callable[[], Any]) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return stats.median(samples), result


def _raw(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def run(scale: str = "national") -> list[str]:
    employer_ids = set(
        Employment.objects.active_on(MONTH).values_list("employer_id", flat=True).distinct()
    )
    employers = list(Organisation.objects.filter(pk__in=employer_ids))

    def files() -> tuple[int, Decimal]:
        lines, total = 0, Decimal(0)
        for employer in employers:
            made = payroll_file.preview_file(employer, MONTH)
            made.csv_bytes()
            lines += len(made.table.rows)
            total += sum(
                (r["gross_wage"] for r in made.table.rows if r.get("gross_wage")), Decimal(0)
            )
        return lines, total

    export_s, (lines, export_total) = _median(files)
    month_params = {"first": MONTH, "last": date(2026, 10, 31), "days": 31}
    raw_export_s, raw_rows = _median(lambda: _raw(PAYROLL_SQL, month_params))
    raw_total = sum((row[2] for row in raw_rows), Decimal(0))

    municipalities = Municipality.objects.all()
    by_pk = {m.pk: m for m in municipalities}

    def statistiek() -> tuple[int, Decimal]:
        found = wsw.rows_by_municipality(municipalities, 2026, 1)
        persons, years = 0, Decimal(0)
        for pk, rows in found.items():
            if rows:
                wsw.file_text(rows, by_pk[pk], 2026, 1)
            persons += len(rows)
            years += sum((r.work_years_exact for r in rows), Decimal(0))
        return persons, years

    stat_s, (persons, years) = _median(statistiek)
    assert lines and persons, "no employees: the hr part runs on the people part's data"
    half_params = {"first": date(2026, 1, 1), "last": date(2026, 6, 30), "days": 181}
    raw_stat_s, stat_rows = _median(lambda: _raw(STATISTICS_SQL, half_params))
    raw_persons = sum(row[1] for row in stat_rows)
    raw_years = sum((Decimal(row[2]) for row in stat_rows), Decimal(0))
    return [
        "",
        "## HR: payroll files and Wsw-statistiek",
        "",
        f"National data set, {len(employers)} employers with employees in {MONTH:%B %Y}; "
        f"median of {ROUNDS} runs.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| payroll files of all employers for {MONTH:%m-%Y} ({lines:,} lines, CSV written) "
        f"| {export_s:.2f} s |",
        f"| raw SQL of the same prorated wages and hours ({len(raw_rows):,} rows) "
        f"| {raw_export_s:.2f} s |",
        f"| ratio | **{export_s / raw_export_s:.1f}×** |",
        f"| wage totals equal (files vs SQL) | {export_total} vs {raw_total} |",
        f"| Wsw-statistiek 2026-H1 of every municipality ({persons:,} persons, "
        f"{years:.2f} arbeidsjaren, files written) | {stat_s:.2f} s |",
        f"| raw SQL of persons and arbeidsjaren per municipality | {raw_stat_s:.2f} s |",
        f"| ratio | **{stat_s / raw_stat_s:.1f}×** |",
        # Both unrounded, rounded once to the file's precision: equal or not, never "close".
        f"| totals equal (Python vs SQL, arbeidsjaren to 4 decimals) | "
        f"{'yes' if (persons, round(years, 4)) == (raw_persons, round(raw_years, 4)) else 'NO'}: "
        f"{persons:,} / {years:.4f} vs {raw_persons:,} / {raw_years:.4f} |",
    ]
