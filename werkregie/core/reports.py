"""Report tables with a unit per column, so persons and arbeidsjaren never meet in a sum.

DOMAIN.md: "Persons are not work-years. Never add one to the other." `Persons` and
`WorkYears` are number types that refuse to be added to each other; every report table
declares each column's unit and `Table.check` proves each cell has that unit's type. One
table renders on screen, as CSV and as an Excel sheet.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from werkregie.core.documents import neutralise, workbook_bytes
from werkregie.core.formatting import format_decimal


class UnitError(TypeError):
    """Persons and arbeidsjaren were about to be added together."""


def _refuse(left: object, right: object) -> None:
    raise UnitError(f"Personen en arbeidsjaren worden nooit opgeteld ({left!r} + {right!r}).")


class Persons(int):
    """A head count. Adds to whole numbers and other counts, never to work-years or money."""

    def __add__(self, other: Any) -> "Persons":
        if not isinstance(other, int) or isinstance(other, bool):
            _refuse(self, other)
        return Persons(int(self) + int(other))

    def __radd__(self, other: Any) -> "Persons":
        return self.__add__(other)

    def __sub__(self, other: Any) -> "Persons":
        if not isinstance(other, int) or isinstance(other, bool):
            _refuse(self, other)
        return Persons(int(self) - int(other))


class WorkYears(Decimal):
    """Arbeidsjaren: contract hours / 36, averaged over a period. Never added to persons."""

    def __add__(self, other: Any) -> "WorkYears":
        if isinstance(other, Persons) or not isinstance(other, Decimal | int):
            _refuse(self, other)
        return WorkYears(Decimal(self) + Decimal(other))

    def __radd__(self, other: Any) -> "WorkYears":
        return self.__add__(other)

    def __sub__(self, other: Any) -> "WorkYears":
        if isinstance(other, Persons) or not isinstance(other, Decimal | int):
            _refuse(self, other)
        return WorkYears(Decimal(self) - Decimal(other))


def work_years_sum(values: Iterable[WorkYears]) -> WorkYears:
    return sum(values, WorkYears(0))


class Unit(StrEnum):
    TEXT = "text"
    PERSONS = "persons"
    WORK_YEARS = "work_years"
    MONEY = "money"
    HOURS = "hours"
    PERCENTAGE = "percentage"
    COUNT = "count"  # a number of things (orders, workplaces): whole, never persons
    AREA = "area"  # square metres


def _is_money_like(value: Any) -> bool:
    # Money, hours and percentages: plain decimals, never one of the two counted units.
    return isinstance(value, Decimal) and not isinstance(value, WorkYears)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, Persons | bool)


# Per unit: whether a (non-empty) cell has it, and its text in a file. Looked up once per
# column, not per cell: a payroll file has a million cells (issue 17).
_CELL_OK: dict[Unit, Callable[[Any], bool]] = {
    Unit.TEXT: lambda value: isinstance(value, str),
    Unit.PERSONS: lambda value: isinstance(value, Persons),
    Unit.WORK_YEARS: lambda value: isinstance(value, WorkYears),
    Unit.COUNT: _is_count,
}


def _whole(value: Any) -> str:
    return str(int(value))


def _two_places(value: Any) -> str:
    return f"{Decimal(value):.2f}".replace(".", ",")


def _four_places(value: Any) -> str:
    return f"{Decimal(value):.4f}".replace(".", ",")


_PLAIN: dict[Unit, Callable[[Any], str]] = {
    Unit.TEXT: str,
    Unit.PERSONS: _whole,
    Unit.COUNT: _whole,
    Unit.WORK_YEARS: _four_places,
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: Unit = Unit.TEXT

    @property
    def numeric(self) -> bool:
        return self.unit != Unit.TEXT

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        if self.unit in (Unit.PERSONS, Unit.COUNT):
            return str(int(value))
        if self.unit == Unit.TEXT:
            return str(value)
        return format_decimal(value)

    @property
    def holds(self) -> Callable[[Any], bool]:
        """Whether a non-empty cell has this column's unit."""
        return _CELL_OK.get(self.unit, _is_money_like)

    @property
    def plain(self) -> Callable[[Any], str]:
        """A non-empty cell's text in a file: no thousands separator, decimal comma, every
        decimal place kept."""
        return _PLAIN.get(self.unit, _two_places)


@dataclass
class Table:
    """Rows of one report; `total` is given by the report (a person counted in two rows is
    one person in the total), never summed across columns."""

    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Raise UnitError when a cell does not have its column's unit."""
        checks = [(c, c.holds) for c in self.columns]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            for column, ok in checks:
                value = row.get(column.key)
                if value is not None and not ok(value):
                    raise UnitError(
                        f"{self.title}: kolom {column.label!r} ({column.unit}) bevat {value!r}."
                    )

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Cells as (text, numeric) for the screen template."""
        return [[(c.text(row.get(c.key)), c.numeric) for c in self.columns] for row in self.rows]

    def display_total(self) -> list[tuple[str, bool]]:
        if self.total is None:
            return []
        return [(c.text(self.total.get(c.key)), c.numeric) for c in self.columns]

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([c.label for c in self.columns])
        formats = [(c.key, c.plain) for c in self.columns]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            writer.writerow(
                [
                    "" if (value := row.get(key)) is None else neutralise(text(value))
                    for key, text in formats
                ]
            )
        return buffer.getvalue()

    def xlsx_bytes(self) -> bytes:
        """The table as a one-sheet Excel workbook."""
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        self.write_sheet(sheet)
        return workbook_bytes(workbook)

    def write_sheet(self, sheet: Worksheet) -> None:
        sheet.title = self.title[:31]
        sheet.append([c.label for c in self.columns])
        for row in [*self.rows, *([self.total] if self.total else [])]:
            sheet.append([_excel_value(c, row.get(c.key)) for c in self.columns])


def _excel_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.unit in (Unit.PERSONS, Unit.COUNT):
        return int(value)
    if column.unit == Unit.TEXT:
        return str(value)
    return float(value)
