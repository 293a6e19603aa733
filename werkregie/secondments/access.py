"""What showing secondment data records (issue 15: one place per object type)."""

from typing import Any

from django.core.exceptions import PermissionDenied

from werkregie.core import audit
from werkregie.core.models import AuditAction
from werkregie.secondments.models import Invoice, Secondment, SecondmentContract

ISSUER_ONLY = "Alleen de uitlener ziet en legt detacheringen en uren vast."


def is_issuer_staff(user: Any, contract: SecondmentContract) -> bool:
    """Who is seconded under a contract, and their hours, are for the issuer's own staff."""
    return contract.issuer.organisation_id == getattr(user, "organisation_id", None)


def require_issuer_staff(user: Any, contract: SecondmentContract) -> None:
    """403 for anyone but the issuer's staff (a hirer's or adviser's view of the contract
    stays possible; only who is seconded and the hours are closed)."""
    if not is_issuer_staff(user, contract):
        raise PermissionDenied(ISSUER_ONLY)


def record_invoice_shown(*, user: Any, invoice: Invoice) -> None:
    """An invoice shown (page, PDF, UBL, API): the invoice read, and each line's employee as a
    person shown, so "who saw person X" finds the invoices that named X."""
    audit.record_read(actor=user, action=AuditAction.INVOICE_VIEWED, obj=invoice)
    audit.record_listed(actor=user, rows=invoice.lines.select_related("secondment"))


def secondments_shown(*, user: Any, contract: SecondmentContract) -> list[Secondment]:
    """Who is seconded under the contract, as far as the user may see it (the issuer's own
    staff: everyone; others: nobody); each secondment shown is recorded."""
    rows = list(
        Secondment.objects.visible_to(user).filter(contract=contract).select_related("person")
    )
    audit.record_reads(actor=user, action=AuditAction.SECONDMENT_VIEWED, objects=rows)
    return rows
