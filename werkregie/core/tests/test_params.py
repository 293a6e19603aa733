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
