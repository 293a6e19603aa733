import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.transition.events import TransitionEvent
from werkregie.transition.models import (
    LegacyContract,
    LegacyEmployee,
    LegacyTrajectory,
    RosterImport,
)
from werkregie.transition.roster_format import CONTRACT_COLUMNS, EMPLOYEE_COLUMNS
from werkregie.transition.services import import_roster

Files = list[tuple[str, bytes]]


def _rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def _csv(rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _edit(files: Files, name: str, row: int, column: str, value: str) -> Files:
    """Change one cell; `row` as a spreadsheet numbers it (header = 1)."""
    result = []
    for file_name, raw in files:
        if file_name == name:
            rows = _rows(raw)
            rows[row - 1][rows[0].index(column)] = value
            raw = _csv(rows)
        result.append((file_name, raw))
    return result


def _state() -> tuple[int, ...]:
    return (
        LegacyEmployee.objects.count(),
        LegacyTrajectory.objects.count(),
        LegacyContract.objects.count(),
        RosterImport.objects.count(),
        AuditEvent.objects.count(),
    )


def test_imports_all_three_files_and_audits_it(cast: dict[str, User], export: Files) -> None:
    report = import_roster(files=export, actor=cast["transition_manager"])
    assert report.ok, report.errors
    assert report.counts["medewerkers"].created == LegacyEmployee.objects.count() >= 48
    assert report.counts["trajecten"].created == 10
    assert LegacyContract.objects.filter(kind="detachering").exists()
    assert AuditEvent.objects.filter(action=TransitionEvent.ROSTER_IMPORTED).count() == 1
    assert AuditEvent.objects.filter(action=TransitionEvent.LEGACY_RECORD_CREATED).count() == (
        LegacyEmployee.objects.count()
        + LegacyTrajectory.objects.count()
        + LegacyContract.objects.count()
    )


def test_bad_bsn_is_reported_by_row_and_column_and_nothing_changes(
    cast: dict[str, User], export: Files
) -> None:
    before = _state()
    report = import_roster(
        files=_edit(export, "medewerkers.csv", 5, "bsn", "123456789"), actor=None
    )
    assert [str(e) for e in report.errors] == [
        "medewerkers.csv, rij 5, kolom bsn: Dit BSN voldoet niet aan de elfproef."
    ]
    assert _state() == before


def test_rejection_after_an_earlier_import_leaves_the_database_as_it_was(
    cast: dict[str, User], export: Files
) -> None:
    import_roster(files=export, actor=None)
    before = _state()
    wages = list(LegacyEmployee.objects.values_list("gross_monthly_wage", flat=True))
    bad = _edit(
        _edit(export, "medewerkers.csv", 3, "bruto_maandloon", "9999,00"),
        "medewerkers.csv",
        7,
        "bsn",
        "123456789",
    )
    assert not import_roster(files=bad, actor=None).ok
    assert _state() == before
    assert list(LegacyEmployee.objects.values_list("gross_monthly_wage", flat=True)) == wages


def test_importing_the_same_files_twice_changes_nothing(
    cast: dict[str, User], export: Files
) -> None:
    import_roster(files=export, actor=None)
    before = _state()
    report = import_roster(files=export, actor=None)
    assert not report.changed
    assert report.counts["medewerkers"].unchanged == LegacyEmployee.objects.count()
    assert _state() == before


def test_corrected_file_updates_only_what_changed(cast: dict[str, User], export: Files) -> None:
    import_roster(files=export, actor=None)
    number = _rows(export[1][1])[1][0]
    report = import_roster(
        files=_edit(export, "medewerkers.csv", 2, "uren_per_week", "30,00"), actor=None
    )
    assert (report.counts["medewerkers"].updated, report.counts["trajecten"].updated) == (1, 0)
    event = AuditEvent.objects.get(action=TransitionEvent.LEGACY_RECORD_CHANGED)
    assert event.changes["hours_per_week"]["new"] == "30.00"
    assert str(LegacyEmployee.objects.get(personnel_number=number).hours_per_week) == "30.00"


def test_dry_run_validates_and_writes_nothing(cast: dict[str, User], export: Files) -> None:
    before = _state()
    report = import_roster(files=export, actor=None, dry_run=True)
    assert report.ok and report.counts["medewerkers"].created > 0
    assert _state() == before


def test_reports_every_error_at_once(cast: dict[str, User], export: Files) -> None:
    files = export
    for row, column, value in [
        (2, "woongemeente", "Atlantis"),
        (3, "uren_per_week", "-4,00"),
        (4, "leidinggevende", "999999"),
        (5, "geboortedatum", "31-02-1970"),
        (6, "indicatie", ""),
        (7, "personeelsnummer", ""),
    ]:
        files = _edit(files, "medewerkers.csv", row, column, value)
    errors = {(e.row, e.column): e.message for e in import_roster(files=files, actor=None).errors}
    assert "Onbekende gemeente" in errors[(2, "woongemeente")]
    assert "tussen 0 en 60" in errors[(3, "uren_per_week")]
    assert "999999" in errors[(4, "leidinggevende")]
    assert "dd-mm-jjjj" in errors[(5, "geboortedatum")]
    assert (7, "personeelsnummer") in errors


def test_duplicate_number_and_same_bsn_with_other_name_are_refused(
    cast: dict[str, User], export: Files
) -> None:
    rows = _rows(dict(export)["medewerkers.csv"])
    rows[3][0] = rows[2][0]  # row 4 repeats row 3's personeelsnummer
    rows[5][1] = rows[4][1]  # row 6 has row 5's BSN with another name
    rows[5][2] = "Anders"
    files = [(n, _csv(rows) if n == "medewerkers.csv" else raw) for n, raw in export]
    messages = [str(e) for e in import_roster(files=files, actor=None).errors]
    assert "medewerkers.csv, rij 4, kolom personeelsnummer: " in messages[0]
    assert any(
        "rij 6, kolom bsn: Dit BSN hoort bij een ander persoon: medewerkers.csv rij 5" in m
        for m in messages
    )


def test_end_before_start_and_missing_column(cast: dict[str, User], export: Files) -> None:
    files = _edit(export, "trajecten.csv", 2, "einddatum", "01-01-2019")
    rows = _rows(dict(files)["contracten.csv"])
    files = [
        (n, _csv([r[:-1] for r in rows]) if n == "contracten.csv" else raw) for n, raw in files
    ]
    messages = [str(e) for e in import_roster(files=files, actor=None).errors]
    assert "contracten.csv, rij 1, kolom personeelsnummers: Verplichte kolom ontbreekt." in messages
    assert (
        "trajecten.csv, rij 2, kolom einddatum: De einddatum ligt vóór de startdatum." in messages
    )
    assert CONTRACT_COLUMNS[-1] == "personeelsnummers"


def test_accepts_windows_1252_with_commas_and_leading_zero_lost_by_excel(
    cast: dict[str, User],
) -> None:
    row = [
        "100001",
        "12345672",
        "Öztürk",
        "",
        "A.",
        "Ali",
        "01-02-1970",
        "M",
        "7601AB",
        "1",
        "Almelo",
        "WSW",
        "matig",
        "beschut_binnen",
        "Productie",
        "Montage 1",
        "",
        "Almelo",
        "GM0141",
        "",
        "",
        "CAO SW",
        "3",
        "4",
        "36,00",
        "2.612,40",
        "01-01-1990",
        "Medewerker",
    ]
    raw = _csv([EMPLOYEE_COLUMNS, row], delimiter=",", encoding="cp1252")
    report = import_roster(files=[("medewerkers.csv", raw)], actor=None)
    assert report.ok, report.errors
    employee = LegacyEmployee.objects.get()
    assert (employee.surname, employee.bsn) == ("Öztürk", "012345672")
    assert str(employee.gross_monthly_wage) == "2612.40"
    assert employee.residence.cbs_code == "GM0141"


def test_accepts_xlsx(cast: dict[str, User], export: Files) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in _rows(dict(export)["medewerkers.csv"]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = import_roster(files=[("medewerkers.xlsx", buffer.getvalue())], actor=None)
    assert report.ok, report.errors[:3]
    assert LegacyEmployee.objects.count() == len(_rows(dict(export)["medewerkers.csv"])) - 1


def test_command_reads_a_folder_and_refuses_bad_files(
    cast: dict[str, User], tmp_path: Path, export: Files
) -> None:
    for name, raw in _edit(export, "medewerkers.csv", 3, "bsn", "123456789"):
        (tmp_path / name).write_bytes(raw)
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("import_roster", str(tmp_path))
    assert LegacyEmployee.objects.count() == 0
    for name, raw in export:
        (tmp_path / name).write_bytes(raw)
    call_command("import_roster", str(tmp_path), stdout=io.StringIO())
    assert LegacyEmployee.objects.count() > 0


def test_upload_screen_shows_errors_with_row_and_column(
    cast: dict[str, User], login: Callable[[User], Client], export: Files
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = _edit(export, "medewerkers.csv", 4, "bsn", "123456789")
    uploads: list[Any] = [SimpleUploadedFile(n, raw) for n, raw in bad]
    client = login(cast["transition_manager"])
    page = client.get(reverse("transition:import")).content.decode()
    key = re.search(r'name="idempotency_key" value="(\w+)"', page)
    assert key is not None
    form = {"exports": uploads, "idempotency_key": key.group(1)}
    response = client.post(reverse("transition:import"), form, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain[0][0].startswith("/taken/")
    assert "er is niets opgeslagen" in html and "elfproef" in html
    assert 'data-status="done"' in html and "hx-trigger" not in html
    assert LegacyEmployee.objects.count() == 0
    # The same form posted again (a double click) is the same job, not a second import.
    for upload in uploads:
        upload.seek(0)
    again = client.post(reverse("transition:import"), form)
    assert again["Location"] == response.redirect_chain[0][0]


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("medewerkers.csv", b"personeelsnummer;bsn\r\n\x81\x8d\x8f\x90", "Windows-1252"),
        ("medewerkers.xlsx", b"geen zip", "Excel"),
        ("medewerkers.csv", b"a;b\r\n" + b"x" * 200_000, "CSV"),
    ],
)
def test_an_unreadable_file_is_an_error_not_a_crash(
    cast: dict[str, User], name: str, raw: bytes, message: str
) -> None:
    report = import_roster(files=[(name, raw)], actor=cast["transition_manager"])
    assert not report.ok
    assert (report.errors[0].file, report.errors[0].row) == (name, 1)
    assert message in report.errors[0].message


def test_written_demo_export_imports_cleanly(cast: dict[str, User], tmp_path: Path) -> None:
    call_command("write_demo_export", str(tmp_path), "--scale", "region", stdout=io.StringIO())
    files = [(p.name, p.read_bytes()) for p in sorted(tmp_path.iterdir())]
    assert [name for name, _ in files] == ["contracten.csv", "medewerkers.csv", "trajecten.csv"]
    report = import_roster(files=files, actor=cast["transition_manager"], dry_run=True)
    assert report.ok and report.counts["medewerkers"].created > 1000
    assert not LegacyEmployee.objects.exists()
