"""Klantregie's products and their prices in the API."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from werkregie.client_direction.models import (
    Price,
    Product,
)
from werkregie.core.access import Action
from werkregie.core.params import api_date
from werkregie.organisations.models import Organisation


class PriceSerializer(serializers.ModelSerializer[Price]):
    client_owner: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Leeg: het standaardtarief voor de deelnemende gemeenten.",
    )

    class Meta:
        model = Price
        fields = ["client_owner", "amount", "valid_from", "valid_to"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    provider: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    prices = PriceSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "provider",
            "code",
            "kind",
            "name",
            "unit",
            "description",
            "valid_from",
            "valid_to",
            "prices",
        ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "activeOn",
                OpenApiTypes.DATE,
                description="Alleen producten en tarieven die op deze datum gelden.",
            )
        ]
    )
)
class ProductViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Product]
):
    """The catalogue of the execution organisations, with every price period (or, with
    `activeOn`, only the products and prices of that day)."""

    serializer_class = ProductSerializer
    required_permissions = {"list": Action.CATALOGUE_VIEW, "retrieve": Action.CATALOGUE_VIEW}
    filterset_fields = {"provider__code": ["exact"], "kind": ["exact"]}

    def get_queryset(self) -> QuerySet[Product]:
        products = Product.objects.select_related("provider")
        prices = Price.objects.select_related("client_owner").order_by("client_owner", "valid_from")
        day = api_date(self.request, "activeOn") if self.action == "list" else None
        if day is not None:
            products, prices = products.active_on(day), prices.active_on(day)
        return products.prefetch_related(Prefetch("prices", queryset=prices)).order_by(
            "provider__code", "code"
        )
