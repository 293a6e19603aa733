from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# search_name holds lower-case, accent-folded names. With the byte-order "C" collation
# PostgreSQL can answer LIKE 'prefix%' from the same btree that orders the list, so a
# search stops after the first page instead of filtering every resident. SQLite compares
# bytes already. A later AlterField of search_name must keep this collation.


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE people_person ALTER COLUMN search_name TYPE varchar(100) COLLATE "C"',
            params=None,
        )


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE people_person ALTER COLUMN search_name TYPE varchar(100) "
            'COLLATE "default"',
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
