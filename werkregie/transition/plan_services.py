"""Making and deciding the transition plan (DOMAIN.md, "The transition rules")."""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.db import filter_in, insert_rows
from werkregie.core.errors import DomainError
from werkregie.core.progress import NO_PROGRESS, Progress
from werkregie.organisations.models import Organisation, Site, SiteOccupancy
from werkregie.transition import checks
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import LegacyEmployee, PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.rules import (
    GUARANTEED,
    Policy,
    Situation,
    duplicate_flags,
    guarantee_violations,
    propose,
    team_split_flags,
)

LOCKED = [
    TransitionPlan.Status.PROPOSED,
    TransitionPlan.Status.APPROVED,
    TransitionPlan.Status.EXECUTED,
]


# Copied from the old record into the plan entry unchanged (the guarantees check them).
_ENTRY_COPIED = [
    "team",
    "leader_number",
    "hirer_kvk",
    "contract_kind",
    "indication",
    "work_form",
    "scale",
    "step",
    "hours_per_week",
    "gross_monthly_wage",
]


@transaction.atomic
def plan_transition(
    *,
    actor: User | None,
    effective_date: datetime.date | None = None,
    policy: Policy | None = None,
    progress: Progress = NO_PROGRESS,
) -> TransitionPlan:
    """Propose a new situation for every imported employee; flag what a person must decide.

    A new plan supersedes an earlier draft (its decisions stay in the audit log); once a plan
    is proposed, approved or executed no new plan can be made.
    """
    policy = policy or Policy.load()
    if effective_date is not None:
        policy = policy.with_effective_date(effective_date)
    if TransitionPlan.objects.filter(status__in=LOCKED).exists():
        raise DomainError("Er is al een voorgesteld, goedgekeurd of uitgevoerd transitieplan.")
    employees = list(
        LegacyEmployee.objects.order_by("personnel_number").values_list(
            "pk",
            "personnel_number",
            "bsn",
            "site",
            "residence__cbs_code",
            "work_municipality__cbs_code",
            *_ENTRY_COPIED,
            named=True,
        )
    )
    if not employees:
        raise DomainError("Er is nog geen personeelsbestand geïmporteerd.")
    TransitionPlan.objects.filter(status=TransitionPlan.Status.DRAFT).update(
        status=TransitionPlan.Status.SUPERSEDED
    )
    plan = TransitionPlan.objects.create(
        created_by=actor,
        effective_date=policy.effective_date,
        policy_version=policy.version,
        # The policy as it was applied, so the plan can be checked against it later.
        policy=json.loads(json.dumps(policy.raw, cls=DjangoJSONEncoder)),
    )
    orgs = {o.code: o for o in Organisation.objects.all()}
    sites = Site.by_spelling()
    site_org = {
        occ.site_id: occ.organisation.code
        for occ in SiteOccupancy.objects.active_on(policy.effective_date).select_related(
            "organisation"
        )
    }
    site_municipality = dict(Site.objects.values_list("pk", "municipality__cbs_code"))
    proposals = []
    progress.phase("medewerkers ingedeeld", len(employees))
    for emp in employees:
        progress.advance()
        site = sites.get(Site.key(emp.site)) if emp.site else None
        situation = Situation(
            personnel_number=emp.personnel_number,
            contract_kind=emp.contract_kind,
            work_form=emp.work_form,
            residence=emp.residence__cbs_code,
            work_municipality=emp.work_municipality__cbs_code,
            site_organisation=site_org.get(site.pk) if site else None,
            site_municipality=site_municipality[site.pk] if site else None,
            team=emp.team,
            hirer_kvk=emp.hirer_kvk,
            site=emp.site,
            site_found=site is not None,
        )
        proposals.append((emp, site, propose(situation, policy)))
    split = team_split_flags((e.personnel_number, e.team, p.organisation) for e, _, p in proposals)
    duplicates = duplicate_flags((e.personnel_number, e.bsn) for e in employees)
    # Rows as value tuples, not instances: a national plan has some 75,000 entries.
    org_ids = {code: org.pk for code, org in orgs.items()}
    entry_ids = insert_rows(
        PlanEntry,
        [
            "plan_id",
            "legacy_id",
            "employer_id",
            "organisation_id",
            "site_id",
            *_ENTRY_COPIED,
            "rules",
        ],
        [
            (
                plan.pk,
                emp.pk,
                org_ids.get(prop.employer or ""),
                org_ids.get(prop.organisation or ""),
                site.pk if site else None,
                *emp[-len(_ENTRY_COPIED) :],
                list(prop.rules),
            )
            for emp, site, prop in proposals
        ],
    )
    flags = [
        (entry_id, flag.code, flag.reason, False, "")
        for entry_id, (emp, _, prop) in zip(entry_ids, proposals, strict=True)
        for flag in (
            *prop.flags,
            *([split[emp.personnel_number]] if emp.personnel_number in split else []),
            *([duplicates[emp.personnel_number]] if emp.personnel_number in duplicates else []),
        )
    ]
    insert_rows(PlanFlag, ["entry_id", "code", "reason", "resolved", "decision"], flags)
    audit.record_change(
        actor=actor,
        action=TransitionEvent.TRANSITION_PLANNED,
        obj=plan,
        changes={
            "policy_version": {"old": None, "new": policy.version},
            "effective_date": {"old": None, "new": policy.effective_date.isoformat()},
            "entries": {"old": None, "new": len(entry_ids)},
            "flags": {"old": None, "new": len(flags)},
        },
    )
    return plan


@transaction.atomic
def resolve_flags(
    *,
    actor: User | None,
    flags: Iterable[PlanFlag],
    decision: str,
    employer: Organisation | None = None,
    organisation: Organisation | None = None,
    site: Site | None = None,
    duplicate_of: PlanEntry | None = None,
) -> int:
    """Resolve flags one by one or in bulk, with a reason; optionally change the destination
    or the workplace (rule 4), or mark the person's row as a duplicate of another row with
    the same BSN, which then continues alone (its own "dubbele medewerker" flag is resolved
    with the same decision)."""
    decision = decision.strip()
    if not decision:
        raise DomainError("Geef een reden voor het besluit.", field="decision")
    count = 0
    for flag in flags:
        entry = flag.entry
        if entry.plan.status != TransitionPlan.Status.DRAFT:
            raise DomainError("Alleen in een conceptplan kunnen signalen worden afgehandeld.")
        changes: dict[str, dict[str, Any]] = {
            "code": {"old": None, "new": flag.code},
            "decision": {"old": None, "new": decision},
        }
        for name, value in (
            ("employer", employer),
            ("organisation", organisation),
            ("site", site),
            ("duplicate_of", duplicate_of),
        ):
            if value is not None and getattr(entry, f"{name}_id") != value.pk:
                changes[name] = {"old": getattr(entry, f"{name}_id"), "new": value.pk}
                setattr(entry, name, value)
        if "duplicate_of" in changes:
            _check_duplicate(entry, duplicate_of)
        moved = [n for n in ("employer", "organisation", "site", "duplicate_of") if n in changes]
        if moved:
            entry.save(update_fields=moved)
        _resolve(actor, flag, decision, changes)
        count += 1
        if "duplicate_of" in changes and duplicate_of is not None:
            kept = f"Personeelsnummer {entry.legacy.personnel_number} is een dubbel record "
            for other in duplicate_of.flags.filter(
                code=PlanFlag.Code.DUPLICATE_EMPLOYEE, resolved=False
            ):
                _resolve(
                    actor,
                    other,
                    f"{kept}van dit record; dit record gaat door. {decision}",
                    {"code": {"old": None, "new": other.code}},
                )
    return count


def _check_duplicate(entry: PlanEntry, target: PlanEntry | None) -> None:
    if target is None:
        return
    if (
        target.pk == entry.pk
        or target.plan_id != entry.plan_id
        or target.legacy.bsn != entry.legacy.bsn
    ):
        raise DomainError(
            "Een dubbel record hoort bij een andere regel van hetzelfde plan met hetzelfde BSN.",
            field="duplicate_of",
        )
    if target.duplicate_of_id is not None:
        raise DomainError(
            f"Personeelsnummer {target.legacy.personnel_number} is zelf al als dubbel record "
            "gemarkeerd; kies het record dat doorgaat.",
            field="duplicate_of",
        )


def _resolve(actor: User | None, flag: PlanFlag, decision: str, changes: dict[str, Any]) -> None:
    flag.resolved, flag.decision = True, decision
    flag.decided_by, flag.decided_at = actor, timezone.now()
    flag.full_clean()
    flag.save(update_fields=["resolved", "decision", "decided_by", "decided_at"])
    audit.record_change(
        actor=actor, action=TransitionEvent.PLAN_FLAG_RESOLVED, obj=flag, changes=changes
    )


@dataclass(frozen=True)
class GuaranteeReport:
    violations: dict[str, list[str]]  # personnel number → problems
    missing: list[str]  # imported employees without an entry
    # Problems of the plan as a whole that execution depends on (a trajectory's product).
    blocking: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.missing and not self.blocking

    @property
    def count(self) -> int:
        return len(self.violations) + len(self.missing) + len(self.blocking)


def _violations(entry: PlanEntry, decided: frozenset[str]) -> list[str]:
    old: dict[str, Any] = {name: getattr(entry.legacy, name) for name in GUARANTEED}
    new: dict[str, Any] = {name: getattr(entry, name) for name in GUARANTEED}
    old["site"], old["team"] = entry.legacy.site, entry.legacy.team
    new["site"], new["team"] = entry.site_id, entry.team
    new["employer"], new["organisation"] = entry.employer_id, entry.organisation_id
    return guarantee_violations(old, new, decided)


def _decided(entries: Iterable[int]) -> dict[int, frozenset[str]]:
    """The codes of each entry's resolved flags: the decisions rule 4 may give way to."""
    codes: dict[int, set[str]] = defaultdict(set)
    for entry_id, code in filter_in(
        PlanFlag.objects.filter(resolved=True).values_list("entry_id", "code"),
        "entry_id",
        list(entries),
    ):
        codes[entry_id].add(code)
    return {k: frozenset(v) for k, v in codes.items()}


def entry_violations(entry: PlanEntry) -> list[str]:
    """The guarantees (rules 4, 5 and 9) for one person of a plan; empty when all hold."""
    if entry.duplicate_of_id is not None:
        return []
    return _violations(entry, _decided([entry.pk]).get(entry.pk, frozenset()))


def check_guarantees(plan: TransitionPlan) -> GuaranteeReport:
    """Every guarantee for every person, that every imported employee is in the plan, and
    everything execution depends on (`checks.execution_blockers`)."""
    entries = list(plan.entries.select_related("legacy", "duplicate_of__legacy"))
    decided = _decided(e.pk for e in entries)
    violations: dict[str, list[str]] = {}
    for entry in checks.continuing(entries):
        problems = _violations(entry, decided.get(entry.pk, frozenset()))
        if problems:
            violations[entry.legacy.personnel_number] = problems
    blockers = checks.execution_blockers(
        entries, plan.effective_date, checks.trajectory_providers(plan)
    )
    for number, problems in blockers.per_person.items():
        violations.setdefault(number, []).extend(problems)
    seen = {e.legacy_id for e in entries}
    missing = list(
        LegacyEmployee.objects.exclude(pk__in=seen).values_list("personnel_number", flat=True)
    )
    return GuaranteeReport(
        violations=dict(sorted(violations.items())), missing=missing, blocking=blockers.plan
    )


def _locked_plan(plan: TransitionPlan) -> TransitionPlan:
    return TransitionPlan.objects.select_for_update().get(pk=plan.pk)


def refuse_unless_sound(plan: TransitionPlan) -> None:
    """No open flags, every guarantee holds, nothing execution depends on is missing."""
    open_flags = PlanFlag.objects.filter(entry__plan=plan, resolved=False).count()
    if open_flags:
        raise DomainError(f"Er staan nog {open_flags} signalen open; handel die eerst af.")
    report = check_guarantees(plan)
    if not report.ok:
        raise DomainError(
            f"{report.count} garanties of voorwaarden voor de uitvoering zijn niet vervuld; "
            "dit plan kan zo niet verder. " + "; ".join(_first_problems(report)) + "."
        )


def _first_problems(report: GuaranteeReport, limit: int = 3) -> list[str]:
    problems = [
        *report.blocking,
        *(f"personeelsnummer {n}: {p[0]}" for n, p in report.violations.items()),
        *(f"personeelsnummer {n} staat niet in het plan" for n in report.missing),
    ]
    return problems[:limit] + ([f"en nog {len(problems) - limit}"] if len(problems) > limit else [])


@transaction.atomic
def propose_plan(*, actor: User | None, plan: TransitionPlan) -> TransitionPlan:
    """The transitiemanager submits a draft without open flags or violated guarantees."""
    plan = _locked_plan(plan)
    if plan.status != TransitionPlan.Status.DRAFT:
        raise DomainError("Alleen een conceptplan kan worden voorgelegd.")
    refuse_unless_sound(plan)
    plan.status, plan.proposed_by, plan.proposed_at = (
        TransitionPlan.Status.PROPOSED,
        actor,
        timezone.now(),
    )
    plan.save(update_fields=["status", "proposed_by", "proposed_at"])
    audit.record_change(
        actor=actor,
        action=TransitionEvent.TRANSITION_PROPOSED,
        obj=plan,
        changes={"status": {"old": "draft", "new": "proposed"}},
    )
    return plan


@transaction.atomic
def approve_plan(*, actor: User | None, plan: TransitionPlan) -> TransitionPlan:
    """A municipal secretary approves; never the person who proposed it (four eyes)."""
    plan = _locked_plan(plan)
    if plan.status != TransitionPlan.Status.PROPOSED:
        raise DomainError("Alleen een voorgelegd plan kan worden goedgekeurd.")
    if plan.proposed_by_id is not None and actor is not None and plan.proposed_by_id == actor.pk:
        raise DomainError("Wie het plan voorlegde, kan het niet zelf goedkeuren.")
    refuse_unless_sound(plan)
    plan.status, plan.approved_by, plan.approved_at = (
        TransitionPlan.Status.APPROVED,
        actor,
        timezone.now(),
    )
    plan.full_clean()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record_change(
        actor=actor,
        action=TransitionEvent.TRANSITION_APPROVED,
        obj=plan,
        changes={"status": {"old": "proposed", "new": "approved"}},
    )
    return plan


@transaction.atomic
def withdraw_plan(*, actor: User | None, plan: TransitionPlan) -> TransitionPlan:
    """A proposed or approved plan goes back to draft, so that what blocks it (a guarantee
    that no longer holds, a failed execution) can be decided; it must then be proposed and
    approved again (four eyes anew)."""
    plan = _locked_plan(plan)
    if plan.status not in (TransitionPlan.Status.PROPOSED, TransitionPlan.Status.APPROVED):
        raise DomainError("Alleen een voorgelegd of goedgekeurd plan kan worden teruggezet.")
    before = plan.status
    plan.status = TransitionPlan.Status.DRAFT
    plan.proposed_by = plan.approved_by = None
    plan.proposed_at = plan.approved_at = None
    plan.save(update_fields=["status", "proposed_by", "proposed_at", "approved_by", "approved_at"])
    audit.record_change(
        actor=actor,
        action=TransitionEvent.TRANSITION_WITHDRAWN,
        obj=plan,
        changes={"status": {"old": before, "new": "draft"}},
    )
    return plan
