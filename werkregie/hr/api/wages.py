"""Wage tables in the API (CAO SW and WML by date)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import Action
from werkregie.hr.models import (
    EmployerCharge,
)
from werkregie.hr.wages import WageTables
from werkregie.people.queries import FULL_TIME_HOURS

MAX_ID = 2**63 - 1


class WageCellSerializer(serializers.Serializer[Any]):
    scale = serializers.CharField()
    step = serializers.IntegerField()
    hourly = serializers.DecimalField(max_digits=7, decimal_places=2)
    monthly_full_time = serializers.DecimalField(
        max_digits=9, decimal_places=2, help_text="Maandloon bij 36 uur per week."
    )


class WageTableSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    minimum_hourly = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    scales = WageCellSerializer(many=True)


class DateParamSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(required=False)


class WageTableViewSet(viewsets.GenericViewSet[Any]):
    """The WML and the CAO SW table as they apply on a date (WML floor applied)."""

    required_permissions = {"list": Action.WAGE_TABLE_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = WageTableSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return EmployerCharge.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)], responses=WageTableSerializer
    )
    def list(self, request: Request) -> Response:
        params = DateParamSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        day: date = params.validated_data.get("date") or timezone.localdate()
        tables = WageTables.load()
        cells = []
        for scale, step in sorted(tables.scales, key=lambda c: (len(c[0]), c[0], c[1])):
            hourly = tables.hourly(scale, step, day)
            if hourly is not None:
                monthly = tables.table_wage(scale, step, FULL_TIME_HOURS, day)
                cells.append(
                    {"scale": scale, "step": step, "hourly": hourly, "monthly_full_time": monthly}
                )
        data = {"date": day, "minimum_hourly": tables.minimum_hourly(day), "scales": cells}
        return Response(WageTableSerializer(data).data)
