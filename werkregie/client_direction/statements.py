"""The monthly statement: what each client owner (a municipality, UWV, Dinkelland) owes an
execution organisation for a month of delivered orders.

The arithmetic is a pure function of plain terms (`OrderTerms` → `Line`), so it is tested
over random orders and dates without a database; `statements_for` feeds it from the orders.

Per unit of the product:
- per month: the monthly price × the days delivered in the month / the days of the month
  (a full month is exactly the price; part months are pro rata by calendar day);
- per trajectory (and every trajectory taken over from the old company, at its agreed price):
  the price spread over the planned days, × the days delivered in the month, rounded so that
  the months add up to the price exactly (each month bills the rounded amount up to its
  last day less the rounded amount up to the day before its first: the cents telescope); a
  trajectory stopped early is billed for the days it ran;
- nothing before the order's first billable day: a trajectory taken over from the old
  company is billed from the transition's effective date, its earlier months were the old
  company's (issue 14, finding 5);
- per hour: the hours reported in the month × the hourly price.
The price is the one in force on the first delivered day of the month (the client owner's own
price where it has one). Each line is rounded to cents (half up); totals are sums of lines.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet, Sum
from openpyxl import Workbook

from werkregie.accounts.models import User
from werkregie.client_direction.models import Order, Price, Product, ProgressReport
from werkregie.core import audit
from werkregie.core.access import Action, has_permission
from werkregie.core.documents import pdf_from_template, workbook_bytes
from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person

BILLED = (Order.Status.RUNNING, Order.Status.COMPLETED, Order.Status.STOPPED)


@lru_cache(maxsize=256)
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
    billable_from: date | None = None  # nothing before this day is billed

    @property
    def last_day(self) -> date:
        return min(self.planned_end, self.ended_on) if self.ended_on else self.planned_end

    @property
    def first_billable(self) -> date:
        return max(self.start_date, self.billable_from or self.start_date)


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
    days = overlap_days(terms.first_billable, terms.last_day, first, last)
    if terms.agreed_price is not None or terms.unit == Product.Unit.TRAJECTORY:
        total = terms.agreed_price if terms.agreed_price is not None else terms.price
        if total is None or days == 0:
            return None
        planned = (terms.planned_end - terms.start_date).days + 1
        before = (max(first, terms.first_billable) - terms.start_date).days
        through = before + days
        amount = cents(total * through / planned) - cents(total * before / planned)
        return Line(terms.order_id, days, Decimal(0), total, amount)
    if terms.price is None:
        return None
    if terms.unit == Product.Unit.HOUR:
        if not terms.hours:
            return None
        return Line(
            terms.order_id, days, terms.hours, terms.price, cents(terms.price * terms.hours)
        )
    if days == 0:
        return None
    return Line(terms.order_id, days, Decimal(0), terms.price, cents(terms.price * days / last.day))


# -- from the database -------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    """One order's line, with what the statement shows of the order (read as values: the
    largest municipality has tens of thousands of lines a month)."""

    order_id: int
    person_id: int
    client_name: str
    product: Product
    start_date: date
    end_date: date  # the day it ended, or the planned end
    taken_over: bool  # a trajectory of the old company, at its agreed price
    line: Line

    def audit_entry(self) -> "audit.AuditEntry":
        return (
            "client_direction.order",
            str(self.order_id),
            f"Opdracht {self.order_id}",
            self.person_id,
            {},
        )


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
            row = totals.setdefault(s.product.pk, ProductTotal(s.product, 0, Decimal(0)))
            row.orders += 1
            row.amount += s.line.amount
        return sorted(totals.values(), key=lambda t: t.product.name)


def billable_to(user: User) -> QuerySet[Order]:
    """The orders whose statement `user` may see: the orders they may see (a klantregisseur
    those their municipality placed and pays, a provider's jobcoach those placed with their
    organisation), for the roles that read statements."""
    if not has_permission(user, Action.STATEMENT_VIEW):
        return Order.objects.none()
    return Order.objects.visible_to(user)


def counterparts(
    orders: QuerySet[Order],
) -> tuple[QuerySet[Organisation], QuerySet[Organisation]]:
    """The providers and the client owners of `orders` (scoped to the caller): the only
    ones a statement can be asked for; any other code is as if it did not exist."""
    return (
        Organisation.objects.filter(pk__in=orders.values("product__provider_id")),
        Organisation.objects.filter(pk__in=orders.values("client_owner_id")),
    )


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
    client owner, optionally narrowed to one of each. Three queries: the orders as values,
    the month's hours of the hourly ones, and the prices."""
    first, last = month_bounds(month)
    orders = (
        orders.filter(status__in=BILLED, start_date__lte=last, end_date__gte=first)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .filter(Q(billable_from__isnull=True) | Q(billable_from__lte=last))
    )
    if provider is not None:
        orders = orders.filter(product__provider=provider)
    if client_owner is not None:
        orders = orders.filter(client_owner=client_owner)
    rows = list(
        orders.order_by("client__person__search_name", "id").values_list(
            "id",
            "product_id",
            "client_owner_id",
            "start_date",
            "end_date",
            "ended_on",
            "agreed_price",
            "billable_from",
            "client__person_id",
            *(f"client__person__{name}" for name in Person.NAME_FIELDS),
        )
    )
    hours = dict(
        ProgressReport.objects.filter(
            order__in=orders.filter(product__unit=Product.Unit.HOUR).values("pk"),
            reported_on__range=(first, last),
        )
        .values("order_id")
        .annotate(total=Sum("hours"))
        .values_list("order_id", "total")
    )
    products = Product.objects.select_related("provider").in_bulk({r[1] for r in rows})
    owners = Organisation.objects.in_bulk({r[2] for r in rows})
    book = _PriceBook(products)
    statements: dict[tuple[int, int], Statement] = {}
    for pk, product_id, owner_id, start, end, ended_on, agreed, billable, person_id, *name in rows:
        product = products[product_id]
        terms = OrderTerms(
            order_id=pk,
            unit=product.unit,
            start_date=start,
            planned_end=end,
            ended_on=ended_on,
            price=book.on(product_id, owner_id, max(start, first, billable or start)),
            agreed_price=agreed,
            hours=hours.get(pk, Decimal(0)),
            billable_from=billable,
        )
        line = line_for(terms, month)
        if line is None:
            continue
        statement = statements.setdefault(
            (product.provider_id, owner_id), Statement(product.provider, owners[owner_id], first)
        )
        statement.lines.append(
            StatementLine(
                order_id=pk,
                person_id=person_id,
                client_name=Person.format_name(*name),
                product=product,
                start_date=start,
                end_date=terms.last_day,
                taken_over=agreed is not None,
                line=line,
            )
        )
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
    return [
        s.order_id,
        s.client_name,
        s.product.name,
        "traject (overgenomen)" if s.taken_over else s.product.get_unit_display(),
        s.start_date,
        s.end_date,
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
