"""The monthly statement: what each client owner (a municipality, UWV, Dinkelland) owes an
execution organisation for a month of delivered orders.

The arithmetic is a pure function of plain terms (`OrderTerms` → `Line`), so it is tested
over random orders and dates without a database; `statements_for` feeds it from the orders.

Per unit of the product:
- per month: the monthly price × the days delivered in the month / the days of the month
  (a full month is exactly the price; part months are pro rata by calendar day);
- per trajectory (and every trajectory taken over from the old company, at its agreed price):
  the price spread over the planned days, × the days delivered in the month; a trajectory
  stopped early is billed for the days it ran;
- per hour: the hours reported in the month × the hourly price.
The price is the one in force on the first delivered day of the month (the client owner's own
price where it has one). Each line is rounded to cents (half up); totals are sums of lines.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from openpyxl import Workbook

from werkregie.client_direction.models import Order, Price, Product
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.core.documents import pdf_from_template, workbook_bytes
from werkregie.organisations.models import Organisation

CENT = Decimal("0.01")
BILLED = (Order.Status.RUNNING, Order.Status.COMPLETED, Order.Status.STOPPED)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def overlap_days(start: date, end: date, first: date, last: date) -> int:
    """Calendar days of [start, end] inside [first, last], both inclusive."""
    return max(0, (min(end, last) - max(start, first)).days + 1)


@dataclass(frozen=True)
class OrderTerms:
    """What one order's line is computed from."""

    order_id: int
    unit: str  # Product.Unit
    start_date: date
    planned_end: date
    ended_on: date | None
    price: Decimal | None  # per unit, in force in the month; None when there is none
    agreed_price: Decimal | None = None  # a taken-over trajectory's price
    hours: Decimal = Decimal(0)  # reported in the month

    @property
    def last_day(self) -> date:
        return min(self.planned_end, self.ended_on) if self.ended_on else self.planned_end


@dataclass(frozen=True)
class Line:
    order_id: int
    days: int
    hours: Decimal
    unit_price: Decimal
    amount: Decimal


def line_for(terms: OrderTerms, month: date) -> Line | None:
    """The order's line for the month, or None when nothing was delivered in it."""
    first, last = month_bounds(month)
    days = overlap_days(terms.start_date, terms.last_day, first, last)
    if terms.agreed_price is not None or terms.unit == Product.Unit.TRAJECTORY:
        total = terms.agreed_price if terms.agreed_price is not None else terms.price
        if total is None or days == 0:
            return None
        planned = (terms.planned_end - terms.start_date).days + 1
        return Line(terms.order_id, days, Decimal(0), total, _cents(total * days / planned))
    if terms.price is None:
        return None
    if terms.unit == Product.Unit.HOUR:
        if not terms.hours:
            return None
        return Line(
            terms.order_id, days, terms.hours, terms.price, _cents(terms.price * terms.hours)
        )
    if days == 0:
        return None
    return Line(
        terms.order_id, days, Decimal(0), terms.price, _cents(terms.price * days / last.day)
    )


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- from the database -------------------------------------------------------------------


@dataclass
class StatementLine:
    order: Order
    line: Line

    @property
    def client_name(self) -> str:
        return self.order.client.person.full_name


@dataclass
class ProductTotal:
    product: Product
    orders: int
    amount: Decimal


@dataclass
class Statement:
    """One provider, one client owner, one month."""

    provider: Organisation
    client_owner: Organisation
    month: date
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((s.line.amount for s in self.lines), Decimal(0))

    @property
    def per_product(self) -> list[ProductTotal]:
        totals: dict[int, ProductTotal] = {}
        for s in self.lines:
            row = totals.setdefault(
                s.order.product_id, ProductTotal(s.order.product, 0, Decimal(0))
            )
            row.orders += 1
            row.amount += s.line.amount
        return sorted(totals.values(), key=lambda t: t.product.name)


def billable_to(user: Any) -> QuerySet[Order]:
    """The orders whose statement `user` may see: a klantregisseur those their municipality
    pays for, a provider's jobcoach those placed with their organisation."""
    orders = Order.objects.all()
    org: Organisation | None = getattr(user, "organisation", None)
    if not has_permission(user, Action.STATEMENT_VIEW) or org is None:
        return orders.none()
    if role_of(user) == Role.CLIENT_DIRECTOR and org.municipality_id:
        return orders.filter(
            client_owner__kind=Organisation.Kind.MUNICIPALITY,
            client_owner__municipality_id=org.municipality_id,
        )
    if role_of(user) == Role.JOB_COACH:
        return orders.filter(product__provider=org)
    return orders.none()


class _PriceBook:
    """The prices of a set of products, to find each order's price without a query."""

    def __init__(self, product_ids: Iterable[int]) -> None:
        self.prices: dict[int, list[Price]] = {}
        for price in Price.objects.filter(product_id__in=set(product_ids)).order_by("valid_from"):
            self.prices.setdefault(price.product_id, []).append(price)

    def on(self, product_id: int, client_owner_id: int, day: date) -> Decimal | None:
        standard = None
        for price in self.prices.get(product_id, []):
            if price.valid_from <= day and (price.valid_to is None or day <= price.valid_to):
                if price.client_owner_id == client_owner_id:
                    return price.amount
                if price.client_owner_id is None:
                    standard = price.amount
        return standard


def statements_for(
    orders: QuerySet[Order],
    month: date,
    *,
    provider: Organisation | None = None,
    client_owner: Organisation | None = None,
) -> list[Statement]:
    """The month's statements of `orders` (already scoped to the user), one per provider and
    client owner, optionally narrowed to one of each."""
    first, last = month_bounds(month)
    orders = orders.filter(status__in=BILLED, start_date__lte=last, end_date__gte=first).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    if provider is not None:
        orders = orders.filter(product__provider=provider)
    if client_owner is not None:
        orders = orders.filter(client_owner=client_owner)
    orders = orders.select_related("client__person", "product__provider", "client_owner").annotate(
        month_hours=Coalesce(
            Sum(
                "progress__hours",
                filter=Q(progress__reported_on__gte=first, progress__reported_on__lte=last),
            ),
            Decimal(0),
        )
    )
    rows = list(orders.order_by("client__person__search_name", "id"))
    book = _PriceBook(o.product_id for o in rows)
    statements: dict[tuple[int, int], Statement] = {}
    for order in rows:
        terms = OrderTerms(
            order_id=order.pk,
            unit=order.product.unit,
            start_date=order.start_date,
            planned_end=order.end_date,
            ended_on=order.ended_on,
            price=book.on(order.product_id, order.client_owner_id, max(order.start_date, first)),
            agreed_price=order.agreed_price,
            hours=order.month_hours,
        )
        line = line_for(terms, month)
        if line is None:
            continue
        key = (order.product.provider_id, order.client_owner_id)
        statement = statements.setdefault(
            key, Statement(order.product.provider, order.client_owner, first)
        )
        statement.lines.append(StatementLine(order, line))
    return sorted(statements.values(), key=lambda s: (s.provider.name, s.client_owner.name))


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# -- as files ----------------------------------------------------------------------------

MONTHS_NL = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip

LINE_COLUMNS = [
    "Opdracht",
    "Cliënt",
    "Product",
    "Eenheid",
    "Startdatum",
    "Einddatum",
    "Dagen in maand",
    "Uren",
    "Tarief",
    "Bedrag",
]


def month_label(month: date) -> str:
    return f"{MONTHS_NL[month.month - 1]} {month.year}"


def _line_row(s: StatementLine) -> list[Any]:
    order = s.order
    return [
        order.pk,
        s.client_name,
        order.product.name,
        "traject (overgenomen)"
        if order.agreed_price is not None
        else order.product.get_unit_display(),
        order.start_date,
        order.ended_on or order.end_date,
        s.line.days,
        float(s.line.hours),
        float(s.line.unit_price),
        float(s.line.amount),
    ]


def as_xlsx(statements: list[Statement], month: date) -> bytes:
    """One sheet with every line, grouped per provider and client owner, with subtotals per
    product and a total per statement; a summary sheet of the totals."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Totalen"
    summary.append([f"Maandoverzicht {month_label(month)}"])
    summary.append(["Uitvoeringsorganisatie", "Opdrachtgever", "Opdrachten", "Bedrag"])
    for st in statements:
        summary.append([st.provider.name, st.client_owner.name, len(st.lines), float(st.total)])
    lines = workbook.create_sheet("Regels")
    for st in statements:
        lines.append([st.provider.name, st.client_owner.name, month_label(month)])
        lines.append(LINE_COLUMNS)
        for s in st.lines:
            lines.append(_line_row(s))
        for row in st.per_product:
            lines.append(
                ["", f"Subtotaal {row.product.name}", "", "", "", "", "", "", "", float(row.amount)]
            )
        lines.append(["", "Totaal", "", "", "", "", "", "", "", float(st.total)])
        lines.append([])
    for cell in lines["E"] + lines["F"]:
        if isinstance(cell.value, date):
            cell.number_format = "DD-MM-YYYY"
    return workbook_bytes(workbook)


def as_pdf(statements: list[Statement], month: date) -> bytes:
    return pdf_from_template(
        "client_direction/statement.pdf.html",
        {"statements": statements, "month": month, "month_label": month_label(month)},
    )
