"""HR's long operations as jobs (core.jobs, issue 16): a payroll file of a large employer
takes seconds at national scale, previewed or made final."""

from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse

from werkregie.core.errors import DomainError
from werkregie.core.jobs import JobRun, Outcome, Reads, operation
from werkregie.core.report_api import table_data
from werkregie.hr import payroll_file, services
from werkregie.hr.events import HrEvent
from werkregie.hr.models import hr_employers
from werkregie.organisations.models import Organisation


def _employer(run: JobRun) -> Organisation:
    found = hr_employers(run.actor).filter(pk=run.params["employer"]).first()
    if found is None:
        raise DomainError("Deze werkgever is niet een van uw werkgevers.")
    return found


@operation(title="Voorbeeld salarisbestand", template="hr/_payroll_preview.html")
def preview_payroll(run: JobRun) -> Outcome:
    """What the month's file of one employer will hold if made final now; the wages it shows
    are audited each time the result is shown (core.jobs.record_shown)."""
    employer = _employer(run)
    month = date.fromisoformat(run.params["month"])
    run.progress.phase(f"loonregels van {employer} berekend")
    made = payroll_file.preview_file(employer, month)
    return Outcome(
        f"Voorbeeld van het salarisbestand {employer} {month:%m-%Y}: "
        f"{len(made.table.rows)} regels.",
        result={
            "employer": employer.pk,
            "month": f"{made.month:%Y-%m}",
            "html": render_to_string("core/report_table.html", {"table": made.table}),
            "data": table_data(made.table),
        },
        reads=Reads(HrEvent.PAYROLL_VIEWED, made.audit_entries()),
    )


@operation(title="Salarisbestand definitief maken")
def finalise_payroll(run: JobRun) -> Outcome:
    """The month's payroll file of one employer, stored final (hr.services.finalise_payroll)."""
    employer = _employer(run)
    month = date.fromisoformat(run.params["month"])
    run.progress.phase(f"loonregels van {employer} berekend")
    with run.atomic():
        export = services.finalise_payroll(actor=run.actor, employer=employer, month=month)
        return run.complete(
            Outcome(
                f"{export} is definitief.",
                result={"export": export.pk, "lines": export.lines.count()},
                url=reverse("hr:payroll"),
            )
        )
