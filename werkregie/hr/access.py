"""Access helpers of HR (employment changes, indexation, payroll files) (issue 15): one place per
object type, used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from collections.abc import Iterable

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.hr.events import HrEvent
from werkregie.hr.models import (
    EmploymentChange,
    EmploymentChangeQuerySet,
    IndexationLine,
    IndexationRun,
    IndexationRunQuerySet,
    PayrollExport,
    PayrollExportQuerySet,
)


def record_changes_listed(*, user: User, changes: Iterable[EmploymentChange]) -> None:
    """A page of employment changes (mutaties, with wages) shown."""
    audit.record_reads(actor=user, action=HrEvent.EMPLOYMENT_CHANGES_VIEWED, objects=changes)


def record_indexation_lines_shown(*, user: User, lines: Iterable[IndexationLine]) -> None:
    """Lines of an indexation proposal (old and new wage per person) shown."""
    audit.record_reads(actor=user, action=HrEvent.INDEXATION_VIEWED, objects=lines)


def employment_changes_for(user: User) -> EmploymentChangeQuerySet:
    """The employment changes within the user's scope (see the module docstring)."""
    return EmploymentChange.objects.visible_to(user)


def indexation_runs_for(user: User) -> IndexationRunQuerySet:
    """The indexation runs within the user's scope (see the module docstring)."""
    return IndexationRun.objects.visible_to(user)


def payroll_exports_for(user: User) -> PayrollExportQuerySet:
    """The payroll exports within the user's scope (see the module docstring)."""
    return PayrollExport.objects.visible_to(user)
