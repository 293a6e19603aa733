"""Database helpers that hold on SQLite and PostgreSQL alike."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)

# PostgreSQL takes at most 65,535 bind parameters per query; SQLite's default is 250,000.
IN_CHUNK = 10_000


def filter_in(
    queryset: "models.QuerySet[M]", field: str, values: Sequence[Any], *, chunk: int = IN_CHUNK
) -> Iterator[M]:
    """`queryset.filter(field__in=values)` for any number of values, in chunked queries."""
    for start in range(0, len(values), chunk):
        yield from queryset.filter(**{f"{field}__in": values[start : start + chunk]})


def bulk_insert(model: type[M], objs: Sequence[M], *, batch_size: int = 2000) -> list[M]:
    """Insert new rows and set their primary keys, like `bulk_create`.

    On PostgreSQL the rows go in with COPY, with ids taken from the table's own sequence
    beforehand: for large batches (imports, plans) this is several times faster than INSERT.
    Like `bulk_create`, it skips `save()` and signals; callers validate before.
    """
    rows = list(objs)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or not rows:
        return model._default_manager.bulk_create(rows, batch_size=batch_size)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    plain = [_is_plain(f) for f in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, new_id in zip(rows, ids, strict=True):
                obj.pk = new_id
                copy.write_row(
                    [
                        new_id,
                        *(
                            getattr(obj, f.attname)
                            if is_plain
                            else f.get_db_prep_save(f.pre_save(obj, True), connection)
                            for f, is_plain in zip(fields, plain, strict=True)
                        ),
                    ]
                )
    for obj in rows:
        obj._state.adding, obj._state.db = False, connection.alias
    return rows


# Field types whose value psycopg writes as it is: Django's preparation for PostgreSQL
# returns it unchanged, so COPY can skip the per-cell call (the bulk of an import's time).
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.DecimalField,
    models.BooleanField,
    models.ForeignKey,
)


def _is_plain(field: Any) -> bool:
    if isinstance(field, models.DateField):
        # DateTimeField is a DateField; both are plain unless auto_now(_add) fills them in.
        return not (field.auto_now or field.auto_now_add)
    return isinstance(field, _PLAIN_FIELDS) and not isinstance(
        field, models.GenericIPAddressField | models.SlugField | models.JSONField
    )
