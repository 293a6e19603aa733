"""Fields and parameters the employer services resources share."""

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from werkregie.employer_services.vocabulary import (
    Vocabulary,
)

MAX_ID = 2**63 - 1


class CodeSetField(serializers.MultipleChoiceField):
    """A set of vocabulary codes in JSON, a bit mask in the database."""

    def __init__(self, vocabulary: Vocabulary, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        super().__init__(choices=vocabulary.choices, **kwargs)

    def to_representation(self, value: Any) -> list[str]:  # type: ignore[override]
        return self.vocabulary.decode(int(value or 0))

    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        return self.vocabulary.mask(super().to_internal_value(data))


class LimitSerializer(serializers.Serializer[Any]):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


def limit_param(request: Request) -> int:
    """The `limit` query parameter of the candidate and vacancy rankings (1–100, 10)."""
    params = LimitSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    limit: int = params.validated_data["limit"]
    return limit
