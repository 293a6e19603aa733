"""Access helpers of secondments (contracts, who is seconded, invoices) (issue 15): one place per
object type, used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from django.core.exceptions import PermissionDenied

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.secondments.events import SecondmentsEvent
from werkregie.secondments.models import (
    ContractQuerySet,
    Invoice,
    InvoiceQuerySet,
    Secondment,
    SecondmentContract,
)

ISSUER_ONLY = "Alleen de uitlener ziet en legt detacheringen en uren vast."


def is_issuer_staff(user: User, contract: SecondmentContract) -> bool:
    """Who is seconded under a contract, and their hours, are for the issuer's own staff."""
    return (
        user.organisation_id is not None and contract.issuer.organisation_id == user.organisation_id
    )


def require_issuer_staff(user: User, contract: SecondmentContract) -> None:
    """403 for anyone but the issuer's staff (a hirer's or adviser's view of the contract
    stays possible; only who is seconded and the hours are closed)."""
    if not is_issuer_staff(user, contract):
        raise PermissionDenied(ISSUER_ONLY)


def record_invoice_shown(*, user: User, invoice: Invoice) -> None:
    """An invoice shown (page, PDF, UBL, API): the invoice read, and each line's employee as a
    person shown, so "who saw person X" finds the invoices that named X."""
    audit.record_read(actor=user, action=SecondmentsEvent.INVOICE_VIEWED, obj=invoice)
    audit.record_listed(actor=user, rows=invoice.lines.select_related("secondment"))


def secondments_shown(*, user: User, contract: SecondmentContract) -> list[Secondment]:
    """Who is seconded under the contract, as far as the user may see it (the issuer's own
    staff: everyone; others: nobody); each secondment shown is recorded."""
    rows = list(
        Secondment.objects.visible_to(user).filter(contract=contract).select_related("person")
    )
    audit.record_reads(actor=user, action=SecondmentsEvent.SECONDMENT_VIEWED, objects=rows)
    return rows


def invoices_for(user: User) -> InvoiceQuerySet:
    """The invoices within the user's scope (see the module docstring)."""
    return Invoice.objects.visible_to(user)


def contracts_for(user: User) -> ContractQuerySet:
    """The secondment contracts within the user's scope (see the module docstring)."""
    return SecondmentContract.objects.visible_to(user)
