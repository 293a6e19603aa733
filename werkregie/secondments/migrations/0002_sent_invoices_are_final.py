from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# A sent invoice is final in the database too: its row and its lines refuse UPDATE, and no
# line can be added to it. Drafts stay free. DELETE stays possible for the retention job
# after the fiscal term (as for the audit log); the app never deletes a sent invoice.
# (A later migration that makes SQLite rebuild these tables must create the triggers again.)
_MESSAGE = "a sent invoice is final; correct it with a credit note"
_SENT_LINE = "(SELECT status FROM secondments_invoice WHERE id = {row}.invoice_id) = 'sent'"
_SQLITE_UP = [
    "CREATE TRIGGER secondments_invoice_final_update BEFORE UPDATE ON secondments_invoice "
    f"WHEN OLD.status = 'sent' BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    "CREATE TRIGGER secondments_line_final_update BEFORE UPDATE ON secondments_invoiceline "
    f"WHEN {_SENT_LINE.format(row='OLD')} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    "CREATE TRIGGER secondments_line_final_insert BEFORE INSERT ON secondments_invoiceline "
    f"WHEN {_SENT_LINE.format(row='NEW')} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
]
_SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS secondments_{name}"
    for name in (
        "invoice_final_update",
        "line_final_update",
        "line_final_insert",
    )
]
_POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION secondments_invoice_final() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION secondments_line_final() RETURNS trigger AS $$ "  # noqa: S608
    "DECLARE invoice_id bigint; BEGIN "
    "IF TG_OP = 'INSERT' THEN invoice_id := NEW.invoice_id; ELSE invoice_id := OLD.invoice_id; "
    "END IF; "
    "IF (SELECT status FROM secondments_invoice WHERE id = invoice_id) = 'sent' THEN "
    f"RAISE EXCEPTION '{_MESSAGE}'; END IF; "
    "RETURN NEW; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER secondments_invoice_final BEFORE UPDATE ON secondments_invoice "
    "FOR EACH ROW WHEN (OLD.status = 'sent') EXECUTE FUNCTION secondments_invoice_final()",
    "CREATE TRIGGER secondments_line_final BEFORE INSERT OR UPDATE "
    "ON secondments_invoiceline FOR EACH ROW EXECUTE FUNCTION secondments_line_final()",
]
_POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS secondments_line_final ON secondments_invoiceline",
    "DROP TRIGGER IF EXISTS secondments_invoice_final ON secondments_invoice",
    "DROP FUNCTION IF EXISTS secondments_line_final()",
    "DROP FUNCTION IF EXISTS secondments_invoice_final()",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, postgres: list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise RuntimeError(f"No sent-invoice trigger for database vendor {vendor!r}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, _POSTGRES_UP, _SQLITE_UP)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, _POSTGRES_DOWN, _SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("secondments", "0001_secondments")]
    operations = [migrations.RunPython(forwards, backwards)]
