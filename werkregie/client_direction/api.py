from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.client_direction import services
from werkregie.client_direction.models import Client, Consent, Price, Product, Restriction
from werkregie.core import audit
from werkregie.core.access import Action, has_permission
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.core.params import api_date
from werkregie.organisations.models import Organisation
from werkregie.people.models import Person


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


class ClientSerializer(serializers.ModelSerializer[Client]):
    client_owner: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    surname = serializers.CharField(source="person.surname", read_only=True)
    initials = serializers.CharField(source="person.initials", read_only=True)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "person",
            "surname",
            "initials",
            "birth_date",
            "kind",
            "client_owner",
            "registered_on",
            "ended_on",
        ]
        read_only_fields = ["id", "client_owner", "ended_on"]


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    shared_with = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all()
    )

    class Meta:
        model = Consent
        fields = ["id", "subject", "shared_with", "given_on", "valid_to", "withdrawn_on"]
        read_only_fields = ["id", "withdrawn_on"]


class WithdrawSerializer(serializers.Serializer[Any]):
    consent = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    withdrawn_on = serializers.DateField()


class RestrictionSerializer(serializers.ModelSerializer[Restriction]):
    class Meta:
        model = Restriction
        fields = ["id", "category", "description", "source", "valid_from", "valid_to"]
        read_only_fields = ["id"]


class ClientDetailSerializer(ClientSerializer):
    consents = ConsentSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "consents"]


class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Client],
):
    """Clients under the caller's regie. POST takes a person (in scope) into regie; the
    client owner follows from the kind and the residence. Restrictions are special-category
    data: a separate, audited read."""

    required_permissions = {
        "list": Action.CLIENT_VIEW,
        "retrieve": Action.CLIENT_VIEW,
        "create": Action.CLIENT_CHANGE,
        "consents": Action.CLIENT_CHANGE,
        "withdraw_consent": Action.CLIENT_CHANGE,
        "restrictions": Action.CLIENT_VIEW,
    }
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Client]:
        return (
            Client.objects.visible_to(self.request.user)
            .select_related("person", "client_owner")
            .order_by("person__search_name", "id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ClientDetailSerializer if self.action == "retrieve" else ClientSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        audit.record_read(actor=request.user, action=AuditAction.CLIENT_VIEWED, obj=client)
        return Response(ClientDetailSerializer(client).data)

    def perform_create(self, serializer: serializers.BaseSerializer[Client]) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not Person.objects.visible_to(self.request.user).filter(pk=person.pk).exists():
            raise DomainError("Deze persoon valt buiten uw bevoegdheid.", field="person")
        serializer.instance = services.register_client(
            actor=self.request.user, person=person, **data
        )

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def consents(self, request: Request, pk: str) -> Response:
        """Record what the client agreed may be shared with whom."""
        client = self.get_object()
        params = ConsentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        consent = services.record_consent(
            actor=request.user, client=client, **params.validated_data
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: Request, pk: str) -> Response:
        client = self.get_object()
        params = WithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        consent = client.consents.filter(pk=params.validated_data["consent"]).first()
        if consent is None:
            raise DomainError("Deze toestemming hoort niet bij deze cliënt.", field="consent")
        consent = services.withdraw_consent(
            actor=request.user,
            consent=consent,
            withdrawn_on=params.validated_data["withdrawn_on"],
        )
        return Response(ConsentSerializer(consent).data)

    @extend_schema(methods=["get"], request=None, responses=RestrictionSerializer(many=True))
    @extend_schema(
        methods=["post"], request=RestrictionSerializer, responses={201: RestrictionSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def restrictions(self, request: Request, pk: str) -> Response:
        """The client's restrictions (audited read), or record one."""
        client = self.get_object()
        if request.method == "POST":
            if not has_permission(request.user, Action.CLIENT_CHANGE):
                raise PermissionDenied("Uw rol mag geen beperkingen vastleggen.")
            params = RestrictionSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            restriction = services.record_restriction(
                actor=request.user, client=client, **params.validated_data
            )
            return Response(RestrictionSerializer(restriction).data, status=status.HTTP_201_CREATED)
        audit.record_read(actor=request.user, action=AuditAction.CLIENT_VIEWED, obj=client)
        return Response(RestrictionSerializer(client.restrictions.all(), many=True).data)
