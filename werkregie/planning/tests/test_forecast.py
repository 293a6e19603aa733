"""The survival estimate and the forecast on generated histories (no database)."""

import itertools
import math
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from werkregie.hr.wages import pension_date
from werkregie.planning.forecast import Economics, backtest, project
from werkregie.planning.survival import (
    Spell,
    gompertz_table,
    kaplan_meier,
    national_table,
    synthetic_history,
)

START, END = date(2015, 1, 1), date(2024, 12, 31)
# Stated tolerance: at every age and sex with at least 300 person-years observed, the fitted
# one-year chance of staying is within 4.5 standard errors (√(q(1−q)/person-years), at
# least 0.01) of the table's; the five-year chance from age 45 within 0.05.
SE_TOLERANCE, MIN_EXPOSURE, FIVE_YEAR_TOLERANCE = 4.5, 300.0, 0.05


def _tolerance(chance: float, exposure: float) -> float:
    return max(0.01, SE_TOLERANCE * math.sqrt(chance * (1 - chance) / exposure))


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    base=st.floats(min_value=0.01, max_value=0.04),
    growth=st.floats(min_value=1.0, max_value=1.05),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_the_fit_recovers_the_table_a_population_was_drawn_from(
    base: float, growth: float, seed: int
) -> None:
    truth = gompertz_table(base, growth)
    spells = synthetic_history(
        truth, persons=4000, observed_from=START, observed_to=END, seed=seed, pension=pension_date
    )
    fitted = kaplan_meier(spells, START, END, prior=national_table())
    checked = 0
    for sex in ("M", "V"):
        for age, exposure in fitted.exposure[sex].items():
            if exposure >= MIN_EXPOSURE and 16 <= age <= 70:
                # The blend pulls towards the national table by 25 / (exposure + 25).
                weight = exposure / (exposure + 25)
                own = fitted.chance(sex, age) - (1 - weight) * national_table().chance(sex, age)
                expected = truth.chance(sex, age)
                assert abs(own / weight - expected) <= _tolerance(expected, exposure), (sex, age)
                checked += 1
        assert abs(fitted.survival(sex, 45, 5) - truth.survival(sex, 45, 5)) <= FIVE_YEAR_TOLERANCE
    assert checked >= 30


def test_thin_history_falls_back_to_the_national_table() -> None:
    national = national_table()
    fitted = kaplan_meier([], START, END, prior=national)
    assert fitted.chance("M", 50) == national.chance("M", 50)
    assert fitted.chance("V", 30) == national.chance("V", 30)


def test_leaving_before_observation_is_not_counted_and_retirement_censors() -> None:
    """Left truncation: a person hired long ago is at risk only from the start of records;
    reaching the AOW age is no event."""
    retired = Spell(1, "M", date(1957, 3, 1), date(1990, 1, 1), date(2023, 11, 30), "retirement")
    fitted = kaplan_meier([retired] * 200, START, END, prior=national_table())
    assert fitted.events == 0
    assert fitted.chance("M", 62) > national_table().chance("M", 62) - 1e-9


def test_the_backtest_on_generated_history_reports_its_error() -> None:
    truth = gompertz_table(0.03, 1.03)
    spells = synthetic_history(
        truth, persons=3000, observed_from=START, observed_to=END, seed=7, pension=pension_date
    )
    result = backtest(spells, observed_from=START, fitted_until=2021, pension=pension_date)
    assert [r.year for r in result.rows] == [2022, 2023, 2024]
    assert all(r.actual > 0 for r in result.rows)
    # Fitted on the same process: a few percent at most.
    assert 0 <= result.mape < 5.0
    assert result.mape == sum(r.error_pct for r in result.rows) / 3


def _person(birth: date, hours: str = "36", wage: str = "3000.00", municipality: int = 1) -> Spell:
    return Spell(
        1, "V", birth, date(2000, 1, 1), None, "", municipality, 1, Decimal(hours), Decimal(wage)
    )


def test_nobody_is_projected_beyond_the_aow_date() -> None:
    person = _person(date(1960, 6, 15))  # AOW 67 y (and some months): in 2027
    projection = project(
        [person],
        national_table(),
        base=date(2026, 1, 1),
        until=2030,
        pension=pension_date,
        economics=Economics(contribution_per_se={2026: 27900.0}),
    )
    total = projection.total()
    retire_year = pension_date(person.birth).year
    assert total[retire_year].persons == 0
    assert total[retire_year + 1].work_years == 0
    assert 0 < total[retire_year].work_years < 1
    assert total[2026].persons > 0.9


def test_costs_follow_presence_and_indexation() -> None:
    person = _person(date(1980, 1, 1))
    economics = Economics(
        indexation_pct=2.0,
        charges_pct=40.0,
        contribution_per_se={2026: 27900.0},
        contribution_growth_pct=0.0,
    )
    projection = project(
        [person],
        national_table(),
        base=date(2026, 1, 1),
        until=2027,
        pension=pension_date,
        economics=economics,
    )
    first, second = projection.total()[2026], projection.total()[2027]
    stay = national_table().chance("V", 46)
    presence = (1 + stay) / 2
    assert abs(first.work_years - presence) < 1e-9
    assert abs(first.wage_costs - presence * 36000 * 1.4) < 1e-6
    assert abs(first.contribution - presence * 27900) < 1e-6
    assert second.wage_costs / second.work_years > first.wage_costs / first.work_years * 1.0199


def test_the_band_contains_the_expected_count() -> None:
    spells = synthetic_history(
        national_table(),
        persons=500,
        observed_from=START,
        observed_to=END,
        seed=3,
        pension=pension_date,
    )
    projection = project(
        spells,
        national_table(),
        base=date(2025, 1, 1),
        until=2040,
        pension=pension_date,
        economics=Economics(),
    )
    for year, row in projection.total().items():
        assert row.persons_low <= row.persons <= row.persons_high, year
    persons = [projection.total()[y].persons for y in projection.years]
    assert all(b <= a for a, b in itertools.pairwise(persons))
