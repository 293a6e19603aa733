"""HR's write API: employment changes (mutaties), indexation runs, final payroll files,
employer charge versions and Wsw-statistiek deliveries. Atomic and audited, as everywhere."""

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.core.money import cents
from werkregie.core.params import month_bounds
from werkregie.hr import payroll_file, statistics
from werkregie.hr.events import HrEvent
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
from werkregie.people import services as people_services
from werkregie.people.models import Employment, Person

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


def _log(
    *,
    actor: User | None,
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
        action=HrEvent.EMPLOYMENT_CHANGE_RECORDED,
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


# --- Employment changes (mutaties): one service per kind --------------------------------
# Each records the change with its effective date as an EmploymentChange (what the payroll
# file reports); the employment itself is changed through people.services, which keeps the
# history in versions. `record_employment_change` picks the service for a kind given as data
# (the screen and the API).


def _revise(
    *, actor: User | None, kind: str, version: Employment, day: date, changes: dict[str, Any]
) -> EmploymentChange:
    """Change `version` (valid on `day`) from `day` on: refused when nothing would change."""
    values = {name: _pair(getattr(version, name), value) for name, value in changes.items()}
    values = {name: pair for name, pair in values.items() if pair["old"] != pair["new"]}
    if not values:
        raise DomainError("Deze mutatie verandert niets aan het dienstverband.")
    current = people_services.revise_employment(
        actor=actor, employment=version, effective_date=day, changes=changes
    )
    return _log(actor=actor, kind=kind, employment=current, day=day, values=values)


@transaction.atomic
def change_hours(
    *, actor: User | None, person: Person, effective_date: date, hours_per_week: Decimal | None
) -> EmploymentChange:
    """Other hours per week; the wage follows pro rata (from the table when there were none)."""
    version = version_on(person, effective_date)
    if hours_per_week is None or hours_per_week == version.hours_per_week:
        raise DomainError("Geef het nieuwe aantal uren per week.", field="hours_per_week")
    if version.hours_per_week:
        wage = cents(version.gross_monthly_wage * hours_per_week / version.hours_per_week)
    else:
        wage = WageTables.load().table_wage(
            version.scale, version.step, hours_per_week, effective_date
        ) or Decimal(0)
    return _revise(
        actor=actor,
        kind=Kind.HOURS,
        version=version,
        day=effective_date,
        changes={"hours_per_week": hours_per_week, "gross_monthly_wage": wage},
    )


def _to_scale_step(
    *,
    actor: User | None,
    kind: str,
    version: Employment,
    day: date,
    tables: WageTables,
    scale: str,
    step: int,
) -> EmploymentChange:
    wage = _wage_for(tables, version, day, scale, step)
    return _revise(
        actor=actor,
        kind=kind,
        version=version,
        day=day,
        changes={"scale": scale, "step": step, "gross_monthly_wage": wage},
    )


@transaction.atomic
def change_scale_step(
    *, actor: User | None, person: Person, effective_date: date, scale: str, step: int | None
) -> EmploymentChange:
    """Another scale and step; the personal allowance above the old table wage is kept."""
    if not scale or step is None:
        raise DomainError("Geef schaal en trede.", field="scale")
    return _to_scale_step(
        actor=actor,
        kind=Kind.SCALE_STEP,
        version=version_on(person, effective_date),
        day=effective_date,
        tables=WageTables.load(),
        scale=scale,
        step=step,
    )


@transaction.atomic
def grant_periodic_increase(
    *, actor: User | None, person: Person, effective_date: date
) -> EmploymentChange:
    """One step up in the same scale (periodieke verhoging), refused at the top step."""
    version = version_on(person, effective_date)
    tables = WageTables.load()
    top = tables.top_step(version.scale)
    if version.step is None or top is None or version.step >= top:
        raise DomainError(
            f"{person} staat al op de hoogste trede van schaal {version.scale}.", field="step"
        )
    return _to_scale_step(
        actor=actor,
        kind=Kind.PERIODIC_INCREASE,
        version=version,
        day=effective_date,
        tables=tables,
        scale=version.scale,
        step=version.step + 1,
    )


@transaction.atomic
def move_to_team(
    *, actor: User | None, person: Person, effective_date: date, team: Team | None
) -> EmploymentChange:
    version = version_on(person, effective_date)
    return _revise(
        actor=actor, kind=Kind.TEAM, version=version, day=effective_date, changes={"team": team}
    )


@transaction.atomic
def move_to_site(
    *, actor: User | None, person: Person, effective_date: date, site: Site | None
) -> EmploymentChange:
    version = version_on(person, effective_date)
    return _revise(
        actor=actor, kind=Kind.SITE, version=version, day=effective_date, changes={"site": site}
    )


@transaction.atomic
def start_secondment(
    *, actor: User | None, person: Person, effective_date: date, work_form: str
) -> EmploymentChange:
    """The employee goes to work at an employer: group or individual secondment, or
    supported employment (begeleid werken)."""
    version = version_on(person, effective_date)
    if work_form not in SECONDMENT_FORMS:
        raise DomainError(
            "Kies de werkvorm van de detachering: groeps-, individuele detachering of "
            "begeleid werken.",
            field="work_form",
        )
    return _revise(
        actor=actor,
        kind=Kind.SECONDMENT_START,
        version=version,
        day=effective_date,
        changes={"work_form": work_form},
    )


@transaction.atomic
def end_secondment(
    *, actor: User | None, person: Person, effective_date: date, work_form: str = ""
) -> EmploymentChange:
    """Back from a secondment to a work form without one (sheltered inside unless given)."""
    new_form = work_form or Employment.WorkForm.SHELTERED_INSIDE
    version = version_on(person, effective_date)
    if new_form in SECONDMENT_FORMS or version.work_form not in SECONDMENT_FORMS:
        raise DomainError(
            "Einde detachering: de medewerker is niet gedetacheerd, of kies een werkvorm "
            "zonder detachering.",
            field="work_form",
        )
    return _revise(
        actor=actor,
        kind=Kind.SECONDMENT_END,
        version=version,
        day=effective_date,
        changes={"work_form": new_form},
    )


def _start_absence(
    *, actor: User | None, kind: str, person: Person, day: date, absence_kind: str, leave_type: str
) -> EmploymentChange:
    version = version_on(person, day)
    if Absence.objects.filter(person=person, kind=absence_kind, end_date__isnull=True).exists():
        what = "ziek" if absence_kind == Absence.Kind.SICKNESS else "met verlof"
        raise DomainError(f"{person} is al {what} gemeld.")
    Absence.objects.create(person=person, kind=absence_kind, leave_type=leave_type, start_date=day)
    values = {"start": _pair(None, day)}
    if leave_type:
        values["leave_type"] = _pair(None, leave_type)
    return _log(actor=actor, kind=kind, employment=version, day=day, values=values)


def _end_absence(
    *, actor: User | None, kind: str, person: Person, day: date, absence_kind: str
) -> EmploymentChange:
    version = version_on(person, day)
    absence = Absence.objects.filter(
        person=person, kind=absence_kind, end_date__isnull=True
    ).first()
    if absence is None:
        what = "ziekmelding" if absence_kind == Absence.Kind.SICKNESS else "verlof"
        raise DomainError(f"{person} heeft geen open {what}.")
    if day < absence.start_date:
        raise DomainError(
            f"De einddatum ligt vóór het begin ({absence.start_date:%d-%m-%Y}).",
            field="effective_date",
        )
    # The recovery date is the first day back: the absence ends the day before.
    absence.end_date = max(absence.start_date, day - timedelta(days=1))
    absence.save(update_fields=["end_date"])
    values = {"end": _pair(None, absence.end_date)}
    return _log(actor=actor, kind=kind, employment=version, day=day, values=values)


@transaction.atomic
def report_sick(*, actor: User | None, person: Person, effective_date: date) -> EmploymentChange:
    return _start_absence(
        actor=actor,
        kind=Kind.SICKNESS_START,
        person=person,
        day=effective_date,
        absence_kind=Absence.Kind.SICKNESS,
        leave_type="",
    )


@transaction.atomic
def report_recovery(
    *, actor: User | None, person: Person, effective_date: date
) -> EmploymentChange:
    """Better from `effective_date`, the first day back."""
    return _end_absence(
        actor=actor,
        kind=Kind.RECOVERY,
        person=person,
        day=effective_date,
        absence_kind=Absence.Kind.SICKNESS,
    )


@transaction.atomic
def start_leave(
    *, actor: User | None, person: Person, effective_date: date, leave_type: str = ""
) -> EmploymentChange:
    return _start_absence(
        actor=actor,
        kind=Kind.LEAVE_START,
        person=person,
        day=effective_date,
        absence_kind=Absence.Kind.LEAVE,
        leave_type=leave_type,
    )


@transaction.atomic
def end_leave(*, actor: User | None, person: Person, effective_date: date) -> EmploymentChange:
    """Back from leave on `effective_date`."""
    return _end_absence(
        actor=actor,
        kind=Kind.LEAVE_END,
        person=person,
        day=effective_date,
        absence_kind=Absence.Kind.LEAVE,
    )


@transaction.atomic
def end_employment(
    *, actor: User | None, person: Person, effective_date: date, end_reason: str
) -> EmploymentChange:
    """Uitdiensttreding after `effective_date`; on retirement the day before the pension date
    (AOW age), whatever date was given."""
    if end_reason not in EmploymentChange.EndReason.values:
        raise DomainError("Kies de reden van uitdiensttreding.", field="end_reason")
    if end_reason == EmploymentChange.EndReason.RETIREMENT:
        effective_date = pension_date(person.birth_date) - timedelta(days=1)
    version = version_on(person, effective_date)
    values = {"valid_to": _pair(version.valid_to, effective_date)}
    people_services.end_employment(
        actor=actor, employment=version, last_day=effective_date, reason=end_reason
    )
    return _log(
        actor=actor,
        kind=Kind.END,
        employment=version,
        day=effective_date,
        values=values,
        end_reason=end_reason,
    )


def record_employment_change(
    *,
    actor: User | None,
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
    """The mutatie of `kind` as the screen and the API give it: the service of that kind,
    with the fields it takes (the others are ignored)."""
    at: dict[str, Any] = {"actor": actor, "person": person, "effective_date": effective_date}
    services: dict[str, Callable[[], EmploymentChange]] = {
        Kind.HOURS: lambda: change_hours(**at, hours_per_week=hours_per_week),
        Kind.SCALE_STEP: lambda: change_scale_step(**at, scale=scale, step=step),
        Kind.PERIODIC_INCREASE: lambda: grant_periodic_increase(**at),
        Kind.TEAM: lambda: move_to_team(**at, team=team),
        Kind.SITE: lambda: move_to_site(**at, site=site),
        Kind.SECONDMENT_START: lambda: start_secondment(**at, work_form=work_form),
        Kind.SECONDMENT_END: lambda: end_secondment(**at, work_form=work_form),
        Kind.SICKNESS_START: lambda: report_sick(**at),
        Kind.RECOVERY: lambda: report_recovery(**at),
        Kind.LEAVE_START: lambda: start_leave(**at, leave_type=leave_type),
        Kind.LEAVE_END: lambda: end_leave(**at),
        Kind.END: lambda: end_employment(**at, end_reason=end_reason),
    }
    if kind not in services:
        raise DomainError("Onbekende soort mutatie.", field="kind")
    return services[kind]()


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
def apply_periodic_increases(*, actor: User | None, employer_ids: list[int], month: date) -> int:
    done = 0
    for version, day in anniversaries(employer_ids, month):
        if EmploymentChange.objects.filter(
            person_id=version.person_id, kind=Kind.PERIODIC_INCREASE, effective_date=day
        ).exists():
            continue
        grant_periodic_increase(actor=actor, person=version.person, effective_date=day)
        done += 1
    return done


# --- Indexation ---------------------------------------------------------------------------


@transaction.atomic
def propose_indexation(*, actor: User | None, effective_date: date) -> IndexationRun:
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
        action=HrEvent.INDEXATION_PROPOSED,
        obj=run,
        changes={"effective_date": _pair(None, effective_date), "lines": _pair(None, len(lines))},
    )
    return run


@transaction.atomic
def withdraw_indexation(*, actor: User | None, run: IndexationRun) -> IndexationRun:
    run = IndexationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != IndexationRun.Status.PROPOSED:
        raise DomainError("Alleen een voorstel kan worden ingetrokken.")
    run.status, run.decided_by, run.decided_at = (
        IndexationRun.Status.WITHDRAWN,
        actor,
        timezone.now(),
    )
    run.save()
    audit.record_change(actor=actor, action=HrEvent.INDEXATION_WITHDRAWN, obj=run, changes={})
    return run


@transaction.atomic
def approve_indexation(*, actor: User | None, run: IndexationRun) -> int:
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
        current = people_services.revise_employment(
            actor=actor,
            employment=version,
            effective_date=run.effective_date,
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
        action=HrEvent.INDEXATION_APPROVED,
        obj=run,
        changes={"applied": _pair(None, applied)},
    )
    return applied


# --- Payroll ------------------------------------------------------------------------------


@transaction.atomic
def finalise_payroll(*, actor: User | None, employer: Organisation, month: date) -> PayrollExport:
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
    PayrollLine.objects.bulk_create([line.stored(export) for line in lines], batch_size=2000)
    EmploymentChange.objects.filter(pk__in=[c.pk for c in changes]).update(exported_in=export)
    audit.record_change(
        actor=actor,
        action=HrEvent.PAYROLL_FINALISED,
        obj=export,
        changes={"lines": _pair(None, len(lines)), "changes": _pair(None, len(changes))},
    )
    return export


# --- Employer charges and statistiek --------------------------------------------------------


@transaction.atomic
def add_employer_charge(
    *,
    actor: User | None,
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
        action=HrEvent.EMPLOYER_CHARGE_SAVED,
        obj=charge,
        changes=audit.diff(
            {}, audit.snapshot(charge, ["employer", "component", "percentage", "valid_from"])
        ),
    )
    return charge


@transaction.atomic
def deliver_statistics(
    *, actor: User | None, municipality: Municipality, year: int, half: int
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
        action=HrEvent.STATISTICS_DELIVERED,
        obj=delivery,
        changes={"sha256": _pair(None, delivery.sha256), "persons": _pair(None, len(rows))},
    )
    return delivery
