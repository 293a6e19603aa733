"""Payroll files in the API: the preview and the finalised monthly files."""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import MonthField
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.schema import not_found
from werkregie.hr import jobs as hr_jobs
from werkregie.hr import payroll_file
from werkregie.hr.access import (
    payroll_exports_for,
)
from werkregie.hr.models import (
    PayrollExport,
    hr_employers,
)
from werkregie.organisations.models import Organisation


class PayrollExportSerializer(serializers.ModelSerializer[PayrollExport]):
    employer = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.none())
    month = MonthField()
    lines = serializers.IntegerField(source="lines_count", read_only=True)

    class Meta:
        model = PayrollExport
        fields = ["id", "employer", "month", "created_at", "lines"]
        read_only_fields = ["id", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["employer"]
            assert isinstance(field, serializers.SlugRelatedField)
            field.queryset = hr_employers(request.user)


class PayrollPreviewParams(serializers.Serializer[Any]):
    employer = serializers.CharField(max_length=60)
    month = MonthField()


class FileFormatParams(serializers.Serializer[Any]):
    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class PayrollExportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[PayrollExport],
):
    """Monthly payroll files per employer (docs/payroll_file.md): preview, make final (create),
    download as CSV or Excel. A final file stays as it was; later changes to earlier months
    come as correction lines in the next file."""

    serializer_class = PayrollExportSerializer
    required_permissions = {
        "list": Action.PAYROLL_EXPORT,
        "retrieve": Action.PAYROLL_EXPORT,
        "create": Action.PAYROLL_EXPORT,
        "download": Action.PAYROLL_EXPORT,
        "preview": Action.PAYROLL_EXPORT,
    }
    filterset_fields = {"employer__code": ["exact"], "month": ["exact"]}

    queryset = PayrollExport.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[PayrollExport]:
        return (
            payroll_exports_for(signed_in(self.request))
            .select_related("employer")
            .annotate(lines_count=Count("lines"))
            .order_by("-month", "employer__name", "id")
        )

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer},
        description="Maakt het bestand definitief als taak; klaar: `result.export` is het id.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        return accepted(
            request,
            hr_jobs.finalise_payroll,
            params={
                "employer": params.validated_data["employer"].pk,
                "month": params.validated_data["month"].isoformat(),
            },
        )

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def download(self, request: Request, pk: str) -> HttpResponse:
        params = FileFormatParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        made = payroll_file.stored_file(self.get_object())
        made.record_read(signed_in(request))
        if params.validated_data["format"] == "xlsx":
            from werkregie.core.documents import XLSX

            return HttpResponse(made.xlsx_bytes(), content_type=XLSX)
        return HttpResponse(made.csv_bytes(), content_type="text/csv; charset=utf-8")

    @extend_schema(
        request=PayrollPreviewParams,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer, 404: not_found("Onbekende werkgever.")},
        description=(
            "Maakt een voorbeeld van het bestand als taak (bij een grote werkgever duurt dat "
            "seconden). Klaar: `result.data` is de tabel, met `columns`, `rows` en `total`; "
            "elke keer dat de taak met uitkomst wordt opgevraagd, wordt het inzien van de "
            "lonen vastgelegd."
        ),
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def preview(self, request: Request) -> Response:
        params = PayrollPreviewParams(data=request.data)
        params.is_valid(raise_exception=True)
        employer = (
            hr_employers(signed_in(request)).filter(code=params.validated_data["employer"]).first()
        )
        if employer is None:
            raise NotFound("Onbekende werkgever, of niet een van uw werkgevers.")
        return accepted(
            request,
            hr_jobs.preview_payroll,
            params={"employer": employer.pk, "month": params.validated_data["month"].isoformat()},
        )
