"""Property tests of the monthly statement's arithmetic: random orders and dates, across month
boundaries and leap years. No database: the arithmetic is a pure function."""

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from werkregie.client_direction.models import Product
from werkregie.client_direction.statements import (
    OrderTerms,
    Statement,
    StatementLine,
    line_for,
)
from werkregie.core.params import month_bounds
from werkregie.organisations.models import Organisation

HALF_CENT = Decimal("0.005")
days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))
prices = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def terms(draw: st.DrawFn, unit: str | None = None, agreed: bool | None = None) -> OrderTerms:
    start = draw(days)
    planned_end = start + timedelta(days=draw(st.integers(0, 900)))
    ended_on = draw(
        st.none() | st.dates(min_value=start, max_value=planned_end + timedelta(days=60))
    )
    use_agreed = draw(st.booleans()) if agreed is None else agreed
    return OrderTerms(
        order_id=draw(st.integers(1, 10**6)),
        unit=unit or draw(st.sampled_from([Product.Unit.MONTH, Product.Unit.TRAJECTORY])),
        start_date=start,
        planned_end=planned_end,
        ended_on=ended_on,
        price=draw(prices),
        agreed_price=draw(prices) if use_agreed else None,
    )


def months_of(t: OrderTerms) -> list[date]:
    """Every month from the order's start to the month after its last day."""
    month, months = t.start_date.replace(day=1), []
    while month <= t.last_day + timedelta(days=31):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def reference_amount(t: OrderTerms) -> Fraction:
    """Day by day, exact (no rounding at all): a month product costs price / days-in-that-
    month per day; a trajectory its total / planned days per day."""
    total = Fraction(0)
    day = t.start_date
    planned = (t.planned_end - t.start_date).days + 1
    while day <= t.last_day:
        if t.agreed_price is not None or t.unit == Product.Unit.TRAJECTORY:
            whole = t.agreed_price if t.agreed_price is not None else t.price
            assert whole is not None
            total += Fraction(whole) / planned
        else:
            assert t.price is not None
            total += Fraction(t.price) / calendar.monthrange(day.year, day.month)[1]
        day += timedelta(days=1)
    return total


@settings(max_examples=300, deadline=None)
@given(terms())
# Two lines of exactly half a cent each, both rounded up: the bound is tight, not loose.
@example(
    OrderTerms(1, "month", date(2019, 1, 18), date(2019, 2, 14), None, Decimal(0), Decimal("0.13"))
)
def test_lines_over_the_months_add_up_to_the_days_and_the_money(t: OrderTerms) -> None:
    lines = [line for m in months_of(t) if (line := line_for(t, m)) is not None]
    # Each calendar day the order ran is billed in exactly one month.
    assert sum(line.days for line in lines) == (t.last_day - t.start_date).days + 1
    # Per line at most half a cent of rounding.
    billed = Fraction(sum((line.amount for line in lines), Decimal(0)))
    assert abs(billed - reference_amount(t)) <= Fraction(HALF_CENT) * max(1, len(lines))


@settings(max_examples=200, deadline=None)
@given(terms(unit=Product.Unit.MONTH, agreed=False), st.data())
def test_a_full_month_costs_exactly_the_monthly_price(t: OrderTerms, data: st.DataObject) -> None:
    for month in months_of(t):
        first, last = month_bounds(month)
        line = line_for(t, month)
        if t.start_date <= first and last <= t.last_day and t.price:
            assert line is not None and line.amount == t.price and line.days == last.day


def _cents(value: Fraction) -> Decimal:
    """Half up to the cent, from an exact fraction."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )


@settings(max_examples=300, deadline=None)
@given(terms(agreed=True), st.integers(0, 400))
def test_a_spread_price_adds_up_exactly_over_the_months_it_is_billed(
    t: OrderTerms, later: int
) -> None:
    """Issue 14, findings 5 and 6: the months of a trajectory add up to its price exactly
    (not within half a cent per month) and nothing is billed before the first billable day;
    from that day on, exactly the price of the days from then to the last day."""
    t = OrderTerms(**{**t.__dict__, "billable_from": t.start_date + timedelta(days=later)})
    lines = {m: line for m in months_of(t) if (line := line_for(t, m)) is not None}
    assert t.agreed_price is not None
    planned = (t.planned_end - t.start_date).days + 1
    ran = max(0, (t.last_day - t.start_date).days + 1)
    before = min(ran, (t.first_billable - t.start_date).days)
    share = Fraction(t.agreed_price) / planned
    assert sum(line.amount for line in lines.values()) == _cents(share * ran) - _cents(
        share * before
    )
    assert all(month_bounds(m)[1] >= t.first_billable for m in lines)
    if later == 0 and t.last_day == t.planned_end:
        assert sum(line.amount for line in lines.values()) == t.agreed_price


def test_leap_february_counts_29_days() -> None:
    t = OrderTerms(1, Product.Unit.MONTH, date(2028, 2, 15), date(2028, 3, 31), None, Decimal(290))
    feb = line_for(t, date(2028, 2, 1))
    assert feb is not None and feb.days == 15 and feb.amount == Decimal("150.00")  # 290×15/29
    t2 = OrderTerms(1, Product.Unit.MONTH, date(2027, 2, 15), date(2027, 3, 31), None, Decimal(280))
    feb2 = line_for(t2, date(2027, 2, 1))
    assert feb2 is not None and feb2.days == 14 and feb2.amount == Decimal("140.00")  # 280×14/28


def test_hours_are_billed_as_reported() -> None:
    t = OrderTerms(
        1,
        Product.Unit.HOUR,
        date(2026, 1, 1),
        date(2026, 6, 30),
        None,
        Decimal("82.50"),
        hours=Decimal("3.5"),
    )
    line = line_for(t, date(2026, 3, 1))
    assert line is not None and line.amount == Decimal("288.75")
    assert (
        line_for(OrderTerms(1, "hour", t.start_date, t.planned_end, None, t.price), t.start_date)
        is None
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(terms(), min_size=1, max_size=30), days)
def test_statement_total_is_the_sum_of_its_lines_and_of_its_products(
    many: list[OrderTerms], month_day: date
) -> None:
    month = month_day.replace(day=1)
    owner, provider = Organisation(pk=1, name="A"), Organisation(pk=2, name="B")
    products = [Product(pk=i, name=f"P{i}", unit=Product.Unit.MONTH) for i in (1, 2, 3)]
    statement = Statement(provider, owner, month)
    for index, t in enumerate(many):
        line = line_for(t, month)
        if line is not None:
            statement.lines.append(
                StatementLine(
                    order_id=index + 1,
                    person_id=index + 1,
                    client_name=f"Cliënt {index}",
                    product=products[index % 3],
                    start_date=t.start_date,
                    end_date=t.last_day,
                    taken_over=t.agreed_price is not None,
                    line=line,
                )
            )
    assert statement.total == sum((s.line.amount for s in statement.lines), Decimal(0))
    assert sum((p.amount for p in statement.per_product), Decimal(0)) == statement.total
    assert sum(p.orders for p in statement.per_product) == len(statement.lines)
