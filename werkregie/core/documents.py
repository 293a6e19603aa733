"""Documents users download: PDF from a template, Excel workbooks as bytes."""

import io
import re
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook


def pdf_from_template(template: str, context: dict[str, Any]) -> bytes:
    """Render an HTML template to PDF. WeasyPrint is imported here, so the app runs where
    its system libraries are missing."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_to_string(template, context)).write_pdf()
    return pdf


# A cell a spreadsheet would run as a formula (CSV injection): text that starts like one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d[\d.]*(,\d+)?")


def neutralise(value: Any) -> Any:
    """Text that Excel or LibreOffice would take for a formula gets a leading apostrophe,
    so a name like `=HYPERLINK(...)` is shown, never run; numbers (-12,50) stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as an .xlsx file, amounts shown with two decimals, no text cell a
    formula (every workbook a user downloads is saved here)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, str) and cell.value != neutralise(cell.value):
                    cell.value = neutralise(cell.value)
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
