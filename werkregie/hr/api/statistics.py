"""The Wsw-statistiek in the API: the check and the delivered files."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.core.schema import not_found
from werkregie.hr import services, statistics
from werkregie.hr.models import (
    StatisticsDelivery,
    report_municipalities,
)
from werkregie.organisations.models import Municipality


class HalfYearParams(serializers.Serializer[Any]):
    municipality = serializers.CharField(max_length=6, help_text="CBS-code, bijv. GM0141.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    half = serializers.ChoiceField(choices=[1, 2])


class StatisticsCheckSerializer(serializers.Serializer[Any]):
    municipality = serializers.CharField()
    year = serializers.IntegerField()
    half = serializers.IntegerField()
    due_date = serializers.DateField()
    tables = ReportTableSerializer(many=True)


class DeliverySerializer(serializers.ModelSerializer[StatisticsDelivery]):
    municipality = serializers.CharField(source="municipality.cbs_code")

    class Meta:
        model = StatisticsDelivery
        fields = [
            "id",
            "municipality",
            "year",
            "half",
            "persons",
            "work_years",
            "sha256",
            "delivered_at",
        ]


class WswStatisticsViewSet(viewsets.GenericViewSet[StatisticsDelivery]):
    """The half-yearly Wsw-statistiek per municipality of residence: check totals with the
    differences to the half-year before (aggregates), and for HR the person-level file and
    its delivery."""

    required_permissions = {
        "list": Action.HR_REPORT_VIEW,
        "file": Action.STATISTICS_DELIVER,
        "deliver": Action.STATISTICS_DELIVER,
        "deliveries": Action.STATISTICS_DELIVER,
    }
    pagination_class = None
    list_answers_one_object = True
    serializer_class = StatisticsCheckSerializer

    queryset = StatisticsDelivery.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[StatisticsDelivery]:
        return StatisticsDelivery.objects.filter(
            municipality__in=report_municipalities(signed_in(self.request))
        )

    def _params(self, data: Any) -> tuple[Municipality, int, int]:
        params = HalfYearParams(data=data)
        params.is_valid(raise_exception=True)
        municipality = (
            report_municipalities(signed_in(self.request))
            .filter(cbs_code=params.validated_data["municipality"])
            .first()
        )
        if municipality is None:
            raise NotFound("Onbekende gemeente, of niet een van uw gemeenten.")
        return municipality, params.validated_data["year"], int(params.validated_data["half"])

    _PARAMS = [
        OpenApiParameter("municipality", str, required=True, description="CBS-code."),
        OpenApiParameter("year", int, required=True),
        OpenApiParameter("half", int, required=True, enum=[1, 2]),
    ]

    @extend_schema(
        parameters=_PARAMS,
        responses={200: StatisticsCheckSerializer, 404: not_found("Onbekende gemeente.")},
    )
    def list(self, request: Request) -> Response:
        municipality, year, half = self._params(request.query_params)
        current = statistics.person_rows(municipality, year, half)
        before = statistics.person_rows(municipality, *statistics.previous_half(year, half))
        data = {
            "municipality": municipality.cbs_code,
            "year": year,
            "half": half,
            "due_date": statistics.due_date(year, half),
            "tables": [table_data(t) for t in statistics.check_tables(current, before)],
        }
        return Response(StatisticsCheckSerializer(data).data)

    @extend_schema(
        parameters=_PARAMS,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            404: not_found("Onbekende gemeente."),
        },
    )
    @action(detail=False, methods=["get"])
    def file(self, request: Request) -> HttpResponse:
        municipality, year, half = self._params(request.query_params)
        rows = statistics.person_rows(municipality, year, half)
        statistics.record_file_read(
            user=signed_in(request),
            municipality=municipality,
            year=year,
            half=half,
            person_ids=[r.person_id for r in rows],
        )
        content = statistics.file_text(rows, municipality, year, half)
        return HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")

    @extend_schema(
        request=HalfYearParams,
        responses={201: DeliverySerializer, 404: not_found("Onbekende gemeente.")},
    )
    @action(detail=False, methods=["post"])
    def deliver(self, request: Request) -> Response:
        municipality, year, half = self._params(request.data)
        delivery = services.deliver_statistics(
            actor=signed_in(request), municipality=municipality, year=year, half=half
        )
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=False, methods=["get"])
    def deliveries(self, request: Request) -> Response:
        rows = self.get_queryset().select_related("municipality")[:200]
        return Response(DeliverySerializer(rows, many=True).data)
