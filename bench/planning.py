"""`make bench`, planning & control on the national data set (after the people, klantregie and
employer-services parts: ≈63,000 Wsw employees, the orders of every municipality).

1. The quarterly report (tussenrapportage t/m kwartaal 3) of the municipality with the most
   orders: an agreement with every NUO product and the four result goals, realised from the
   records, against the same figures in raw SQL (the product amounts by the statement SQL
   of the klantregie bench, month by month; the goals as counts and sums). The product
   totals of both sides are compared to the cent.
2. The Wsw forecast to 2040 of every municipality: the Kaplan–Meier fit and the projection
   with its band (pure Python, as the app runs it) against the same projection vectorised in
   NumPy; the expected head counts of both are compared.
"""

import statistics as stats
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count

from bench.client_direction import _RAW_STATEMENT_SQL
from werkregie.accounts.models import User
from werkregie.client_direction.models import Order, Product
from werkregie.core.access import Role
from werkregie.core.params import month_bounds
from werkregie.hr.wages import pension_date
from werkregie.organisations.models import Municipality, Organisation
from werkregie.planning import outlook, services
from werkregie.planning.forecast import Economics, project
from werkregie.planning.models import AgreementTarget, PerformanceAgreement
from werkregie.planning.population import observation_start, wsw_spells
from werkregie.planning.realisation import Period
from werkregie.planning.survival import SurvivalTable, kaplan_meier, national_table

TODAY = date(2026, 11, 23)
PERIOD = Period(2026, 3)
ROUNDS = 3

GOALS_SQL = """
SELECT
  (SELECT COUNT(DISTINCT c.person_id) FROM client_direction_order o
     JOIN client_direction_client c ON c.id = o.client_id
     JOIN client_direction_product p ON p.id = o.product_id
   WHERE o.client_owner_id = %(owner)s AND p.provider_id = %(provider)s
     AND o.result = 'regular_work' AND o.ended_on BETWEEN %(first)s AND %(last)s),
  (SELECT COUNT(DISTINCT e.person_id) FROM people_employment e
     JOIN people_person p ON p.id = e.person_id
   WHERE e.kind = 'sheltered_work' AND p.residence_municipality_id = %(municipality)s
     AND e.valid_from <= %(last)s AND (e.valid_to IS NULL OR e.valid_to >= %(last)s)),
  (SELECT ROUND(SUM(e.hours_per_week / 36 * (LEAST(COALESCE(e.valid_to, %(last)s), %(last)s)
       - GREATEST(e.valid_from, %(first)s) + 1) / %(days)s), 4)
   FROM people_employment e JOIN people_person p ON p.id = e.person_id
   WHERE e.kind = 'wsw' AND p.residence_municipality_id = %(municipality)s
     AND e.valid_from <= %(last)s AND (e.valid_to IS NULL OR e.valid_to >= %(first)s)),
  (SELECT COALESCE(SUM(l.amount), 0) FROM secondments_invoiceline l
     JOIN secondments_invoice i ON i.id = l.invoice_id
   WHERE l.employer_id = %(owner)s AND i.status = 'sent'
     AND i.month BETWEEN %(first)s AND %(last)s)
"""


def _median(fn: Callable[[], Any]) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return stats.median(samples), result


def _report_setup() -> tuple[User, Municipality, Organisation, Organisation]:
    largest = (
        Order.objects.filter(client_owner__kind=Organisation.Kind.MUNICIPALITY)
        .values("client_owner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert largest is not None
    owner = Organisation.objects.get(pk=largest["client_owner_id"])
    municipality = owner.municipality
    assert municipality is not None
    nuo = Organisation.objects.get(code="nuo")
    board = User.objects.create_user(username="bench-board", role=Role.BOARD, organisation=nuo)
    agreement = services.save_agreement(
        actor=None,
        municipality=municipality,
        provider=nuo,
        year=PERIOD.year,
        budget=Decimal("25000000"),
        mandate="",
        status=PerformanceAgreement.Status.DRAFT,
    )
    for product in Product.objects.filter(provider=nuo):
        services.save_target(
            actor=None,
            agreement=agreement,
            indicator="product_volume",
            product=product,
            target=Decimal(1000),
            budget=Decimal(1000000),
        )
    for indicator in AgreementTarget.Indicator.values[1:]:
        services.save_target(
            actor=None,
            agreement=agreement,
            indicator=indicator,
            product=None,
            target=Decimal(100),
        )
    return board, municipality, owner, nuo


def _raw_report(municipality: Municipality, owner: Organisation, provider: Organisation) -> dict:  # type: ignore[type-arg]
    products = dict(Product.objects.filter(provider=provider).values_list("name", "pk"))
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    delivered: dict[str, set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        for month in range(1, PERIOD.quarter * 3 + 1):
            first, last = month_bounds(date(PERIOD.year, month, 1))
            cursor.execute(
                _RAW_STATEMENT_SQL,
                {"owner": owner.pk, "first": first, "last": last, "month_days": last.day},
            )
            for order_id, _, _, product_name, _, _, amount in cursor.fetchall():
                if product_name in products:
                    amounts[product_name] += amount
                    delivered[product_name].add(order_id)
        days = (PERIOD.last - PERIOD.first).days + 1
        cursor.execute(
            GOALS_SQL,
            {
                "owner": owner.pk,
                "provider": provider.pk,
                "municipality": municipality.pk,
                "first": PERIOD.first,
                "last": PERIOD.last,
                "days": days,
            },
        )
        goals = cursor.fetchone()
    return {"amount": sum(amounts.values(), Decimal(0)), "orders": delivered, "goals": goals}


def numpy_projection(spells: list[Any], table: SurvivalTable, base: date, until: int) -> Any:
    """Expected persons at each year end, vectorised over persons (no band)."""
    years = np.arange(base.year, until + 1)
    n = len(spells)
    age0 = np.array(
        [
            base.year - s.birth.year - ((base.month, base.day) < (s.birth.month, s.birth.day))
            for s in spells
        ]
    )
    retire = np.array([pension_date(s.birth).toordinal() for s in spells])
    women = np.array([s.sex == "V" for s in spells])
    chances = {
        sex: np.array([table.chance(sex, a) for a in range(0, 121)]) for sex in ("M", "V", "all")
    }
    sex_key = np.array([s.sex if s.sex in ("M", "V") else "all" for s in spells])
    p = np.ones(n)
    totals = np.zeros(len(years))
    for index, year in enumerate(years):
        start, end = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
        alive = retire > start
        share = np.where(retire >= end, 1.0, (retire - start) / (end - start))
        ages = np.clip(age0 + index, 0, 120)
        q = np.where(women, chances["V"][ages], chances["M"][ages])
        q = np.where(sex_key == "all", chances["all"][ages], q) ** share
        following = np.where(alive & (retire >= end), p * q, 0.0)
        totals[index] = following.sum()
        p = np.where(alive, following, 0.0)
    return totals


def run(scale: str = "national") -> list[str]:
    board, municipality, owner, nuo = _report_setup()
    report_seconds, report = _median(
        lambda: outlook.pc_report(board, [municipality], PERIOD, municipality.name)
    )
    raw_seconds, raw = _median(lambda: _raw_report(municipality, owner, nuo))
    products = report.sections[0].blocks[0].table
    assert products.total is not None
    assert products.total["spent"] == raw["amount"], (products.total["spent"], raw["amount"])

    spells = wsw_spells(None)
    base = date(TODAY.year, 1, 1)

    fit_seconds, table = _median(
        lambda: kaplan_meier(spells, observation_start(spells), TODAY, national_table())
    )
    forecast_seconds, projection = _median(
        lambda: project(
            spells, table, base=base, until=2040, pension=pension_date, economics=Economics()
        )
    )
    population = [s for s in spells if s.employed_on(base)]
    spread = 1.96 / (table.events + 100) ** 0.5

    def numpy_three() -> Any:
        totals = numpy_projection(population, table, base, 2040)
        numpy_projection(population, table.scaled(1 + spread), base, 2040)
        numpy_projection(population, table.scaled(max(0.0, 1 - spread)), base, 2040)
        return totals

    numpy_seconds, totals = _median(numpy_three)
    app_totals = [projection.total()[y].persons for y in projection.years]
    worst = max(abs(a - b) for a, b in zip(app_totals, totals, strict=True))
    assert worst < 1e-6 * max(app_totals), worst
    return [
        "",
        f"## Planning & control (data set `{scale}`)",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| tussenrapportage t/m Q3 {PERIOD.year}, {municipality.name} (largest), "
        f"{len(products.rows)} products + 4 goals, median of {ROUNDS} | "
        f"{report_seconds * 1000:.0f} ms |",
        "| same figures in raw SQL (statement SQL × 9 months + goals) | "
        f"{raw_seconds * 1000:.0f} ms |",
        f"| ratio report / raw SQL | {report_seconds / raw_seconds:.2f}× |",
        f"| Kaplan–Meier fit on {len(spells):,} Wsw histories | {fit_seconds * 1000:.0f} ms |",
        f"| Wsw forecast to 2040, every municipality: {len(population):,} employees, "
        f"projection with band, costs and rijksbijdrage | {forecast_seconds * 1000:.0f} ms |",
        f"| same three head-count projections in NumPy | {numpy_seconds * 1000:.0f} ms |",
        f"| ratio forecast / NumPy | {forecast_seconds / numpy_seconds:.1f}× |",
        "",
        f"Product amounts of the report equal the raw SQL to the cent "
        f"(€ {products.total['spent']:,.2f}); expected head counts of both forecasts agree "
        f"within {worst:.1e} persons (2040: {app_totals[-1]:,.1f}). Both run the projection "
        "three times (expected, low and high hazards); the app's first run also computes "
        "arbeidsjaren, costs and rijksbijdrage.",
    ]
