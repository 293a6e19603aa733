"""The monthly payroll file of one employer (docs/payroll_file.md): wage lines, corrections
of earlier months and the changes (mutaties), as CSV and Excel, from one table."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.params import month_bounds
from werkregie.core.reports import Column, Table, Unit, WorkYears
from werkregie.hr import payroll
from werkregie.hr.events import HrEvent
from werkregie.hr.models import EmploymentChange, PayrollExport, PayrollLine
from werkregie.organisations.models import Organisation
from werkregie.people.models import Employment, Person

COLUMNS = [
    Column("line", "soort_regel"),
    Column("employer", "werkgever"),
    Column("period", "loonperiode"),
    Column("personnel_number", "personeelsnummer"),
    Column("bsn", "bsn"),
    Column("name", "naam"),
    Column("work_form", "werkvorm"),
    Column("scale", "schaal"),
    Column("step", "trede"),
    Column("hours_per_week", "uren_per_week", Unit.HOURS),
    Column("gross_wage", "bruto_loon", Unit.MONEY),
    Column("hours", "uren", Unit.HOURS),
    Column("work_years", "arbeidsjaren", Unit.WORK_YEARS),
    Column("change", "mutatie"),
    Column("effective_date", "ingangsdatum"),
    Column("values", "oud_nieuw"),
]
LINE_LABELS = {"wage": "loon", "correction": "correctie"}
FORMS = dict(Employment.WorkForm.choices)


@dataclass
class PayrollFile:
    employer: Organisation
    month: date
    final: bool
    table: Table
    person_ids: list[int]
    changes: int

    @property
    def base_name(self) -> str:
        return f"salarisbestand-{self.employer.code}-{self.month:%Y-%m}"

    def csv_bytes(self) -> bytes:
        return self.table.csv_text().encode("utf-8-sig")

    def xlsx_bytes(self) -> bytes:
        return self.table.xlsx_bytes()

    def audit_entries(self, details: dict[str, Any] | None = None) -> list[audit.AuditEntry]:
        """One entry per person whose wage the file shows."""
        return [("people.person", str(pk), "", pk, details or {}) for pk in self.person_ids]

    def record_read(self, actor: User | None, details: dict[str, Any] | None = None) -> None:
        """Audit that `actor` saw the wages of everyone in the file."""
        audit.record_rows(
            actor=actor, action=HrEvent.PAYROLL_VIEWED, entries=self.audit_entries(details)
        )


@dataclass(frozen=True, slots=True)
class _Shown:
    """What a payroll file shows of a person: read as values, not as a Person (issue 17)."""

    pk: int
    personnel_number: str | None
    bsn: str | None
    full_name: str


def _people(ids: set[int]) -> dict[int, _Shown]:
    rows = Person.objects.filter(pk__in=list(ids)).values_list(
        "pk", "personnel_number", "bsn", *Person.NAME_FIELDS
    )
    return {
        pk: _Shown(pk, number, bsn, Person.format_name(*name))
        for pk, number, bsn, *name in rows.iterator(chunk_size=5000)
    }


@dataclass(frozen=True, slots=True)
class FileLine:
    """A wage or correction line of a file not yet final: the values of a PayrollLine,
    without a model instance per line (`stored` makes the row when the file is final)."""

    person_id: int
    period: date
    kind: str
    gross_wage: Any
    hours: Any
    work_years: Any
    work_form: str
    scale: str
    step: int | None
    hours_per_week: Any

    def stored(self, export: PayrollExport) -> PayrollLine:
        return PayrollLine(
            export=export,
            person_id=self.person_id,
            period=self.period,
            kind=self.kind,
            gross_wage=self.gross_wage,
            hours=self.hours,
            work_years=self.work_years,
            work_form=self.work_form,
            scale=self.scale,
            step=self.step,
            hours_per_week=self.hours_per_week,
        )


def _line_row(employer: Organisation, person: _Shown, line: Any, kind: str) -> dict[str, Any]:
    return {
        "line": LINE_LABELS[kind],
        "employer": employer.code,
        "period": f"{line.period:%Y-%m}",
        "personnel_number": person.personnel_number or "",
        "bsn": person.bsn or "",
        "name": person.full_name,
        "work_form": FORMS.get(line.work_form, line.work_form),
        "scale": line.scale,
        "step": "" if line.step is None else str(line.step),
        "hours_per_week": line.hours_per_week,
        "gross_wage": line.gross_wage,
        "hours": line.hours,
        "work_years": WorkYears(line.work_years),
    }


def _change_row(employer: Organisation, person: _Shown, change: EmploymentChange) -> dict[str, Any]:
    return {
        "line": "mutatie",
        "employer": employer.code,
        "period": f"{change.effective_date:%Y-%m}",
        "personnel_number": person.personnel_number or "",
        "bsn": person.bsn or "",
        "name": person.full_name,
        "change": change.get_kind_display(),
        "effective_date": change.effective_date.isoformat(),
        "values": change.describe(),
    }


def _build(
    employer: Organisation,
    month: date,
    final: bool,
    lines: list[Any],
    changes: list[EmploymentChange],
) -> PayrollFile:
    people = _people({line.person_id for line in lines} | {c.person_id for c in changes})
    rows = [
        _line_row(employer, people[line.person_id], line, kind)
        for line, kind in _ordered(lines, people)
    ]
    rows += [_change_row(employer, people[c.person_id], c) for c in changes]
    table = Table(title=f"Salaris {month:%Y-%m}", columns=COLUMNS, rows=rows)
    table.check()
    return PayrollFile(employer, month, final, table, sorted(people), len(changes))


def _ordered(lines: list[Any], people: dict[int, _Shown]) -> list[tuple[Any, str]]:
    def key(line: Any) -> tuple[Any, ...]:
        person = people[line.person_id]
        return (line.kind != "wage", person.personnel_number or "", person.pk, line.period)

    return [(line, line.kind) for line in sorted(lines, key=key)]


def stored_file(export: PayrollExport) -> PayrollFile:
    """A final file exactly as it was made."""
    lines = list(PayrollLine.objects.filter(export=export))
    changes = list(
        EmploymentChange.objects.filter(exported_in=export).order_by("effective_date", "pk")
    )
    return _build(export.employer, export.month, True, lines, changes)


def _unsaved(
    line: "payroll.MonthLine | None",
    person_id: int,
    period: date,
    kind: str,
    amounts: tuple[Any, Any, Any],
) -> FileLine:
    return FileLine(
        person_id=person_id,
        period=period,
        kind=kind,
        gross_wage=amounts[0],
        hours=amounts[1],
        work_years=amounts[2],
        work_form=line.work_form if line else "",
        scale=line.scale if line else "",
        step=line.step if line else None,
        hours_per_week=line.hours_per_week if line else None,
    )


def pending(employer: Organisation, month: date) -> tuple[list[FileLine], list[EmploymentChange]]:
    """The lines (unsaved) and changes the file of `month` holds if made final now: every
    employee's month, the corrections of months reported before, the changes not yet sent."""
    month = month.replace(day=1)
    lines = [
        _unsaved(
            line,
            line.person_id,
            month,
            PayrollLine.Kind.WAGE,
            (line.gross_wage, line.hours, line.work_years),
        )
        for line in payroll.compute_month(payroll.employer_employments(employer.pk), month).values()
    ]
    lines += [
        _unsaved(
            c.line,
            c.person_id,
            c.period,
            PayrollLine.Kind.CORRECTION,
            (c.gross_wage, c.hours, c.work_years),
        )
        for c in payroll.corrections(employer.pk, month)
    ]
    _, last = month_bounds(month)
    changes = list(
        EmploymentChange.objects.filter(
            employer=employer, exported_in__isnull=True, effective_date__lte=last
        ).order_by("effective_date", "pk")
    )
    return lines, changes


def preview_file(employer: Organisation, month: date) -> PayrollFile:
    """What the file of `month` will hold if made final now."""
    lines, changes = pending(employer, month)
    return _build(employer, month.replace(day=1), False, lines, changes)
