"""The audit event names of planning & control: each app declares its own (issue 15);
core.audit_events registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class PlanningEvent(models.TextChoices):
    AGREEMENT_SAVED = "planning.agreement_saved", "Prestatieafspraak vastgelegd"
    SCENARIO_SAVED = "planning.scenario_saved", "Scenario vastgelegd"
    REAL_ESTATE_SAVED = "planning.real_estate_saved", "Vastgoedgegevens vastgelegd"
    ROADMAP_SAVED = "planning.roadmap_saved", "Roadmap-activiteit vastgelegd"
    DECISION_SAVED = "planning.decision_saved", "Besluit vastgelegd"
    DOCUMENT_ATTACHED = "planning.document_attached", "Document bij besluit toegevoegd"
