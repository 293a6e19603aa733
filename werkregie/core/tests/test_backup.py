import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from werkregie.accounts.models import User
from werkregie.core import backup
from werkregie.testing import make_person


# A backup reads committed data, as the command does in production: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_every_table_and_a_restore_checks_it(
    cast: dict[str, User], tmp_path: Path
) -> None:
    """The full drill (restore into a fresh PostgreSQL database, compare, log in) runs in
    scripts/test.sh; here: the manifest, the copy, and what a restore refuses."""
    make_person(residence="GM0141", actor=cast["hr_nuo"])
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["row_counts"] == backup.row_counts()
    assert manifest["row_counts"]["people_person"] >= 1 and manifest["audit_last_id"]
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(folder / manifest["file"])
        for table, count in manifest["row_counts"].items():
            assert copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count  # noqa: S608
        copy.close()
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("backup", str(folder))
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore", str(folder))
    dump = folder / manifest["file"]
    dump.write_bytes(dump.read_bytes() + b"x")
    with pytest.raises(CommandError, match="beschadigd"):
        call_command("restore", str(folder))
