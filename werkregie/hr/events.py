"""The audit event names of HR: each app declares its own (issue 15); core.audit_events registers
them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class HrEvent(models.TextChoices):
    EMPLOYMENT_CHANGE_RECORDED = "hr.change_recorded", "Mutatie vastgelegd"
    EMPLOYMENT_CHANGES_VIEWED = "hr.changes_viewed", "Mutatie ingezien"
    INDEXATION_PROPOSED = "hr.indexation_proposed", "Indexatie voorgesteld"
    INDEXATION_WITHDRAWN = "hr.indexation_withdrawn", "Indexatievoorstel ingetrokken"
    INDEXATION_APPROVED = "hr.indexation_approved", "Indexatie goedgekeurd en doorgevoerd"
    INDEXATION_VIEWED = "hr.indexation_viewed", "Loon in indexatievoorstel ingezien"
    PAYROLL_FINALISED = "hr.payroll_finalised", "Salarisbestand definitief gemaakt"
    PAYROLL_VIEWED = "hr.payroll_viewed", "Loon in salarisbestand ingezien"
    EMPLOYER_CHARGE_SAVED = "hr.charge_saved", "Percentage werkgeverslasten vastgelegd"
    STATISTICS_VIEWED = "hr.statistics_viewed", "Persoon in Wsw-statistiek ingezien"
    STATISTICS_DELIVERED = "hr.statistics_delivered", "Wsw-statistiek aangeleverd"
