"""The state contribution (rijksbijdrage) per municipality in the API."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.hr import contribution
from werkregie.hr.models import (
    report_municipalities,
)
from werkregie.organisations.models import Municipality


class YearParams(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class StateContributionViewSet(viewsets.GenericViewSet[Municipality]):
    """The rijksbijdrage per municipality against its actual Wsw wage costs (aggregates)."""

    required_permissions = {"list": Action.HR_REPORT_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = ReportTableSerializer

    queryset = Municipality.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Municipality]:
        return report_municipalities(signed_in(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=ReportTableSerializer,
    )
    def list(self, request: Request) -> Response:
        params = YearParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        table = contribution.contribution_table(self.get_queryset(), params.validated_data["year"])
        return Response(table_data(table))
