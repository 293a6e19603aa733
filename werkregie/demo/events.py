"""The audit event names of the demo: each app declares its own (issue 15); core.audit_events
registers them for the audit log."""

from django.db import models

from werkregie.core.audit_events import register


@register
class DemoEvent(models.TextChoices):
    DEMO_GENERATED = "demo.generated", "Demodata aangemaakt"
