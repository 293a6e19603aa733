"""Planning & control's long reports as jobs (core.jobs, issue 16): the quarterly report and
the forecast take seconds at national scale; their job keeps the page and the files."""

from django.template.loader import render_to_string
from django.utils import timezone

from werkregie.core.documents import XLSX
from werkregie.core.errors import DomainError
from werkregie.core.jobs import JobRun, Outcome, operation
from werkregie.organisations.models import Municipality
from werkregie.planning import outlook, report_files
from werkregie.planning.realisation import Period


def _chosen(run: JobRun) -> tuple[list[Municipality], str]:
    found = outlook.choose(run.actor, run.params.get("municipality", ""))
    if found is None:
        raise DomainError("Deze gemeente is niet een van uw gemeenten.")
    return found


@operation(title="Rapportage prestatieafspraken", template="planning/_job_result.html")
def pc_report(run: JobRun) -> Outcome:
    municipalities, label = _chosen(run)
    year, quarter = int(run.params["year"]), int(run.params["quarter"])
    run.progress.phase("realisatie en prognose berekend")
    report = outlook.pc_report(run.actor, municipalities, Period(year, quarter), label)
    name = f"rapportage-{year}-K{quarter}-{label.replace(' ', '-')}"
    run.progress.phase("PDF en Excel gemaakt")
    return Outcome(
        f"{report.title} is klaar.",
        result={
            "html": render_to_string("planning/_report_body.html", {"report": report}),
            "data": outlook.pc_report_data(report, Period(year, quarter)),
        },
        files=[
            ("PDF", f"{name}.pdf", "application/pdf", report_files.report_pdf(report)),
            ("Excel", f"{name}.xlsx", XLSX, report_files.report_xlsx(report)),
        ],
    )


@operation(title="Prognose Wsw", template="planning/_job_result.html")
def forecast(run: JobRun) -> Outcome:
    municipalities, label = _chosen(run)
    run.progress.phase("overlevingskansen en prognose berekend")
    result = outlook.forecast(municipalities, label, timezone.localdate())
    content = report_files.forecast_xlsx(result.table, "year", ["persons", "low", "high"])
    return Outcome(
        f"Prognose Wsw tot en met 2040 – {result.label} is klaar.",
        result={
            "html": render_to_string("planning/_forecast_body.html", {"result": result}),
            "data": outlook.forecast_data(result),
        },
        files=[("Excel", f"prognose-wsw-{label.replace(' ', '-')}.xlsx", XLSX, content)],
    )
