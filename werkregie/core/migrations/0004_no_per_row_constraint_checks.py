import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# SQLite alters a foreign key by rebuilding the table, which drops its triggers: the
# append-only trigger of 0002 is put back (PostgreSQL keeps it; re-creating is harmless).
_append_only = importlib.import_module("werkregie.core.migrations.0002_auditevent_append_only")


def restore_append_only(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _append_only.backwards(apps, schema_editor)
    _append_only.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditevent_transition_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gebruiker",
            ),
        ),
        migrations.RunPython(restore_append_only, restore_append_only),
    ]
