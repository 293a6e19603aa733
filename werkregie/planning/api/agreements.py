"""Performance agreements and their targets in the API."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.client_direction.models import Product
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.organisations.models import Municipality, Organisation
from werkregie.planning import services
from werkregie.planning.access import agreements_for
from werkregie.planning.api.common import SavedThroughService
from werkregie.planning.models import (
    AgreementTarget,
    PerformanceAgreement,
    planning_municipalities,
)


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

    queryset = PerformanceAgreement.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[PerformanceAgreement]:
        return (
            agreements_for(signed_in(self.request))
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
                actor=signed_in(request),
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
                actor=signed_in(request),
                agreement=agreement,
                status=PerformanceAgreement.Status.AGREED,
            )
        return Response(
            PerformanceAgreementSerializer(agreement, context={"request": request}).data
        )
