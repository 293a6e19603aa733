import csv
import io

from openpyxl import Workbook, load_workbook

from werkregie.core.documents import neutralise, workbook_bytes
from werkregie.core.reports import Column, Table, Unit

ATTACKS = ['=HYPERLINK("http://x","klik")', "+SUM(A1)", "-1+2", "@cmd", "\tpad", "\rterug"]


def test_formula_like_text_is_neutralised_and_numbers_are_not() -> None:
    for attack in ATTACKS:
        assert neutralise(attack) == "'" + attack
    for number in ("-12,50", "-1.234,56", "-3", "Jansen", "", "12"):
        assert neutralise(number) == number


def test_excel_downloads_never_hold_a_formula() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["naam", *ATTACKS])
    sheet.append(["bedrag", -12.5])
    cells = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert cells is not None
    row = [c.value for c in cells[1]]
    assert row == ["naam", *["'" + a for a in ATTACKS]]
    assert all(c.data_type != "f" for c in cells[1])
    assert cells["B2"].value == -12.5


def test_csv_reports_escape_names_and_notes() -> None:
    table = Table(
        title="Test",
        columns=[Column("name", "Naam"), Column("amount", "Bedrag", Unit.MONEY)],
        rows=[{"name": "=1+1", "amount": None}, {"name": "@SUM(A1)", "amount": None}],
    )
    rows = list(csv.reader(io.StringIO(table.csv_text()), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'@SUM(A1)"]
