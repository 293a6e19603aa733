from datetime import date
from decimal import Decimal

import pytest

from werkregie.accounts.models import User
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.employer_services import services
from werkregie.employer_services.models import CandidateProfile, Match, Vacancy
from werkregie.employer_services.tests.factories import TODAY, make_profile, make_vacancy
from werkregie.employer_services.vocabulary import DEMANDS
from werkregie.testing import make_employment, make_person

pytestmark = pytest.mark.django_db


def test_profile_kind_follows_the_persons_employment(region: None) -> None:
    worker = make_person(surname="Wsw")
    make_employment(worker)
    assert make_profile(worker, owner="nuo").kind == CandidateProfile.Kind.WSW
    assert make_profile().kind == CandidateProfile.Kind.CLIENT


def test_restrictions_never_enter_the_audit_log(region: None) -> None:
    profile = make_profile(restrictions=DEMANDS.mask(["noise"]), restricted_hours=Decimal(20))
    services.save_profile(
        actor=None,
        person=profile.person,
        today=TODAY,
        profile=profile,
        restrictions=DEMANDS.mask(["noise", "heights"]),
    )
    for event in AuditEvent.objects.filter(action="candidate.saved"):
        for name in ("restrictions", "restricted_hours"):
            if name in event.changes:
                assert event.changes[name]["new"] == services.NOT_LOGGED
    assert str(DEMANDS.mask(["noise", "heights"])) not in str(
        list(AuditEvent.objects.values_list("changes", flat=True))
    )


def test_a_person_has_one_profile(region: None) -> None:
    profile = make_profile()
    with pytest.raises(DomainError, match="al een kandidaatprofiel"):
        make_profile(profile.person)


def test_employers_see_a_profile_only_after_both_consents(cast: dict[str, User]) -> None:
    profile = make_profile()
    services.record_profile_consent(
        actor=cast["client_director_almelo"], profile=profile, party="candidate", given_on=TODAY
    )
    profile.refresh_from_db()
    assert not profile.shareable
    services.record_profile_consent(
        actor=cast["client_director_almelo"], profile=profile, party="professional", given_on=TODAY
    )
    profile.refresh_from_db()
    assert profile.shareable
    assert list(CandidateProfile.objects.shareable()) == [profile]
    services.withdraw_profile_consent(actor=None, profile=profile, withdrawn_on=TODAY)
    profile.refresh_from_db()
    assert not profile.shareable
    # After a withdrawal both are asked anew.
    services.record_profile_consent(
        actor=None, profile=profile, party="candidate", given_on=date(2026, 12, 1)
    )
    profile.refresh_from_db()
    assert not profile.shareable and profile.professional_consent_on is None


def test_only_the_guiding_professional_consents_for_the_guidance(cast: dict[str, User]) -> None:
    with pytest.raises(DomainError):
        services.record_profile_consent(
            actor=cast["employer_adviser"],
            profile=make_profile(),
            party="professional",
            given_on=TODAY,
        )


def test_proposing_needs_both_consents(cast: dict[str, User]) -> None:
    with pytest.raises(DomainError, match="allebei instemmen") as error:
        services.record_match(
            actor=cast["employer_adviser"],
            vacancy=make_vacancy(),
            profile=make_profile(),
            status="proposed",
            recorded_on=TODAY,
        )
    assert error.value.field == "profile"
    assert not Match.objects.exists()


def test_a_conflicting_candidate_is_never_proposed(cast: dict[str, User]) -> None:
    profile = make_profile(shareable=True, restrictions=DEMANDS.mask(["standing"]))
    with pytest.raises(DomainError, match="beperkingen"):
        services.record_match(
            actor=cast["employer_adviser"],
            vacancy=make_vacancy(),
            profile=profile,
            status="proposed",
            recorded_on=TODAY,
        )


def test_records_outcomes_with_the_explanation_and_fills_the_vacancy(
    cast: dict[str, User],
) -> None:
    vacancy = make_vacancy()
    profile = make_profile(shareable=True)
    adviser = cast["employer_adviser"]
    match = services.record_match(
        actor=adviser, vacancy=vacancy, profile=profile, status="proposed", recorded_on=TODAY
    )
    assert match.score == services.explain(vacancy, profile).result.score
    assert {c["code"] for c in match.criteria} >= {"occupation", "skills", "hours"}
    services.record_match(
        actor=adviser, vacancy=vacancy, profile=profile, status="interview", recorded_on=TODAY
    )
    services.record_match(
        actor=adviser, vacancy=vacancy, profile=profile, status="placed", recorded_on=TODAY
    )
    vacancy.refresh_from_db()
    profile.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED
    assert profile.status == CandidateProfile.Status.PLACED
    assert AuditEvent.objects.filter(action="match.recorded").count() == 3


def test_a_rejection_needs_a_reason(cast: dict[str, User]) -> None:
    vacancy, profile = make_vacancy(), make_profile(shareable=True)
    services.record_match(
        actor=None, vacancy=vacancy, profile=profile, status="proposed", recorded_on=TODAY
    )
    with pytest.raises(DomainError) as error:
        services.record_match(
            actor=None, vacancy=vacancy, profile=profile, status="rejected", recorded_on=TODAY
        )
    assert error.value.field == "reason"
    match = services.record_match(
        actor=None,
        vacancy=vacancy,
        profile=profile,
        status="rejected",
        reason="employer_declined",
        recorded_on=TODAY,
    )
    assert match.get_reason_display() == "Werkgever kiest een ander"
