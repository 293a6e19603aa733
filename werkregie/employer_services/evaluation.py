"""Rank quality of matching on generated vacancy–candidate pairs with known good matches.

Each generated candidate has a true profile (what they have done and can do) and the profile
a klantregisseur would record from it: some experience and skills go unrecorded, some wishes
are vague. A candidate is a *known good match* for a vacancy when, on the true profile, no
hard rule holds and they have worked in the occupation, have every required skill, want
these hours and are available in time. Matching sees only the recorded profile. Precision@10
is the share of the ten best-ranked candidates that are known good matches, averaged over
the vacancies that have at least ten.

The points per criterion were set by judgement before this evaluation existed and are not
fitted to any generated set; every seed draws a fresh, held-out set of pairs.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import yaml

from werkregie.employer_services import matching
from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SECTORS, SKILLS
from werkregie.organisations.geo import distance_km
from werkregie.organisations.region import REGION_FILE

# The towns of region.yaml with coordinates, for distances (the six and their neighbours).
_TOWNS = ("GM0141", "GM1700", "GM0183", "GM0189", "GM0163", "GM1742", "GM0153", "GM0164")
PLACES = {
    row["cbs_code"]: (row["lat"], row["lon"])
    for row in yaml.safe_load(REGION_FILE.read_text(encoding="utf-8"))["municipalities"]
    if row["cbs_code"] in _TOWNS
}
# Skills that go with an occupation (a vacancy asks some of them).
TYPICAL_SKILLS = {
    "production": ["accurate", "machines", "teamwork", "sorting"],
    "packaging": ["accurate", "sorting", "teamwork", "order_picking"],
    "logistics": ["forklift", "order_picking", "vca", "planning"],
    "cleaning": ["cleaning_cert", "accurate", "planning"],
    "green": ["pruning", "vca", "driving_b", "teamwork"],
    "catering": ["cooking", "customer", "teamwork", "first_aid"],
    "retail": ["till", "customer", "dutch_b1"],
    "administration": ["computer", "dutch_b1", "phone", "accurate"],
    "care": ["customer", "dutch_b1", "first_aid"],
    "construction": ["vca", "teamwork", "machines"],
    "metal": ["welding", "soldering", "machines", "vca"],
    "textile": ["machines", "accurate", "sorting"],
    "ict": ["computer", "accurate", "planning"],
    "transport": ["driving_b", "planning", "customer"],
    "facility": ["phone", "customer", "planning", "cleaning_cert"],
    "security": ["first_aid", "customer", "dutch_b1"],
}
START = date(2027, 1, 4)


@dataclass(frozen=True)
class Candidate:
    truth: matching.CandidateFacts
    recorded: matching.CandidateFacts
    residence: str


@dataclass(frozen=True)
class Job:
    facts: matching.JobFacts
    place: str


@dataclass(frozen=True)
class Evaluation:
    vacancies: int  # with at least ten known good matches
    candidates: int
    precision_at_10: float
    random_precision_at_10: float  # the same pools ranked at random


def _mask(vocabulary_codes: list[str], rng: random.Random, k: int) -> list[str]:
    return rng.sample(vocabulary_codes, k=min(k, len(vocabulary_codes)))


def generate_candidate(rng: random.Random) -> Candidate:
    occupations = _mask(OCCUPATIONS.codes, rng, rng.choice([1, 1, 2, 3]))
    skills = {s for o in occupations for s in TYPICAL_SKILLS[o] if rng.random() < 0.7}
    skills |= set(_mask(SKILLS.codes, rng, rng.randint(0, 2)))
    low = Decimal(rng.choice([8, 12, 16, 20, 24, 28]))
    high = low + Decimal(rng.choice([4, 8, 12, 16]))
    restrictions = set(_mask(DEMANDS.codes, rng, rng.choice([0, 0, 1, 1, 2, 3])))
    truth = matching.CandidateFacts(
        experience=OCCUPATIONS.mask(occupations),
        wished_occupations=OCCUPATIONS.mask(_mask(OCCUPATIONS.codes, rng, rng.randint(0, 2))),
        skills=SKILLS.mask(skills),
        wished_sectors=SECTORS.mask(_mask(["C", "G", "H", "I", "N", "Q"], rng, rng.randint(0, 2))),
        hours_min=low,
        hours_max=min(high, Decimal(40)),
        max_travel_km=rng.choice([5, 10, 15, 20, 30]),
        available_from=START - timedelta(days=60) + timedelta(days=rng.randint(0, 120)),
        restrictions=DEMANDS.mask(restrictions),
        restricted_hours=Decimal(rng.choice([16, 20, 24])) if rng.random() < 0.15 else None,
    )
    # What gets recorded: a fifth of the skills and some of the experience stay unrecorded.
    recorded_skills = {s for s in SKILLS.decode(truth.skills) if rng.random() < 0.8}
    recorded_experience = [o for o in occupations if rng.random() < 0.85]
    recorded = replace(
        truth,
        experience=OCCUPATIONS.mask(recorded_experience),
        skills=SKILLS.mask(recorded_skills),
    )
    return Candidate(truth=truth, recorded=recorded, residence=rng.choice(list(PLACES)))


def generate_job(rng: random.Random) -> Job:
    occupation = rng.choice(OCCUPATIONS.codes)
    required = _mask(TYPICAL_SKILLS[occupation], rng, rng.randint(1, 2))
    return Job(
        facts=matching.JobFacts(
            occupation=occupation,
            required_skills=SKILLS.mask(required),
            demands=DEMANDS.mask(_mask(DEMANDS.codes, rng, rng.randint(0, 2))),
            hours=Decimal(rng.choice([12, 16, 20, 24, 28, 32])),
            sector=rng.choice(["C", "G", "H", "I", "N", "Q"]),
            start_date=START,
        ),
        place=rng.choice(list(PLACES)),
    )


def is_good(job: Job, candidate: Candidate) -> bool:
    """The known good match, judged on the true profile."""
    truth, facts = candidate.truth, job.facts
    distance = distance_km(PLACES[job.place], PLACES[candidate.residence])
    return (
        not matching.excluded(facts, truth, distance)
        and bool(truth.experience & OCCUPATIONS.bit(facts.occupation))
        and facts.required_skills & ~truth.skills == 0
        and truth.hours_min <= facts.hours <= truth.hours_max
        and truth.available_from <= facts.start_date
    )


def evaluate(*, seed: int, candidates: int = 3000, vacancies: int = 200) -> Evaluation:
    """Precision@10 of `matching.score` on the recorded profiles against the known good
    matches, and of a random order of the same allowed candidates."""
    rng = random.Random(seed)
    pool = [generate_candidate(rng) for _ in range(candidates)]
    jobs = [generate_job(rng) for _ in range(vacancies)]
    ranked_hits, random_hits, counted = 0.0, 0.0, 0
    for job in jobs:
        allowed = []
        for index, candidate in enumerate(pool):
            distance = distance_km(PLACES[job.place], PLACES[candidate.residence])
            if matching.excluded(job.facts, candidate.recorded, distance):
                continue
            result = matching.score(job.facts, candidate.recorded, distance)
            allowed.append((-result.score, index, candidate))
        good = {index for _, index, candidate in allowed if is_good(job, candidate)}
        if len(good) < 10:
            continue
        counted += 1
        allowed.sort(key=lambda row: (row[0], row[1]))
        ranked_hits += sum(1 for _, index, _ in allowed[:10] if index in good) / 10
        shuffled = [index for _, index, _ in allowed]
        rng.shuffle(shuffled)
        random_hits += sum(1 for index in shuffled[:10] if index in good) / 10
    return Evaluation(
        vacancies=counted,
        candidates=candidates,
        precision_at_10=ranked_hits / counted if counted else 0.0,
        random_precision_at_10=random_hits / counted if counted else 0.0,
    )
