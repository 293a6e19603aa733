"""The Wsw population as the forecast reads it from the records: one spell per person (all
employment versions together), the current hours and wage, the reason for leaving, the
municipality of residence; and the economics from the wage and contribution tables."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min

from werkregie.hr.models import EmploymentChange, MinimumWage, StateContribution
from werkregie.hr.payroll import charge_rates
from werkregie.hr.wages import pension_date
from werkregie.people.models import Employment
from werkregie.planning.forecast import Economics
from werkregie.planning.survival import Spell
from werkregie.transition.models import TransitionPlan


def wsw_spells(municipality_ids: Iterable[int] | None = None) -> list[Spell]:
    """Every person's Wsw employment, residents of `municipality_ids` (all when None)."""
    versions = Employment.objects.filter(kind=Employment.Kind.WSW)
    if municipality_ids is not None:
        versions = versions.filter(person__residence_municipality_id__in=list(municipality_ids))
    reasons = dict(
        EmploymentChange.objects.filter(kind=EmploymentChange.Kind.END)
        .order_by("effective_date", "id")
        .values_list("person_id", "end_reason")
    )
    spells: list[Spell] = []
    rows = versions.order_by("person_id", "valid_from").values_list(
        "person_id",
        "valid_from",
        "valid_to",
        "hours_per_week",
        "gross_monthly_wage",
        "employer_id",
        "person__sex",
        "person__birth_date",
        "person__residence_municipality_id",
    )
    current: list[tuple] = []  # type: ignore[type-arg]
    for row in [*rows, None]:
        if current and (row is None or row[0] != current[0][0]):
            spells.append(_spell(current, reasons))
            current = []
        if row is not None:
            current.append(row)
    return spells


def _spell(versions: list[tuple], reasons: dict[int, str]) -> Spell:  # type: ignore[type-arg]
    person_id, _, _, _, _, _, sex, birth, residence = versions[0]
    last = versions[-1]
    start = min(v[1] for v in versions)
    end = None if any(v[2] is None for v in versions) else max(v[2] for v in versions)
    reason = ""
    if end is not None:
        reason = reasons.get(person_id) or (
            "retirement" if end >= pension_date(birth) - timedelta(days=1) else "other"
        )
    return Spell(
        person_id=person_id,
        sex=sex,
        birth=birth,
        start=start,
        end=end,
        reason=reason,
        municipality_id=residence,
        employer_id=last[5],
        hours=last[3],
        monthly_wage=last[4],
    )


def recorded_from() -> date | None:
    """The first transition day: from then on Werkregie records every leaver. People who
    left the old company before it are not in the records, so history starts there."""
    first: date | None = TransitionPlan.objects.filter(
        status=TransitionPlan.Status.EXECUTED
    ).aggregate(first=Min("effective_date"))["first"]
    return first


def observation_start(spells: list[Spell]) -> date:
    found = recorded_from()
    if found is not None:
        return found
    return min((s.start for s in spells), default=date(2021, 1, 1))


def default_economics(day: date) -> Economics:
    """Today's tables: the default employer charges, the WML's average yearly rise over the
    last three years as the indexation, the known rijksbijdrage per SE."""
    charges = float(sum(charge_rates(None, day).values(), Decimal(0)))
    wml = sorted(MinimumWage.objects.values_list("valid_from", "hourly"))

    def on(when: date) -> Decimal | None:
        found = [hourly for valid_from, hourly in wml if valid_from <= when]
        return found[-1] if found else None

    now, before = on(day), on(date(day.year - 3, day.month, 1))
    indexation = ((float(now) / float(before)) ** (1 / 3) - 1) * 100 if now and before else 2.5
    return Economics(
        indexation_pct=round(indexation, 2),
        charges_pct=round(charges, 2),
        contribution_per_se={
            year: float(amount)
            for year, amount in StateContribution.objects.values_list("year", "amount_per_se")
        },
    )
