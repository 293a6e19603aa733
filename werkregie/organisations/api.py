from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from werkregie.core.access import Action
from werkregie.core.params import api_date
from werkregie.organisations.models import Municipality, Organisation


class MunicipalitySerializer(serializers.ModelSerializer[Municipality]):
    class Meta:
        model = Municipality
        fields = ["id", "cbs_code", "name", "in_region", "role_in_model"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    municipality: "serializers.SlugRelatedField[Municipality]" = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    parent_code: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        source="parent", slug_field="code", read_only=True, allow_null=True
    )
    members: "serializers.ManyRelatedField" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="cbs_code", many=True, read_only=True
    )
    hr_for: "serializers.ManyRelatedField" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "municipality",
            "parent_code",
            "members",
            "hr_for",
            "valid_from",
            "valid_to",
            "description",
        ]


class MunicipalityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Municipality]
):
    """The municipalities of the region and its neighbours (CBS codes)."""

    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    required_permissions = {"list": Action.REGION_VIEW, "retrieve": Action.REGION_VIEW}
    filterset_fields = ["cbs_code", "in_region"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "activeOn",
                OpenApiTypes.DATE,
                description="Alleen organisaties actief op deze datum.",
            )
        ]
    )
)
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Organisation]
):
    """The organisations of the regional model, before and after the transition."""

    serializer_class = OrganisationSerializer
    required_permissions = {"list": Action.REGION_VIEW, "retrieve": Action.REGION_VIEW}
    filterset_fields = ["kind", "code"]

    def get_queryset(self) -> QuerySet[Organisation]:
        queryset = Organisation.objects.select_related("municipality", "parent").prefetch_related(
            "members", "hr_for"
        )
        day = api_date(self.request, "activeOn") if self.action == "list" else None
        if day is not None:
            queryset = queryset.active_on(day)
        return queryset.order_by("name")
