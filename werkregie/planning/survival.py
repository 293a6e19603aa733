"""How long Wsw employees stay: one-year chances of staying by age and sex.

The state divides the Wsw budget by each municipality's expected Wsw count from survival
chances by age and sex (Kaplan–Meier, DOMAIN.md); the forecast does the same:

- `kaplan_meier` is the product-limit estimate with age as the time scale, left-truncated
  where observation starts (a person hired in 1995 is only at risk in the records from the
  day those records begin: otherwise the leavers before then would be missing and the
  chances too high). Leaving by death, long illness or any other reason is the event;
  reaching the AOW age is certain and projected from the date, so it censors.
- Where the history is thin, the one-year chance is blended with a national default table:
  weight exposure / (exposure + PRIOR_PERSON_YEARS), so a well observed age follows the
  region's own history and an unobserved one the national table.
- `synthetic_history` draws a population from a known table, for the property test (the
  fit recovers the table) and the backtest.

Pure Python on plain records: no database, so it is tested over random histories.
"""

import bisect
import functools
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "survival.yaml"
YEAR_DAYS = 365.25
# Youngest and oldest age with a chance in the tables; outside, the nearest applies.
MIN_AGE, MAX_AGE = 16, 70
# How much history outweighs the national table: at this many person-years observed at an
# age, the region's own estimate and the national one weigh equally.
PRIOR_PERSON_YEARS = 25.0
EVENT_REASONS = frozenset({"death", "other"})
SEXES = ("M", "V")


@dataclass(frozen=True)
class Spell:
    """One person's Wsw employment as the records show it (all versions together)."""

    person_id: int
    sex: str  # "M", "V" or "X"
    birth: date
    start: date  # first day in Wsw employment
    end: date | None  # last day; None while employed
    reason: str = ""  # "retirement", "death", "other"; "" while employed
    municipality_id: int = 0  # residence: the responsible municipality
    employer_id: int = 0
    hours: Decimal = Decimal(0)  # per week, now
    monthly_wage: Decimal = Decimal(0)  # gross, now

    def employed_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_days(birth: date, day: date) -> int:
    return (day - birth).days


def _age_boundary(age: int) -> int:
    """Age in days at which `age` years begins (in the table's continuous time)."""
    return round(age * YEAR_DAYS)


@dataclass
class SurvivalTable:
    """One-year chances of staying in Wsw employment (retirement aside) per sex and age."""

    chances: dict[str, dict[int, float]]
    # Per sex and age: person-years observed and leavers counted (for the blend and the band).
    exposure: dict[str, dict[int, float]] = field(default_factory=dict)
    events: int = 0
    source: str = ""

    def chance(self, sex: str, age: int) -> float:
        table = self.chances.get(sex) or self.chances["all"]
        return table[min(max(age, MIN_AGE), MAX_AGE)]

    def survival(self, sex: str, from_age: int, years: int) -> float:
        """The chance of staying `years` more years from `from_age` (retirement aside)."""
        return math.prod(self.chance(sex, from_age + k) for k in range(years))

    def scaled(self, factor: float) -> "SurvivalTable":
        """The same table with every leaving hazard (−ln chance) times `factor`."""
        return SurvivalTable(
            {sex: {a: q**factor for a, q in t.items()} for sex, t in self.chances.items()},
            self.exposure,
            self.events,
            self.source,
        )


@functools.cache
def _national_data() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return loaded


def national_table(data: Mapping[str, Any] | None = None) -> SurvivalTable:
    """The national default: yearly chances of leaving per age band and sex (data file)."""
    data = data or _national_data()
    chances: dict[str, dict[int, float]] = {sex: {} for sex in (*SEXES, "all")}
    for band in data["leaving"]:
        for age in range(int(band["from_age"]), int(band["to_age"]) + 1):
            for sex in SEXES:
                chances[sex][age] = 1 - float(band[sex])
            chances["all"][age] = 1 - (float(band["M"]) + float(band["V"])) / 2
    for table in chances.values():
        for age in range(MIN_AGE, MAX_AGE + 1):
            table.setdefault(age, table[min(table, key=lambda a: abs(a - age))])
    return SurvivalTable(chances, source="landelijke tabel")


@dataclass
class _Curve:
    times: list[int]  # event ages in days, ascending
    survival: list[float]  # S just after each time

    def at(self, age_days: int) -> float:
        index = bisect.bisect_right(self.times, age_days)
        return self.survival[index - 1] if index else 1.0


def _product_limit(intervals: list[tuple[int, int, bool]]) -> _Curve:
    """Kaplan–Meier with left truncation: each interval (entry, exit, event) in age days; a
    person is at risk at time t when entry < t <= exit."""
    entries = sorted(entry for entry, _, _ in intervals)
    exits = sorted(exit_ for _, exit_, _ in intervals)
    deaths: dict[int, int] = defaultdict(int)
    for _, exit_, event in intervals:
        if event:
            deaths[exit_] += 1
    times, survival, current = [], [], 1.0
    for t in sorted(deaths):
        at_risk = bisect.bisect_left(entries, t) - bisect.bisect_left(exits, t)
        if at_risk > 0:
            current *= 1 - deaths[t] / at_risk
        times.append(t)
        survival.append(current)
    return _Curve(times, survival)


def kaplan_meier(
    spells: Iterable[Spell],
    observed_from: date,
    observed_to: date,
    prior: SurvivalTable | None = None,
) -> SurvivalTable:
    """The one-year chances estimated from the spells observed in [observed_from,
    observed_to], blended with `prior` (the national table) where exposure is thin."""
    prior = prior or national_table()
    intervals: dict[str, list[tuple[int, int, bool]]] = {sex: [] for sex in (*SEXES, "all")}
    exposure: dict[str, dict[int, float]] = {sex: defaultdict(float) for sex in intervals}
    events = 0
    for spell in spells:
        first = max(spell.start, observed_from)
        last_day = min(spell.end, observed_to) if spell.end is not None else observed_to
        if last_day < first:
            continue
        event = spell.end is not None and spell.end <= observed_to and spell.reason in EVENT_REASONS
        entry = _age_days(spell.birth, first)
        exit_ = _age_days(spell.birth, last_day + timedelta(days=1))
        events += event
        for key in {spell.sex if spell.sex in SEXES else "all", "all"}:
            intervals[key].append((entry, exit_, event))
            age = int(entry / YEAR_DAYS)
            while _age_boundary(age) < exit_:
                low, high = max(entry, _age_boundary(age)), min(exit_, _age_boundary(age + 1))
                if high > low:
                    exposure[key][age] += (high - low) / YEAR_DAYS
                age += 1
    chances: dict[str, dict[int, float]] = {}
    for key, rows in intervals.items():
        curve = _product_limit(rows)
        table: dict[int, float] = {}
        for age in range(MIN_AGE, MAX_AGE + 1):
            national = prior.chance(key, age)
            before = curve.at(_age_boundary(age))
            observed = exposure[key].get(age, 0.0)
            if before <= 0 or observed <= 0:
                table[age] = national
                continue
            own = curve.at(_age_boundary(age + 1)) / before
            weight = observed / (observed + PRIOR_PERSON_YEARS)
            table[age] = weight * own + (1 - weight) * national
        chances[key] = table
    return SurvivalTable(
        chances,
        {key: dict(values) for key, values in exposure.items()},
        events,
        source="Kaplan–Meier op de eigen historie, aangevuld met de landelijke tabel",
    )


def synthetic_history(
    table: SurvivalTable,
    *,
    persons: int,
    observed_from: date,
    observed_to: date,
    seed: int,
    pension: Callable[[date], date],
    youngest: int = 22,
    oldest: int = 62,
) -> list[Spell]:
    """A population employed on `observed_from`, each leaving with the table's hazard
    (constant within a year of age) or at the AOW date, observed until `observed_to`."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw, not a secret
    spells = []
    for number in range(persons):
        sex = rng.choice(SEXES)
        age_days = rng.randint(round(youngest * YEAR_DAYS), round(oldest * YEAR_DAYS))
        birth = observed_from - timedelta(days=age_days)
        hired = observed_from - timedelta(days=rng.randint(0, 20 * 365))
        retire = pension(birth)
        day, end, reason = observed_from, None, ""
        while end is None:
            age = age_on(birth, day)
            next_birthday = (
                birth.replace(year=birth.year + age + 1)
                if not (birth.month == 2 and birth.day == 29)
                else date(birth.year + age + 1, 3, 1)
            )
            hazard = -math.log(table.chance(sex, age))
            wait = rng.expovariate(hazard) * YEAR_DAYS if hazard > 0 else math.inf
            leave = day + timedelta(days=math.ceil(wait)) if wait < 1e6 else date.max
            horizon = min(next_birthday, retire, observed_to + timedelta(days=1))
            if leave < horizon:
                end, reason = leave - timedelta(days=1), rng.choice(("death", "other"))
            elif horizon == retire and retire <= observed_to:
                end, reason = retire - timedelta(days=1), "retirement"
            elif horizon > observed_to:
                break
            else:
                day = horizon
        spells.append(
            Spell(
                person_id=number + 1,
                sex=sex,
                birth=birth,
                start=min(hired, observed_from),
                end=end,
                reason=reason,
                hours=Decimal(32),
                monthly_wage=Decimal("2600.00"),
            )
        )
    return spells


def gompertz_table(base: float, growth: float, women: float = 0.85) -> SurvivalTable:
    """A known table for tests and examples: hazard base × growth^(age − 40), women × `women`."""
    chances: dict[str, dict[int, float]] = {"M": {}, "V": {}, "all": {}}
    for age in range(MIN_AGE, MAX_AGE + 1):
        hazard = base * growth ** (age - 40)
        chances["M"][age] = math.exp(-hazard)
        chances["V"][age] = math.exp(-hazard * women)
        chances["all"][age] = (chances["M"][age] + chances["V"][age]) / 2
    return SurvivalTable(chances, source="bekende tabel")
