"""Database helpers that hold on SQLite and PostgreSQL alike."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

# PostgreSQL takes at most 65,535 bind parameters per query; SQLite's default is 250,000.
IN_CHUNK = 10_000


def filter_in(
    queryset: "models.QuerySet[M]", field: str, values: Sequence[Any], *, chunk: int = IN_CHUNK
) -> Iterator[M]:
    """`queryset.filter(field__in=values)` for any number of values, in chunked queries."""
    for start in range(0, len(values), chunk):
        yield from queryset.filter(**{f"{field}__in": values[start : start + chunk]})
