"""Matching a vacancy and a candidate: the hard rules and the explained score (pure, no ORM).

Hard rules (a candidate is never proposed when one holds, DOMAIN.md: employer services):
- the job asks a demand the candidate cannot meet (their restrictions), or more hours a week
  than their medical hours limit;
- the work location is further away than the candidate will travel.

The score (0–100) adds whole points per criterion, so every point can be explained and the
database query that ranks thousands of candidates (`match_queries`) computes the very same
number; a test holds the two equal.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SECTORS, SKILLS

# Points per criterion; they add up to 100.
OCCUPATION_EXPERIENCE = 25
OCCUPATION_WISH = 15
SKILLS_POINTS = 30
HOURS_FIT = 15
HOURS_NEAR = 7
HOURS_MARGIN = Decimal(4)
DISTANCE_NEAR = 15
DISTANCE_WITHIN = 8
SECTOR_POINTS = 5
AVAILABILITY_POINTS = 10
MAXIMUM = OCCUPATION_EXPERIENCE + SKILLS_POINTS + HOURS_FIT + DISTANCE_NEAR + SECTOR_POINTS
MAXIMUM += AVAILABILITY_POINTS


@dataclass(frozen=True)
class JobFacts:
    occupation: str
    required_skills: int
    demands: int
    hours: Decimal
    sector: str
    start_date: date


@dataclass(frozen=True)
class CandidateFacts:
    experience: int
    wished_occupations: int
    skills: int
    wished_sectors: int
    hours_min: Decimal
    hours_max: Decimal
    max_travel_km: int
    available_from: date
    restrictions: int
    restricted_hours: Decimal | None


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    matched: bool
    points: int
    maximum: int
    detail: str


@dataclass(frozen=True)
class MatchScore:
    score: int
    criteria: tuple[Criterion, ...]

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.criteria]


def popcount(mask: int) -> int:
    return bin(mask).count("1")


def conflicts(job: JobFacts, candidate: CandidateFacts) -> list[str]:
    """Why this job is not for this candidate: the demands they cannot meet, and the hours
    beyond their medical limit (Dutch, for the screen). Empty: no conflict."""
    reasons = DEMANDS.labels(job.demands & candidate.restrictions)
    if candidate.restricted_hours is not None and job.hours > candidate.restricted_hours:
        reasons.append(
            f"{job.hours} uur per week, meer dan de urenbeperking van "
            f"{candidate.restricted_hours} uur"
        )
    return reasons


def excluded(job: JobFacts, candidate: CandidateFacts, distance_km: int | None) -> bool:
    """A hard rule holds: never propose."""
    if conflicts(job, candidate):
        return True
    return distance_km is not None and distance_km > candidate.max_travel_km


def score(job: JobFacts, candidate: CandidateFacts, distance_km: int | None) -> MatchScore:
    """The explained score of a candidate for a job (assumes `excluded` is False)."""
    criteria = (
        _occupation(job, candidate),
        _skills(job, candidate),
        _hours(job, candidate),
        _distance(candidate, distance_km),
        _sector(job, candidate),
        _availability(job, candidate),
    )
    return MatchScore(score=sum(c.points for c in criteria), criteria=criteria)


def _occupation(job: JobFacts, candidate: CandidateFacts) -> Criterion:
    bit = OCCUPATIONS.bit(job.occupation)
    name = OCCUPATIONS.label(job.occupation).lower()
    if candidate.experience & bit:
        return Criterion(
            "occupation", "Beroepsveld", True, OCCUPATION_EXPERIENCE, OCCUPATION_EXPERIENCE,
            f"Werkervaring in {name}",
        )  # fmt: skip
    if candidate.wished_occupations & bit:
        return Criterion(
            "occupation", "Beroepsveld", True, OCCUPATION_WISH, OCCUPATION_EXPERIENCE,
            f"Wil graag werken in {name} (nog geen ervaring)",
        )  # fmt: skip
    return Criterion(
        "occupation", "Beroepsveld", False, 0, OCCUPATION_EXPERIENCE,
        f"Geen ervaring of wens in {name}",
    )  # fmt: skip


def _skills(job: JobFacts, candidate: CandidateFacts) -> Criterion:
    required = popcount(job.required_skills)
    if required == 0:
        return Criterion(
            "skills", "Vaardigheden", True, SKILLS_POINTS, SKILLS_POINTS,
            "De vacature vraagt geen bijzondere vaardigheden",
        )  # fmt: skip
    present = job.required_skills & candidate.skills
    missing = job.required_skills & ~candidate.skills
    points = SKILLS_POINTS * popcount(present) // required
    parts = []
    if present:
        parts.append("heeft: " + ", ".join(SKILLS.labels(present)))
    if missing:
        parts.append("mist: " + ", ".join(SKILLS.labels(missing)))
    return Criterion(
        "skills", "Vaardigheden", not missing, points, SKILLS_POINTS,
        f"{popcount(present)} van {required} vereiste vaardigheden; " + "; ".join(parts),
    )  # fmt: skip


def _hours(job: JobFacts, candidate: CandidateFacts) -> Criterion:
    wish = f"wil {candidate.hours_min}–{candidate.hours_max} uur"
    if candidate.hours_min <= job.hours <= candidate.hours_max:
        return Criterion(
            "hours", "Uren", True, HOURS_FIT, HOURS_FIT, f"{job.hours} uur past ({wish})"
        )
    if candidate.hours_min - HOURS_MARGIN <= job.hours <= candidate.hours_max + HOURS_MARGIN:
        return Criterion(
            "hours", "Uren", False, HOURS_NEAR, HOURS_FIT,
            f"{job.hours} uur ligt dicht bij de wens ({wish})",
        )  # fmt: skip
    return Criterion("hours", "Uren", False, 0, HOURS_FIT, f"{job.hours} uur past niet ({wish})")


def _distance(candidate: CandidateFacts, distance_km: int | None) -> Criterion:
    limit = candidate.max_travel_km
    if distance_km is None:
        return Criterion("distance", "Reisafstand", False, 0, DISTANCE_NEAR, "Afstand onbekend")
    if distance_km * 2 <= limit:
        return Criterion(
            "distance", "Reisafstand", True, DISTANCE_NEAR, DISTANCE_NEAR,
            f"{distance_km} km, ruim binnen de {limit} km die de kandidaat wil reizen",
        )  # fmt: skip
    return Criterion(
        "distance", "Reisafstand", True, DISTANCE_WITHIN, DISTANCE_NEAR,
        f"{distance_km} km, binnen de {limit} km die de kandidaat wil reizen",
    )  # fmt: skip


def _sector(job: JobFacts, candidate: CandidateFacts) -> Criterion:
    if candidate.wished_sectors == 0:
        return Criterion(
            "sector", "Sector", True, SECTOR_POINTS, SECTOR_POINTS, "Geen voorkeur voor een sector"
        )
    if job.sector and candidate.wished_sectors & SECTORS.bit(job.sector):
        return Criterion(
            "sector", "Sector", True, SECTOR_POINTS, SECTOR_POINTS,
            f"Gewenste sector: {SECTORS.label(job.sector).lower()}",
        )  # fmt: skip
    return Criterion(
        "sector", "Sector", False, 0, SECTOR_POINTS,
        "Niet een van de gewenste sectoren: " + ", ".join(SECTORS.labels(candidate.wished_sectors)),
    )  # fmt: skip


def _availability(job: JobFacts, candidate: CandidateFacts) -> Criterion:
    if candidate.available_from <= job.start_date:
        return Criterion(
            "availability", "Beschikbaarheid", True, AVAILABILITY_POINTS, AVAILABILITY_POINTS,
            f"Beschikbaar vanaf {candidate.available_from:%d-%m-%Y}",
        )  # fmt: skip
    return Criterion(
        "availability", "Beschikbaarheid", False, 0, AVAILABILITY_POINTS,
        f"Pas beschikbaar vanaf {candidate.available_from:%d-%m-%Y}, "
        f"start {job.start_date:%d-%m-%Y}",
    )  # fmt: skip


@dataclass(frozen=True)
class CriterionLesson:
    code: str
    label: str
    placed_met: int  # of the placements, how many met this criterion when proposed
    rejected_met: int  # of the rejections, how many met it


@dataclass(frozen=True)
class OutcomeSummary:
    per_status: dict[str, int]
    per_reason: dict[str, int]
    placed: int
    rejected: int
    criteria: tuple[CriterionLesson, ...]


def outcome_summary(outcomes: list[tuple[str, str, list[dict[str, Any]]]]) -> OutcomeSummary:
    """What the recorded outcomes teach: counts per outcome and rejection reason, and per
    criterion how often it was met among placements against among rejections (a criterion
    met as often in both tells little about success). `outcomes`: (status, reason, criteria
    as recorded when the candidate was put forward)."""
    per_status: dict[str, int] = {}
    per_reason: dict[str, int] = {}
    met: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for status, reason, criteria in outcomes:
        per_status[status] = per_status.get(status, 0) + 1
        if reason:
            per_reason[reason] = per_reason.get(reason, 0) + 1
        for criterion in criteria:
            labels.setdefault(criterion["code"], criterion["label"])
            counts = met.setdefault(criterion["code"], {"placed": 0, "rejected": 0})
            if criterion["matched"] and status in counts:
                counts[status] += 1
    return OutcomeSummary(
        per_status=per_status,
        per_reason=per_reason,
        placed=per_status.get("placed", 0),
        rejected=per_status.get("rejected", 0),
        criteria=tuple(
            CriterionLesson(code, labels[code], counts["placed"], counts["rejected"])
            for code, counts in met.items()
        ),
    )
