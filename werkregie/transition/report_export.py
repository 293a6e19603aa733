"""The reconciliation as files: JSON (the agreed shape) and an Excel workbook."""

import json
from typing import Any

from openpyxl import Workbook

from werkregie.core.documents import pdf_from_template, workbook_bytes

COLUMNS = [
    ("persons_in", "Personen in"),
    ("persons_out", "Personen uit"),
    ("work_years_in", "Arbeidsjaren in"),
    ("work_years_out", "Arbeidsjaren uit"),
    ("wage_bill_in", "Loonsom per maand in"),
    ("wage_bill_out", "Loonsom per maand uit"),
    ("secondments_in", "Detacheringen in"),
    ("secondments_out", "Detacheringen uit"),
    ("trajectories_in", "Trajecten in"),
    ("trajectories_out", "Trajecten uit"),
]
_DECIMALS = {"work_years_in", "work_years_out", "wage_bill_in", "wage_bill_out"}


def as_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")


def _cell(key: str, value: Any) -> Any:
    return float(value) if key in _DECIMALS else value


def as_xlsx(report: dict[str, Any]) -> bytes:
    """Four sheets: totals, per municipality, per organisation, flags (Dutch headers)."""
    workbook = Workbook()
    totals = workbook.active
    assert totals is not None
    totals.title = "Totaal"
    totals.append(
        [
            "Plan",
            report["plan"],
            "Ingangsdatum",
            report["effective_date"],
            "Beleidsregels",
            report["policy_version"],
        ]
    )
    totals.append([label for _, label in COLUMNS])
    totals.append([_cell(key, report[key]) for key, _ in COLUMNS])
    for title, key in (("Per gemeente", "by_municipality"), ("Per organisatie", "by_organisation")):
        sheet = workbook.create_sheet(title)
        sheet.append(["Code", *[label for _, label in COLUMNS]])
        for code, row in report[key].items():
            sheet.append([code, *[_cell(k, row[k]) for k, _ in COLUMNS]])
    flags = workbook.create_sheet("Signalen")
    flags.append(["Personeelsnummer", "Soort", "Reden", "Afgehandeld"])
    for flag in report["flags"]:
        flags.append(
            [
                flag["personeelsnummer"],
                flag["reason_code"],
                flag["reason"],
                "ja" if flag["resolved"] else "nee",
            ]
        )
    return workbook_bytes(workbook)


def as_pdf(report: dict[str, Any], sections: list[dict[str, Any]]) -> bytes:
    """A council-ready PDF: one section per municipality (who moves where, totals, open points)."""
    return pdf_from_template(
        "transition/council_report.pdf.html", {"report": report, "sections": sections}
    )
