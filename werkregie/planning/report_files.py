"""The P&C reports and the forecast as files: Excel with native charts next to each table,
PDF with the same SVG charts as the screen."""

from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from werkregie.core.documents import pdf_from_template, workbook_bytes
from werkregie.core.reports import Table
from werkregie.planning.realisation import Report


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Blad"
    name, number = base, 2
    while name in used:
        name, number = f"{base[:25]} ({number})", number + 1
    used.add(name)
    return name


def _write_table(sheet: Any, table: Table, row: int) -> tuple[int, int]:
    """Write the table from `row` down; (header row, last data row)."""
    sheet.cell(row=row, column=1, value=table.title)
    header = row + 1
    for index, column in enumerate(table.columns, start=1):
        sheet.cell(row=header, column=index, value=column.label)
    current = header
    for data in table.rows:
        current += 1
        for index, column in enumerate(table.columns, start=1):
            sheet.cell(row=current, column=index, value=_excel(column, data.get(column.key)))
    last_data = current
    if table.total:
        current += 1
        for index, column in enumerate(table.columns, start=1):
            sheet.cell(row=current, column=index, value=_excel(column, table.total.get(column.key)))
    return header, last_data


def _excel(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if column.numeric:
        return float(value) if not isinstance(value, int) else int(value)
    return str(value)


def report_xlsx(report: Report) -> bytes:
    """One sheet per section: each table with a bar chart of its target, realised and
    forecast columns beside it."""
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    used: set[str] = set()
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        assert isinstance(sheet, Worksheet)
        sheet.cell(row=1, column=1, value=f"{report.title} – {section.title}")
        sheet.cell(row=2, column=1, value=section.subtitle)
        row = 4
        for block in section.blocks:
            header, last = _write_table(sheet, block.table, row)
            if last > header:
                chart = BarChart()
                chart.title = block.table.title
                keys = [c.key for c in block.table.columns]
                for key in block.series:
                    index = keys.index(key) + 1
                    chart.add_data(
                        Reference(sheet, min_col=index, min_row=header, max_row=last),
                        titles_from_data=True,
                    )
                label = keys.index(block.label_column) + 1
                chart.set_categories(
                    Reference(sheet, min_col=label, min_row=header + 1, max_row=last)
                )
                chart.height, chart.width = 7, 16
                sheet.add_chart(chart, f"{chr(ord('A') + len(keys) + 1)}{row}")
            row = max(last + 3, row + 16)
    notes = workbook.create_sheet("Toelichting")
    for index, note in enumerate(report.notes, start=1):
        notes.cell(row=index, column=1, value=note)
    return workbook_bytes(workbook)


def report_pdf(report: Report) -> bytes:
    return pdf_from_template("planning/report_pdf.html", {"report": report})


def forecast_xlsx(table: Table, label_column: str, series: list[str]) -> bytes:
    """The forecast table with a line chart of the head count and its band."""
    workbook = Workbook()
    sheet = workbook.create_sheet("Prognose")
    assert isinstance(sheet, Worksheet)
    default = workbook.worksheets[0]
    workbook.remove(default)
    header, last = _write_table(sheet, table, 1)
    keys = [c.key for c in table.columns]
    chart = LineChart()
    chart.title = table.title
    for key in series:
        index = keys.index(key) + 1
        chart.add_data(
            Reference(sheet, min_col=index, min_row=header, max_row=last), titles_from_data=True
        )
    chart.set_categories(
        Reference(sheet, min_col=keys.index(label_column) + 1, min_row=header + 1, max_row=last)
    )
    chart.height, chart.width = 8, 18
    sheet.add_chart(chart, f"{chr(ord('A') + len(keys) + 1)}2")
    return workbook_bytes(workbook)
