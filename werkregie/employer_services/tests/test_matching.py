from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkregie.employer_services import matching
from werkregie.employer_services.match_queries import (
    candidate_facts,
    candidate_pool,
    job_facts,
    rank_candidates,
    rank_vacancies,
)
from werkregie.employer_services.models import CandidateProfile, Employer, Vacancy
from werkregie.employer_services.services import explain
from werkregie.employer_services.tests.factories import make_employer, make_profile, make_vacancy
from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SECTORS, SKILLS
from werkregie.organisations.models import Municipality
from werkregie.testing import make_person

JOB = matching.JobFacts(
    occupation="production",
    required_skills=SKILLS.mask(["accurate", "teamwork"]),
    demands=DEMANDS.mask(["standing", "noise"]),
    hours=Decimal(32),
    sector="C",
    start_date=date(2027, 1, 4),
)
CANDIDATE = matching.CandidateFacts(
    experience=OCCUPATIONS.mask(["production"]),
    wished_occupations=0,
    skills=SKILLS.mask(["accurate"]),
    wished_sectors=0,
    hours_min=Decimal(24),
    hours_max=Decimal(36),
    max_travel_km=20,
    available_from=date(2026, 12, 1),
    restrictions=0,
    restricted_hours=None,
)


def test_explains_every_criterion_and_adds_its_points() -> None:
    result = matching.score(JOB, CANDIDATE, 3)
    by_code = {c.code: c for c in result.criteria}
    assert by_code["occupation"].points == 25 and by_code["occupation"].matched
    assert by_code["skills"].points == 15 and not by_code["skills"].matched
    assert "mist: Samenwerken" in by_code["skills"].detail
    assert "heeft: Nauwkeurig" in by_code["skills"].detail
    assert by_code["hours"].points == 15
    assert by_code["distance"].points == 15 and "3 km" in by_code["distance"].detail
    assert by_code["sector"].points == 5
    assert by_code["availability"].points == 10
    assert result.score == sum(c.points for c in result.criteria) == 85
    assert sum(c.maximum for c in result.criteria) == matching.MAXIMUM == 100


def test_a_demand_the_candidate_cannot_meet_excludes_them() -> None:
    candidate = matching.CandidateFacts(
        **{**vars(CANDIDATE), "restrictions": DEMANDS.mask(["noise"])}
    )
    assert matching.excluded(JOB, candidate, 3)
    assert matching.conflicts(JOB, candidate) == ["Lawaai"]


def test_hours_beyond_the_medical_limit_exclude_them() -> None:
    candidate = matching.CandidateFacts(**{**vars(CANDIDATE), "restricted_hours": Decimal(20)})
    assert matching.excluded(JOB, candidate, 3)


def test_a_location_beyond_the_travel_distance_excludes_them() -> None:
    assert matching.excluded(JOB, CANDIDATE, 21)
    assert not matching.excluded(JOB, CANDIDATE, 20)


masks = st.integers(min_value=0, max_value=(1 << len(DEMANDS.codes)) - 1)
skill_masks = st.integers(min_value=0, max_value=(1 << len(SKILLS.codes)) - 1)
occupation_masks = st.integers(min_value=0, max_value=(1 << len(OCCUPATIONS.codes)) - 1)
sector_masks = st.integers(min_value=0, max_value=(1 << len(SECTORS.codes)) - 1)
hours = st.integers(min_value=2, max_value=80).map(lambda h: Decimal(h) / 2)
days = st.integers(min_value=0, max_value=120).map(lambda d: date(2026, 11, 1) + timedelta(days=d))
residences = st.sampled_from(["GM0141", "GM1700", "GM0183", "GM0189", "GM0163", "GM1742", "GM0153"])

profile_values = st.fixed_dictionaries(
    {
        "residence": residences,
        "experience": st.lists(st.sampled_from(OCCUPATIONS.codes), max_size=3),
        "wished_occupations": occupation_masks,
        "skills": skill_masks,
        "wished_sectors": st.one_of(st.just(0), sector_masks),
        "hours": st.tuples(hours, hours).map(sorted),
        "max_travel_km": st.integers(min_value=0, max_value=60),
        "available_from": days,
        "restrictions": st.one_of(st.just(0), masks),
        "restricted_hours": st.one_of(st.none(), hours),
    }
)
vacancy_values = st.fixed_dictionaries(
    {
        "occupation": st.sampled_from(OCCUPATIONS.codes),
        "required_skills": st.one_of(st.just(0), skill_masks),
        "demands": masks,
        "hours_per_week": hours,
        "start_date": days,
        "sbi_code": st.sampled_from(["2562", "4711", "8610", "0400"]),
        "municipality": residences,
    }
)


def _profile(values: dict[str, Any]) -> CandidateProfile:
    low, high = values["hours"]
    return make_profile(
        make_person(residence=values["residence"]),
        experience=[{"occupation": code, "years": 1} for code in values["experience"]],
        wished_occupations=values["wished_occupations"],
        skills=values["skills"],
        wished_sectors=values["wished_sectors"],
        hours_min=low,
        hours_max=high,
        max_travel_km=values["max_travel_km"],
        available_from=values["available_from"],
        restrictions=values["restrictions"],
        restricted_hours=values["restricted_hours"],
    )


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(vacancy_values, st.lists(profile_values, min_size=1, max_size=8))
def test_the_database_ranks_with_the_rules_score_and_never_a_conflict(
    region: None, vacancy: dict[str, Any], profiles: list[dict[str, Any]]
) -> None:
    # Hypothesis runs every example in the same test transaction.
    Vacancy.objects.all().delete()
    CandidateProfile.objects.all().delete()
    Employer.objects.all().delete()
    employer = make_employer(kvk="12345678", sbi_code=vacancy["sbi_code"])
    job = make_vacancy(
        employer,
        occupation=vacancy["occupation"],
        required_skills=vacancy["required_skills"],
        demands=vacancy["demands"],
        hours_per_week=vacancy["hours_per_week"],
        start_date=vacancy["start_date"],
        municipality=Municipality.objects.get(cbs_code=vacancy["municipality"]),
    )
    created = [_profile(values) for values in profiles]
    pool = {p.pk: p for p in candidate_pool(job, CandidateProfile.objects.all())}
    facts = job_facts(job)
    for profile in created:
        explained = explain(job, profile)
        # In the pool exactly when no hard rule holds; and then with the rules' score.
        assert (profile.pk in pool) == (not explained.excluded)
        if profile.pk in pool:
            assert pool[profile.pk].score == explained.result.score
            assert not matching.conflicts(facts, candidate_facts(profile))
    ranked = rank_candidates(job, CandidateProfile.objects.all(), limit=10)
    scores = [r.result.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(not matching.conflicts(facts, candidate_facts(r.profile)) for r in ranked)


@pytest.mark.django_db
def test_candidate_side_ranks_open_vacancies_without_conflicts(region: None) -> None:
    employer = make_employer()
    fits = make_vacancy(employer, title="Inpakker", demands=0)
    make_vacancy(employer, title="Lawaai", demands=DEMANDS.mask(["noise"]))
    make_vacancy(employer, title="Vervuld", demands=0, status="filled")
    other = make_vacancy(employer, title="Schoonmaak", occupation="cleaning", demands=0)
    profile = make_profile(restrictions=DEMANDS.mask(["noise"]))
    ranked = rank_vacancies(profile, Vacancy.objects.all())
    assert [r.vacancy for r in ranked] == [fits, other]
    assert ranked[0].result.score > ranked[1].result.score
