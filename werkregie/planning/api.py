"""Planning & control in the API: performance agreements and their targets, the P&C report,
the Wsw forecast with its backtest, scenarios and their comparison, the real-estate plan,
the roadmap and the decision trail. Aggregates only: no personal data anywhere here."""

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.client_direction.models import Product
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.core.schema import not_found
from werkregie.organisations.models import Municipality, Organisation, Site
from werkregie.planning import jobs as planning_jobs
from werkregie.planning import outlook, real_estate, scenarios, services
from werkregie.planning.access import agreements_for, scenarios_for
from werkregie.planning.models import (
    Activity,
    AgreementTarget,
    Decision,
    DecisionDocument,
    PerformanceAgreement,
    Scenario,
    SiteCost,
    planning_municipalities,
)
from werkregie.planning.realisation import Period

MUNICIPALITY_PARAM = OpenApiParameter(
    "municipality",
    str,
    description="CBS-code, of `alle` voor alle gemeenten die u ziet (standaard bij meer dan één).",
)


def _chosen(request: Request) -> tuple[list[Municipality], str]:
    found = outlook.choose(request.user, request.query_params.get("municipality", ""))
    if found is None:
        raise NotFound("Onbekende gemeente, of niet een van uw gemeenten.")
    return found


class SavedThroughService(generics.GenericAPIView[Any]):
    """Create and change through the planning service `service`, which validates, saves and
    audits; a change gets the stored row (its old values for the audit) as `instance_name`."""

    service: Callable[..., Any]
    instance_name = ""

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        stored = type(serializer.instance).objects.get(pk=serializer.instance.pk)
        serializer.instance = self.service(
            actor=self.request.user, **{self.instance_name: stored}, **serializer.validated_data
        )


# --- Performance agreements ---------------------------------------------------------------


class AgreementTargetSerializer(serializers.ModelSerializer[AgreementTarget]):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), required=False, allow_null=True
    )
    target = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    budget = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=10**10 - 1,
        required=False,
        allow_null=True,
    )

    class Meta:
        model = AgreementTarget
        fields = ["id", "indicator", "product", "target", "budget"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class PerformanceAgreementSerializer(serializers.ModelSerializer[PerformanceAgreement]):
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", queryset=Municipality.objects.none()
    )
    provider = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.none())
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    targets = AgreementTargetSerializer(many=True, read_only=True)

    class Meta:
        model = PerformanceAgreement
        fields = [
            "id",
            "municipality",
            "provider",
            "year",
            "budget",
            "mandate",
            "status",
            "targets",
        ]
        read_only_fields = ["id", "status", "targets"]
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            municipality = self.fields["municipality"]
            provider = self.fields["provider"]
            assert isinstance(municipality, serializers.SlugRelatedField)
            assert isinstance(provider, serializers.SlugRelatedField)
            municipality.queryset = planning_municipalities(request.user)
            provider.queryset = services.providers()


class PerformanceAgreementViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[PerformanceAgreement],
):
    """Prestatieafspraken per municipality and year with their targets; a controller
    records those of their municipality, the board reads all."""

    service = staticmethod(services.save_agreement)
    instance_name = "agreement"
    serializer_class = PerformanceAgreementSerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.PLANNING_VIEW,
        "retrieve": Action.PLANNING_VIEW,
        "create": Action.AGREEMENT_CHANGE,
        "partial_update": Action.AGREEMENT_CHANGE,
        "targets": Action.AGREEMENT_CHANGE,
        "agree": Action.AGREEMENT_CHANGE,
    }
    fresh_actions = ("targets", "agree")
    filterset_fields = {"year": ["exact"]}

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        return (
            agreements_for(self.request.user)
            .select_related("municipality", "provider")
            .prefetch_related("targets")
        )

    @extend_schema(request=AgreementTargetSerializer, responses={201: AgreementTargetSerializer})
    @action(detail=True, methods=["post"])
    def targets(self, request: Request, pk: str | None = None) -> Response:
        """Set one target (the same indicator and product again: changed). If-Match: the
        agreement's ETag (its targets included); the answer carries the new one."""
        with self.fresh_object(request) as agreement:
            serializer = AgreementTargetSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            target = services.save_target(
                actor=request.user,
                agreement=agreement,
                indicator=data["indicator"],
                product=data.get("product"),
                target=data["target"],
                budget=data.get("budget"),
            )
        return Response(AgreementTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PerformanceAgreementSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        """Vaststellen: from then on the figures do not change. If-Match: the agreement's
        ETag, so what is adopted is what the caller last read."""
        with self.fresh_object(request) as agreement:
            services.save_agreement(
                actor=request.user, agreement=agreement, status=PerformanceAgreement.Status.AGREED
            )
        return Response(
            PerformanceAgreementSerializer(agreement, context={"request": request}).data
        )


# --- The P&C report ---------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        return agreements_for(self.request.user)

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
        municipalities, label = _chosen(request)
        period = Period(params.validated_data["year"], params.validated_data["quarter"])
        report = outlook.pc_report(request.user, municipalities, period, label)
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
        _chosen(request)
        return accepted(
            request,
            planning_jobs.pc_report,
            params={
                "municipality": request.query_params.get("municipality", ""),
                "year": params.validated_data["year"],
                "quarter": params.validated_data["quarter"],
            },
        )


# --- Forecast ---------------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[Municipality]:
        return planning_municipalities(self.request.user)

    @extend_schema(
        parameters=[MUNICIPALITY_PARAM],
        responses={200: ForecastSerializer, 404: not_found("Onbekende gemeente.")},
    )
    def list(self, request: Request) -> Response:
        municipalities, label = _chosen(request)
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
        _chosen(request)
        return accepted(
            request,
            planning_jobs.forecast,
            params={"municipality": request.query_params.get("municipality", "")},
        )


# --- Scenarios --------------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[Scenario]:
        return scenarios_for(self.request.user)

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
        municipalities, label = _chosen(request)
        today = timezone.localdate()
        table, _ = scenarios.comparison(
            scenarios.evaluate(first, today),
            scenarios.evaluate(second, today),
            [m.pk for m in municipalities],
            label,
        )
        return Response({"table": table_data(table)})


# --- Real estate ------------------------------------------------------------------------------


class SpaceNeedSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    m2 = serializers.DecimalField(max_digits=12, decimal_places=2)


class RealEstateSerializer(serializers.Serializer[Any]):
    needs = ReportTableSerializer()
    occupancy = ReportTableSerializer()
    per_organisation = SpaceNeedSerializer(many=True)


class RealEstateViewSet(viewsets.GenericViewSet[Site]):
    """Space needed per site and organisation today, occupancy over the years, and what the
    plan can sell."""

    required_permissions = {"list": Action.PLANNING_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = RealEstateSerializer

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.all()

    @extend_schema(responses=RealEstateSerializer)
    def list(self, request: Request) -> Response:
        today = timezone.localdate()
        needs = real_estate.needs_on(today)
        occupancy, _ = real_estate.occupancy_table(
            list(range(max(2021, today.year - 4), today.year + 1))
        )
        return Response(
            {
                "needs": table_data(real_estate.need_table(needs, today)),
                "occupancy": table_data(occupancy),
                "per_organisation": [
                    {"organisation": name, "m2": str(m2.quantize(services.CENT))}
                    for name, m2 in real_estate.organisation_needs(needs).items()
                ],
            }
        )


class SiteCostSerializer(serializers.ModelSerializer[SiteCost]):
    site = serializers.SlugRelatedField(slug_field="code", queryset=Site.objects.all())
    yearly_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    book_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    m2_per_workplace = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=1, max_value=9999, required=False
    )

    class Meta:
        model = SiteCost
        fields = ["id", "site", "yearly_cost", "book_value", "m2_per_workplace", "note"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class SiteCostViewSet(
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SiteCost],
):
    """Yearly cost, book value and m² per workplace of each site (posting a site again
    changes its figures)."""

    service = staticmethod(services.save_site_cost)
    serializer_class = SiteCostSerializer
    required_permissions = {"list": Action.PLANNING_VIEW, "create": Action.REAL_ESTATE_CHANGE}

    def get_queryset(self) -> QuerySet[SiteCost]:
        return SiteCost.objects.select_related("site").order_by("site__name")


# --- Roadmap and decisions --------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    class Meta:
        model = Activity
        fields = ["id", "what", "who", "date", "time", "place", "status"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class ActivityViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Activity],
):
    """The roadmap: what, who, date, time, place and status."""

    service = staticmethod(services.save_activity)
    instance_name = "activity"
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.ROADMAP_VIEW,
        "retrieve": Action.ROADMAP_VIEW,
        "create": Action.ROADMAP_CHANGE,
        "partial_update": Action.ROADMAP_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.all()


class DocumentSerializer(serializers.ModelSerializer[DecisionDocument]):
    class Meta:
        model = DecisionDocument
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    content = serializers.CharField(help_text="De inhoud van het bestand, in base64.")

    def validate_content(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError("Geen geldige base64-inhoud.") from error


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), required=False, allow_null=True
    )
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "body",
            "municipality",
            "kind",
            "subject",
            "date",
            "outcome",
            "activity",
            "note",
            "documents",
        ]
        read_only_fields = ["id", "documents"]


class DecisionViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Decision],
):
    """The decision trail: college, raad, DB, AB, AVA, supervisory board and works councils,
    with advice and consent, and the documents attached."""

    service = staticmethod(services.save_decision)
    instance_name = "decision"
    serializer_class = DecisionSerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.ROADMAP_VIEW,
        "retrieve": Action.ROADMAP_VIEW,
        "create": Action.ROADMAP_CHANGE,
        "partial_update": Action.ROADMAP_CHANGE,
        "documents": Action.ROADMAP_CHANGE,
    }
    filterset_fields = {"body": ["exact"], "kind": ["exact"]}

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.select_related("municipality").prefetch_related("documents")

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """Attach a document (pdf, docx, xlsx, odt, txt; at most 10 MB)."""
        decision = self.get_object()
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = services.attach_document(
            actor=request.user,
            decision=decision,
            name=upload.validated_data["name"],
            content=upload.validated_data["content"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
