"""What showing HR records records (issue 15: one place per object type, screens and API)."""

from collections.abc import Iterable
from typing import Any

from werkregie.core import audit
from werkregie.core.models import AuditAction
from werkregie.hr.models import EmploymentChange, IndexationLine


def record_changes_listed(*, user: Any, changes: Iterable[EmploymentChange]) -> None:
    """A page of employment changes (mutaties, with wages) shown."""
    audit.record_reads(actor=user, action=AuditAction.EMPLOYMENT_CHANGES_VIEWED, objects=changes)


def record_indexation_lines_shown(*, user: Any, lines: Iterable[IndexationLine]) -> None:
    """Lines of an indexation proposal (old and new wage per person) shown."""
    audit.record_reads(actor=user, action=AuditAction.INDEXATION_VIEWED, objects=lines)
