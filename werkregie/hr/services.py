"""HR's write API: employment changes (mutaties), indexation runs, final payroll files,
employer charge versions and Wsw-statistiek deliveries. Atomic and audited, as everywhere."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.hr import payroll_file, statistics
from werkregie.hr.models import (
    Absence,
    EmployerCharge,
    EmploymentChange,
    IndexationLine,
    IndexationRun,
    PayrollExport,
    PayrollLine,
    StatisticsDelivery,
)
from werkregie.hr.wages import WageTables, indexed_wage, pension_date
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.people.models import Employment, Person
from werkregie.people.services import EMPLOYMENT_FIELDS, change_employment

Kind = EmploymentChange.Kind
SECONDMENT_FORMS = {
    Employment.WorkForm.GROUP_SECONDMENT,
    Employment.WorkForm.INDIVIDUAL_SECONDMENT,
    Employment.WorkForm.SUPPORTED_EMPLOYMENT,
}


def version_on(person: Person, day: date) -> Employment:
    """The person's employment on `day` (a Wsw or beschut werk one before staff)."""
    found = (
        Employment.objects.filter(person=person)
        .active_on(day)
        .order_by("kind", "-valid_from")  # sheltered_work, staff, wsw → prefer below
    )
    versions = sorted(found, key=lambda e: e.kind == Employment.Kind.STAFF)
    if not versions:
        raise DomainError(
            f"{person} heeft op {day:%d-%m-%Y} geen dienstverband.", field="effective_date"
        )
    return versions[0]


def _later_versions(version: Employment) -> list[Employment]:
    return list(
        Employment.objects.filter(
            person_id=version.person_id, kind=version.kind, valid_from__gt=version.valid_from
        ).order_by("valid_from")
    )


WAGE = "gross_monthly_wage"


def _carry(
    later: Employment, changes: dict[str, Any], old: dict[str, Any], base_hours: Decimal
) -> dict[str, Any]:
    """What a change from an earlier date means for a later version: a field that still had
    the old value gets the new one; a wage change follows the hours of the later version."""
    carried = {n: v for n, v in changes.items() if n != WAGE and getattr(later, n) == old[n]}
    if WAGE not in changes or not (carried or set(changes) == {WAGE}):
        return carried
    if "hours_per_week" in carried and old["hours_per_week"]:
        carried[WAGE] = cents(
            later.gross_monthly_wage * changes["hours_per_week"] / old["hours_per_week"]
        )
    else:
        ratio = later.hours_per_week / base_hours if base_hours else Decimal(1)
        delta = cents((changes[WAGE] - old[WAGE]) * ratio)
        carried[WAGE] = max(Decimal(0), later.gross_monthly_wage + delta)
    return carried


def _apply(*, actor: Any, version: Employment, day: date, changes: dict[str, Any]) -> Employment:
    """Change `version` from `day` on; later versions follow (`_carry`), so a change effective
    in the past carries through to today and the months after it are computed anew."""
    old = {name: getattr(version, name) for name in changes}
    base_hours = version.hours_per_week
    if day == version.valid_from:
        before = audit.snapshot(version, EMPLOYMENT_FIELDS)
        for name, value in changes.items():
            setattr(version, name, value)
        version.full_clean()
        version.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.EMPLOYMENT_CHANGED,
            obj=version,
            changes=audit.diff(before, audit.snapshot(version, EMPLOYMENT_FIELDS)),
        )
        current = version
    else:
        current = change_employment(
            actor=actor, employment=version, effective_date=day, changes=changes
        )
    for later in _later_versions(current):
        carried = _carry(later, changes, old, base_hours)
        if carried:
            before = audit.snapshot(later, EMPLOYMENT_FIELDS)
            for name, value in carried.items():
                setattr(later, name, value)
            later.full_clean()
            later.save()
            audit.record_change(
                actor=actor,
                action=AuditAction.EMPLOYMENT_CHANGED,
                obj=later,
                changes={
                    **audit.diff(before, audit.snapshot(later, EMPLOYMENT_FIELDS)),
                    "carried_from": {"old": None, "new": day.isoformat()},
                },
            )
    return current


def _log(
    *,
    actor: Any,
    kind: str,
    employment: Employment,
    day: date,
    values: dict[str, dict[str, Any]],
    end_reason: str = "",
) -> EmploymentChange:
    change = EmploymentChange.objects.create(
        person_id=employment.person_id,
        employer_id=employment.employer_id,
        employment=employment,
        kind=kind,
        effective_date=day,
        values=values,
        end_reason=end_reason,
        recorded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.EMPLOYMENT_CHANGE_RECORDED,
        obj=change,
        changes={"kind": {"old": None, "new": kind}, **values},
    )
    return change


def _pair(old: Any, new: Any) -> dict[str, Any]:
    return {"old": _readable(old), "new": _readable(new)}


FORMS: dict[str, str] = dict(Employment.WorkForm.choices)


def _readable(value: Any) -> Any:
    """Values in a change as the payroll file shows them: names, Dutch decimals, dates."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return FORMS.get(value, value)
    return str(value)


def _wage_for(
    tables: WageTables, version: Employment, day: date, scale: str, step: int | None
) -> Decimal:
    """The wage after a scale/step change: the new table wage plus the personal difference
    the employee had above the old one."""
    hours = version.hours_per_week
    old = tables.table_wage(version.scale, version.step, hours, day)
    new = tables.table_wage(scale, step, hours, day)
    if new is None:
        raise DomainError(
            f"Schaal {scale} trede {step} staat niet in de loontabel op {day:%d-%m-%Y}.",
            field="step",
        )
    allowance = max(Decimal(0), version.gross_monthly_wage - old) if old is not None else Decimal(0)
    return new + allowance


@transaction.atomic
def record_employment_change(
    *,
    actor: Any,
    person: Person,
    kind: str,
    effective_date: date,
    hours_per_week: Decimal | None = None,
    scale: str = "",
    step: int | None = None,
    team: Team | None = None,
    site: Site | None = None,
    work_form: str = "",
    leave_type: str = "",
    end_reason: str = "",
) -> EmploymentChange:
    """Record one mutatie with its effective date; history is kept in versions and changes."""
    if kind == Kind.END and end_reason == EmploymentChange.EndReason.RETIREMENT:
        effective_date = pension_date(person.birth_date) - timedelta(days=1)
    version = version_on(person, effective_date)
    values: dict[str, dict[str, Any]] = {}
    changes: dict[str, Any] = {}
    tables = WageTables.load()
    if kind == Kind.HOURS:
        if hours_per_week is None or hours_per_week == version.hours_per_week:
            raise DomainError("Geef het nieuwe aantal uren per week.", field="hours_per_week")
        if version.hours_per_week:
            wage = cents(version.gross_monthly_wage * hours_per_week / version.hours_per_week)
        else:
            wage = tables.table_wage(
                version.scale, version.step, hours_per_week, effective_date
            ) or Decimal(0)
        changes = {"hours_per_week": hours_per_week, "gross_monthly_wage": wage}
    elif kind in (Kind.SCALE_STEP, Kind.PERIODIC_INCREASE):
        if kind == Kind.PERIODIC_INCREASE:
            top = tables.top_step(version.scale)
            if version.step is None or top is None or version.step >= top:
                raise DomainError(
                    f"{person} staat al op de hoogste trede van schaal {version.scale}.",
                    field="step",
                )
            scale, step = version.scale, version.step + 1
        if not scale or step is None:
            raise DomainError("Geef schaal en trede.", field="scale")
        changes = {
            "scale": scale,
            "step": step,
            "gross_monthly_wage": _wage_for(tables, version, effective_date, scale, step),
        }
    elif kind == Kind.TEAM:
        changes = {"team": team}
    elif kind == Kind.SITE:
        changes = {"site": site}
    elif kind == Kind.SECONDMENT_START:
        if work_form not in SECONDMENT_FORMS:
            raise DomainError(
                "Kies de werkvorm van de detachering: groeps-, individuele detachering of "
                "begeleid werken.",
                field="work_form",
            )
        changes = {"work_form": work_form}
    elif kind == Kind.SECONDMENT_END:
        new_form = work_form or Employment.WorkForm.SHELTERED_INSIDE
        if new_form in SECONDMENT_FORMS or version.work_form not in SECONDMENT_FORMS:
            raise DomainError(
                "Einde detachering: de medewerker is niet gedetacheerd, of kies een werkvorm "
                "zonder detachering.",
                field="work_form",
            )
        changes = {"work_form": new_form}
    elif kind in (Kind.SICKNESS_START, Kind.LEAVE_START):
        absence_kind = Absence.Kind.SICKNESS if kind == Kind.SICKNESS_START else Absence.Kind.LEAVE
        if Absence.objects.filter(person=person, kind=absence_kind, end_date__isnull=True).exists():
            raise DomainError(
                f"{person} is al {'ziek' if absence_kind == 'sickness' else 'met verlof'} gemeld."
            )
        Absence.objects.create(
            person=person, kind=absence_kind, leave_type=leave_type, start_date=effective_date
        )
        values = {"start": _pair(None, effective_date)}
        if leave_type:
            values["leave_type"] = _pair(None, leave_type)
    elif kind in (Kind.RECOVERY, Kind.LEAVE_END):
        absence_kind = Absence.Kind.SICKNESS if kind == Kind.RECOVERY else Absence.Kind.LEAVE
        absence = Absence.objects.filter(
            person=person, kind=absence_kind, end_date__isnull=True
        ).first()
        if absence is None:
            what = "ziekmelding" if absence_kind == Absence.Kind.SICKNESS else "verlof"
            raise DomainError(f"{person} heeft geen open {what}.")
        if effective_date < absence.start_date:
            raise DomainError(
                f"De einddatum ligt vóór het begin ({absence.start_date:%d-%m-%Y}).",
                field="effective_date",
            )
        # The recovery date is the first day back: the absence ends the day before.
        absence.end_date = max(absence.start_date, effective_date - timedelta(days=1))
        absence.save(update_fields=["end_date"])
        values = {"end": _pair(None, absence.end_date)}
    elif kind == Kind.END:
        if end_reason not in EmploymentChange.EndReason.values:
            raise DomainError("Kies de reden van uitdiensttreding.", field="end_reason")
        if _later_versions(version):
            raise DomainError(
                "Na deze datum staan al wijzigingen in het dienstverband; beëindig het op of na "
                "de laatste wijziging.",
                field="effective_date",
            )
        values = {"valid_to": _pair(version.valid_to, effective_date)}
        version.valid_to = effective_date
        version.full_clean()
        version.save(update_fields=["valid_to"])
        audit.record_change(
            actor=actor,
            action=AuditAction.EMPLOYMENT_CHANGED,
            obj=version,
            changes={**values, "end_reason": _pair(None, end_reason)},
        )
        return _log(
            actor=actor,
            kind=kind,
            employment=version,
            day=effective_date,
            values=values,
            end_reason=end_reason,
        )
    else:
        raise DomainError("Onbekende soort mutatie.", field="kind")
    if changes:
        values = {name: _pair(getattr(version, name), value) for name, value in changes.items()}
        values = {name: pair for name, pair in values.items() if pair["old"] != pair["new"]}
        if not values:
            raise DomainError("Deze mutatie verandert niets aan het dienstverband.")
        version = _apply(actor=actor, version=version, day=effective_date, changes=changes)
    return _log(actor=actor, kind=kind, employment=version, day=effective_date, values=values)


def anniversaries(employer_ids: list[int], month: date) -> list[tuple[Employment, date]]:
    """The Wsw employees whose employment anniversary falls in `month` and who can still
    go up a step: the periodieke verhoging of that month, with its date."""
    tables = WageTables.load()
    first, last = month_bounds(month)
    starts: dict[int, date] = {}
    for person_id, start in Employment.objects.filter(
        kind=Employment.Kind.WSW, person__employments__employer_id__in=employer_ids
    ).values_list("person_id", "valid_from"):
        starts[person_id] = min(start, starts.get(person_id, start))
    found = []
    for version in (
        Employment.objects.filter(kind=Employment.Kind.WSW, employer_id__in=employer_ids)
        .active_on(first)
        .select_related("person")
        .order_by("person__search_name", "pk")
    ):
        start = starts[version.person_id]
        if start.month != first.month or start.year >= first.year:
            continue
        day = first.replace(day=min(start.day, last.day))
        top = tables.top_step(version.scale)
        can_rise = version.step is not None and top is not None and version.step < top
        if can_rise and (version.valid_to is None or version.valid_to >= day):
            found.append((version, day))
    return found


@transaction.atomic
def apply_periodic_increases(*, actor: Any, employer_ids: list[int], month: date) -> int:
    done = 0
    for version, day in anniversaries(employer_ids, month):
        if EmploymentChange.objects.filter(
            person_id=version.person_id, kind=Kind.PERIODIC_INCREASE, effective_date=day
        ).exists():
            continue
        record_employment_change(
            actor=actor, person=version.person, kind=Kind.PERIODIC_INCREASE, effective_date=day
        )
        done += 1
    return done


# --- Indexation ---------------------------------------------------------------------------


@transaction.atomic
def propose_indexation(*, actor: Any, effective_date: date) -> IndexationRun:
    """Propose every employee's wage from `effective_date` (Wsw on the CAO table, beschut
    werk on the WML); nothing changes until a second person approves."""
    if IndexationRun.objects.filter(
        effective_date=effective_date, status=IndexationRun.Status.PROPOSED
    ).exists():
        raise DomainError(
            f"Er staat al een voorstel voor {effective_date:%d-%m-%Y}; trek dat eerst in.",
            field="effective_date",
        )
    run = IndexationRun.objects.create(effective_date=effective_date, created_by=actor)
    tables = WageTables.load()
    lines = []
    for pk, person, employer, kind, scale, step, hours, wage in (
        Employment.objects.active_on(effective_date)
        .exclude(kind=Employment.Kind.STAFF)
        .order_by("employer_id", "person_id")
        .values_list(
            "pk",
            "person_id",
            "employer_id",
            "kind",
            "scale",
            "step",
            "hours_per_week",
            "gross_monthly_wage",
        )
    ):
        proposal = indexed_wage(
            tables,
            kind=kind,
            scale=scale,
            step=step,
            hours_per_week=hours,
            wage=wage,
            day=effective_date,
        )
        lines.append(
            IndexationLine(
                run=run, employment_id=pk, person_id=person, employer_id=employer,
                old_wage=wage, new_wage=proposal.new_wage, reason=proposal.reason[:120],
            )
        )  # fmt: skip
    IndexationLine.objects.bulk_create(lines, batch_size=2000)
    audit.record_change(
        actor=actor,
        action=AuditAction.INDEXATION_PROPOSED,
        obj=run,
        changes={"effective_date": _pair(None, effective_date), "lines": _pair(None, len(lines))},
    )
    return run


@transaction.atomic
def withdraw_indexation(*, actor: Any, run: IndexationRun) -> IndexationRun:
    run = IndexationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != IndexationRun.Status.PROPOSED:
        raise DomainError("Alleen een voorstel kan worden ingetrokken.")
    run.status, run.decided_by, run.decided_at = (
        IndexationRun.Status.WITHDRAWN,
        actor,
        timezone.now(),
    )
    run.save()
    audit.record_change(actor=actor, action=AuditAction.INDEXATION_WITHDRAWN, obj=run, changes={})
    return run


@transaction.atomic
def approve_indexation(*, actor: Any, run: IndexationRun) -> int:
    """Approve by someone other than the proposer, and apply: every raised wage becomes a
    new employment version from the effective date (audited per employee)."""
    run = IndexationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != IndexationRun.Status.PROPOSED:
        raise DomainError("Dit voorstel is al afgehandeld.")
    if run.created_by_id == getattr(actor, "pk", None):
        raise DomainError("Vier ogen: een ander dan de voorsteller keurt de indexatie goed.")
    applied = 0
    for line in run.lines.filter(new_wage__gt=F("old_wage")).select_related("employment", "person"):
        version = line.employment
        if version.gross_monthly_wage != line.old_wage or not (
            version.valid_from <= run.effective_date
            and (version.valid_to is None or version.valid_to >= run.effective_date)
        ):
            raise DomainError(
                f"Het dienstverband van {line.person} is na het voorstel gewijzigd; "
                "maak een nieuw voorstel."
            )
        current = _apply(
            actor=actor,
            version=version,
            day=run.effective_date,
            changes={"gross_monthly_wage": line.new_wage},
        )
        _log(
            actor=actor, kind=Kind.INDEXATION, employment=current, day=run.effective_date,
            values={"gross_monthly_wage": _pair(line.old_wage, line.new_wage)},
        )  # fmt: skip
        applied += 1
    run.status, run.decided_by, run.decided_at = IndexationRun.Status.APPLIED, actor, timezone.now()
    run.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.INDEXATION_APPROVED,
        obj=run,
        changes={"applied": _pair(None, applied)},
    )
    return applied


# --- Payroll ------------------------------------------------------------------------------


@transaction.atomic
def finalise_payroll(*, actor: Any, employer: Organisation, month: date) -> PayrollExport:
    """Make the month's file final: its wage lines, the corrections of earlier months and the
    changes not reported before are stored, so the file downloads the same every time."""
    month = month.replace(day=1)
    if PayrollExport.objects.filter(employer=employer, month__gte=month).exists():
        raise DomainError(
            f"Er is al een definitief salarisbestand van {employer} voor {month:%m-%Y} of later.",
            field="month",
        )
    lines, changes = payroll_file.pending(employer, month)
    export = PayrollExport.objects.create(employer=employer, month=month, created_by=actor)
    for line in lines:
        line.export = export
    PayrollLine.objects.bulk_create(lines, batch_size=2000)
    EmploymentChange.objects.filter(pk__in=[c.pk for c in changes]).update(exported_in=export)
    audit.record_change(
        actor=actor,
        action=AuditAction.PAYROLL_FINALISED,
        obj=export,
        changes={"lines": _pair(None, len(lines)), "changes": _pair(None, len(changes))},
    )
    return export


# --- Employer charges and statistiek --------------------------------------------------------


@transaction.atomic
def add_employer_charge(
    *,
    actor: Any,
    component: str,
    percentage: Decimal,
    valid_from: date,
    employer: Organisation | None,
) -> EmployerCharge:
    if not Decimal(0) <= percentage <= Decimal(100):
        raise DomainError("Een percentage ligt tussen 0 en 100.", field="percentage")
    if EmployerCharge.objects.filter(
        employer=employer, component=component, valid_from=valid_from
    ).exists():
        raise DomainError(
            f"Voor {component} staat al een percentage per {valid_from:%d-%m-%Y}.",
            field="valid_from",
        )
    charge = EmployerCharge.objects.create(
        employer=employer,
        component=component.strip(),
        percentage=percentage,
        valid_from=valid_from,
        recorded_by=actor,
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.EMPLOYER_CHARGE_SAVED,
        obj=charge,
        changes=audit.diff(
            {}, audit.snapshot(charge, ["employer", "component", "percentage", "valid_from"])
        ),
    )
    return charge


@transaction.atomic
def deliver_statistics(
    *, actor: Any, municipality: Municipality, year: int, half: int
) -> StatisticsDelivery:
    """Keep the file as delivered (content and SHA-256), with its totals."""
    rows = statistics.person_rows(municipality, year, half)
    content = statistics.file_text(rows, municipality, year, half)
    delivery = StatisticsDelivery.objects.create(
        municipality=municipality,
        year=year,
        half=half,
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        persons=len(rows),
        work_years=statistics.total_work_years(rows),
        delivered_by=actor,
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.STATISTICS_DELIVERED,
        obj=delivery,
        changes={"sha256": _pair(None, delivery.sha256), "persons": _pair(None, len(rows))},
    )
    return delivery
