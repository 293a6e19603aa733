"""Backup and restore of the whole database, with a manifest to check the copy against.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`; SQLite: its online backup API. The
manifest (`manifest.json`) holds the row count of every table, the SHA-256 of the dump and
the audit log's last id; a restore refuses a dump whose checksum differs and then compares
every count, so a restored copy is known to be whole (issue 16).
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone

from werkregie.core.errors import DomainError

MANIFEST = "manifest.json"


def _tables() -> list[str]:
    """Every table the application owns (models, their many-to-many tables and Django's)."""
    existing = set(connection.introspection.table_names())
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    return sorted((names | {"django_migrations"}) & existing)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _audit_last_id() -> int | None:
    from werkregie.core.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise DomainError(f"{name} is niet gevonden; installeer de PostgreSQL-clientprogramma's.")
    return found


def _pg_args() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    args = ["--host", str(settings.get("HOST") or "localhost"), "--username", str(settings["USER"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    return args, env


def _dump_name() -> str:
    return "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"


def backup(folder: Path) -> dict[str, Any]:
    """Write the database and its manifest into `folder` (new or empty)."""
    if folder.exists() and any(folder.iterdir()):
        raise DomainError(f"De map {folder} is niet leeg; kies een nieuwe map.")
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / _dump_name()
    counts, last_audit = row_counts(), _audit_last_id()
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_dump"), *args, "--format=custom", "--file", str(dump),
             str(connection.settings_dict["NAME"])],
            check=True, env=env,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        with target:
            connection.connection.backup(target)
        target.close()
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "file": dump.name,
        "sha256": _sha256(dump),
        "audit_last_id": last_audit,
        "row_counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    differences: list[str]


def restore(folder: Path) -> Restored:
    """Load a backup into the (empty) database of the current settings, then compare every
    table's row count and the audit log's last id with the manifest."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    dump = folder / manifest["file"]
    if _sha256(dump) != manifest["sha256"]:
        raise DomainError("De back-up is beschadigd: de SHA-256 wijkt af van het manifest.")
    if manifest["vendor"] != connection.vendor:
        raise DomainError(
            f"Deze back-up is van {manifest['vendor']}; de database is {connection.vendor}."
        )
    if connection.introspection.table_names():
        raise DomainError("De doeldatabase is niet leeg; herstel in een nieuwe, lege database.")
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_restore"), *args, "--no-owner", "--exit-on-error",
             "--dbname", str(connection.settings_dict["NAME"]), str(dump)],
            check=True, env=env,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        with source:
            source.backup(connection.connection)
        source.close()
    counts = row_counts()
    differences = [
        f"{table}: {manifest['row_counts'].get(table)} in de back-up, {counts.get(table)} hersteld"
        for table in sorted(set(counts) | set(manifest["row_counts"]))
        if counts.get(table) != manifest["row_counts"].get(table)
    ]
    if _audit_last_id() != manifest["audit_last_id"]:
        differences.append("auditlog: de laatste gebeurtenis wijkt af van het manifest")
    return Restored(tables=len(counts), rows=sum(counts.values()), differences=differences)
