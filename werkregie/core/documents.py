"""Documents users download: PDF from a template, Excel workbooks as bytes."""

import io
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook


def pdf_from_template(template: str, context: dict[str, Any]) -> bytes:
    """Render an HTML template to PDF. WeasyPrint is imported here, so the app runs where
    its system libraries are missing."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_to_string(template, context)).write_pdf()
    return pdf


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as an .xlsx file, amounts shown with two decimals."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
