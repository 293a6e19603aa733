"""What showing candidates records (issue 15: one place per object type, screens and API)."""

from collections.abc import Iterable
from typing import Any

from werkregie.core import audit
from werkregie.core.models import AuditAction
from werkregie.employer_services import match_queries
from werkregie.employer_services.models import CandidateProfile, Vacancy


def record_profile_shown(*, user: Any, profile: CandidateProfile) -> None:
    audit.record_read(actor=user, action=AuditAction.PROFILE_VIEWED, obj=profile)


def record_profiles_listed(*, user: Any, profiles: Iterable[CandidateProfile]) -> None:
    audit.record_reads(actor=user, action=AuditAction.PROFILE_VIEWED, objects=profiles)


def candidates_shown(
    *, user: Any, vacancy: Vacancy, limit: int
) -> list[match_queries.RankedCandidate]:
    """The best candidates for a vacancy among the profiles the user may see; every
    candidate shown is recorded."""
    ranked = match_queries.rank_candidates(
        vacancy, CandidateProfile.objects.visible_to(user), limit=limit
    )
    audit.record_reads(
        actor=user, action=AuditAction.CANDIDATES_MATCHED, objects=[r.profile for r in ranked]
    )
    return ranked
