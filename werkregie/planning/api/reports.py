"""The planning & control report in the API."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.report_api import ReportTableSerializer
from werkregie.core.schema import not_found
from werkregie.planning import jobs as planning_jobs
from werkregie.planning import outlook
from werkregie.planning.access import agreements_for
from werkregie.planning.api.common import MUNICIPALITY_PARAM, chosen_municipalities
from werkregie.planning.models import (
    PerformanceAgreement,
)
from werkregie.planning.realisation import Period


class ReportSectionSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    subtitle = serializers.CharField()
    tables = ReportTableSerializer(many=True)


class PcReportSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    sections = ReportSectionSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class PeriodParams(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2021, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4, default=4)


class PcReportViewSet(viewsets.GenericViewSet[PerformanceAgreement]):
    """Tussenrapportage (quarter 1-3) or year report (quarter 4): per agreement target,
    realised (computed from the records) and forecast; for more than one municipality with
    the board's overview first."""

    required_permissions = {"list": Action.PLANNING_VIEW, "create": Action.PLANNING_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = PcReportSerializer

    queryset = PerformanceAgreement.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        return agreements_for(signed_in(self.request))

    @extend_schema(
        parameters=[
            MUNICIPALITY_PARAM,
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
        ],
        responses={200: PcReportSerializer, 404: not_found("Onbekende gemeente.")},
    )
    def list(self, request: Request) -> Response:
        params = PeriodParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        municipalities, label = chosen_municipalities(request)
        period = Period(params.validated_data["year"], params.validated_data["quarter"])
        report = outlook.pc_report(signed_in(request), municipalities, period, label)
        return Response(outlook.pc_report_data(report, period))

    @extend_schema(
        request=PeriodParams,
        parameters=[MUNICIPALITY_PARAM, IDEMPOTENCY_KEY],
        responses={202: JobSerializer, 404: not_found("Onbekende gemeente.")},
        description="Maakt de rapportage als taak (seconden bij landelijke omvang); klaar: "
        "`result.data` zoals GET, en PDF en Excel onder `files`.",
    )
    def create(self, request: Request) -> Response:
        params = PeriodParams(data=request.data)
        params.is_valid(raise_exception=True)
        chosen_municipalities(request)
        return accepted(
            request,
            planning_jobs.pc_report,
            params={
                "municipality": request.query_params.get("municipality", ""),
                "year": params.validated_data["year"],
                "quarter": params.validated_data["quarter"],
            },
        )
