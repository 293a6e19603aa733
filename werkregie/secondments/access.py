"""What showing secondment data records (issue 15: one place per object type)."""

from typing import Any

from werkregie.core import audit
from werkregie.core.models import AuditAction
from werkregie.secondments.models import Invoice


def record_invoice_shown(*, user: Any, invoice: Invoice) -> None:
    """An invoice shown (page, PDF, UBL, API): the invoice read, and each line's employee as a
    person shown, so "who saw person X" finds the invoices that named X."""
    audit.record_read(actor=user, action=AuditAction.INVOICE_VIEWED, obj=invoice)
    audit.record_listed(actor=user, rows=invoice.lines.select_related("secondment"))
