"""The transition's write API. This part: importing the old company's exports."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from werkregie.core import audit
from werkregie.core.bsn import mask_bsn
from werkregie.core.db import bulk_insert, filter_in
from werkregie.core.models import AuditAction
from werkregie.organisations.models import Municipality
from werkregie.transition.models import (
    LegacyContract,
    LegacyEmployee,
    LegacyTrajectory,
    RosterImport,
)
from werkregie.transition.roster import (
    FieldError,
    ParsedRoster,
    RosterError,
    check_contract_people,
    parse_roster,
    read_table,
)

# Export column → model field, per file kind.
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
    "woongemeente": "residence",
    "soort_dienstverband": "contract_kind",
    "indicatie": "indication",
    "werkvorm": "work_form",
    "afdeling": "department",
    "team": "team",
    "leidinggevende": "leader_number",
    "locatie": "site",
    "werkgemeente": "work_municipality",
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
    "woongemeente": "residence",
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

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())


class _Lookups:
    def __init__(self) -> None:
        self.by_key: dict[str, Municipality] = {}
        for m in Municipality.objects.all():
            self.by_key[m.cbs_code.lower()] = m
            self.by_key[m.name.lower()] = m

    def municipality(self, value: str) -> Municipality:
        found = self.by_key.get(value.strip().lower())
        if found is None:
            raise FieldError(
                f"Onbekende gemeente '{value}': gebruik een CBS-code (GM0141) of de naam."
            )
        return found

    def client_owner(self, value: str) -> str:
        if value.strip().upper() == "UWV":
            return "UWV"
        return self.municipality(value).cbs_code


def _values(row: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    values = {columns[c]: row[c] for c in columns}
    for name, value in values.items():
        if value is None and name not in ("step", "end_date", "hourly_rate", "work_municipality"):
            values[name] = ""
    return values


def _audit_value(name: str, value: Any) -> Any:
    # A BSN change is recorded without copying the number (as in the people registry).
    return mask_bsn(value) if name == "bsn" else audit.json_value(value)


def _upsert(
    model: type[models.Model],
    key: str,
    rows: list[dict[str, Any]],
    columns: dict[str, str],
    *,
    write: bool,
    actor: Any,
) -> KindCounts:
    """Create new records and update changed fields; identical rows are left alone."""
    counts = KindCounts()
    key_column = next(column for column, name in columns.items() if name == key)
    wanted = [row[key_column] for row in rows]
    existing = {
        getattr(obj, key): obj for obj in filter_in(model._default_manager.all(), key, wanted)
    }
    to_create: list[models.Model] = []
    changes: list[tuple[models.Model, dict[str, Any]]] = []
    for row in rows:
        values = _values(row, columns)
        current = existing.get(values[key])
        if current is None:
            to_create.append(model(**values))
            continue
        diff = {
            name: {
                "old": _audit_value(name, getattr(current, name)),
                "new": _audit_value(name, value),
            }
            for name, value in values.items()
            if getattr(current, name) != value
        }
        if not diff:
            counts.unchanged += 1
            continue
        for name in diff:
            setattr(current, name, values[name])
        changes.append((current, diff))
    counts.created, counts.updated = len(to_create), len(changes)
    if not write:
        return counts
    created = bulk_insert(model, to_create)
    if changes:
        fields = sorted({name for _, diff in changes for name in diff})
        model._default_manager.bulk_update([obj for obj, _ in changes], fields, batch_size=2000)
    audit.record_changes(
        actor=actor,
        action=AuditAction.LEGACY_RECORD_CREATED,
        changes=((obj, {}) for obj in created),
    )
    audit.record_changes(actor=actor, action=AuditAction.LEGACY_RECORD_CHANGED, changes=changes)
    return counts


def _check_against_database(parsed: ParsedRoster) -> None:
    """A contracts file without an employees file is checked against earlier imports."""
    if parsed.employees or not parsed.contracts:
        return
    check_contract_people(
        parsed, set(LegacyEmployee.objects.values_list("personnel_number", flat=True))
    )
    parsed.errors.sort()


@transaction.atomic
def import_roster(
    *, files: Sequence[tuple[str, bytes]], actor: Any, dry_run: bool = False
) -> ImportReport:
    """Validate all files first; write only when there is no error (all-or-nothing).

    Keyed on personeelsnummer, trajectnummer and contractnummer: the same files again change
    nothing, a corrected file changes only what differs (ROSTER_FORMAT.md).
    """
    lookups = _Lookups()
    tables = [read_table(name, raw) for name, raw in files]
    parsed = parse_roster(
        tables, municipality=lookups.municipality, client_owner=lookups.client_owner
    )
    _check_against_database(parsed)
    report = ImportReport(errors=parsed.errors, dry_run=dry_run)
    if parsed.errors:
        return report
    write = not dry_run
    report.counts["medewerkers"] = _upsert(
        LegacyEmployee,
        "personnel_number",
        parsed.employees,
        EMPLOYEE_FIELDS,
        write=write,
        actor=actor,
    )
    report.counts["trajecten"] = _upsert(
        LegacyTrajectory, "number", parsed.trajectories, TRAJECTORY_FIELDS, write=write, actor=actor
    )
    report.counts["contracten"] = _upsert(
        LegacyContract, "number", parsed.contracts, CONTRACT_FIELDS, write=write, actor=actor
    )
    if write and report.changed:
        batch = RosterImport.objects.create(
            actor=actor,
            files=[
                {"name": name, "sha256": hashlib.sha256(raw).hexdigest()} for name, raw in files
            ],
            counts={k: vars(v) for k, v in report.counts.items()},
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.ROSTER_IMPORTED,
            obj=batch,
            changes={k: {"old": None, "new": vars(v)} for k, v in report.counts.items()},
        )
    return report
