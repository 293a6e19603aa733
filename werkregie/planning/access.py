"""Access helpers of planning & control (performance agreements, scenarios) (issue 15): one place
per object type, used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from werkregie.accounts.models import User
from werkregie.planning.models import (
    AgreementQuerySet,
    PerformanceAgreement,
    Scenario,
    ScenarioQuerySet,
)


def agreements_for(user: User) -> AgreementQuerySet:
    """The performance agreements within the user's scope (see the module docstring)."""
    return PerformanceAgreement.objects.visible_to(user)


def scenarios_for(user: User) -> ScenarioQuerySet:
    """The scenarios within the user's scope (see the module docstring)."""
    return Scenario.objects.visible_to(user)
