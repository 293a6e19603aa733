"""Reading and validating the old company's exports (ROSTER_FORMAT.md), without the ORM.

Every problem becomes a `RosterError` naming file, row (as a spreadsheet shows it: the
header is row 1) and column, with a Dutch message. Validation collects all errors first;
the service writes only when there are none.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from werkregie.core.bsn import normalise_bsn, passes_eleven_test
from werkregie.core.progress import NO_PROGRESS, Progress
from werkregie.core.tables import (
    FieldError,
    RowError,
    Table,
    check_unique,
    choice,
    missing_columns,
    parse_date,
    parse_decimal,
    parse_int,
    parse_kvk,
    parse_rows,
    read_table,
    read_tables,
    row_error,
    text,
)
from werkregie.people.models import normalise_name
from werkregie.transition.roster_format import (
    CONTRACT_COLUMNS,
    EMPLOYEE_COLUMNS,
    TRAJECTORY_COLUMNS,
)

# The roster's errors are the shared import errors (file, row, column, Dutch message).
RosterError = RowError
__all__ = ["FieldError", "RosterError", "Table", "read_table", "read_tables"]

FILE_KINDS = ("medewerkers", "trajecten", "contracten")


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


def parse_bsn(value: str) -> str:
    bsn = value if len(value) == 9 else normalise_bsn(value)
    if len(bsn) != 9 or not bsn.isdigit():
        raise FieldError("Een BSN bestaat uit 9 cijfers.")
    if not passes_eleven_test(bsn):
        raise FieldError("Dit BSN voldoet niet aan de elfproef.")
    return bsn


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
            "inlener_kvk": parse_kvk,
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
            "klant_kvk": parse_kvk,
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
    progress: Progress = NO_PROGRESS,
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
        missing = missing_columns(table, COLUMNS[kind])
        result.errors.extend(missing)
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
        target.extend(
            parse_rows(table, COLUMNS[kind], parsers, OPTIONAL, result.errors, progress=progress)
        )
    progress.phase("controles over de bestanden heen")
    _check_employees(result)
    _check_periods(result.trajectories, "startdatum", "einddatum", result.errors)
    _check_periods(result.contracts, "startdatum", "einddatum", result.errors)
    check_unique(result.trajectories, "trajectnummer", result.errors)
    check_identities(
        result.trajectories, result.errors, known=check_identities(result.employees, [])
    )
    check_unique(result.contracts, "contractnummer", result.errors)
    _split_contract_people(result)
    if result.employees:
        check_contract_people(result, {row["personeelsnummer"] for row in result.employees})
    result.errors.sort()
    return result


def _check_periods(
    rows: list[dict[str, Any]], start: str, end: str, errors: list[RosterError]
) -> None:
    errors.extend(
        row_error(row, end, "De einddatum ligt vóór de startdatum.")
        for row in rows
        if row.get(start) and row.get(end) and row[end] < row[start]
    )


def _check_employees(result: ParsedRoster) -> None:
    rows, errors = result.employees, result.errors
    check_unique(rows, "personeelsnummer", errors)
    numbers = {row["personeelsnummer"] for row in rows if row.get("personeelsnummer")}
    for row in rows:
        hours = row.get("uren_per_week")
        if hours is not None and not Decimal(0) <= hours <= Decimal(60):
            errors.append(
                row_error(row, "uren_per_week", "Het aantal uren moet tussen 0 en 60 liggen.")
            )
        wage = row.get("bruto_maandloon")
        if wage is not None and wage < 0:
            errors.append(
                row_error(row, "bruto_maandloon", "Het maandloon mag niet negatief zijn.")
            )
        leader = row.get("leidinggevende")
        if leader and leader not in numbers:
            errors.append(
                row_error(
                    row, "leidinggevende", f"Personeelsnummer {leader} staat niet in het bestand."
                )
            )
        kind, indication = row.get("soort_dienstverband"), row.get("indicatie")
        if kind == "wsw" and not indication:
            errors.append(
                row_error(
                    row,
                    "indicatie",
                    "Een Wsw-dienstverband heeft een indicatie (matig of ernstig).",
                )
            )
        if kind in ("beschut", "staf") and indication:
            errors.append(
                row_error(row, "indicatie", "Alleen een Wsw-dienstverband heeft een indicatie.")
            )

    check_identities(rows, errors)


# -- identity: one BSN is one person --------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Who a BSN belongs to according to one row: names as the file wrote them, and where."""

    names: frozenset[str]  # normalised forms the surname may take (with and without prefix)
    birth_date: Any
    where: str  # "medewerkers.csv rij 7"

    def same_person(self, other: "Identity") -> bool:
        return self.birth_date == other.birth_date and bool(self.names & other.names)

    @classmethod
    def of(cls, surname: str, prefix: str, birth_date: Any, where: str) -> "Identity":
        """Trajectory files and the registry may write "van der Berg" in one field, the
        employee file splits the prefix off; either form matches."""
        bare, before = normalise_name(surname), normalise_name(prefix)
        names = {bare, f"{before} {bare}".strip()}
        return cls(frozenset(" ".join(n.split()) for n in names if n), birth_date, where)


def identity(row: dict[str, Any]) -> Identity:
    """A parsed row's claim about its BSN."""
    return Identity.of(
        str(row.get("achternaam") or ""),
        str(row.get("tussenvoegsel") or ""),
        row.get("geboortedatum"),
        f"{row['_file']} rij {row['_row']}",
    )


def check_identities(
    rows: Iterable[dict[str, Any]],
    errors: list[RosterError],
    known: dict[str, Identity] | None = None,
) -> dict[str, Identity]:
    """Refuse a row whose BSN belongs to someone else: another name or birth date than the
    first row (of this import, or of `known`) with that BSN. Both places are named.
    Returns the identities seen, for the next file."""
    seen = dict(known or {})
    for row in rows:
        bsn = row.get("bsn")
        if not bsn or row.get("geboortedatum") is None:
            continue
        claim = identity(row)
        first = seen.setdefault(bsn, claim)
        if first is not claim and not first.same_person(claim):
            errors.append(
                row_error(
                    row,
                    "bsn",
                    f"Dit BSN hoort bij een ander persoon: {first.where} noemt bij hetzelfde "
                    "BSN een andere naam of geboortedatum. Controleer beide rijen.",
                )
            )
    return seen


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
                row_error(
                    row,
                    "personeelsnummers",
                    "Onbekende personeelsnummers: "
                    + ", ".join(unknown[:5])
                    + ("…" if len(unknown) > 5 else ""),
                )
            )


def check_against_earlier(
    rows: Iterable[dict[str, Any]], errors: list[RosterError], earlier: dict[str, Identity]
) -> None:
    """Refuse a row whose BSN an earlier import gave to someone else (another name or birth
    date); the earlier record is named."""
    for row in rows:
        bsn = row.get("bsn")
        if (
            bsn in earlier
            and row.get("geboortedatum") is not None
            and not earlier[bsn].same_person(identity(row))
        ):
            errors.append(
                row_error(
                    row,
                    "bsn",
                    f"Dit BSN hoort bij een ander persoon: {earlier[bsn].where} noemt bij "
                    "hetzelfde BSN een andere naam of geboortedatum.",
                )
            )
