"""The secondments' long operations as jobs (core.jobs, issue 16)."""

from datetime import date

from django.urls import reverse

from werkregie.core.formatting import format_euro
from werkregie.core.jobs import JobRun, Outcome, operation
from werkregie.secondments import services
from werkregie.secondments.models import Issuer


def run_message(result: services.RunResult) -> str:
    sent = f"; al verzonden: {len(result.already_sent)}" if result.already_sent else ""
    return (
        f"{len(result.drafts)} conceptfacturen voor {result.month:%m-%Y} met {result.lines} "
        f"regels, samen {format_euro(result.total)}{sent}."
    )


@operation(title="Facturen van de maand maken")
def make_invoices(run: JobRun) -> Outcome:
    """One draft per hirer for the month (secondments.services.run_invoices)."""
    issuer = Issuer.objects.get(pk=run.params["issuer"])
    month = date.fromisoformat(run.params["month"])
    with run.atomic():
        result = services.run_invoices(
            actor=run.actor, issuer=issuer, month=month, progress=run.progress
        )
        return run.complete(
            Outcome(
                run_message(result),
                result={
                    "month": result.month.isoformat(),
                    "drafts": [invoice.pk for invoice in result.drafts],
                    "already_sent": result.already_sent,
                    "lines": result.lines,
                    "total": str(result.total),
                },
                url=f"{reverse('secondments:invoices')}?maand={result.month:%Y-%m}",
            )
        )
