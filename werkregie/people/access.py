"""Access helpers of the registry (persons, employments, the person search) (issue 15): one place
per object type, used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.access import Action, can, has_permission
from werkregie.core.models import AuditAction
from werkregie.people.events import PeopleEvent
from werkregie.people.models import Employment, EmploymentQuerySet, Person, PersonQuerySet


def get_person_for(user: User, pk: int, *, action: Action = Action.PERSON_VIEW) -> Person:
    """Outside the user's scope a person does not exist (404): existence is personal data.
    Inside it, a missing action is 403. Every page that shows the person records the read."""
    person = (
        Person.objects.visible_to(user)
        .select_related("residence_municipality")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("Persoon niet gevonden.")
    if not can(user, action):
        raise PermissionDenied("Uw rol mag dit niet bij deze persoon.")
    record_person_shown(user=user, person=person)
    return person


def record_person_shown(*, user: User, person: Person) -> None:
    audit.record_read(actor=user, action=PeopleEvent.PERSON_VIEWED, obj=person)


def record_persons_listed(*, user: User, persons: Iterable[Person]) -> None:
    """A page of persons shown (list, search result): each person recorded."""
    audit.record_listed(actor=user, rows=persons)


def record_employments_shown(*, user: User, employments: Iterable[Employment]) -> None:
    """Employments shown (their wage where the role sees it): each recorded."""
    audit.record_reads(actor=user, action=PeopleEvent.EMPLOYMENT_VIEWED, objects=employments)


def get_employment_for(user: User, pk: int, *, action: Action) -> Employment:
    employment = (
        Employment.objects.visible_to(user)
        .select_related("person", "employer")
        .filter(pk=pk)
        .first()
    )
    if employment is None or not has_permission(user, Action.PERSON_VIEW):
        raise Http404("Dienstverband niet gevonden.")
    if not can(user, action):
        raise PermissionDenied("Uw rol mag dit dienstverband niet wijzigen.")
    # The page shows the employment as it stands, wage included: a read of personal data.
    record_employments_shown(user=user, employments=[employment])
    return employment


def record_search(*, user: User, query_kind: str, persons: list[Person]) -> None:
    """A search that showed persons: one event for the search (without the query: it may
    be a BSN) and, per person shown, an event linked to that person (issue 20, finding 3),
    so "who looked at person X" also finds the searches that showed X."""
    audit.record_change(
        actor=user,
        action=PeopleEvent.PERSON_SEARCHED,
        obj=user,
        changes={"results": {"old": None, "new": len(persons)}, "by": query_kind},
    )
    audit.record_reads(actor=user, action=AuditAction.PERSON_LISTED, objects=persons)


def employments_for(user: User) -> EmploymentQuerySet:
    """The employments within the user's scope (see the module docstring)."""
    return Employment.objects.visible_to(user)


def persons_for(user: User) -> PersonQuerySet:
    """The persons within the user's scope (see the module docstring)."""
    return Person.objects.visible_to(user)
