"""The audit event names of the transition: each app declares its own (issue 15); core.audit_events
registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class TransitionEvent(models.TextChoices):
    ROSTER_IMPORTED = "roster.imported", "Personeelsbestand geïmporteerd"
    LEGACY_RECORD_CREATED = "legacy.created", "Record uit oud bestand toegevoegd"
    LEGACY_RECORD_CHANGED = "legacy.changed", "Record uit oud bestand gewijzigd"
    TRANSITION_PLANNED = "transition.planned", "Transitieplan gemaakt"
    PLAN_FLAG_RESOLVED = "transition.flag_resolved", "Signaal in transitieplan afgehandeld"
    PLAN_ENTRY_VIEWED = "transition.entry_viewed", "Persoon in transitieplan ingezien"
    TRANSITION_PROPOSED = "transition.proposed", "Transitieplan voorgelegd"
    TRANSITION_APPROVED = "transition.approved", "Transitieplan goedgekeurd"
    TRANSITION_EXECUTION_FAILED = (
        "transition.execution_failed",
        "Uitvoering transitieplan mislukt (niets gewijzigd)",
    )
    TRANSITION_WITHDRAWN = "transition.withdrawn", "Transitieplan teruggezet naar concept"
