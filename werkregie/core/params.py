"""Dates and months in query strings, for screens and the API alike (ISO: 2021-01-01, 2021-01)."""

import calendar
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from rest_framework import exceptions
from rest_framework.request import Request

T = TypeVar("T")


def _or_default(raw: str | None, default: T, parse: Callable[[str], T]) -> T:
    try:
        return parse(raw) if raw else default
    except ValueError:
        return default


def _api_value(request: Request, name: str, parse: Callable[[str], T], message: str) -> T | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError as exc:
        raise exceptions.ValidationError({name: [message]}) from exc


def parse_month(raw: str) -> date:
    """ "2026-10" → 1 October 2026; ValueError when unreadable."""
    year, _, month = raw.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and len(month) <= 2):
        raise ValueError(raw)
    if not 1900 <= int(year) <= 2999:  # leaves room to page a month either way
        raise ValueError(raw)
    return date(int(year), int(month), 1)


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month `month` lies in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def date_or(raw: str | None, default: date) -> date:
    """A screen's date filter: an unreadable date falls back to the default."""
    return _or_default(raw, default, date.fromisoformat)


def month_or(raw: str | None, default: date) -> date:
    """A screen's month filter (JJJJ-MM): an unreadable month falls back to the default."""
    return _or_default(raw, default, parse_month)


def api_date(request: Request, name: str) -> date | None:
    """An API date parameter; an unreadable one is a 400 naming the parameter."""
    return _api_value(request, name, date.fromisoformat, "Gebruik een datum in de vorm JJJJ-MM-DD.")


def api_month(request: Request, name: str) -> date | None:
    """An API month parameter (JJJJ-MM); an unreadable one is a 400 naming the parameter."""
    return _api_value(request, name, parse_month, "Gebruik een maand in de vorm JJJJ-MM.")
