"""HR's long operations as jobs (core.jobs, issue 16)."""

from datetime import date

from django.urls import reverse

from werkregie.core.jobs import JobRun, Outcome, operation
from werkregie.hr import services
from werkregie.organisations.models import Organisation


@operation(title="Salarisbestand definitief maken")
def finalise_payroll(run: JobRun) -> Outcome:
    """The month's payroll file of one employer, stored final (hr.services.finalise_payroll)."""
    employer = Organisation.objects.get(pk=run.params["employer"])
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
