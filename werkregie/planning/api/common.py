"""What the planning & control resources share: the municipality parameter, and saving
through a service."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from werkregie.accounts.access import signed_in
from werkregie.organisations.models import Municipality
from werkregie.planning import outlook

MUNICIPALITY_PARAM = OpenApiParameter(
    "municipality",
    str,
    description="CBS-code, of `alle` voor alle gemeenten die u ziet (standaard bij meer dan één).",
)


def chosen_municipalities(request: Request) -> tuple[list[Municipality], str]:
    found = outlook.choose(signed_in(request), request.query_params.get("municipality", ""))
    if found is None:
        raise NotFound("Onbekende gemeente, of niet een van uw gemeenten.")
    return found


class SavedThroughService(generics.GenericAPIView[Any]):
    """Create and change through the planning service `service`, which validates, saves and
    audits; a change gets the stored row (its old values for the audit) as `instance_name`."""

    service: Callable[..., Any]
    instance_name = ""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.service(
            actor=signed_in(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        stored = type(serializer.instance).objects.get(pk=serializer.instance.pk)
        serializer.instance = self.service(
            actor=signed_in(self.request),
            **{self.instance_name: stored},
            **serializer.validated_data,
        )
