"""What showing the transition plan records (issue 15: one place per object type)."""

from collections.abc import Iterable
from typing import Any

from werkregie.core import audit
from werkregie.core.models import AuditAction
from werkregie.transition.models import PlanEntry


def record_entry_shown(*, user: Any, entry: PlanEntry) -> None:
    """One person's plan entry (old and new wage, rules applied) shown."""
    audit.record_read(actor=user, action=AuditAction.PLAN_ENTRY_VIEWED, obj=entry)


def record_entries_listed(*, user: Any, entries: Iterable[PlanEntry]) -> None:
    """A page of the plan's persons shown."""
    audit.record_listed(actor=user, rows=entries)
