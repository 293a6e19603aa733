"""Database helpers that hold on SQLite and PostgreSQL alike."""

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)
R = TypeVar("R")  # a row of a queryset: an instance, or a tuple from values_list

# PostgreSQL takes at most 65,535 bind parameters per query; SQLite's default is 250,000.
IN_CHUNK = 10_000


def filter_in(
    queryset: "models.QuerySet[Any, R]", field: str, values: Sequence[Any], *, chunk: int = IN_CHUNK
) -> Iterator[R]:
    """`queryset.filter(field__in=values)` for any number of values, in chunked queries."""
    for start in range(0, len(values), chunk):
        yield from queryset.filter(**{f"{field}__in": values[start : start + chunk]})


def bulk_insert(model: type[M], objs: Sequence[M], *, batch_size: int = 2000) -> list[M]:
    """Insert new model instances and set their primary keys, like `bulk_create`.

    On PostgreSQL through `insert_rows` (COPY); like `bulk_create`, it skips `save()` and
    signals: callers validate before.
    """
    rows = list(objs)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or not rows:
        return model._default_manager.bulk_create(rows, batch_size=batch_size)
    fields = _insert_fields(model)
    plain = [_is_plain(f) for f in fields]
    values = [
        [
            getattr(obj, f.attname) if is_plain else f.pre_save(obj, True)
            for f, is_plain in zip(fields, plain, strict=True)
        ]
        for obj in rows
    ]
    ids = insert_rows(model, [f.attname for f in fields], values)
    for obj, new_id in zip(rows, ids, strict=True):
        obj.pk = new_id
        obj._state.adding, obj._state.db = False, connection.alias
    return rows


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    return_ids: bool = True,
    batch_size: int = 2000,
) -> list[int]:
    """Insert rows given as values in `attnames` order (`residence_id` for a foreign key)
    and return their new ids, in order (none with `return_ids=False`). No model instances on
    PostgreSQL: for imports and plans of tens of thousands of rows, building instances costs
    more than the insert.

    PostgreSQL: one COPY, with ids drawn from the table's own sequence beforehand (or left
    to the column default). Elsewhere: `bulk_create` of instances built from the values.
    """
    connection = connections[router.db_for_write(model)]
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
        return [obj.pk for obj in created] if return_ids else []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    # Only non-plain fields (JSON, IP addresses) need Django's preparation per cell.
    prepare = [
        (i, convert)
        for i, f in enumerate(fields)
        if (convert := _copy_preparation(f, connection)) is not None
    ]
    # Columns left out get their model default, as an instance would (once for the batch).
    omitted = [f for f in meta.concrete_fields if f is not pk and f.attname not in attnames]
    extra = tuple(
        convert(f.get_default())
        if (convert := _copy_preparation(f, connection))
        else f.get_default()
        for f in omitted
    )
    quote = connection.ops.quote_name
    columns = [f.column for f in [*fields, *omitted]]
    with connection.cursor() as cursor:
        ids: list[int] = []
        if return_ids:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns.insert(0, pk.column)
        names = ", ".join(quote(c) for c in columns)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
            for position, row in enumerate(rows):
                if prepare:
                    row = list(row)
                    for i, convert in prepare:
                        row[i] = convert(row[i])
                row = (*row, *extra)
                copy.write_row((ids[position], *row) if return_ids else row)
    return ids


def _copy_preparation(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How a value of `field` goes into COPY: as it is (None), or converted."""
    if _copies_as_is(field):
        return None
    if isinstance(field, models.JSONField):
        # COPY's text format takes JSON as its text: no adapter object per cell.
        encoder = field.encoder

        def as_json(value: Any) -> Any:
            if value is None:
                return None
            return "{}" if value == {} else json.dumps(value, cls=encoder)

        return as_json
    return lambda value: field.get_db_prep_save(value, connection)


def _insert_fields(model: type[models.Model]) -> list[Any]:
    pk = model._meta.pk
    return [f for f in model._meta.concrete_fields if f is not pk]


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


def _copies_as_is(field: Any) -> bool:
    # DateTimeField is a DateField.
    return isinstance(field, (models.DateField, *_PLAIN_FIELDS)) and not isinstance(
        field, models.GenericIPAddressField | models.SlugField | models.JSONField
    )


def _is_plain(field: Any) -> bool:
    """Copies as is, and `pre_save` does not fill it in (auto_now, auto_now_add)."""
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        return False
    return _copies_as_is(field)
