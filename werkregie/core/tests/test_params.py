from datetime import date

import pytest

from werkregie.core.params import month_or, parse_month


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-10", date(2026, 10, 1)), ("2028-2", date(2028, 2, 1)), ("1900-01", date(1900, 1, 1))],
)
def test_parse_month(raw: str, expected: date) -> None:
    assert parse_month(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13", "2026-00", "26-10", "maart", "9999-12", "2026-1x", ""])
def test_unreadable_months(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_month(raw)
    assert month_or(raw, date(2026, 1, 1)) == date(2026, 1, 1)


def test_api_parameters_name_the_parameter_and_the_form() -> None:
    from rest_framework.exceptions import ValidationError
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from werkregie.core.params import api_date, api_month

    request = Request(APIRequestFactory().get("/", {"activeOn": "1-1-2026", "month": "2026-13"}))
    with pytest.raises(ValidationError) as date_error:
        api_date(request, "activeOn")
    assert date_error.value.detail == {"activeOn": ["Gebruik een datum in de vorm JJJJ-MM-DD."]}
    with pytest.raises(ValidationError) as month_error:
        api_month(request, "month")
    assert month_error.value.detail == {"month": ["Gebruik een maand in de vorm JJJJ-MM."]}
    empty = Request(APIRequestFactory().get("/"))
    assert api_date(empty, "activeOn") is None and api_month(empty, "month") is None
