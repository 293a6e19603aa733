"""`make bench`, klantregie: the klantregisseur's work queue and the monthly statement for the
largest municipality, each against the same result computed in hand-written SQL.

The data set's generated clients (the persons without a personnel number) are taken into
regie by their municipality; each gets one to three orders over 2025–2026 in every status,
with fortnightly progress reports on the hourly ones. Written with COPY (`insert_rows`): the
services are for one order at a time, this is the national volume."""

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count

from werkregie.accounts.models import User
from werkregie.client_direction import statements
from werkregie.client_direction.models import Client, Order, Product, ProgressReport
from werkregie.client_direction.queues import QUEUES, QueueFilter, work_queue
from werkregie.core.access import Role
from werkregie.core.db import insert_rows
from werkregie.core.params import month_bounds
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person

TODAY = date(2026, 11, 23)
MONTH = date(2026, 10, 1)
ROUNDS = 20
STATUSES = [
    (Order.Status.REQUESTED, 8),
    (Order.Status.ACCEPTED, 7),
    (Order.Status.REFUSED, 5),
    (Order.Status.RUNNING, 45),
    (Order.Status.COMPLETED, 25),
    (Order.Status.STOPPED, 10),
]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _time(fn: Callable[[], Any], rounds: int) -> list[float]:
    fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@transaction.atomic
def _seed(seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    owners = {
        o.municipality_id: o.pk
        for o in Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    }
    persons = list(
        Person.objects.filter(
            personnel_number__isnull=True, residence_municipality_id__in=list(owners)
        ).values_list("pk", "residence_municipality_id")
    )
    client_ids = insert_rows(
        Client,
        ["person_id", "kind", "client_owner_id", "registered_on"],
        [(pk, "participatiewet", owners[m], date(2024, 1, 1)) for pk, m in persons],
    )
    products = list(Product.objects.filter(provider__code="nuo").values_list("pk", "unit"))
    coaches = [
        User.objects.create_user(
            username=f"bench-coach-{i}",
            role=Role.JOB_COACH,
            organisation=Organisation.objects.get(code="nuo"),
        ).pk
        for i in range(20)
    ]
    statuses, weights = zip(*STATUSES, strict=True)
    orders, meta = [], []
    for client_id, (_, municipality) in zip(client_ids, persons, strict=True):
        for _ in range(rng.choice([1, 1, 2, 3])):
            product, unit = rng.choice(products)
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 690))
            end = start + timedelta(days=rng.choice([90, 180, 365]))
            status = rng.choices(statuses, weights=weights)[0]
            ended = None
            if status in (Order.Status.COMPLETED, Order.Status.STOPPED):
                ended = end if status == Order.Status.COMPLETED else start + timedelta(days=30)
            last = start + timedelta(days=rng.randint(0, 200)) if status == "running" else None
            orders.append(
                (
                    client_id,
                    product,
                    owners[municipality],
                    status,
                    start - timedelta(days=14),
                    start,
                    end,
                    ended,
                    "as_planned" if status == "completed" else "illness" if ended else "",
                    None if status in ("requested", "refused") else rng.choice(coaches),
                    last,
                )
            )
            meta.append((unit, status, start, min(last or start, TODAY)))
    order_ids = insert_rows(
        Order,
        [
            "client_id",
            "product_id",
            "client_owner_id",
            "status",
            "requested_on",
            "start_date",
            "end_date",
            "ended_on",
            "result",
            "jobcoach_id",
            "last_reported_on",
        ],
        orders,
    )
    reports = []
    for order_id, (unit, status, start, last) in zip(order_ids, meta, strict=True):
        if unit == Product.Unit.HOUR and status == "running":
            day = start + timedelta(days=14)
            while day <= last:
                reports.append((order_id, day, Decimal(rng.choice([2, 4, 6])), "Voortgang"))
                day += timedelta(days=14)
    insert_rows(
        ProgressReport, ["order_id", "reported_on", "hours", "note"], reports, return_ids=False
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"clients": len(client_ids), "orders": len(order_ids), "reports": len(reports)}


# The work queue of `queues.work_queue` for a klantregisseur, first page of 50, by hand.
_RAW_QUEUE = {
    "aanvragen": "o.status = 'requested' ORDER BY o.requested_on, o.id",
    "zonder-voortgang": (
        "o.status IN ('accepted', 'running') AND o.start_date <= %(cutoff)s "
        "AND COALESCE(o.last_reported_on, o.start_date) < %(cutoff)s "
        "ORDER BY COALESCE(o.last_reported_on, o.start_date), o.id"
    ),
    "eindigt-deze-maand": (
        "o.status IN ('accepted', 'running') AND o.end_date BETWEEN %(first)s AND %(last)s "
        "ORDER BY o.end_date, o.id"
    ),
    "geweigerd": "o.status = 'refused' ORDER BY o.requested_on DESC, o.id DESC",
}
_RAW_QUEUE_SQL = """
SELECT o.id, o.status, o.start_date, o.end_date, o.last_reported_on, p.surname, p.initials,
       pr.name, org.name, u.username
FROM client_direction_order o
JOIN client_direction_client c ON c.id = o.client_id
JOIN people_person p ON p.id = c.person_id
JOIN client_direction_product pr ON pr.id = o.product_id
JOIN organisations_organisation org ON org.id = pr.provider_id
LEFT JOIN accounts_user u ON u.id = o.jobcoach_id
WHERE o.client_owner_id = %(owner)s AND {where}
LIMIT 50
"""
_RAW_COUNT_SQL = """
SELECT count(*) FROM client_direction_order o WHERE o.client_owner_id = %(owner)s AND {where}
"""

# The statement's arithmetic (statements.line_for) in SQL, for one client owner and month.
_RAW_STATEMENT_SQL = """
WITH o AS (
  SELECT o.id, o.product_id, o.client_owner_id, pr.unit, o.start_date, o.end_date,
         o.agreed_price, p.surname, p.initials, pr.name AS product_name,
         LEAST(o.end_date, COALESCE(o.ended_on, o.end_date)) AS last_day,
         GREATEST(o.start_date, %(first)s::date) AS priced_on
  FROM client_direction_order o
  JOIN client_direction_product pr ON pr.id = o.product_id
  JOIN client_direction_client c ON c.id = o.client_id
  JOIN people_person p ON p.id = c.person_id
  WHERE o.client_owner_id = %(owner)s AND o.status IN ('running', 'completed', 'stopped')
    AND o.start_date <= %(last)s AND o.end_date >= %(first)s
    AND (o.ended_on IS NULL OR o.ended_on >= %(first)s)
), hours AS (
  SELECT h.order_id, sum(h.hours) AS hours FROM client_direction_progressreport h
  WHERE h.reported_on BETWEEN %(first)s AND %(last)s
    AND h.order_id IN (SELECT id FROM o WHERE unit = 'hour')
  GROUP BY h.order_id
), priced AS (
  SELECT o.*, x.amount AS price, COALESCE(hours.hours, 0) AS hours,
    GREATEST(0, LEAST(o.last_day, %(last)s::date) - GREATEST(o.start_date, %(first)s::date) + 1)
      AS days
  FROM o
  LEFT JOIN hours ON hours.order_id = o.id
  LEFT JOIN LATERAL (
    SELECT amount FROM client_direction_price x
    WHERE x.product_id = o.product_id AND x.valid_from <= o.priced_on
      AND (x.valid_to IS NULL OR x.valid_to >= o.priced_on)
      AND (x.client_owner_id = o.client_owner_id OR x.client_owner_id IS NULL)
    ORDER BY x.client_owner_id NULLS LAST LIMIT 1
  ) x ON true
)
SELECT id, surname, initials, product_name, days, hours, CASE
  WHEN agreed_price IS NOT NULL OR unit = 'trajectory'
    -- cumulative cents: what is billed through this month minus what was billed before it
    THEN round(COALESCE(agreed_price, price)
               * (GREATEST(start_date, %(first)s::date) - start_date + days)
               / (end_date - start_date + 1), 2)
       - round(COALESCE(agreed_price, price) * (GREATEST(start_date, %(first)s::date) - start_date)
               / (end_date - start_date + 1), 2)
  WHEN unit = 'hour' THEN round(price * hours, 2)
  ELSE round(price * days / %(month_days)s, 2) END AS amount
FROM priced
WHERE price IS NOT NULL OR agreed_price IS NOT NULL
"""


def run(scale: str) -> list[str]:
    start = time.perf_counter()
    counts = _seed()
    seed_seconds = time.perf_counter() - start
    largest = Order.objects.values("client_owner_id").annotate(n=Count("id")).order_by("-n").first()
    assert largest is not None
    owner = Organisation.objects.get(pk=largest["client_owner_id"])
    werkplein = Organisation.objects.filter(
        kind=Organisation.Kind.WERKPLEIN, municipality=owner.municipality
    ).first()
    director = User.objects.create_user(
        username="bench-kr", role=Role.CLIENT_DIRECTOR, organisation=werkplein or owner
    )
    visible = Order.objects.visible_to(director)
    first, last = month_bounds(TODAY)
    params: dict[str, Any] = {
        "owner": owner.pk,
        "cutoff": TODAY - timedelta(weeks=4),
        "first": first,
        "last": last,
    }

    def orm_queue() -> int:
        shown = 0
        for code in _RAW_QUEUE:
            orders = work_queue(visible, director, QueueFilter(queue=code), TODAY)
            page = Paginator(orders, 50).get_page(1)
            shown += len([(o.client.person.full_name, o.product.name) for o in page])
        return shown

    def raw_queue() -> int:
        shown = 0
        with connection.cursor() as cursor:
            for where in _RAW_QUEUE.values():
                cursor.execute(_RAW_COUNT_SQL.format(where=where.split(" ORDER BY")[0]), params)
                cursor.fetchone()
                cursor.execute(_RAW_QUEUE_SQL.format(where=where), params)
                shown += len(cursor.fetchall())
        return shown

    assert orm_queue() == raw_queue()
    queue_sizes = {
        code: work_queue(visible, director, QueueFilter(queue=code), TODAY).count()
        for code in QUEUES
    }
    q_orm = _percentiles(_time(orm_queue, ROUNDS))
    q_raw = _percentiles(_time(raw_queue, ROUNDS))

    billable = statements.billable_to(director)
    m_first, m_last = month_bounds(MONTH)
    statement_params: dict[str, Any] = {
        "owner": owner.pk,
        "first": m_first,
        "last": m_last,
        "month_days": m_last.day,
    }

    def orm_statement() -> Decimal:
        return sum((s.total for s in statements.statements_for(billable, MONTH)), Decimal(0))

    def raw_statement() -> Decimal:
        with connection.cursor() as cursor:
            cursor.execute(_RAW_STATEMENT_SQL, statement_params)
            return sum((row[6] for row in cursor.fetchall()), Decimal(0))

    orm_total, raw_total = orm_statement(), raw_statement()
    assert orm_total == raw_total, (orm_total, raw_total)
    lines = sum(len(s.lines) for s in statements.statements_for(billable, MONTH))
    s_orm = _percentiles(_time(orm_statement, 5))
    s_raw = _percentiles(_time(raw_statement, 5))
    return [
        "",
        f"## Klantregie (data set `{scale}`)",
        "",
        f"Seeded with COPY in {seed_seconds:.1f} s: {counts['clients']:,} clients in regie, "
        f"{counts['orders']:,} orders, {counts['reports']:,} progress reports. "
        f"Largest municipality: {owner.name}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        "| work queue, klantregisseur of the largest municipality: 4 queues × (count + first "
        f"50 rows), p50 / p95 | {q_orm[0]:.1f} / {q_orm[1]:.1f} ms |",
        f"| same in raw SQL, p50 / p95 | {q_raw[0]:.1f} / {q_raw[1]:.1f} ms |",
        f"| ratio ORM / raw SQL (p50) | {q_orm[0] / q_raw[0]:.2f}× |",
        f"| monthly statement {statements.month_label(MONTH)}, {lines:,} lines, "
        f"total € {orm_total:,.2f}, p50 / p95 | {s_orm[0]:.0f} / {s_orm[1]:.0f} ms |",
        f"| same statement computed in SQL (same total), p50 / p95 | {s_raw[0]:.0f} / "
        f"{s_raw[1]:.0f} ms |",
        f"| ratio / SQL (p50) | {s_orm[0] / s_raw[0]:.2f}× |",
        "",
        "Queue sizes: "
        + ", ".join(f"{QUEUES[c].lower()} {n:,}" for c, n in queue_sizes.items())
        + f" (on {TODAY:%d-%m-%Y}, 4 weeks without progress).",
        "",
        "The queue baseline is the same count and page query written by hand, with the same",
        "joins and the same scope (the municipality's orders; the owner ids are resolved",
        "first, so both read the order indexes for queues). The statement baseline computes",
        "every line's amount in one SQL statement (prices by a lateral join, the month's hours",
        "summed first); the bench checks that both totals are equal to the cent. The ORM",
        "statement reads the orders as values, the month's hours and the prices in three",
        "queries and computes the lines in Python (statements.line_for, which the property",
        "tests check). Before the queue indexes and the value rows: 3,255 ms and 14,890 ms.",
    ]
