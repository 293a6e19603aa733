"""What executing a plan depends on, checked before anyone approves it.

Execution writes persons, employments, orders and secondment contracts under the database's
constraints (one person per BSN and per personnel number, one employment version per person,
kind and date, a product for every order). Every such constraint the plan's data could break
is checked here, so that `check_guarantees` refuses the plan with a Dutch reason instead of
execution failing on the constraint (issue 14, finding 2).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from werkregie.client_direction.models import Product
from werkregie.client_direction.takeover import LEGACY_PRODUCT_KINDS
from werkregie.core.db import filter_in
from werkregie.organisations.models import Organisation
from werkregie.people.models import Employment, Person
from werkregie.secondments.models import Issuer
from werkregie.transition.models import (
    LegacyContract,
    LegacyTrajectory,
    PlanEntry,
    TransitionPlan,
)
from werkregie.transition.roster import Identity
from werkregie.transition.rules import Policy


@dataclass
class Blockers:
    """Problems per personnel number, and problems of the plan as a whole."""

    per_person: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    plan: list[str] = field(default_factory=list)


def _registered(person: Person) -> Identity:
    return Identity.of(person.surname, person.surname_prefix, person.birth_date, str(person))


def _duplicates(entries: list[PlanEntry], found: Blockers) -> None:
    """One BSN, several personnel numbers: a person decides which record continues."""
    by_bsn: dict[str, list[PlanEntry]] = defaultdict(list)
    for entry in entries:
        by_bsn[entry.legacy.bsn].append(entry)
    for entry in entries:
        target = entry.duplicate_of
        if target is not None and target.legacy.bsn != entry.legacy.bsn:
            found.per_person[entry.legacy.personnel_number].append(
                f"staat als dubbel record van personeelsnummer {target.legacy.personnel_number}, "
                "maar dat heeft een ander BSN"
            )
    for group in by_bsn.values():
        kept = continuing(group)
        if len(kept) > 1:
            numbers = ", ".join(e.legacy.personnel_number for e in kept)
            for entry in kept:
                found.per_person[entry.legacy.personnel_number].append(
                    f"hetzelfde BSN staat bij personeelsnummers {numbers}: besluit welk record "
                    "doorgaat (dubbele medewerker)"
                )


def _registry(entries: list[PlanEntry], day: datetime.date, found: Blockers) -> None:
    """The registry persons execution will find by BSN must be the same people, their
    personnel numbers free, and none may already have an employment from the date."""
    kept = continuing(entries)
    persons = {
        p.bsn: p
        for p in filter_in(Person.objects.all(), "bsn", [e.legacy.bsn for e in kept])
        if p.bsn
    }
    numbers = {
        p.personnel_number: p
        for p in filter_in(
            Person.objects.all(),
            "personnel_number",
            [e.legacy.personnel_number for e in kept],
        )
    }
    for entry in kept:
        old = entry.legacy
        person = persons.get(old.bsn)
        if person is not None and not _registered(person).same_person(
            Identity.of(old.surname, old.surname_prefix, old.birth_date, "")
        ):
            found.per_person[old.personnel_number].append(
                f"het BSN hoort in de registratie bij {person} (geboren "
                f"{person.birth_date:%d-%m-%Y}), niet bij deze medewerker"
            )
        holder = numbers.get(old.personnel_number)
        if holder is not None and holder.bsn != old.bsn:
            found.per_person[old.personnel_number].append(
                f"het personeelsnummer is in de registratie al van {holder}"
            )
    by_person = {p.pk: bsn for bsn, p in persons.items() if bsn}
    number_of = {e.legacy.bsn: e.legacy.personnel_number for e in kept}
    later = Employment.objects.filter(valid_from__gte=day)
    for employment in filter_in(later, "person_id", list(by_person)):
        found.per_person[number_of[by_person[employment.person_id]]].append(
            f"heeft al een dienstverband vanaf {employment.valid_from:%d-%m-%Y}; uitvoeren zou "
            "dat overschrijven"
        )


def _trajectories(day: datetime.date, providers: dict[str, Organisation], found: Blockers) -> None:
    """Every running trajectory has a product at its provider, and its BSN is its person."""
    running = list(LegacyTrajectory.objects.filter(end_date__gte=day))
    persons = {p.bsn: p for p in filter_in(Person.objects.all(), "bsn", [t.bsn for t in running])}
    offered = set(Product.objects.active_on(day).values_list("provider__code", "kind").distinct())
    for trajectory in running:
        person = persons.get(trajectory.bsn)
        if person is not None and not _registered(person).same_person(
            Identity.of(trajectory.surname, "", trajectory.birth_date, "")
        ):
            found.plan.append(
                f"Traject {trajectory.number}: het BSN hoort in de registratie bij {person}, "
                "niet bij deze deelnemer."
            )
        provider = providers.get(trajectory.number)
        kind = LEGACY_PRODUCT_KINDS.get(trajectory.product.lower())
        if provider is not None and (provider.code, kind) not in offered:
            found.plan.append(
                f"Traject {trajectory.number}: {provider} heeft op {day:%d-%m-%Y} geen product "
                f"voor '{trajectory.product}' in de catalogus."
            )


def execution_blockers(
    entries: list[PlanEntry], day: datetime.date, providers: dict[str, Organisation]
) -> Blockers:
    """Everything that would make execution on `day` fail or overwrite data.
    `providers`: trajectory number → the organisation the plan hands it to."""
    found = Blockers()
    _duplicates(entries, found)
    _registry(entries, day, found)
    _trajectories(day, providers, found)
    if not Organisation.objects.filter(code="soweco-nv").exists():
        found.plan.append("Het oude SW-bedrijf (soweco-nv) staat niet in de regio.")
    secondments = LegacyContract.objects.filter(kind="detachering").exclude(end_date__lt=day)
    if (
        secondments.exclude(customer_kvk="").exists()
        and not Issuer.objects.filter(organisation__code="nuo").exists()
    ):
        found.plan.append(
            "De NUO staat niet als factuurverzender in Werkregie; laad eerst "
            "'werkregie load_issuers'."
        )
    return found


def trajectory_providers(plan: TransitionPlan) -> dict[str, Organisation]:
    """Rule 7: each trajectory running on the effective date continues with the provider for
    the client's municipality (the NUO where the policy names none), under the rules the
    plan was made with, not whatever the policy file says today."""
    policy = Policy.from_data(plan.policy)
    orgs = {o.code: o for o in Organisation.objects.all()}
    nuo = orgs.get("nuo")
    providers: dict[str, Organisation] = {}
    for number, residence in LegacyTrajectory.objects.filter(
        end_date__gte=plan.effective_date
    ).values_list("number", "residence__cbs_code"):
        provider = orgs.get(policy.sheltered_work.get(residence, ""), nuo)
        if provider is not None:
            providers[number] = provider
    return providers


def continuing(entries: Iterable[PlanEntry]) -> list[PlanEntry]:
    """The entries execution gives an employment: not the decided duplicates."""
    return [e for e in entries if e.duplicate_of_id is None]
