"""The transition's write API. This part: importing the old company's exports."""

import hashlib
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.bsn import mask_bsn
from werkregie.core.db import insert_rows
from werkregie.core.progress import NO_PROGRESS, Progress
from werkregie.core.tables import Table
from werkregie.organisations.models import Municipality
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import (
    LegacyContract,
    LegacyEmployee,
    LegacyRecord,
    LegacyTrajectory,
    RosterFile,
    RosterImport,
)
from werkregie.transition.roster import (
    FieldError,
    Identity,
    ParsedRoster,
    RosterError,
    check_against_earlier,
    check_contract_people,
    kind_of,
    parse_roster,
    read_tables,
)

# Export column → model column (attname: `residence_id` for a foreign key), per file kind.
EMPLOYEE_FIELDS = {
    "personeelsnummer": "personnel_number",
    "bsn": "bsn",
    "achternaam": "surname",
    "tussenvoegsel": "surname_prefix",
    "voorletters": "initials",
    "roepnaam": "given_name",
    "geboortedatum": "birth_date",
    "geslacht": "sex",
    "postcode": "postcode",
    "huisnummer": "house_number",
    "woongemeente": "residence_id",
    "soort_dienstverband": "contract_kind",
    "indicatie": "indication",
    "werkvorm": "work_form",
    "afdeling": "department",
    "team": "team",
    "leidinggevende": "leader_number",
    "locatie": "site",
    "werkgemeente": "work_municipality_id",
    "inlener_kvk": "hirer_kvk",
    "inlener_naam": "hirer_name",
    "cao": "collective_agreement",
    "schaal": "scale",
    "trede": "step",
    "uren_per_week": "hours_per_week",
    "bruto_maandloon": "gross_monthly_wage",
    "datum_in_dienst": "start_date",
    "functie": "job_title",
}
TRAJECTORY_FIELDS = {
    "trajectnummer": "number",
    "bsn": "bsn",
    "achternaam": "surname",
    "voorletters": "initials",
    "geboortedatum": "birth_date",
    "woongemeente": "residence_id",
    "opdrachtgever": "client_owner",
    "product": "product",
    "startdatum": "start_date",
    "einddatum": "end_date",
    "prijs": "price",
}
CONTRACT_FIELDS = {
    "contractnummer": "number",
    "soort": "kind",
    "klant_kvk": "customer_kvk",
    "klant_naam": "customer_name",
    "startdatum": "start_date",
    "einddatum": "end_date",
    "tarief_per_uur": "hourly_rate",
    "personeelsnummers": "personnel_numbers",
}


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    errors: list[RosterError] = field(default_factory=list)
    counts: dict[str, KindCounts] = field(default_factory=dict)
    dry_run: bool = False
    # What the user should know although nothing is wrong (a file without rows).
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


class _Lookups:
    def __init__(self) -> None:
        self.by_key: dict[str, int] = {}
        for pk, code, name in Municipality.objects.values_list("pk", "cbs_code", "name"):
            self.by_key[code.lower()] = pk
            self.by_key[name.lower()] = pk
        self.codes = dict(Municipality.objects.values_list("pk", "cbs_code"))

    def municipality(self, value: str) -> int:
        found = self.by_key.get(value.strip().lower())
        if found is None:
            raise FieldError(
                f"Onbekende gemeente '{value}': gebruik een CBS-code (GM0141) of de naam."
            )
        return found

    def client_owner(self, value: str) -> str:
        if value.strip().upper() == "UWV":
            return "UWV"
        return self.codes[self.municipality(value)]


def _audit_value(name: str, value: Any) -> Any:
    # A BSN change is recorded without copying the number (as in the people registry).
    return mask_bsn(value) if name == "bsn" else audit.json_value(value)


def _upsert(
    model: type[LegacyRecord],
    rows: list[dict[str, Any]],
    columns: dict[str, str],
    *,
    write: bool,
    actor: User | None,
) -> KindCounts:
    """Create new records and update changed fields; identical rows are left alone.

    Rows travel as value tuples, not model instances: an export has tens of thousands.
    """
    counts = KindCounts()
    fields = {f.attname: f for f in model._meta.concrete_fields}
    attnames = list(columns.values())
    cells = operator.itemgetter(*columns)
    # An empty cell is "" in a text column and NULL only where the column allows it.
    not_null = [not fields[name].null for name in attnames]
    key_index = attnames.index(model.KEY)
    # The legacy tables hold one export: reading them whole is one query.
    existing = {
        row[key_index + 1]: row
        for row in model._default_manager.order_by().values_list("pk", *attnames)
    }
    new: list[tuple[Any, ...]] = []
    changes: list[tuple[int, tuple[Any, ...], audit.Change]] = []
    for row in rows:
        values = cells(row)
        if None in values:
            values = tuple(
                "" if value is None and fill else value
                for value, fill in zip(values, not_null, strict=True)
            )
        current = existing.get(values[key_index])
        if current is None:
            new.append(values)
            continue
        diff = {
            fields[name].name: {"old": _audit_value(name, old), "new": _audit_value(name, value)}
            for name, old, value in zip(attnames, current[1:], values, strict=True)
            if old != value
        }
        if diff:
            changes.append((current[0], values, diff))
        else:
            counts.unchanged += 1
    counts.created, counts.updated = len(new), len(changes)
    if not write:
        return counts
    ids = insert_rows(model, attnames, new)
    if changes:
        model._default_manager.bulk_update(
            [
                model(**{"id": pk, **dict(zip(attnames, values, strict=True))})
                for pk, values, _ in changes
            ],
            sorted({name for *_, diff in changes for name in diff}),
            batch_size=2000,
        )
    kind = model._meta.label_lower
    audit.record_rows(
        actor=actor,
        action=TransitionEvent.LEGACY_RECORD_CREATED,
        entries=(
            (kind, str(pk), model.LABEL.format(values[key_index]), None, {})
            for pk, values in zip(ids, new, strict=True)
        ),
    )
    audit.record_rows(
        actor=actor,
        action=TransitionEvent.LEGACY_RECORD_CHANGED,
        entries=(
            (kind, str(pk), model.LABEL.format(values[key_index]), None, diff)
            for pk, values, diff in changes
        ),
    )
    return counts


def _earlier_identities(parsed: ParsedRoster) -> dict[str, Identity]:
    """Who each BSN belongs to in the records of earlier imports that this import leaves as
    they are (a row of this import replaces its own earlier record)."""
    replaced_employees = {row["personeelsnummer"] for row in parsed.employees}
    replaced_trajectories = {row["trajectnummer"] for row in parsed.trajectories}
    earlier: dict[str, Identity] = {}
    for number, bsn, surname, prefix, born in LegacyEmployee.objects.values_list(
        "personnel_number", "bsn", "surname", "surname_prefix", "birth_date"
    ):
        if number not in replaced_employees:
            earlier.setdefault(
                bsn,
                Identity.of(
                    surname, prefix, born, f"een eerdere import (personeelsnummer {number})"
                ),
            )
    for number, bsn, surname, born in LegacyTrajectory.objects.values_list(
        "number", "bsn", "surname", "birth_date"
    ):
        if number not in replaced_trajectories:
            earlier.setdefault(
                bsn, Identity.of(surname, "", born, f"een eerdere import (traject {number})")
            )
    return earlier


def _check_against_database(parsed: ParsedRoster) -> None:
    """Rows are checked against the records earlier imports left: the same BSN must be the
    same person, and a contracts file alone names employees imported before."""
    earlier = _earlier_identities(parsed)
    if earlier:
        check_against_earlier([*parsed.employees, *parsed.trajectories], parsed.errors, earlier)
    if not parsed.employees and parsed.contracts:
        check_contract_people(
            parsed, set(LegacyEmployee.objects.values_list("personnel_number", flat=True))
        )
    parsed.errors.sort()


@dataclass
class CheckedRoster:
    """The files as read and checked, before anything is written (`check_roster`)."""

    files: Sequence[tuple[str, bytes]]
    tables: list[Table]
    parsed: ParsedRoster
    unreadable: list[RosterError]


def check_roster(
    files: Sequence[tuple[str, bytes]], *, progress: Progress = NO_PROGRESS
) -> CheckedRoster:
    """Read and check every file on its own and across files; reads no table of ours, so it
    runs outside the write transaction and its progress shows while it runs."""
    lookups = _Lookups()
    tables, unreadable = read_tables(files)
    progress.phase("rijen gecontroleerd", sum(len(table.rows) for table in tables))
    parsed = parse_roster(
        tables,
        municipality=lookups.municipality,
        client_owner=lookups.client_owner,
        progress=progress,
    )
    return CheckedRoster(files=files, tables=tables, parsed=parsed, unreadable=unreadable)


def save_roster(
    checked: CheckedRoster,
    *,
    actor: User | None,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Check against earlier imports, then write when there is no error at all. Run inside
    a transaction (`import_roster`, or the job's)."""
    files, tables, parsed = checked.files, checked.tables, checked.parsed
    _check_against_database(parsed)
    parsed.errors = sorted([*checked.unreadable, *parsed.errors])
    report = ImportReport(errors=parsed.errors, dry_run=dry_run)
    if parsed.errors:
        return report
    write = not dry_run
    progress.phase(
        "rijen vergeleken met Werkregie",
        len(parsed.employees) + len(parsed.trajectories) + len(parsed.contracts),
    )
    report.counts["medewerkers"] = _upsert(
        LegacyEmployee, parsed.employees, EMPLOYEE_FIELDS, write=write, actor=actor
    )
    progress.advance(len(parsed.employees))
    report.counts["trajecten"] = _upsert(
        LegacyTrajectory, parsed.trajectories, TRAJECTORY_FIELDS, write=write, actor=actor
    )
    progress.advance(len(parsed.trajectories))
    report.counts["contracten"] = _upsert(
        LegacyContract, parsed.contracts, CONTRACT_FIELDS, write=write, actor=actor
    )
    progress.advance(len(parsed.contracts))
    for table in tables:
        kind = kind_of(table)
        if kind and not any(table.rows):
            report.notices.append(
                f"{table.name} bevat alleen een kopregel en geen {kind}: daarin is niets gewijzigd."
            )
    if not report.changed:
        report.notices.append(
            "Er is niets gewijzigd: alle rijen staan al zo in Werkregie."
            if any(c.unchanged for c in report.counts.values())
            else "Er is niets gewijzigd: de bestanden bevatten geen rijen."
        )
    if write and report.changed:
        batch = RosterImport.objects.create(
            actor=actor,
            files=[
                {"name": name, "sha256": hashlib.sha256(raw).hexdigest()} for name, raw in files
            ],
            counts={k: vars(v) for k, v in report.counts.items()},
        )
        # Kept as received: the reconciliation reads its "in" side from these bytes.
        kinds = {table.name: kind_of(table) or "" for table in tables}
        RosterFile.objects.bulk_create(
            RosterFile(
                roster_import=batch,
                kind=kinds.get(name, ""),
                name=name,
                sha256=hashlib.sha256(raw).hexdigest(),
                content=raw,
            )
            for name, raw in files
        )
        audit.record_change(
            actor=actor,
            action=TransitionEvent.ROSTER_IMPORTED,
            obj=batch,
            changes={k: {"old": None, "new": vars(v)} for k, v in report.counts.items()},
        )
    return report


def import_roster(
    *, files: Sequence[tuple[str, bytes]], actor: User | None, dry_run: bool = False
) -> ImportReport:
    """Validate all files first; write only when there is no error (all-or-nothing).

    Keyed on personeelsnummer, trajectnummer and contractnummer: the same files again change
    nothing, a corrected file changes only what differs (ROSTER_FORMAT.md). The screen and
    the API run the same two steps as a job (transition.jobs).
    """
    checked = check_roster(files)
    with transaction.atomic():
        return save_roster(checked, actor=actor, dry_run=dry_run)


def report_data(report: ImportReport) -> dict[str, Any]:
    """The report as the API and the job's result give it."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "changed": report.changed,
        "counts": {kind: vars(counts) for kind, counts in report.counts.items()},
        "errors": [vars(error) for error in report.errors],
        "notices": report.notices,
    }


@dataclass
class Received:
    """The old company's records as the accepted files say, file after file (a later file's
    row replaces an earlier one with the same key, as the import does)."""

    employees: dict[str, dict[str, Any]] = field(default_factory=dict)
    trajectories: dict[str, dict[str, Any]] = field(default_factory=dict)
    contracts: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[dict[str, str]] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)


def read_received() -> Received:
    """Parse every kept file again, in the order they were imported (the reconciliation's
    source; issue 14)."""
    lookups = _Lookups()
    received = Received()
    batches: dict[int, list[RosterFile]] = {}
    for kept in RosterFile.objects.select_related("roster_import").order_by(
        "roster_import__created_at", "roster_import_id", "id"
    ):
        batches.setdefault(kept.roster_import_id, []).append(kept)
        received.files.append(
            {
                "name": kept.name,
                "sha256": kept.sha256,
                "imported_at": kept.roster_import.created_at.isoformat(),
            }
        )
    for batch in batches.values():
        raw = [(kept.name, bytes(kept.content)) for kept in batch]
        for kept, data in zip(batch, raw, strict=True):
            if hashlib.sha256(data[1]).hexdigest() != kept.sha256:
                received.errors.append(
                    RosterError(kept.name, 1, "", "De inhoud wijkt af van de bewaarde SHA-256.")
                )
        tables, unreadable = read_tables(raw)
        parsed = parse_roster(
            tables, municipality=lookups.municipality, client_owner=lookups.client_owner
        )
        received.errors.extend([*unreadable, *parsed.errors])
        received.employees.update((row["personeelsnummer"], row) for row in parsed.employees)
        received.trajectories.update((row["trajectnummer"], row) for row in parsed.trajectories)
        received.contracts.update((row["contractnummer"], row) for row in parsed.contracts)
    return received
