from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Audit events are append-only in the database too, so not even raw SQL can rewrite them.
# DELETE stays possible for the DBA's retention job (AVG bewaartermijn); the app never deletes.
_POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION core_auditevent_refuse_update() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update()",
]
_POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse_update()",
]
_SQLITE_UP = [
    "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
]
_SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_update"]


def _run(schema_editor: BaseDatabaseSchemaEditor, postgres: list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise RuntimeError(f"No append-only trigger for database vendor {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, _POSTGRES_UP, _SQLITE_UP)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, _POSTGRES_DOWN, _SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
