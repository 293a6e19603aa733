"""The Wsw forecast per municipality in the API."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.report_api import ReportTableSerializer
from werkregie.core.schema import not_found
from werkregie.organisations.models import Municipality
from werkregie.planning import jobs as planning_jobs
from werkregie.planning import outlook
from werkregie.planning.api.common import MUNICIPALITY_PARAM, chosen_municipalities
from werkregie.planning.models import (
    planning_municipalities,
)


class EconomicsSerializer(serializers.Serializer[Any]):
    indexation_pct = serializers.FloatField()
    charges_pct = serializers.FloatField()
    contribution_growth_pct = serializers.FloatField()


class ForecastSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    base = serializers.DateField()
    observed_from = serializers.DateField()
    leavers_observed = serializers.IntegerField()
    economics = EconomicsSerializer()
    forecast = ReportTableSerializer()
    backtest = ReportTableSerializer(allow_null=True)
    backtest_mape = serializers.FloatField(allow_null=True)


class ForecastViewSet(viewsets.GenericViewSet[Municipality]):
    """The Wsw population and its costs per year to 2040 against the rijksbijdrage, with the
    95% band and the backtest (fit up to four years ago, predict the three after)."""

    required_permissions = {"list": Action.PLANNING_VIEW, "create": Action.PLANNING_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = ForecastSerializer

    queryset = Municipality.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Municipality]:
        return planning_municipalities(signed_in(self.request))

    @extend_schema(
        parameters=[MUNICIPALITY_PARAM],
        responses={200: ForecastSerializer, 404: not_found("Onbekende gemeente.")},
    )
    def list(self, request: Request) -> Response:
        municipalities, label = chosen_municipalities(request)
        result = outlook.forecast(municipalities, label, timezone.localdate())
        return Response(outlook.forecast_data(result))

    @extend_schema(
        request=None,
        parameters=[MUNICIPALITY_PARAM, IDEMPOTENCY_KEY],
        responses={202: JobSerializer, 404: not_found("Onbekende gemeente.")},
        description="Maakt de prognose als taak; klaar: `result.data` zoals GET, en Excel "
        "onder `files`.",
    )
    def create(self, request: Request) -> Response:
        chosen_municipalities(request)
        return accepted(
            request,
            planning_jobs.forecast,
            params={"municipality": request.query_params.get("municipality", "")},
        )
