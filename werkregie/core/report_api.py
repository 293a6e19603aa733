"""Report tables (core.reports) in the API: the same table as the screen and the files."""

from typing import Any

from rest_framework import serializers

from werkregie.core.reports import Table, Unit

WHOLE_NUMBERS = (Unit.PERSONS, Unit.COUNT)


def table_data(table: Table) -> dict[str, Any]:
    """A report table as JSON: numbers as strings (counts as integers), one unit a column."""

    def value(unit: Unit, raw: Any) -> Any:
        if raw is None or unit == Unit.TEXT:
            return raw
        return int(raw) if unit in WHOLE_NUMBERS else str(raw)

    def row(values: dict[str, Any]) -> dict[str, Any]:
        return {c.key: value(c.unit, values.get(c.key)) for c in table.columns}

    return {
        "title": table.title,
        "columns": [{"key": c.key, "label": c.label, "unit": str(c.unit)} for c in table.columns],
        "rows": [row(r) for r in table.rows],
        "total": row(table.total) if table.total else None,
        "notes": table.notes,
    }


class ColumnSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.ChoiceField(choices=[u.value for u in Unit])


class ReportTableSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.DictField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
