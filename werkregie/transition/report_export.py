"""The reconciliation as files: JSON (the agreed shape) and an Excel workbook."""

import json
from typing import Any

from openpyxl import Workbook

from werkregie.core.documents import pdf_from_template, workbook_bytes

COLUMNS = [
    ("persons_in", "Personen in"),
    ("persons_decided", "Personen besloten"),
    ("persons_out", "Personen uit"),
    ("hours_in", "Uren per week in"),
    ("hours_decided", "Uren per week besloten"),
    ("hours_out", "Uren per week uit"),
    ("work_years_in", "Arbeidsjaren in"),
    ("work_years_out", "Arbeidsjaren uit"),
    ("wage_bill_in", "Loonsom per maand in"),
    ("wage_bill_decided", "Loonsom per maand besloten"),
    ("wage_bill_out", "Loonsom per maand uit"),
    ("secondment_contracts_in", "Detacheringscontracten in"),
    ("secondment_contracts_out", "Detacheringscontracten uit"),
    ("seconded_in", "Gedetacheerden in"),
    ("seconded_out", "Gedetacheerden uit"),
    ("trajectories_in", "Trajecten in"),
    ("trajectories_out", "Trajecten uit"),
    ("balanced", "Sluit aan"),
]
_DECIMALS = {
    "hours_in",
    "hours_decided",
    "hours_out",
    "work_years_in",
    "work_years_out",
    "wage_bill_in",
    "wage_bill_decided",
    "wage_bill_out",
}


def as_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8")


def _cell(key: str, value: Any) -> Any:
    if key == "balanced":
        return "ja" if value else "NEE"
    return float(value) if key in _DECIMALS else value


def as_xlsx(report: dict[str, Any]) -> bytes:
    """Sheets: totals, per municipality, per organisation, differences, decided, flags."""
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
    differences = workbook.create_sheet("Verschillen")
    differences.append(["Personeelsnummer / nummer", "Wat", "In (bestand)", "Uit"])
    for row in report["differences"]:
        differences.append([row["reference"], row["what"], str(row["in"]), str(row["out"])])
    decided = workbook.create_sheet("Besloten")
    decided.append(["Personeelsnummer", "Wat", "Besluit"])
    for row in report["decided"]:
        decided.append([row["reference"], row["what"], row["decision"]])
    flags = workbook.create_sheet("Signalen")
    flags.append(["Personeelsnummer", "Soort", "Reden", "Afgehandeld"])
    for flag in report["flags"]:
        flags.append(
            [
                flag["personeelsnummer"],
                flag["reason_label"],
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
