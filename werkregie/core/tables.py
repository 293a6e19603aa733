"""Tables users upload (CSV or .xlsx) read into rows of parsed cells, with Dutch errors.

Every problem becomes a `RowError` naming file, row (as a spreadsheet shows it: the header
is row 1) and column. Imports collect all errors first and write only when there are none.
Dutch CSV: `;` (or `,`), UTF-8 with or without BOM or Windows-1252, dates dd-mm-jjjj,
decimals with a comma.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openpyxl import load_workbook

from werkregie.core.progress import NO_PROGRESS, Progress


@dataclass(frozen=True, order=True)
class RowError:
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
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A typed number cell is unambiguous: write it the Dutch way, so that the cell
        # parsers read one notation only (a text cell "3412.50" is still refused).
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f").replace(".", ",")
    return str(value).strip()


def read_tables(files: Iterable[tuple[str, bytes]]) -> tuple[list[Table], list[RowError]]:
    """Every file that can be read as a table; a file that cannot is an error on its row 1."""
    tables, errors = [], []
    for name, raw in files:
        try:
            tables.append(read_table(name, raw))
        except FieldError as exc:
            errors.append(RowError(name, 1, "", str(exc)))
    return tables, errors


# Bounds on what one upload may hold, checked before anything is parsed (issue 20): a
# national export is some 75,000 rows and 20 MB; these leave room and stop a bomb.
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_ROWS = 200_000
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024


def _refuse_oversize(raw: bytes) -> None:
    if len(raw) > MAX_FILE_BYTES:
        raise FieldError(
            f"Het bestand is {len(raw) / 1024 / 1024:.0f} MB; de grens is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB per bestand. Splits het bestand."
        )


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FieldError("Het bestand is geen leesbaar Excel-bestand (.xlsx).") from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FieldError(
            f"Het Excel-bestand pakt uit tot {unpacked / 1024 / 1024:.0f} MB; de grens is "
            f"{MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB."
        )
    try:
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        lines: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            if len(lines) > MAX_ROWS:
                raise FieldError(_too_many_rows())
            lines.append([_cell(v) for v in row])
    except FieldError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise FieldError("Het bestand is geen leesbaar Excel-bestand (.xlsx).") from exc
    return lines


def _too_many_rows() -> str:
    return f"Het bestand heeft meer dan {MAX_ROWS:,} rijen; splits het bestand.".replace(",", ".")


def read_table(name: str, raw: bytes) -> Table:
    """A CSV (`;` or `,`, UTF-8 or Windows-1252) or an .xlsx sheet as header + row lists.

    Raises FieldError (Dutch) for a file that is neither, or one past the bounds above."""
    _refuse_oversize(raw)
    if name.lower().endswith(".xlsx"):
        lines = _xlsx_rows(raw)
    else:
        # Universal newlines: Windows (CR LF), Unix (LF) and old Mac (CR) files alike.
        text = io.StringIO(_decode(raw), newline=None).read()
        if text.count("\n") > MAX_ROWS + 1:
            raise FieldError(_too_many_rows())
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        # Cells are stripped where they are parsed: one pass over each cell, not two.
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            lines = list(reader)
        except csv.Error as exc:
            raise FieldError(
                f"Het bestand is geen leesbare CSV: regel {reader.line_num} is niet te lezen "
                "(controleer aanhalingstekens en het scheidingsteken ; of ,)."
            ) from exc
    if not any("".join(line).strip() for line in lines):
        raise FieldError("Het bestand is leeg: er staat geen kopregel en geen gegevens in.")
    header = [h.strip().lower() for h in lines[0]]
    # A blank line stays (as []) so that row numbers stay true to the sheet.
    return Table(
        name=name, header=header, rows=[v if "".join(v).strip() else [] for v in lines[1:]]
    )


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


# Dutch notation only: a comma before the decimals, optionally points between thousands.
_DUTCH_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_ENGLISH_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+")
_EXAMPLE = "schrijf bijvoorbeeld 3.412,50 of 3412,50"


def _dutch_number(value: str, places: int) -> Decimal:
    """A number written the Dutch way, with at most `places` decimals; everything else
    (English notation, a point that may be either separator, more decimals) is refused with
    a sentence that shows how the cell was read."""
    text = value.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if _DUTCH_NUMBER.fullmatch(text):
        integer, _, decimals = text.partition(",")
        if "." in integer and not decimals:
            # "3.412": 3412 in Dutch, 3,412 in English; the file does not say which.
            raise FieldError(
                f"'{value}' is dubbelzinnig: een punt zonder komma kan 3412 of 3,412 betekenen; "
                f"{_EXAMPLE}."
            )
        if len(decimals) > places:
            raise FieldError(
                f"'{value}' heeft {len(decimals)} decimalen; dit veld heeft er hoogstens {places}."
            )
        return Decimal(integer.replace(".", "") + ("." + decimals if decimals else ""))
    if _ENGLISH_NUMBER.fullmatch(text):
        raise FieldError(
            f"'{value}' staat in Engelse notatie (punt voor de decimalen); "
            f"in dit bestand scheidt een komma de decimalen: {_EXAMPLE}."
        )
    raise FieldError(f"'{value}' is geen bedrag of getal; {_EXAMPLE}.")


@lru_cache(maxsize=65536)
def parse_decimal(value: str) -> Decimal:
    """An amount in euro or a number of hours: Dutch notation, at most two decimals."""
    return _dutch_number(value, 2)


def parse_kvk(value: str) -> str:
    """A KvK number: 8 digits; Excel drops the leading zero (numbers start at 01000000)."""
    compact = value.replace(" ", "").replace(".", "")
    if compact.isdigit() and len(compact) == 7:
        compact = compact.zfill(8)
    if not (compact.isdigit() and len(compact) == 8):
        raise FieldError("Een KvK-nummer bestaat uit 8 cijfers.")
    return compact


def parse_int(value: str) -> int:
    if not value.isdigit():
        raise FieldError(f"'{value}' is geen geheel getal.")
    return int(value)


def choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in allowed:
            raise FieldError(f"'{value}' is niet toegestaan; kies uit: {', '.join(allowed)}.")
        return value.lower()

    return parse


def text(value: str) -> str:
    return value


def parse_rows(
    table: Table,
    columns: list[str],
    parsers: Mapping[str, Callable[[str], Any]],
    optional: Collection[str],
    errors: list[RowError],
    *,
    progress: Progress = NO_PROGRESS,
) -> Iterator[dict[str, Any]]:
    """Each non-blank row as {column: parsed value}; an empty optional cell is None for a
    parsed column and "" for text; a cell that fails is None and adds an error. Every
    thousand rows read are counted on `progress`."""
    # The hot loop of an import: positions and parsers are looked up once per file.
    positions = {h: i for i, h in enumerate(table.header)}
    plan = [
        (column, positions[column], parsers.get(column, text), column in optional)
        for column in columns
    ]
    width = len(table.header)
    pending = 0
    for index, values in enumerate(table.rows, start=2):
        pending += 1
        if pending == 1000:
            progress.advance(pending)
            pending = 0
        if not values:
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        row: dict[str, Any] = {"_row": index, "_file": table.name}
        for column, position, parse, is_optional in plan:
            value = values[position].strip()
            if not value:
                if not is_optional:
                    errors.append(RowError(table.name, index, column, "Dit veld is verplicht."))
                row[column] = "" if parse is text else None
            elif parse is text:
                row[column] = value
            else:
                try:
                    row[column] = parse(value)
                except FieldError as exc:
                    errors.append(RowError(table.name, index, column, str(exc)))
                    row[column] = None
        yield row
    progress.advance(pending)


def row_error(row: Mapping[str, Any], column: str, message: str) -> RowError:
    """An error on a row that `parse_rows` yielded."""
    return RowError(row["_file"], row["_row"], column, message)


def check_unique(rows: list[dict[str, Any]], key: str, errors: list[RowError]) -> None:
    """A key that repeats within the file is an error on every later row naming the first."""
    first: dict[str, int] = {}
    for row in rows:
        value = row.get(key)
        if not value:
            continue
        if value in first:
            errors.append(row_error(row, key, f"'{value}' staat al in rij {first[value]}."))
        else:
            first[value] = row["_row"]


def missing_columns(table: Table, columns: list[str]) -> list[RowError]:
    """A required column absent from the header: an error on row 1 naming the column."""
    return [
        RowError(table.name, 1, column, "Verplichte kolom ontbreekt.")
        for column in columns
        if column not in table.header
    ]
