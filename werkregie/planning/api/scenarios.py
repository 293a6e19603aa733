"""Execution scenarios in the API, and their comparison."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.core.schema import not_found
from werkregie.planning import scenarios, services
from werkregie.planning.access import scenarios_for
from werkregie.planning.api.common import (
    MUNICIPALITY_PARAM,
    SavedThroughService,
    chosen_municipalities,
)
from werkregie.planning.models import (
    Scenario,
)


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    class Meta:
        model = Scenario
        fields = ["id", *services.SCENARIO_FIELDS]
        read_only_fields = ["id"]
        validators: list[Any] = []
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}


class CompareParams(serializers.Serializer[Any]):
    first = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    second = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class ComparisonSerializer(serializers.Serializer[Any]):
    table = ReportTableSerializer()


class ScenarioViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Scenario],
):
    """Execution models with editable, saved assumptions; `compare` sets two side by side."""

    service = staticmethod(services.save_scenario)
    instance_name = "scenario"
    serializer_class = ScenarioSerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.PLANNING_VIEW,
        "retrieve": Action.PLANNING_VIEW,
        "compare": Action.PLANNING_VIEW,
        "create": Action.SCENARIO_CHANGE,
        "partial_update": Action.SCENARIO_CHANGE,
    }

    queryset = Scenario.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Scenario]:
        return scenarios_for(signed_in(self.request))

    @extend_schema(
        parameters=[
            OpenApiParameter("first", int, required=True),
            OpenApiParameter("second", int, required=True),
            MUNICIPALITY_PARAM,
        ],
        responses={200: ComparisonSerializer, 404: not_found("Onbekend scenario of gemeente.")},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def compare(self, request: Request) -> Response:
        params = CompareParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        found = self.get_queryset().in_bulk(
            [params.validated_data["first"], params.validated_data["second"]]
        )
        first = found.get(params.validated_data["first"])
        second = found.get(params.validated_data["second"])
        if first is None or second is None:
            raise NotFound("Onbekend scenario.")
        municipalities, label = chosen_municipalities(request)
        today = timezone.localdate()
        table, _ = scenarios.comparison(
            scenarios.evaluate(first, today),
            scenarios.evaluate(second, today),
            [m.pk for m in municipalities],
            label,
        )
        return Response({"table": table_data(table)})
