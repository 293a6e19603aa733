"""Access helpers of employer services (employers, vacancies, candidate profiles, matching) (issue
15): one place per object type, used by screens, API, exports and search alike.

- `<objects>_for(user)`: the user's scope, every list, export and lookup starts from it (the
  rules themselves are the model queryset's `visible_to`; views and API never call it).
- `get_<object>_for(user, pk)` where a lookup is more than the scope: the object or 404 outside
  the scope (existence is personal data), 403 for a missing action inside it.
- `record_…`: what showing the objects records in the audit log (docs/security.md)."""

from collections.abc import Iterable

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.employer_services import match_queries
from werkregie.employer_services.events import EmployerServicesEvent
from werkregie.employer_services.models import (
    CandidateProfile,
    CandidateProfileQuerySet,
    Employer,
    EmployerQuerySet,
    Vacancy,
    VacancyQuerySet,
)


def record_profile_shown(*, user: User, profile: CandidateProfile) -> None:
    audit.record_read(actor=user, action=EmployerServicesEvent.PROFILE_VIEWED, obj=profile)


def record_profiles_listed(*, user: User, profiles: Iterable[CandidateProfile]) -> None:
    audit.record_reads(actor=user, action=EmployerServicesEvent.PROFILE_VIEWED, objects=profiles)


def candidates_shown(
    *, user: User, vacancy: Vacancy, limit: int
) -> list[match_queries.RankedCandidate]:
    """The best candidates for a vacancy among the profiles the user may see; every
    candidate shown is recorded."""
    ranked = match_queries.rank_candidates(
        vacancy, CandidateProfile.objects.visible_to(user), limit=limit
    )
    audit.record_reads(
        actor=user,
        action=EmployerServicesEvent.CANDIDATES_MATCHED,
        objects=[r.profile for r in ranked],
    )
    return ranked


def profiles_for(user: User) -> CandidateProfileQuerySet:
    """The candidate profiles within the user's scope (see the module docstring)."""
    return CandidateProfile.objects.visible_to(user)


def employers_for(user: User) -> EmployerQuerySet:
    """The employers within the user's scope (see the module docstring)."""
    return Employer.objects.visible_to(user)


def vacancies_for(user: User) -> VacancyQuerySet:
    """The vacancies within the user's scope (see the module docstring)."""
    return Vacancy.objects.visible_to(user)
