"""HR in the API: wage tables, employment changes, indexation runs, payroll files, the cost
report, the Wsw-statistiek and the rijksbijdrage. HR of the NUO sees the employees of all
six employers; a controller and the board only the aggregate reports."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import Action
from werkregie.core.api import MonthField
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.core.schema import not_found
from werkregie.hr import contribution, payroll, payroll_file, services, statistics
from werkregie.hr import jobs as hr_jobs
from werkregie.hr.access import (
    employment_changes_for,
    indexation_runs_for,
    payroll_exports_for,
    record_changes_listed,
    record_indexation_lines_shown,
)
from werkregie.hr.models import (
    EmployerCharge,
    EmploymentChange,
    IndexationLine,
    IndexationRun,
    PayrollExport,
    StatisticsDelivery,
    hr_employers,
    report_municipalities,
)
from werkregie.hr.wages import WageTables
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.people.access import persons_for
from werkregie.people.models import Employment, Person
from werkregie.people.queries import FULL_TIME_HOURS

MAX_ID = 2**63 - 1


# --- Wage tables ---------------------------------------------------------------------------


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


# --- Employment changes --------------------------------------------------------------------


class MutationSerializer(serializers.ModelSerializer[EmploymentChange]):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    employer = serializers.CharField(source="employer.code", read_only=True)
    description = serializers.CharField(source="describe", read_only=True)
    effective_date = serializers.DateField(
        required=False,
        help_text="Niet nodig bij uit dienst wegens AOW: die datum volgt uit de wet.",
    )
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=60, required=False, write_only=True
    )
    scale = serializers.CharField(max_length=10, required=False, write_only=True)
    step = serializers.IntegerField(min_value=0, max_value=30, required=False, write_only=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, write_only=True
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, write_only=True
    )
    work_form = serializers.ChoiceField(
        choices=Employment.WorkForm.choices, required=False, write_only=True
    )
    leave_type = serializers.CharField(max_length=60, required=False, write_only=True)
    exported = serializers.SerializerMethodField()

    class Meta:
        model = EmploymentChange
        fields = [
            "id", "person", "employer", "kind", "effective_date", "end_reason", "description",
            "recorded_at", "exported", "hours_per_week", "scale", "step", "team", "site",
            "work_form", "leave_type",
        ]  # fmt: skip
        read_only_fields = ["id", "recorded_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["person"]
            assert isinstance(field, serializers.PrimaryKeyRelatedField)
            field.queryset = persons_for(request.user)

    def get_exported(self, obj: EmploymentChange) -> bool:
        return obj.exported_in_id is not None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("kind") == EmploymentChange.Kind.INDEXATION:
            raise serializers.ValidationError({"kind": ["Indexatie gaat via een indexatierun."]})
        retirement = attrs.get("kind") == "end" and attrs.get("end_reason") == "retirement"
        if "effective_date" not in attrs and not retirement:
            raise serializers.ValidationError({"effective_date": ["Vul de ingangsdatum in."]})
        return attrs


class EmploymentChangeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[EmploymentChange]
):
    """Mutaties of the employees of the employers HR serves: recorded with their effective
    date; the versions of the employment carry the state, changes in the past included."""

    serializer_class = MutationSerializer
    required_permissions = {"list": Action.PAYROLL_EXPORT, "create": Action.PAYROLL_EXPORT}
    filterset_fields = {"person": ["exact"], "kind": ["exact"]}

    def get_queryset(self) -> QuerySet[EmploymentChange]:
        return employment_changes_for(self.request.user).select_related("employer")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        record_changes_listed(
            user=request.user, changes=EmploymentChange.objects.filter(pk__in=ids)
        )
        return response

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        change = services.record_employment_change(
            actor=self.request.user,
            person=data.pop("person"),
            kind=data.pop("kind"),
            effective_date=data.pop("effective_date", timezone.localdate()),
            **data,
        )
        serializer.instance = change


# --- Indexation ---------------------------------------------------------------------------


class IndexationRunSerializer(serializers.ModelSerializer[IndexationRun]):
    employees = serializers.IntegerField(source="lines_count", read_only=True)

    class Meta:
        model = IndexationRun
        fields = ["id", "effective_date", "status", "created_at", "decided_at", "employees"]
        read_only_fields = ["id", "status", "created_at", "decided_at"]


class EmployerTotalSerializer(serializers.Serializer[Any]):
    employer = serializers.CharField(source="employer__name")
    employees = serializers.IntegerField()
    old = serializers.DecimalField(max_digits=14, decimal_places=2)
    new = serializers.DecimalField(max_digits=14, decimal_places=2)


class IndexationDetailSerializer(IndexationRunSerializer):
    employers = serializers.SerializerMethodField()

    class Meta(IndexationRunSerializer.Meta):
        fields = [*IndexationRunSerializer.Meta.fields, "employers"]

    @extend_schema_field(EmployerTotalSerializer(many=True))
    def get_employers(self, obj: IndexationRun) -> list[dict[str, Any]]:
        rows = obj.totals_per_employer()
        return list(EmployerTotalSerializer(rows, many=True).data)


class IndexationLineSerializer(serializers.ModelSerializer[IndexationLine]):
    personnel_number = serializers.CharField(source="person.personnel_number", allow_null=True)
    name = serializers.CharField(source="person.full_name")
    employer = serializers.CharField(source="employer.code")

    class Meta:
        model = IndexationLine
        fields = ["personnel_number", "name", "employer", "old_wage", "new_wage", "reason"]


class IndexationRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[IndexationRun],
):
    """Indexation: propose every wage from a date, read the differences per employer and per
    employee, approve (a second person) to apply, or withdraw."""

    serializer_class = IndexationRunSerializer
    required_permissions = {
        "list": Action.INDEXATION_PREPARE,
        "retrieve": Action.INDEXATION_PREPARE,
        "create": Action.INDEXATION_PREPARE,
        "lines": Action.INDEXATION_PREPARE,
        "approve": Action.INDEXATION_APPROVE,
        "withdraw": Action.INDEXATION_APPROVE,
    }

    def get_queryset(self) -> QuerySet[IndexationRun]:
        return (
            indexation_runs_for(self.request.user)
            .annotate(lines_count=Count("lines"))
            .order_by("-effective_date", "-id")
        )

    def get_serializer_class(self) -> Any:
        return (
            IndexationDetailSerializer
            if self.action == "retrieve"
            else super().get_serializer_class()
        )

    def perform_create(self, serializer: Any) -> None:
        run = services.propose_indexation(
            actor=self.request.user, effective_date=serializer.validated_data["effective_date"]
        )
        serializer.instance = self.get_queryset().get(pk=run.pk)

    @extend_schema(responses=IndexationLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        lines = run.lines.select_related("person", "employer").order_by(
            "employer__name", "person_id"
        )
        page = self.paginate_queryset(lines)  # type: ignore[arg-type]
        shown = list(page if page is not None else lines)
        record_indexation_lines_shown(user=request.user, lines=shown)
        data = IndexationLineSerializer(shown, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=None, responses=IndexationRunSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        services.approve_indexation(actor=request.user, run=self.get_object())
        return Response(IndexationRunSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=IndexationRunSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        services.withdraw_indexation(actor=request.user, run=self.get_object())
        return Response(IndexationRunSerializer(self.get_queryset().get(pk=pk)).data)


# --- Payroll files ------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[PayrollExport]:
        return (
            payroll_exports_for(self.request.user)
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
        made.record_read(request.user)
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
        employer = hr_employers(request.user).filter(code=params.validated_data["employer"]).first()
        if employer is None:
            raise NotFound("Onbekende werkgever, of niet een van uw werkgevers.")
        return accepted(
            request,
            hr_jobs.preview_payroll,
            params={"employer": employer.pk, "month": params.validated_data["month"].isoformat()},
        )


# --- Reports ------------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[Any]:
        return hr_employers(self.request.user)

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

    def get_queryset(self) -> QuerySet[StatisticsDelivery]:
        return StatisticsDelivery.objects.filter(
            municipality__in=report_municipalities(self.request.user)
        )

    def _params(self, data: Any) -> tuple[Municipality, int, int]:
        params = HalfYearParams(data=data)
        params.is_valid(raise_exception=True)
        municipality = (
            report_municipalities(self.request.user)
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
            user=request.user,
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
            actor=request.user, municipality=municipality, year=year, half=half
        )
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=False, methods=["get"])
    def deliveries(self, request: Request) -> Response:
        rows = self.get_queryset().select_related("municipality")[:200]
        return Response(DeliverySerializer(rows, many=True).data)


class YearParams(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class StateContributionViewSet(viewsets.GenericViewSet[Municipality]):
    """The rijksbijdrage per municipality against its actual Wsw wage costs (aggregates)."""

    required_permissions = {"list": Action.HR_REPORT_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = ReportTableSerializer

    def get_queryset(self) -> QuerySet[Municipality]:
        return report_municipalities(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=ReportTableSerializer,
    )
    def list(self, request: Request) -> Response:
        params = YearParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        table = contribution.contribution_table(self.get_queryset(), params.validated_data["year"])
        return Response(table_data(table))


class EmployerChargeSerializer(serializers.ModelSerializer[EmployerCharge]):
    employer = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100)
    )

    class Meta:
        model = EmployerCharge
        fields = ["id", "employer", "component", "percentage", "valid_from"]
        read_only_fields = ["id"]
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["employer"]
            assert isinstance(field, serializers.SlugRelatedField)
            field.queryset = hr_employers(request.user)


class EmployerChargeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[EmployerCharge]
):
    """Employer charge percentages per component as versions from a date; without employer
    the default of all."""

    serializer_class = EmployerChargeSerializer
    required_permissions = {"list": Action.HR_REPORT_VIEW, "create": Action.EMPLOYER_CHARGE_CHANGE}

    def get_queryset(self) -> QuerySet[EmployerCharge]:
        employers = hr_employers(self.request.user)
        return (
            EmployerCharge.objects.filter(employer__isnull=True)
            | EmployerCharge.objects.filter(employer__in=employers)
        ).select_related("employer")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.add_employer_charge(
            actor=self.request.user,
            employer=serializer.validated_data.get("employer"),
            component=serializer.validated_data["component"],
            percentage=serializer.validated_data["percentage"],
            valid_from=serializer.validated_data["valid_from"],
        )
