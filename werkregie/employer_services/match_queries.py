"""Ranking in the database: vacancy → candidates (vraaggestuurd) and candidate → vacancies
(aanbodgestuurd), with the hard rules and the score of `matching` as SQL expressions.

The score expression mirrors `matching.score` criterion by criterion; the top rows are then
explained by `matching.score` itself (a test holds both equal on random profiles).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable

from werkregie.employer_services import matching
from werkregie.employer_services.models import CandidateProfile, Vacancy
from werkregie.employer_services.vocabulary import OCCUPATIONS, SECTORS, SKILLS
from werkregie.organisations.geo import distance_km
from werkregie.organisations.models import Municipality


def distances_from(municipality_id: int) -> dict[int, int]:
    """Kilometres from one municipality to every municipality with coordinates."""
    places = {
        pk: (lat, lon)
        for pk, lat, lon in Municipality.objects.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list("pk", "latitude", "longitude")
        if lat is not None and lon is not None
    }
    origin = places.get(municipality_id)
    if origin is None:
        return {}
    return {pk: distance_km(origin, point) for pk, point in places.items()}


def job_facts(vacancy: Vacancy) -> matching.JobFacts:
    return matching.JobFacts(
        occupation=vacancy.occupation,
        required_skills=vacancy.required_skills,
        demands=vacancy.demands,
        hours=vacancy.hours_per_week,
        sector=vacancy.employer.sector,
        start_date=vacancy.start_date,
    )


def candidate_facts(profile: CandidateProfile) -> matching.CandidateFacts:
    return matching.CandidateFacts(
        experience=profile.experience_mask,
        wished_occupations=profile.wished_occupations,
        skills=profile.skills,
        wished_sectors=profile.wished_sectors,
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        max_travel_km=profile.max_travel_km,
        available_from=profile.available_from,
        restrictions=profile.restrictions,
        restricted_hours=profile.restricted_hours,
    )


@dataclass(frozen=True)
class RankedCandidate:
    profile: CandidateProfile
    distance_km: int | None
    result: matching.MatchScore


def _points(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _has(field: str, bit: int) -> Combinable:
    # Exactly 0 or 1 whatever the database's division: a power of two divides itself.
    return F(field).bitand(bit) / Value(bit)


def candidate_pool(vacancy: Vacancy, profiles: QuerySet[CandidateProfile]) -> QuerySet[Any]:
    """The active profiles the hard rules allow for this vacancy, each annotated with its
    distance and score (the columns `matching.score` explains)."""
    job = job_facts(vacancy)
    distances = distances_from(vacancy.municipality_id)
    distance = Case(
        *(When(person__residence_municipality_id=pk, then=Value(d)) for pk, d in distances.items()),
        default=Value(None),
        output_field=IntegerField(),
    )
    pool = (
        profiles.filter(status=CandidateProfile.Status.ACTIVE)
        .annotate(_conflict=F("restrictions").bitand(job.demands), distance=distance)
        .filter(_conflict=0)
        .filter(Q(restricted_hours__isnull=True) | Q(restricted_hours__gte=job.hours))
        .filter(Q(distance__isnull=True) | Q(distance__lte=F("max_travel_km")))
    )
    occupation = OCCUPATIONS.bit(job.occupation)
    required = [SKILLS.bit(code) for code in SKILLS.decode(job.required_skills)]
    hours, margin = job.hours, matching.HOURS_MARGIN
    pool = pool.annotate(
        _experienced=_has("experience_mask", occupation),
        _wished=_has("wished_occupations", occupation),
        _skills_present=sum((_has("skills", bit) for bit in required), Value(0)),
        _distance2=F("distance") * 2,
        _sector=_has("wished_sectors", SECTORS.bit(job.sector)) if job.sector else Value(0),
    )
    skill_points: Case | Value = Value(matching.SKILLS_POINTS)
    if required:
        skill_points = Case(
            *(
                When(_skills_present=k, then=Value(matching.SKILLS_POINTS * k // len(required)))
                for k in range(len(required) + 1)
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    score = (
        Case(
            When(_experienced=1, then=Value(matching.OCCUPATION_EXPERIENCE)),
            When(_wished=1, then=Value(matching.OCCUPATION_WISH)),
            default=Value(0),
            output_field=IntegerField(),
        )
        + skill_points
        + Case(
            When(hours_min__lte=hours, hours_max__gte=hours, then=Value(matching.HOURS_FIT)),
            When(
                hours_min__lte=hours + margin,
                hours_max__gte=hours - margin,
                then=Value(matching.HOURS_NEAR),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        + Case(
            When(distance__isnull=True, then=Value(0)),
            When(_distance2__lte=F("max_travel_km"), then=Value(matching.DISTANCE_NEAR)),
            default=Value(matching.DISTANCE_WITHIN),
            output_field=IntegerField(),
        )
        + _points(Q(wished_sectors=0) | Q(_sector=1), matching.SECTOR_POINTS)
        + _points(Q(available_from__lte=job.start_date), matching.AVAILABILITY_POINTS)
    )
    return pool.annotate(score=score)


def rank_candidates(
    vacancy: Vacancy, profiles: QuerySet[CandidateProfile], *, limit: int = 10
) -> list[RankedCandidate]:
    """The best `limit` candidates for a vacancy, best first (ties: the oldest profile)."""
    job = job_facts(vacancy)
    top = (
        candidate_pool(vacancy, profiles)
        .select_related("person__residence_municipality", "owner")
        .order_by("-score", "id")[:limit]
    )
    return [
        RankedCandidate(p, p.distance, matching.score(job, candidate_facts(p), p.distance))
        for p in top
    ]


@dataclass(frozen=True)
class RankedVacancy:
    vacancy: Vacancy
    distance_km: int | None
    result: matching.MatchScore


def rank_vacancies(
    profile: CandidateProfile, vacancies: QuerySet[Vacancy], *, limit: int = 20
) -> list[RankedVacancy]:
    """The open vacancies that suit a candidate, best first: the hard rules in the query,
    the score per vacancy (open vacancies are few next to candidates)."""
    candidate = candidate_facts(profile)
    distances = distances_from(profile.person.residence_municipality_id)
    reachable = [pk for pk, d in distances.items() if d <= candidate.max_travel_km]
    open_ = (
        vacancies.filter(status=Vacancy.Status.OPEN)
        .annotate(_conflict=F("demands").bitand(candidate.restrictions))
        .filter(_conflict=0)
        .select_related("employer", "municipality")
    )
    if candidate.restricted_hours is not None:
        open_ = open_.filter(hours_per_week__lte=candidate.restricted_hours)
    if distances:
        # Municipalities without coordinates: distance unknown, not excluded.
        open_ = open_.filter(
            Q(municipality_id__in=reachable) | Q(municipality__latitude__isnull=True)
        )
    ranked = [
        RankedVacancy(
            v,
            distances.get(v.municipality_id),
            matching.score(job_facts(v), candidate, distances.get(v.municipality_id)),
        )
        for v in open_
    ]
    ranked.sort(key=lambda r: (-r.result.score, r.vacancy.pk))
    return ranked[:limit]
