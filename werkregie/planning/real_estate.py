"""The real-estate plan: the space each organisation needs against the sites it uses, the
occupancy of each site over the years, and what the plan can sell.

Workplaces needed at a site, on a day: the people employed there who work inside
(beschut binnen, staf), one per team based there (its leader's place), and the running
orders of place products (beschut werkplek, extra begeleiding, leerwerkplek groen,
training) of the organisations using the site, spread over their sites by capacity.
Space needed = workplaces × the site's m² per workplace. A site nobody needs is for sale
at its book value; elsewhere the floor area above the need is the surplus.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count

from werkregie.client_direction.models import Order, Product
from werkregie.core.charts import Series, bar_chart
from werkregie.core.reports import Column, Table, Unit
from werkregie.organisations.models import Site, SiteOccupancy, Team
from werkregie.people.models import Employment
from werkregie.planning.models import SiteCost

INSIDE = [Employment.WorkForm.SHELTERED_INSIDE, Employment.WorkForm.STAFF]
PLACE_PRODUCTS = [
    Product.Kind.SHELTERED_WORKPLACE,
    Product.Kind.EXTRA_GUIDANCE,
    Product.Kind.GREEN_LEARNING_PLACE,
    Product.Kind.TRAINING,
]
DEFAULT_M2 = Decimal(25)


@dataclass
class SiteNeed:
    site: Site
    users: list[str]
    employees: int
    teams: int
    order_places: int
    cost: SiteCost | None

    @property
    def workplaces(self) -> int:
        return self.employees + self.teams + self.order_places

    @property
    def m2_per_workplace(self) -> Decimal:
        return self.cost.m2_per_workplace if self.cost else DEFAULT_M2

    @property
    def need_m2(self) -> Decimal:
        return self.workplaces * self.m2_per_workplace

    @property
    def surplus_m2(self) -> Decimal:
        return max(Decimal(0), Decimal(self.site.floor_area_m2) - self.need_m2)

    @property
    def for_sale(self) -> bool:
        return self.workplaces == 0


def needs_on(day: date) -> list[SiteNeed]:
    sites = list(Site.objects.order_by("name"))
    users: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, list[int]] = defaultdict(list)
    for site_id, org_id, name in (
        SiteOccupancy.objects.active_on(day)
        .order_by("organisation__name")
        .values_list("site_id", "organisation_id", "organisation__name")
    ):
        users[site_id].append(name)
        organisations[org_id].append(site_id)
    employees = dict(
        Employment.objects.active_on(day)
        .filter(work_form__in=INSIDE, site__isnull=False)
        .values("site_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("site_id", "n")
    )
    teams = dict(
        Team.objects.active_on(day)
        .filter(site__isnull=False)
        .values("site_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "n")
    )
    running = (
        Order.objects.filter(
            product__kind__in=PLACE_PRODUCTS,
            status=Order.Status.RUNNING,
            start_date__lte=day,
            end_date__gte=day,
        )
        .values("product__provider_id")
        .annotate(n=Count("id"))
        .values_list("product__provider_id", "n")
    )
    capacity = {s.pk: s.capacity_workplaces for s in sites}
    places: dict[int, Decimal] = defaultdict(Decimal)
    for provider_id, count in running:
        site_ids = organisations.get(provider_id, [])
        room = sum(capacity[s] for s in site_ids)
        for site_id in site_ids:
            share = Decimal(capacity[site_id]) / room if room else Decimal(1) / len(site_ids)
            places[site_id] += count * share
    costs = {c.site_id: c for c in SiteCost.objects.all()}
    return [
        SiteNeed(
            site=s,
            users=users.get(s.pk, []),
            employees=employees.get(s.pk, 0),
            teams=teams.get(s.pk, 0),
            order_places=int(places[s.pk].to_integral_value()),
            cost=costs.get(s.pk),
        )
        for s in sites
    ]


NEED_COLUMNS = [
    Column("site", "Locatie"),
    Column("users", "Gebruikers"),
    Column("capacity", "Werkplekken (capaciteit)", Unit.COUNT),
    Column("workplaces", "Werkplekken nodig", Unit.COUNT),
    Column("floor", "Vloeroppervlak (m²)", Unit.AREA),
    Column("need", "Ruimte nodig (m²)", Unit.AREA),
    Column("surplus", "Overschot (m²)", Unit.AREA),
    Column("yearly_cost", "Kosten per jaar", Unit.MONEY),
    Column("book_value", "Boekwaarde", Unit.MONEY),
    Column("advice", "Vastgoedplan"),
]


def need_table(needs: list[SiteNeed], day: date) -> Table:
    rows = [
        {
            "site": n.site.name,
            "users": ", ".join(n.users) or "geen",
            "capacity": n.site.capacity_workplaces,
            "workplaces": n.workplaces,
            "floor": Decimal(n.site.floor_area_m2),
            "need": n.need_m2,
            "surplus": n.surplus_m2,
            "yearly_cost": n.cost.yearly_cost if n.cost else None,
            "book_value": n.cost.book_value if n.cost else None,
            "advice": "verkopen"
            if n.for_sale
            else ("ruimte over" if n.surplus_m2 > 0 else "nodig"),
        }
        for n in needs
    ]
    sellable = [n for n in needs if n.for_sale]
    table = Table(
        f"Ruimtebehoefte per locatie op {day:%d-%m-%Y}",
        NEED_COLUMNS,
        rows,
        total={
            "site": "Totaal",
            "floor": sum((Decimal(n.site.floor_area_m2) for n in needs), Decimal(0)),
            "need": sum((n.need_m2 for n in needs), Decimal(0)),
            "surplus": sum((n.surplus_m2 for n in needs), Decimal(0)),
            "yearly_cost": sum((n.cost.yearly_cost for n in needs if n.cost), Decimal(0)),
            "book_value": sum((n.cost.book_value for n in sellable if n.cost), Decimal(0)),
            "advice": f"{len(sellable)} te verkopen",
        },
        notes=[
            "Werkplekken nodig: medewerkers die binnen werken (beschut binnen, staf), één per "
            "team op de locatie, en lopende opdrachten voor plaatsproducten van de gebruikers.",
            "Boekwaarde in de totaalregel: van de locaties die het plan kan verkopen.",
            "Vloeroppervlak en ruimte in m².",
        ],
    )
    table.check()
    return table


def occupancy_table(years: list[int]) -> tuple[Table, str]:
    """Per site and year: workplaces in use on 1 July against capacity."""
    sites = list(Site.objects.order_by("name"))
    columns = [Column("site", "Locatie"), Column("capacity", "Capaciteit", Unit.COUNT)] + [
        Column(str(y), f"In gebruik {y}", Unit.COUNT) for y in years
    ]
    rows: list[dict[str, Any]] = [
        {"site": s.name, "capacity": s.capacity_workplaces} for s in sites
    ]
    for year in years:
        day = date(year, 7, 1)
        used = {n.site.pk: n.workplaces for n in needs_on(day)}
        for site, row in zip(sites, rows, strict=True):
            row[str(year)] = used.get(site.pk, 0)
    table = Table("Bezetting per locatie (1 juli)", columns, rows)
    table.check()
    svg = bar_chart(
        "Werkplekken in gebruik per locatie",
        [s.name for s in sites],
        [Series("Capaciteit", [float(s.capacity_workplaces) for s in sites])]
        + [Series(str(y), [float(r[str(y)]) for r in rows]) for y in years[-3:]],
    )
    return table, svg


def organisation_needs(needs: list[SiteNeed]) -> dict[str, Decimal]:
    """Space needed per organisation (m²): a site's need split evenly over its users."""
    result: dict[str, Decimal] = defaultdict(Decimal)
    for need in needs:
        for user in need.users:
            result[user] += need.need_m2 / len(need.users)
    return dict(sorted(result.items()))
