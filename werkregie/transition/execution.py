"""Executing an approved transition plan on its effective date (transition step 5)."""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.client_direction.takeover import (
    RunningTrajectory,
    TakeOver,
    take_over_trajectories,
)
from werkregie.core import audit
from werkregie.core.db import filter_in
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.core.progress import NO_PROGRESS, Progress
from werkregie.organisations.models import Organisation, Team
from werkregie.people import codes
from werkregie.people import services as people_services
from werkregie.people.models import Employment, Person, normalise_name
from werkregie.secondments.models import Issuer
from werkregie.secondments.services import LegacySecondmentContract, take_over_contracts
from werkregie.transition import checks
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import (
    LegacyContract,
    LegacyTrajectory,
    PlanEntry,
    Transfer,
    TransitionPlan,
)
from werkregie.transition.plan_services import refuse_unless_sound
from werkregie.transition.rules import SECONDMENTS

OLD_COMPANY = "soweco-nv"


def _persons(
    actor: User | None, plan: TransitionPlan, entries: list[PlanEntry]
) -> tuple[dict[str, Person], list[Person]]:
    """The registry person of each employee: found by BSN, else registered now (audited).
    Returns personnel number → person, and the persons registered here."""
    legacy = [e.legacy for e in entries]
    by_bsn = {p.bsn: p for p in filter_in(Person.objects.all(), "bsn", [old.bsn for old in legacy])}
    new = [
        Person(
            bsn=old.bsn,
            personnel_number=old.personnel_number,
            surname=old.surname,
            surname_prefix=old.surname_prefix,
            initials=old.initials,
            given_name=old.given_name,
            birth_date=old.birth_date,
            sex=old.sex.upper(),
            postcode=old.postcode,
            house_number=old.house_number,
            residence_municipality_id=old.residence_id,
            search_name=normalise_name(old.surname),
        )
        for old in legacy
        if old.bsn not in by_bsn
    ]
    created = people_services.register_persons(
        actor=actor, persons=new, reason={"plan": {"old": None, "new": plan.pk}}
    )
    by_bsn.update({p.bsn: p for p in created})
    return {old.personnel_number: by_bsn[old.bsn] for old in legacy}, created


def _team(teams: dict[tuple[int, str], Team], entry: PlanEntry, day: datetime.date) -> Team | None:
    if entry.organisation is None or not entry.team:
        return None
    key = (entry.organisation.pk, entry.team)
    if key not in teams:
        teams[key], _ = Team.objects.get_or_create(
            organisation=entry.organisation,
            name=entry.team,
            defaults={"site": entry.site, "valid_from": day},
        )
    return teams[key]


def execute_plan(
    *,
    actor: User | None,
    plan: TransitionPlan,
    progress: Progress = NO_PROGRESS,
    finish: Callable[[TransitionPlan], object] | None = None,
) -> TransitionPlan:
    """One transaction: old employments end the day before, new ones start on the effective
    date with the same wage, scale, step, hours and indication (rule 5); secondments,
    trajectories and customer contracts move (rules 4, 7, 8). Runs once.

    Every check execution depends on runs first (`check_guarantees`); should the database
    refuse a write all the same, everything rolls back, the plan stays approved and can be
    executed again, and the reason is kept on the plan and in the audit log. `finish` runs
    inside the transaction (a job marks itself done there, core.jobs)."""
    try:
        with transaction.atomic():
            executed = _execute(actor, plan, progress)
            if finish is not None:
                finish(executed)
            return executed
    except DomainError as error:
        _record_failure(actor, plan, error.message)
        raise
    except DatabaseError as error:
        reason = (
            "De database weigerde een wijziging; alles is teruggedraaid en het plan kan "
            f"opnieuw worden uitgevoerd. Technische melding: {str(error).splitlines()[0]}"
        )
        _record_failure(actor, plan, reason)
        raise DomainError(reason) from error


def refuse_unless_executable(plan: TransitionPlan) -> None:
    """Only an approved plan runs, once (checked again inside the execution's lock)."""
    if plan.status == TransitionPlan.Status.EXECUTED:
        raise DomainError(
            f"Dit plan is al uitgevoerd op {timezone.localtime(plan.executed_at):%d-%m-%Y %H:%M}; "
            "opnieuw uitvoeren kan niet."
        )
    if plan.status != TransitionPlan.Status.APPROVED:
        raise DomainError("Alleen een goedgekeurd plan kan worden uitgevoerd.")


def _record_failure(actor: User | None, plan: TransitionPlan, reason: str) -> None:
    with transaction.atomic():
        locked = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != TransitionPlan.Status.APPROVED:
            return  # refused before anything was tried: nothing to record
        locked.execution_error, locked.execution_failed_at = reason, timezone.now()
        locked.save(update_fields=["execution_error", "execution_failed_at"])
        audit.record_change(
            actor=actor,
            action=TransitionEvent.TRANSITION_EXECUTION_FAILED,
            obj=locked,
            changes={"reason": {"old": None, "new": reason}},
        )


def _execute(actor: User | None, plan: TransitionPlan, progress: Progress) -> TransitionPlan:
    progress.phase("controles voor de uitvoering")
    plan = TransitionPlan.objects.select_for_update().get(pk=plan.pk)
    refuse_unless_executable(plan)
    refuse_unless_sound(plan)
    day = plan.effective_date
    old_company = Organisation.objects.get(code=OLD_COMPANY)
    everyone = list(
        plan.entries.select_related("legacy", "employer", "organisation", "site", "duplicate_of")
    )
    entries = checks.continuing(everyone)
    persons, _ = _persons(actor, plan, entries)
    # A decided duplicate's personnel number still names the person (contracts list it).
    for entry in everyone:
        if entry.duplicate_of is not None:
            persons[entry.legacy.personnel_number] = persons[
                entry.duplicate_of.legacy.personnel_number
            ]
    teams: dict[tuple[int, str], Team] = {}
    new = []
    progress.phase("dienstverbanden voorbereid", len(entries))
    for entry in entries:
        progress.advance()
        old, person = entry.legacy, persons[entry.legacy.personnel_number]
        assert entry.employer is not None  # approval refused plans without one
        new.append(
            Employment(
                person=person,
                kind=codes.KIND[old.contract_kind],
                indication=codes.INDICATION[entry.indication],
                work_form=codes.WORK_FORM[entry.work_form],
                collective_agreement=old.collective_agreement,
                scale=entry.scale,
                step=entry.step,
                hours_per_week=entry.hours_per_week,
                gross_monthly_wage=entry.gross_monthly_wage,
                job_title=old.job_title,
                site=entry.site,
                work_municipality_id=old.work_municipality_id,
                employer=entry.employer,
                team=_team(teams, entry, day),
                valid_from=day,
                valid_to=None,
            )
        )
    progress.phase("dienstverbanden, detacheringen, trajecten en contracten opgeslagen")
    # People writes the employments and keeps the history (the old company's ended or
    # recorded the day before).
    created = people_services.transfer_employments(
        actor=actor,
        from_employer=old_company,
        day=day,
        new=new,
        started={persons[e.legacy.personnel_number].pk: e.legacy.start_date for e in entries},
        reason={"plan": {"old": None, "new": plan.pk}},
    )
    for entry, employment in zip(entries, created, strict=True):
        entry.new_employment = employment
    PlanEntry.objects.bulk_update(entries, ["new_employment"], batch_size=2000)
    _set_team_leaders(teams.values(), entries, persons)

    transfers = _transfers(plan, entries)
    Transfer.objects.bulk_create(transfers, batch_size=2000)
    taken_over = _take_over_trajectories(actor, plan, transfers)
    contracts = _take_over_secondments(actor, plan, entries, persons)

    plan.status, plan.executed_by, plan.executed_at = (
        TransitionPlan.Status.EXECUTED,
        actor,
        timezone.now(),
    )
    plan.execution_error = ""
    plan.save(update_fields=["status", "executed_by", "executed_at", "execution_error"])
    audit.record_change(
        actor=actor,
        action=AuditAction.TRANSITION_EXECUTED,
        obj=plan,
        changes={
            "employments": {"old": None, "new": len(created)},
            "transfers": {"old": None, "new": len(transfers)},
            "trajectory_orders": {"old": None, "new": taken_over.taken},
            "trajectories_outside_region": {"old": None, "new": len(taken_over.outside)},
            "secondment_contracts": {"old": None, "new": contracts},
        },
    )
    return plan


def _set_team_leaders(
    teams: Iterable[Team], entries: list[PlanEntry], persons: dict[str, Person]
) -> None:
    """Rule 4: teams continue with their leaders."""
    leader_of = {(e.organisation_id, e.team): e.leader_number for e in entries if e.leader_number}
    for team in teams:
        number = leader_of.get((team.organisation_id, team.name))
        if number in persons and team.leader_id is None:
            team.leader = persons[number]
            team.save(update_fields=["leader"])


def _take_over_trajectories(
    actor: User | None, plan: TransitionPlan, transfers: list[Transfer]
) -> TakeOver:
    """Rule 7 continued: each running trajectory becomes a running order under klantregie."""
    provider = {
        t.reference: t.to_organisation for t in transfers if t.kind == Transfer.Kind.TRAJECTORY
    }
    return take_over_trajectories(
        actor=actor,
        effective_date=plan.effective_date,
        trajectories=[
            RunningTrajectory(
                number=t.number,
                bsn=t.bsn,
                surname=t.surname,
                initials=t.initials,
                birth_date=t.birth_date,
                residence=t.residence,
                client_owner=t.client_owner,
                product=t.product,
                start_date=t.start_date,
                end_date=t.end_date,
                price=t.price,
                provider=provider[t.number],
            )
            for t in LegacyTrajectory.objects.filter(number__in=list(provider)).select_related(
                "residence"
            )
        ],
    )


def _take_over_secondments(
    actor: User | None, plan: TransitionPlan, entries: list[PlanEntry], persons: dict[str, Person]
) -> int:
    """Rule 4: existing secondments continue. The old company's running secondment contracts
    become contracts of the NUO (which runs the employer tasks of all six), each employee on
    them seconded for their planned hours."""
    # Per person, so that a decided duplicate's number gets the kept record's hours.
    planned = {persons[e.legacy.personnel_number].pk: e.hours_per_week for e in entries}
    hours = {number: planned[person.pk] for number, person in persons.items()}
    running = LegacyContract.objects.filter(kind="detachering").exclude(
        end_date__lt=plan.effective_date
    )
    contracts = [
        LegacySecondmentContract(
            number=c.number,
            hirer_kvk=c.customer_kvk,
            hirer_name=c.customer_name,
            hourly_rate=c.hourly_rate or Decimal(0),
            end_date=c.end_date,
            employees={
                persons[n].pk: hours[n] for n in c.personnel_numbers if n in persons and n in hours
            },
        )
        for c in running
        if c.customer_kvk
    ]
    if not contracts:
        return 0
    issuer = Issuer.objects.filter(organisation__code="nuo").first()
    if issuer is None:
        raise DomainError(
            "De NUO staat niet als factuurverzender in Werkregie; laad eerst "
            "'werkregie load_issuers'. Er is niets gewijzigd."
        )
    return take_over_contracts(
        actor=actor, issuer=issuer, effective_date=plan.effective_date, contracts=contracts
    )


def _transfers(plan: TransitionPlan, entries: list[PlanEntry]) -> list[Transfer]:
    nuo = Organisation.objects.get(code="nuo")
    day = plan.effective_date
    transfers = [
        Transfer(
            plan=plan,
            kind=Transfer.Kind.SECONDMENT,
            reference=e.legacy.personnel_number,
            to_organisation=e.employer,
            details={
                "hirer_kvk": e.hirer_kvk,
                "hirer_name": e.legacy.hirer_name,
                "hours_per_week": str(e.hours_per_week),
            },
        )
        for e in entries
        if e.work_form in SECONDMENTS and e.hirer_kvk and e.employer is not None
    ]
    providers = checks.trajectory_providers(plan)
    transfers.extend(
        Transfer(
            plan=plan,
            kind=Transfer.Kind.TRAJECTORY,
            reference=t.number,
            to_organisation=providers[t.number],
            details={
                "client_owner": t.client_owner,
                "product": t.product,
                "end_date": t.end_date.isoformat(),
                "price": str(t.price),
            },
        )
        for t in LegacyTrajectory.objects.filter(number__in=list(providers))
    )
    # Rule 8: customer contracts continue at the NUO, each to be reviewed.
    transfers.extend(
        Transfer(
            plan=plan,
            kind=Transfer.Kind.CONTRACT,
            reference=c.number,
            to_organisation=nuo,
            details={"customer": c.customer_name, "kind": c.kind},
            needs_review=True,
        )
        for c in LegacyContract.objects.exclude(end_date__lt=day)
    )
    return transfers
