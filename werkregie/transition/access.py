"""Access helpers of the transition (plan entries) (issue 15): one place per object type, used by
screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from collections.abc import Iterable

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import LegacyQuerySet, PlanEntry


def record_entry_shown(*, user: User, entry: PlanEntry) -> None:
    """One person's plan entry (old and new wage, rules applied) shown."""
    audit.record_read(actor=user, action=TransitionEvent.PLAN_ENTRY_VIEWED, obj=entry)


def record_entries_listed(*, user: User, entries: Iterable[PlanEntry]) -> None:
    """A page of the plan's persons shown."""
    audit.record_listed(actor=user, rows=entries)


def plan_entries_for(user: User) -> LegacyQuerySet:
    """The plan entries within the user's scope (see the module docstring)."""
    return PlanEntry.objects.visible_to(user)
