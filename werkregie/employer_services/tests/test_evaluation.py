import random

from werkregie.employer_services import matching
from werkregie.employer_services.evaluation import (
    PLACES,
    evaluate,
    generate_candidate,
    generate_job,
    is_good,
)
from werkregie.organisations.geo import distance_km


def test_matching_ranks_known_good_candidates_first_on_a_held_out_set() -> None:
    result = evaluate(seed=4242, candidates=800, vacancies=80)
    assert result.vacancies >= 20
    assert result.precision_at_10 >= 0.75
    assert result.precision_at_10 >= 10 * result.random_precision_at_10


def test_a_known_good_match_never_breaks_a_hard_rule() -> None:
    rng = random.Random(7)
    pool = [generate_candidate(rng) for _ in range(300)]
    for _ in range(30):
        job = generate_job(rng)
        for candidate in pool:
            if is_good(job, candidate):
                distance = distance_km(PLACES[job.place], PLACES[candidate.residence])
                assert not matching.excluded(job.facts, candidate.truth, distance)


def test_distance_between_towns() -> None:
    assert distance_km(PLACES["GM0141"], PLACES["GM0141"]) == 0
    assert 8 <= distance_km(PLACES["GM0141"], PLACES["GM0163"]) <= 16
