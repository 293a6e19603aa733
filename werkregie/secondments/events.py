"""The audit event names of secondments and invoicing: each app declares its own (issue 15);
core.audit_events registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class SecondmentsEvent(models.TextChoices):
    CONTRACT_SAVED = "secondment.contract_saved", "Detacheringsovereenkomst vastgelegd"
    SECONDMENT_SAVED = "secondment.saved", "Detachering vastgelegd of gewijzigd"
    SECONDMENT_VIEWED = "secondment.viewed", "Detachering ingezien"
    HOURS_REGISTERED = "secondment.hours", "Gewerkte uren vastgelegd"
    INVOICE_DRAFTED = "invoice.drafted", "Conceptfactuur gemaakt"
    INVOICE_DELETED = "invoice.deleted", "Conceptfactuur verwijderd"
    INVOICE_SENT = "invoice.sent", "Factuur verzonden"
    INVOICE_CREDITED = "invoice.credited", "Factuur gecrediteerd"
    INVOICE_VIEWED = "invoice.viewed", "Factuur ingezien"
