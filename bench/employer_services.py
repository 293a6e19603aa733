"""`make bench`, employer services and secondments on the national data set.

Seeds 300,000 employers and 70,000 candidate profiles (the data set's clients and Wsw
employees, with profiles drawn as `evaluation.generate_candidate` draws them) and 200
vacancies, all with COPY; then times the top 10 candidates of a vacancy against the raw SQL
of the candidate filter (the hard rules alone). Then one contract per hirer with the
seconded Wsw employees, their hours of a month, and times the invoice run for all hirers of
that month against the same totals computed in one SQL statement."""

import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import connection, transaction

from werkregie.core.db import insert_rows
from werkregie.employer_services import evaluation
from werkregie.employer_services.match_queries import distances_from, rank_candidates
from werkregie.employer_services.models import CandidateProfile, Employer, Vacancy
from werkregie.employer_services.vocabulary import sector_of
from werkregie.organisations.models import Municipality
from werkregie.people.models import Employment, Person
from werkregie.secondments import services as secondments
from werkregie.secondments.models import (
    HoursRegistration,
    Invoice,
    Issuer,
    Secondment,
    SecondmentContract,
)

EMPLOYERS = 300_000
CANDIDATES = 70_000
VACANCIES = 200
MONTH = date(2026, 10, 1)
RATES = [24, 26, 28, 31]
SBI = ["2562", "1721", "5210", "8121", "8130", "5610", "4711", "8710", "4120", "1392", "4941"]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


@transaction.atomic
def _seed(rng: random.Random) -> dict[str, Any]:
    municipalities = {m.cbs_code: m.pk for m in Municipality.objects.filter(latitude__isnull=False)}
    codes = [c for c in evaluation.PLACES if c in municipalities]
    employer_rows = []
    for n in range(EMPLOYERS):
        sbi = rng.choice(SBI)
        cbs = rng.choice(codes)
        employer_rows.append(
            (
                f"{10_000_000 + n:08d}",
                f"Werkgever {n}",
                f"werkgever {n}",
                sbi,
                sector_of(sbi),
                f"{7600 + n % 80}AB",
                "Twente",
                municipalities[cbs],
            )
        )
    employer_ids = insert_rows(
        Employer,
        [
            "kvk_number",
            "name",
            "search_name",
            "sbi_code",
            "sector",
            "postcode",
            "city",
            "municipality_id",
        ],
        employer_rows,
    )
    persons = list(
        Person.objects.filter(residence_municipality_id__in=list(municipalities.values()))
        .order_by("pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    owner = Issuer.objects.get(organisation__code="nuo").organisation_id
    profile_rows = []
    for person in persons:
        facts = evaluation.generate_candidate(rng).recorded
        profile_rows.append(
            (
                person,
                "client",
                owner,
                "active",
                facts.experience,
                facts.skills,
                facts.wished_occupations,
                facts.wished_sectors,
                facts.hours_min,
                facts.hours_max,
                facts.max_travel_km,
                facts.available_from,
                facts.restrictions,
                facts.restricted_hours,
            )
        )
    insert_rows(
        CandidateProfile,
        [
            "person_id",
            "kind",
            "owner_id",
            "status",
            "experience_mask",
            "skills",
            "wished_occupations",
            "wished_sectors",
            "hours_min",
            "hours_max",
            "max_travel_km",
            "available_from",
            "restrictions",
            "restricted_hours",
        ],
        profile_rows,
        return_ids=False,
    )
    vacancy_rows = []
    for _ in range(VACANCIES):
        job = evaluation.generate_job(rng)
        vacancy_rows.append(
            (
                rng.choice(employer_ids),
                "Vacature",
                job.facts.occupation,
                job.facts.hours,
                municipalities[job.place],
                job.facts.required_skills,
                job.facts.demands,
                job.facts.start_date,
            )
        )
    insert_rows(
        Vacancy,
        [
            "employer_id",
            "title",
            "occupation",
            "hours_per_week",
            "municipality_id",
            "required_skills",
            "demands",
            "start_date",
        ],
        vacancy_rows,
        return_ids=False,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"employers": employer_ids, "profiles": len(profile_rows)}


_RAW_FILTER = """
SELECT p.id FROM employer_services_candidateprofile p
JOIN people_person pe ON pe.id = p.person_id
WHERE p.status = 'active' AND (p.restrictions & %(demands)s) = 0
  AND (p.restricted_hours IS NULL OR p.restricted_hours >= %(hours)s)
  AND (CASE pe.residence_municipality_id {cases} ELSE NULL END) <= p.max_travel_km
"""


def _matching() -> list[str]:
    vacancies = list(Vacancy.objects.select_related("employer").order_by("pk"))
    profiles = CandidateProfile.objects.all()

    def orm(vacancy: Vacancy) -> int:
        return len(rank_candidates(vacancy, profiles, limit=10))

    def raw(vacancy: Vacancy) -> int:
        distances = distances_from(vacancy.municipality_id)
        cases = " ".join(f"WHEN {pk} THEN {d}" for pk, d in distances.items())
        with connection.cursor() as cursor:
            cursor.execute(
                _RAW_FILTER.format(cases=cases),
                {"demands": vacancy.demands, "hours": vacancy.hours_per_week},
            )
            return len(cursor.fetchall())

    orm(vacancies[0])
    raw(vacancies[0])
    orm_ms = [_timed(partial(orm, v))[0] for v in vacancies]
    raw_ms, pools = zip(*(_timed(partial(raw, v)) for v in vacancies), strict=True)
    o50, o95 = _percentiles(orm_ms)
    r50, r95 = _percentiles(list(raw_ms))
    return [
        f"| top 10 candidates of a vacancy (hard rules, score, order, explanation), p50 / p95 "
        f"| {o50:.1f} / {o95:.1f} ms |",
        f"| raw SQL of the candidate filter alone (hard rules), p50 / p95 | {r50:.1f} / "
        f"{r95:.1f} ms |",
        f"| ratio top 10 / raw filter (p50) | {o50 / r50:.2f}× |",
        f"| candidates passing the hard rules per vacancy, median | "
        f"{statistics.median(pools):,.0f} |",
    ]


_RAW_INVOICE_TOTALS = """
SELECT c.hirer_id, sum(round(h.hours * c.hourly_rate, 2)) AS net
FROM secondments_hoursregistration h
JOIN secondments_secondment s ON s.id = h.secondment_id
JOIN secondments_secondmentcontract c ON c.id = s.contract_id
WHERE h.month = %s AND h.hours > 0 AND c.issuer_id = %s
GROUP BY c.hirer_id
"""


@transaction.atomic
def _seed_secondments(rng: random.Random, employer_ids: list[int]) -> int:
    issuer = Issuer.objects.get(organisation__code="nuo")
    hirers = rng.sample(employer_ids, 3000)
    contract_ids = insert_rows(
        SecondmentContract,
        ["number", "issuer_id", "hirer_id", "hourly_rate", "start_date"],
        [
            (
                f"BENCH-{n:05d}",
                issuer.pk,
                hirer,
                Decimal(rng.choice([24, 26, 28, 31])),
                date(2026, 1, 1),
            )
            for n, hirer in enumerate(hirers)
        ],
    )
    workers = list(
        Employment.objects.filter(
            kind="wsw",
            valid_to__isnull=True,
            work_form__in=["group_secondment", "individual_secondment", "supported_employment"],
        ).values_list("person_id", "hours_per_week")
    )
    secondment_ids = insert_rows(
        Secondment,
        ["contract_id", "person_id", "hours_per_week", "start_date"],
        [(rng.choice(contract_ids), p, h, date(2026, 1, 1)) for p, h in workers],
    )
    insert_rows(
        HoursRegistration,
        ["secondment_id", "month", "hours"],
        [
            (s, MONTH, (h * Decimal("4.33")).quantize(Decimal("0.5")))
            for s, (_, h) in zip(secondment_ids, workers, strict=True)
        ],
        return_ids=False,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(secondment_ids)


def _invoicing(seconded: int) -> list[str]:
    issuer = Issuer.objects.get(organisation__code="nuo")

    def raw() -> dict[int, Decimal]:
        with connection.cursor() as cursor:
            cursor.execute(_RAW_INVOICE_TOTALS, [MONTH, issuer.pk])
            return dict(cursor.fetchall())

    raw_ms = [_timed(raw)[0] for _ in range(5)]
    expected = raw()
    runs = []
    for _ in range(3):
        ms, result = _timed(
            lambda: secondments.run_invoices(actor=None, issuer=issuer, month=MONTH)
        )
        runs.append(ms)
    totals = {i.hirer_id: i.net_amount for i in Invoice.objects.filter(month=MONTH, status="draft")}
    assert totals == expected, "the run and the SQL disagree"
    run50 = statistics.median(runs)
    raw50 = statistics.median(raw_ms)
    return [
        f"| invoice run October 2026: {len(result.drafts):,} hirers, {result.lines:,} lines, "
        f"€ {result.total:,.2f} incl. VAT, median of 3 | {run50:,.0f} ms |",
        f"| the same net totals per hirer in one SQL statement (no rows written), median of 5 "
        f"| {raw50:,.0f} ms |",
        f"| ratio run / SQL totals | {run50 / raw50:.1f}× |",
        f"| seconded employees with hours in the month | {seconded:,} |",
    ]


def run(scale: str) -> list[str]:
    rng = random.Random(5)
    start = time.perf_counter()
    seeded = _seed(rng)
    seed_s = time.perf_counter() - start
    lines = [
        "",
        f"## Employer services and secondments (data set `{scale}`)",
        "",
        f"Seeded with COPY in {seed_s:.1f} s: {len(seeded['employers']):,} employers, "
        f"{seeded['profiles']:,} candidate profiles, {VACANCIES} vacancies.",
        "",
        "| measure | value |",
        "| --- | --- |",
        *_matching(),
    ]
    seconded = _seed_secondments(rng, seeded["employers"])
    lines += _invoicing(seconded)
    lines += [
        "",
        "Matching: the 200 vacancies each ask for their top 10 among all profiles. The ORM",
        "query applies the hard rules (restriction bit mask, medical hours limit, distance by",
        "residence) and computes the score in SQL, orders and limits there, and explains the",
        "ten in Python. The baseline is the hard-rule filter alone as hand-written SQL,",
        "returning every candidate it lets through (no score, no order).",
        "The invoice run deletes and remakes the month's drafts (one per hirer, a line per",
        "employee, with the employing municipality), writing rows and audit events; the",
        "baseline computes only the net totals per hirer, which the bench checks are equal.",
    ]
    return lines
