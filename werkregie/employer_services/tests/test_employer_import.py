import io

import pytest
from openpyxl import Workbook

from werkregie.core.models import AuditEvent
from werkregie.employer_services.employer_import import import_employers
from werkregie.employer_services.models import Employer
from werkregie.employer_services.tests.factories import make_employer

pytestmark = pytest.mark.django_db

HEADER = (
    "kvk_nummer;vestigingsnummer;naam;sbi_code;straat;huisnummer;postcode;plaats;aantal_medewerkers"
)
ROWS = [
    "12345678;000012345678;Twentse Metaal BV;2562;Bedrijvenweg;12;7601 AB;Almelo;45",
    "2345678;;Café De Hoek;5630;Markt;1;7461 AA;Rijssen;6",
]


def _csv(*rows: str, encoding: str = "cp1252") -> bytes:
    return "\r\n".join([HEADER, *rows]).encode(encoding)


def test_imports_windows_1252_csv_with_semicolons(region: None) -> None:
    report = import_employers(actor=None, name="werkgevers.csv", raw=_csv(*ROWS))
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    cafe = Employer.objects.get(name="Café De Hoek")
    # Excel dropped the leading zero of the KvK number; the importer restores it.
    assert cafe.kvk_number == "02345678"
    assert cafe.postcode == "7461AA" and cafe.municipality.cbs_code == "GM1742"  # type: ignore[union-attr]
    assert cafe.sector == "I" and cafe.staff_count == 6
    assert AuditEvent.objects.filter(action="employer.created").count() == 2


def test_the_same_file_twice_changes_nothing(region: None) -> None:
    import_employers(actor=None, name="werkgevers.csv", raw=_csv(*ROWS))
    events = AuditEvent.objects.count()
    report = import_employers(actor=None, name="werkgevers.csv", raw=_csv(*ROWS))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events


def test_a_known_kvk_number_updates_that_employer_once_confirmed(region: None) -> None:
    import_employers(actor=None, name="werkgevers.csv", raw=_csv(*ROWS))
    changed = ROWS[0].replace(";45", ";50")
    # Issue 20, finding 7: first the changes to the shared record, nothing written.
    report = import_employers(actor=None, name="werkgevers.csv", raw=_csv(changed, ROWS[1]))
    assert report.needs_confirmation and report.ok
    assert [(k, f, o, n) for k, _, f, o, n in report.overwrites] == [
        ("12345678", "staff_count", 45, 50)
    ]
    assert Employer.objects.get(kvk_number="12345678").staff_count == 45
    assert not AuditEvent.objects.filter(action="employer.changed").exists()
    report = import_employers(
        actor=None, name="werkgevers.csv", raw=_csv(changed, ROWS[1]), confirm_overwrite=True
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Employer.objects.get(kvk_number="12345678").staff_count == 50
    event = AuditEvent.objects.get(action="employer.changed")
    assert event.changes == {"staff_count": {"old": 45, "new": 50}}


def test_bad_rows_are_named_and_nothing_is_written(region: None) -> None:
    bad = [
        "1234567X;;Fout BV;2562;;;7601AB;Almelo;",
        "12345678;;Dubbel BV;2562;;;7601AB;Almelo;",
        "12345678;;Dubbel BV;0400;;;76AB;Almelo;veel",
        ";;;;;;7601AB;;",
    ]
    report = import_employers(actor=None, name="werkgevers.csv", raw=_csv(*bad))
    messages = [str(e) for e in report.errors]
    assert (
        "werkgevers.csv, rij 2, kolom kvk_nummer: Een KvK-nummer bestaat uit 8 cijfers." in messages
    )
    assert any(
        m.startswith("werkgevers.csv, rij 4, kolom kvk_nummer: '12345678' staat al in rij 3")
        for m in messages
    )
    assert any("rij 4, kolom sbi_code" in m for m in messages)
    assert any("rij 4, kolom postcode" in m for m in messages)
    assert any("rij 4, kolom aantal_medewerkers" in m for m in messages)
    assert any(m == "werkgevers.csv, rij 5, kolom naam: Dit veld is verplicht." for m in messages)
    assert Employer.objects.count() == 0
    assert not AuditEvent.objects.filter(action="employer.created").exists()


def test_a_missing_column_is_an_error_on_row_one(region: None) -> None:
    report = import_employers(actor=None, name="w.csv", raw=b"kvk_nummer;naam\n12345678;X\n")
    assert {(e.row, e.column) for e in report.errors} == {(1, "postcode"), (1, "plaats")}


def test_a_similar_employer_at_the_same_postcode_is_refused_unless_confirmed(
    region: None,
) -> None:
    make_employer(kvk="12345678", name="Twentse Metaal B.V.", postcode="7601AB")
    row = "87654321;;Twentse Metaal;2562;;;7601AB;Almelo;"
    report = import_employers(actor=None, name="w.csv", raw=_csv(row))
    assert [(e.row, e.column) for e in report.errors] == [(2, "naam")]
    assert "12345678" in report.errors[0].message
    confirmed = (HEADER + ";andere_werkgever\r\n" + row + ";ja").encode()
    assert import_employers(actor=None, name="w.csv", raw=confirmed).created == 1


def test_dry_run_reports_without_writing(region: None) -> None:
    report = import_employers(actor=None, name="w.csv", raw=_csv(*ROWS), dry_run=True)
    assert report.created == 2
    assert Employer.objects.count() == 0


def test_imports_an_excel_sheet(region: None) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    sheet.append([12345678, None, "Twentse Metaal BV", 2562, None, None, "7601AB", "Almelo", 45])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_employers(actor=None, name="werkgevers.xlsx", raw=buffer.getvalue())
    assert report.ok, report.errors
    assert Employer.objects.get().staff_count == 45


def test_an_unreadable_file_is_an_error_not_a_crash(region: None) -> None:
    report = import_employers(actor=None, name="w.xlsx", raw=b"no zip")
    assert [e.row for e in report.errors] == [1]
