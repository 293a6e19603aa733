"""Klantregie's long operations as jobs (core.jobs, issue 16): the monthly statement of the
largest municipality holds tens of thousands of lines; as Excel or PDF it takes seconds."""

from datetime import date

from werkregie.client_direction import statements
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.core.documents import XLSX
from werkregie.core.errors import DomainError
from werkregie.core.jobs import JobRun, Outcome, Reads, operation
from werkregie.organisations.models import Organisation

FORMATS = {"xlsx": ("Excel", XLSX), "pdf": ("PDF", "application/pdf")}


def _counterpart(candidates: object, code: str, what: str) -> Organisation | None:
    if not code:
        return None
    found = candidates.filter(code=code).first()  # type: ignore[attr-defined]
    if found is None:
        raise DomainError(f"Geen maandoverzicht voor deze {what}.")
    assert isinstance(found, Organisation)
    return found


@operation(title="Maandoverzicht downloaden")
def statement_file(run: JobRun) -> Outcome:
    """The month's statement as Excel or PDF, scoped to the requester as the screen is; every
    line is an audited read whenever the file is fetched."""
    month = date.fromisoformat(run.params["month"])
    fmt = run.params["format"]
    label, content_type = FORMATS[fmt]
    orders = statements.billable_to(run.actor)
    providers, owners = statements.counterparts(orders)
    provider = _counterpart(providers, run.params.get("provider", ""), "uitvoeringsorganisatie")
    owner = _counterpart(owners, run.params.get("client_owner", ""), "opdrachtgever")
    run.progress.phase("regels berekend")
    result = statements.statements_for(orders, month, provider=provider, client_owner=owner)
    lines = [line for st in result for line in st.lines]
    run.progress.phase(f"{label} gemaakt", len(lines))
    content = (statements.as_xlsx if fmt == "xlsx" else statements.as_pdf)(result, month)
    run.progress.advance(len(lines))
    return Outcome(
        f"Maandoverzicht {statements.month_label(month)} ({label}) is klaar: {len(lines)} regels.",
        files=[(label, f"maandoverzicht-{month:%Y-%m}.{fmt}", content_type, content)],
        reads=Reads(ClientDirectionEvent.STATEMENT_VIEWED, [line.audit_entry() for line in lines]),
    )
