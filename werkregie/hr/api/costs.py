"""Wage cost reports in the API."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import MonthField
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.core.schema import not_found
from werkregie.hr import payroll
from werkregie.hr.models import (
    hr_employers,
)
from werkregie.organisations.models import Organisation


class CostParams(serializers.Serializer[Any]):
    employer = serializers.CharField(max_length=60, required=False)
    start = MonthField()
    end = MonthField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["De eindmaand ligt vóór de beginmaand."]})
        if (attrs["end"].year - attrs["start"].year) * 12 + attrs["end"].month - attrs[
            "start"
        ].month > 35:
            raise serializers.ValidationError(
                {"end": ["Kies een periode van hoogstens 36 maanden."]}
            )
        return attrs


class CostReportViewSet(viewsets.GenericViewSet[Any]):
    """Wage bill, employer charges, hours, persons and arbeidsjaren per work form (aggregates):
    HR of all its employers, a controller of their municipality's, the board of all."""

    required_permissions = {"list": Action.HR_REPORT_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = ReportTableSerializer

    queryset = Organisation.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Any]:
        return hr_employers(signed_in(self.request))

    @extend_schema(
        parameters=[
            OpenApiParameter("employer", str, description="Code van de werkgever; leeg: alle."),
            OpenApiParameter("start", str, required=True, description="Eerste maand, JJJJ-MM."),
            OpenApiParameter("end", str, required=True, description="Laatste maand, JJJJ-MM."),
        ],
        responses={200: ReportTableSerializer, 404: not_found("Onbekende werkgever.")},
    )
    def list(self, request: Request) -> Response:
        params = CostParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        employers = self.get_queryset()
        if params.validated_data.get("employer"):
            employers = employers.filter(code=params.validated_data["employer"])
            if not employers.exists():
                raise NotFound("Onbekende werkgever, of niet een van uw werkgevers.")
        table = payroll.cost_report(
            employers.values_list("pk", flat=True),
            params.validated_data["start"],
            params.validated_data["end"],
        )
        return Response(table_data(table))
