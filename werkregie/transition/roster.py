"""Reading and validating the old company's exports (ROSTER_FORMAT.md), without the ORM.

Every problem becomes a `RosterError` naming file, row (as a spreadsheet shows it: the
header is row 1) and column, with a Dutch message. Validation collects all errors first;
the service writes only when there are none.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from werkregie.core.bsn import normalise_bsn, passes_eleven_test
from werkregie.people.roster_export import CONTRACT_COLUMNS, EMPLOYEE_COLUMNS, TRAJECTORY_COLUMNS

FILE_KINDS = ("medewerkers", "trajecten", "contracten")


@dataclass(frozen=True, order=True)
class RosterError:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, rij {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class FieldError(ValueError):
    """A cell that cannot be parsed; the message is Dutch."""


@dataclass
class Table:
    name: str
    header: list[str]
    # The cells of each row under the header, as read (unstripped); [] for a blank line.
    rows: list[list[str]] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    # Old exports are Windows-1252; Excel writes UTF-8 with a BOM; both occur.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FieldError(
            "Het bestand is geen tekst in UTF-8 of Windows-1252; lever CSV of .xlsx."
        ) from exc


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_tables(files: Iterable[tuple[str, bytes]]) -> tuple[list[Table], list[RosterError]]:
    """Every file that can be read as a table; a file that cannot is an error on its row 1."""
    tables, errors = [], []
    for name, raw in files:
        try:
            tables.append(read_table(name, raw))
        except FieldError as exc:
            errors.append(RosterError(name, 1, "", str(exc)))
    return tables, errors


def read_table(name: str, raw: bytes) -> Table:
    """A CSV (`;` or `,`, UTF-8 or Windows-1252) or an .xlsx sheet as header + row lists.

    Raises FieldError (Dutch) for a file that is neither."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
            lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
            raise FieldError("Het bestand is geen leesbaar Excel-bestand (.xlsx).") from exc
    else:
        text = _decode(raw)
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        # Cells are stripped where they are parsed: one pass over each cell, not two.
        try:
            lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as exc:
            raise FieldError(f"Het bestand is geen leesbare CSV ({exc}).") from exc
    if not lines:
        return Table(name=name, header=[])
    header = [h.strip().lower() for h in lines[0]]
    # A blank line stays (as []) so that row numbers stay true to the sheet.
    return Table(
        name=name, header=header, rows=[v if "".join(v).strip() else [] for v in lines[1:]]
    )


def kind_of(table: Table) -> str | None:
    """Which export this is: by file name, else by its columns."""
    stem = Path(table.name).stem.lower()
    for kind in FILE_KINDS:
        if stem.startswith(kind):
            return kind
    for kind, columns in COLUMNS.items():
        if set(columns) <= set(table.header):
            return kind
    return None


# -- cell parsers ----------------------------------------------------------------------


# Dates and amounts repeat throughout an export (birth dates, start dates, wages per step):
# the parsers are pure, so a cache spares most of the work on a large file.
@lru_cache(maxsize=65536)
def parse_date(value: str) -> date:
    parts = value.split("-")
    try:
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise ValueError(value)
        return date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"'{value}' is geen datum in de vorm dd-mm-jjjj.") from exc


@lru_cache(maxsize=65536)
def parse_decimal(value: str) -> Decimal:
    text = value.replace(".", "").replace(",", ".") if "," in value else value
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise FieldError(f"'{value}' is geen bedrag of getal (gebruik een komma: 36,00).") from exc


def parse_int(value: str) -> int:
    if not value.isdigit():
        raise FieldError(f"'{value}' is geen geheel getal.")
    return int(value)


def parse_bsn(value: str) -> str:
    bsn = value if len(value) == 9 else normalise_bsn(value)
    if len(bsn) != 9 or not bsn.isdigit():
        raise FieldError("Een BSN bestaat uit 9 cijfers.")
    if not passes_eleven_test(bsn):
        raise FieldError("Dit BSN voldoet niet aan de elfproef.")
    return bsn


def choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in allowed:
            raise FieldError(f"'{value}' is niet toegestaan; kies uit: {', '.join(allowed)}.")
        return value.lower()

    return parse


def text(value: str) -> str:
    return value


# The export's columns, as the generator writes them: one definition for both directions.
COLUMNS: dict[str, list[str]] = {
    "medewerkers": EMPLOYEE_COLUMNS,
    "trajecten": TRAJECTORY_COLUMNS,
    "contracten": CONTRACT_COLUMNS,
}
OPTIONAL = {
    "tussenvoegsel",
    "roepnaam",
    "indicatie",
    "afdeling",
    "team",
    "leidinggevende",
    "locatie",
    "werkgemeente",
    "inlener_kvk",
    "inlener_naam",
    "schaal",
    "trede",
    "functie",
    "postcode",
    "huisnummer",
    "einddatum",
    "tarief_per_uur",
    "personeelsnummers",
    "klant_kvk",
    "voorletters",
}


def _schema(municipality: Callable[[str], Any]) -> dict[str, dict[str, Callable[[str], Any]]]:
    return {
        "medewerkers": {
            "personeelsnummer": text,
            "bsn": parse_bsn,
            "geboortedatum": parse_date,
            "geslacht": choice("m", "v", "x"),
            "woongemeente": municipality,
            "soort_dienstverband": choice("wsw", "beschut", "staf"),
            "indicatie": choice("matig", "ernstig"),
            "werkvorm": choice(
                "beschut_binnen",
                "groepsdetachering",
                "individuele_detachering",
                "begeleid_werken",
                "groen",
                "staf",
            ),
            "werkgemeente": municipality,
            "trede": parse_int,
            "uren_per_week": parse_decimal,
            "bruto_maandloon": parse_decimal,
            "datum_in_dienst": parse_date,
        },
        "trajecten": {
            "bsn": parse_bsn,
            "geboortedatum": parse_date,
            "woongemeente": municipality,
            "startdatum": parse_date,
            "einddatum": parse_date,
            "prijs": parse_decimal,
        },
        "contracten": {
            "soort": choice("detachering", "dienstverlening", "productie"),
            "startdatum": parse_date,
            "einddatum": parse_date,
            "tarief_per_uur": parse_decimal,
        },
    }


@dataclass
class ParsedRoster:
    employees: list[dict[str, Any]] = field(default_factory=list)
    trajectories: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)


def parse_roster(
    tables: Iterable[Table],
    *,
    municipality: Callable[[str], Any],
    client_owner: Callable[[str], Any],
) -> ParsedRoster:
    """Parse and check every file; cross-file checks follow once all rows are read."""
    result = ParsedRoster()
    schema = _schema(municipality)
    seen_kinds: dict[str, str] = {}
    for table in tables:
        kind = kind_of(table)
        if kind is None:
            result.errors.append(
                RosterError(
                    table.name,
                    1,
                    "",
                    "Onbekend bestand: verwacht "
                    "medewerkers, trajecten of contracten (zie de kolomnamen).",
                )
            )
            continue
        if kind in seen_kinds:
            result.errors.append(
                RosterError(
                    table.name,
                    1,
                    "",
                    f"Tweede {kind}-bestand naast {seen_kinds[kind]}; lever één bestand per soort.",
                )
            )
            continue
        seen_kinds[kind] = table.name
        missing = [c for c in COLUMNS[kind] if c not in table.header]
        for column in missing:
            result.errors.append(RosterError(table.name, 1, column, "Verplichte kolom ontbreekt."))
        if missing:
            continue
        parsers = dict(schema[kind])
        if kind == "trajecten":
            parsers["opdrachtgever"] = client_owner
        target = {
            "medewerkers": result.employees,
            "trajecten": result.trajectories,
            "contracten": result.contracts,
        }[kind]
        target.extend(_parse_rows(table, COLUMNS[kind], parsers, result.errors))
    _check_employees(result)
    _check_periods(result.trajectories, "startdatum", "einddatum", result.errors)
    _check_periods(result.contracts, "startdatum", "einddatum", result.errors)
    _check_unique(result.trajectories, "trajectnummer", result.errors)
    _check_unique(result.contracts, "contractnummer", result.errors)
    _split_contract_people(result)
    if result.employees:
        check_contract_people(result, {row["personeelsnummer"] for row in result.employees})
    result.errors.sort()
    return result


def _parse_rows(
    table: Table,
    columns: list[str],
    parsers: Mapping[str, Callable[[str], Any]],
    errors: list[RosterError],
) -> Iterator[dict[str, Any]]:
    """Each non-blank row as {column: parsed value}; an empty optional cell is None for a
    parsed column and "" for text; a cell that fails is None and adds an error."""
    # The hot loop of an import: positions and parsers are looked up once per file.
    positions = {h: i for i, h in enumerate(table.header)}
    plan = [
        (column, positions[column], parsers.get(column, text), column in OPTIONAL)
        for column in columns
    ]
    width = len(table.header)
    for index, values in enumerate(table.rows, start=2):
        if not values:
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        row: dict[str, Any] = {"_row": index, "_file": table.name}
        for column, position, parse, optional in plan:
            value = values[position].strip()
            if not value:
                if not optional:
                    errors.append(RosterError(table.name, index, column, "Dit veld is verplicht."))
                row[column] = "" if parse is text else None
            elif parse is text:
                row[column] = value
            else:
                try:
                    row[column] = parse(value)
                except FieldError as exc:
                    errors.append(RosterError(table.name, index, column, str(exc)))
                    row[column] = None
        yield row


def _error(row: Mapping[str, Any], column: str, message: str) -> RosterError:
    return RosterError(row["_file"], row["_row"], column, message)


def _check_unique(rows: list[dict[str, Any]], key: str, errors: list[RosterError]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        value = row.get(key)
        if not value:
            continue
        if value in first:
            errors.append(_error(row, key, f"'{value}' staat al in rij {first[value]}."))
        else:
            first[value] = row["_row"]


def _check_periods(
    rows: list[dict[str, Any]], start: str, end: str, errors: list[RosterError]
) -> None:
    errors.extend(
        _error(row, end, "De einddatum ligt vóór de startdatum.")
        for row in rows
        if row.get(start) and row.get(end) and row[end] < row[start]
    )


def _check_employees(result: ParsedRoster) -> None:
    rows, errors = result.employees, result.errors
    _check_unique(rows, "personeelsnummer", errors)
    numbers = {row["personeelsnummer"] for row in rows if row.get("personeelsnummer")}
    names_by_bsn: dict[str, tuple[str, int]] = {}
    for row in rows:
        hours = row.get("uren_per_week")
        if hours is not None and not Decimal(0) <= hours <= Decimal(60):
            errors.append(
                _error(row, "uren_per_week", "Het aantal uren moet tussen 0 en 60 liggen.")
            )
        wage = row.get("bruto_maandloon")
        if wage is not None and wage < 0:
            errors.append(_error(row, "bruto_maandloon", "Het maandloon mag niet negatief zijn."))
        leader = row.get("leidinggevende")
        if leader and leader not in numbers:
            errors.append(
                _error(
                    row, "leidinggevende", f"Personeelsnummer {leader} staat niet in het bestand."
                )
            )
        kind, indication = row.get("soort_dienstverband"), row.get("indicatie")
        if kind == "wsw" and not indication:
            errors.append(
                _error(
                    row,
                    "indicatie",
                    "Een Wsw-dienstverband heeft een indicatie (matig of ernstig).",
                )
            )
        if kind in ("beschut", "staf") and indication:
            errors.append(
                _error(row, "indicatie", "Alleen een Wsw-dienstverband heeft een indicatie.")
            )
        bsn = row.get("bsn")
        if bsn:
            name = f"{row.get('achternaam', '')}|{row.get('geboortedatum')}".lower()
            if bsn in names_by_bsn and names_by_bsn[bsn][0] != name:
                errors.append(
                    _error(
                        row,
                        "bsn",
                        f"Hetzelfde BSN staat in rij {names_by_bsn[bsn][1]} "
                        "bij een andere naam of geboortedatum.",
                    )
                )
            names_by_bsn.setdefault(bsn, (name, row["_row"]))


def _split_contract_people(result: ParsedRoster) -> None:
    for row in result.contracts:
        raw = row.get("personeelsnummers") or ""
        row["personeelsnummers"] = [n.strip() for n in raw.split(",") if n.strip()]


def check_contract_people(result: ParsedRoster, known: set[str]) -> None:
    """Contracts name their employees; every number must be a known employee: from the same
    import, or (for a contracts file alone) from earlier imports, which the service passes."""
    for row in result.contracts:
        unknown = [n for n in row["personeelsnummers"] if n not in known]
        if unknown:
            result.errors.append(
                _error(
                    row,
                    "personeelsnummers",
                    "Onbekende personeelsnummers: "
                    + ", ".join(unknown[:5])
                    + ("…" if len(unknown) > 5 else ""),
                )
            )
