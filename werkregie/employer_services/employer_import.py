"""Importing an employer list (CSV or .xlsx): all or nothing, keyed on the KvK number.

Columns (header row, any order): kvk_nummer, naam, postcode, plaats (required);
vestigingsnummer, sbi_code, straat, huisnummer, aantal_medewerkers (optional). A row with a
known KvK number updates that employer; the same file twice changes nothing. A new KvK
number whose name is nearly that of an employer at the same postcode is a possible
duplicate: the row is refused until the file names that employer's KvK number (an update),
or says `ja` in the optional column `andere_werkgever`.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.db import insert_rows
from werkregie.core.tables import (
    FieldError,
    RowError,
    check_unique,
    choice,
    missing_columns,
    parse_int,
    parse_kvk,
    parse_rows,
    read_table,
    row_error,
)
from werkregie.employer_services.events import EmployerServicesEvent
from werkregie.employer_services.models import (
    Employer,
    normalise_employer_name,
    normalise_postcode,
)
from werkregie.employer_services.services import (
    EMPLOYER_FIELDS,
    municipality_of_postcode,
    names_alike,
)
from werkregie.employer_services.vocabulary import sector_of

COLUMNS = [
    "kvk_nummer",
    "vestigingsnummer",
    "naam",
    "sbi_code",
    "straat",
    "huisnummer",
    "postcode",
    "plaats",
    "aantal_medewerkers",
]
REQUIRED = ["kvk_nummer", "naam", "postcode", "plaats"]
OPTIONAL = {"vestigingsnummer", "sbi_code", "straat", "huisnummer", "aantal_medewerkers"}
CONFIRM = "andere_werkgever"
# File column → model field.
FIELDS = {
    "kvk_nummer": "kvk_number",
    "vestigingsnummer": "establishment_number",
    "naam": "name",
    "sbi_code": "sbi_code",
    "straat": "street",
    "huisnummer": "house_number",
    "postcode": "postcode",
    "plaats": "city",
    "aantal_medewerkers": "staff_count",
}


def _digits(length: int, what: str) -> Any:
    def parse(value: str) -> str:
        compact = value.replace(" ", "").replace(".", "")
        if not (compact.isdigit() and len(compact) == length):
            raise FieldError(f"Een {what} bestaat uit {length} cijfers.")
        return compact

    return parse


def _postcode(value: str) -> str:
    compact = normalise_postcode(value)
    if not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", compact):
        raise FieldError("Een postcode heeft de vorm 1234 AB.")
    return compact


def _sbi(value: str) -> str:
    if not (value.isdigit() and 2 <= len(value) <= 5) or not sector_of(value):
        raise FieldError("Een SBI-code bestaat uit 2 tot 5 cijfers van een bestaande sectie.")
    return value


def _max_length(length: int) -> Any:
    def parse(value: str) -> str:
        if len(value) > length:
            raise FieldError(f"Hooguit {length} tekens.")
        return value

    return parse


PARSERS = {
    "kvk_nummer": parse_kvk,
    "vestigingsnummer": _digits(12, "vestigingsnummer"),
    "naam": _max_length(200),
    "sbi_code": _sbi,
    "straat": _max_length(120),
    "huisnummer": _max_length(12),
    "postcode": _postcode,
    "plaats": _max_length(80),
    "aantal_medewerkers": parse_int,
    CONFIRM: choice("ja", "nee"),
}


@dataclass
class EmployerImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    # What the file would change in existing shared records: (KvK, name, field, old, new).
    overwrites: list[tuple[str, str, str, Any, Any]] = field(default_factory=list)
    # Existing records differ and the user did not confirm: nothing was written.
    needs_confirmation: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _values(row: dict[str, Any]) -> dict[str, Any]:
    # An empty optional cell is None; only the staff count is a nullable column.
    values = {
        FIELDS[column]: row[column]
        if row[column] is not None or column == "aantal_medewerkers"
        else ""
        for column in COLUMNS
    }
    values["search_name"] = normalise_employer_name(values["name"])
    values["sector"] = sector_of(values["sbi_code"] or "")
    return values


@transaction.atomic
def import_employers(
    *,
    actor: User | None,
    name: str,
    raw: bytes,
    dry_run: bool = False,
    confirm_overwrite: bool = False,
) -> EmployerImportReport:
    """Validate every row first; write only when no row has an error. Existing shared
    employer records are overwritten only once the user saw what changes and confirmed
    (issue 20, finding 7): otherwise the report lists the changes and nothing is written."""
    report = EmployerImportReport(dry_run=dry_run)
    try:
        table = read_table(name, raw)
    except FieldError as exc:
        report.errors.append(RowError(name, 1, "", str(exc)))
        return report
    report.errors.extend(missing_columns(table, REQUIRED))
    if report.errors:
        return report
    columns = [c for c in [*COLUMNS, CONFIRM] if c in table.header]
    optional = OPTIONAL | {CONFIRM}
    rows = list(parse_rows(table, columns, PARSERS, optional, report.errors))
    for row in rows:
        for column in COLUMNS:
            row.setdefault(column, None)
    check_unique(rows, "kvk_nummer", report.errors)
    if report.errors:
        report.errors.sort()
        return report

    existing = {
        e.kvk_number: e
        for e in Employer.objects.current().filter(kvk_number__in=[r["kvk_nummer"] for r in rows])
    }
    postcodes = {r["postcode"] for r in rows}
    nearby: dict[str, list[Employer]] = {}
    for employer in Employer.objects.current().filter(postcode__in=postcodes):
        nearby.setdefault(employer.postcode, []).append(employer)
    municipalities: dict[str, Any] = {}
    new, changed = [], []
    for row in rows:
        values = _values(row)
        current = existing.get(row["kvk_nummer"])
        if current is None:
            if row.get(CONFIRM) != "ja":
                _flag_similar(row, values, nearby, report.errors)
            new.append(values)
            continue
        difference = {f: values[f] for f in EMPLOYER_FIELDS if getattr(current, f) != values[f]}
        if difference:
            changed.append((current, difference, values))
        else:
            report.unchanged += 1
    if report.errors:
        report.errors.sort()
        return report
    report.created, report.updated = len(new), len(changed)
    report.overwrites = [
        (employer.kvk_number, employer.name, f, getattr(employer, f), value)
        for employer, difference, _ in changed
        for f, value in difference.items()
    ]
    if dry_run:
        return report
    if changed and not confirm_overwrite:
        report.needs_confirmation = True
        return report

    for values in new:
        code = values["postcode"][:4]
        if code not in municipalities:
            municipalities[code] = municipality_of_postcode(values["postcode"])
        values["municipality_id"] = municipalities[code].pk if municipalities[code] else None
    attnames = [*EMPLOYER_FIELDS, "search_name", "sector", "municipality_id"]
    ids = insert_rows(Employer, attnames, [[v[a] for a in attnames] for v in new])
    audit.record_rows(
        actor=actor,
        action=EmployerServicesEvent.EMPLOYER_CREATED,
        entries=(
            (
                "employer_services.employer",
                str(pk),
                values["name"],
                None,
                audit.diff({}, {f: audit.json_value(values[f]) for f in EMPLOYER_FIELDS}),
            )
            for pk, values in zip(ids, new, strict=True)
        ),
    )
    changes = []
    for employer, difference, values in changed:
        old = audit.snapshot(employer, list(difference))
        for name_, value in difference.items():
            setattr(employer, name_, value)
        employer.search_name, employer.sector = values["search_name"], values["sector"]
        if "postcode" in difference:
            employer.municipality = municipality_of_postcode(employer.postcode)
        changes.append((employer, audit.diff(old, audit.snapshot(employer, list(difference)))))
    Employer.objects.bulk_update(
        [e for e, _ in changes],
        [*EMPLOYER_FIELDS, "search_name", "sector", "municipality"],
        batch_size=2000,
    )
    audit.record_changes(
        actor=actor, action=EmployerServicesEvent.EMPLOYER_CHANGED, changes=changes
    )
    return report


def _flag_similar(
    row: dict[str, Any],
    values: dict[str, Any],
    nearby: dict[str, list[Employer]],
    errors: list[RowError],
) -> None:
    for employer in nearby.get(values["postcode"], []):
        if names_alike(values["search_name"], employer.search_name):
            errors.append(
                row_error(
                    row,
                    "naam",
                    f"Mogelijk dubbel met {employer.name} (KvK {employer.kvk_number}) op "
                    f"dezelfde postcode. Gebruik dat KvK-nummer, of zet '{CONFIRM}' op 'ja'.",
                )
            )
            return
