from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.client_direction import services
from werkregie.client_direction.models import (
    Client,
    Consent,
    Order,
    Price,
    Product,
    ProgressReport,
    Restriction,
)
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


class OrderSerializer(serializers.ModelSerializer[Order]):
    provider = serializers.CharField(source="product.provider.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    client_owner: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    client_name = serializers.CharField(source="client.person.full_name", read_only=True)
    jobcoach: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    # Empty until the order ends: documented as such.
    result = serializers.ChoiceField(choices=Order.Result.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "client",
            "client_name",
            "product",
            "product_name",
            "provider",
            "client_owner",
            "status",
            "requested_on",
            "start_date",
            "end_date",
            "ended_on",
            "refusal_reason",
            "result",
            "result_note",
            "jobcoach",
        ]
        read_only_fields = [
            "id",
            "status",
            "ended_on",
            "refusal_reason",
            "result",
            "result_note",
            "jobcoach",
        ]


class OrderCreateSerializer(serializers.Serializer[Any]):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    requested_on = serializers.DateField(
        required=False, help_text="Datum van de aanvraag; leeg = vandaag. Niet in de toekomst."
    )

    def validate_requested_on(self, value: date) -> date:
        if value > timezone.localdate():
            raise serializers.ValidationError("De aanvraagdatum ligt in de toekomst.")
        return value


class RefuseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class EndSerializer(serializers.Serializer[Any]):
    ended_on = serializers.DateField()
    result = serializers.ChoiceField(choices=Order.Result.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProgressSerializer(serializers.ModelSerializer[ProgressReport]):
    author: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "reported_on", "hours", "attendance_percentage", "note", "author"]
        read_only_fields = ["id", "author"]


class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Order]
):
    """Orders (opdrachten). The werkplein places and may stop them; the execution
    organisation accepts or refuses, starts, reports progress and completes. Each side sees
    only its own: the klantregisseur their clients' orders, the provider orders placed with it."""

    required_permissions = {
        "list": Action.ORDER_VIEW,
        "retrieve": Action.ORDER_VIEW,
        "create": Action.ORDER_PLACE,
        "accept": Action.ORDER_HANDLE,
        "refuse": Action.ORDER_HANDLE,
        "start": Action.ORDER_HANDLE,
        "complete": Action.ORDER_HANDLE,
        "stop": Action.ORDER_VIEW,  # either side; checked below
        "progress": Action.ORDER_VIEW,
    }
    filterset_fields = {"status": ["exact"], "product__kind": ["exact"], "client": ["exact"]}

    def get_queryset(self) -> QuerySet[Order]:
        return (
            Order.objects.visible_to(self.request.user)
            .select_related("client__person", "product__provider", "client_owner", "jobcoach")
            .order_by("-requested_on", "-id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    def _answer(self, order: Order, code: int = status.HTTP_200_OK) -> Response:
        return Response(OrderSerializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()
        audit.record_read(actor=request.user, action=AuditAction.ORDER_VIEWED, obj=order)
        return self._answer(order)

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = OrderCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        client = Client.objects.visible_to(request.user).filter(pk=data["client"]).first()
        if client is None:
            raise DomainError("Onbekende cliënt, of buiten uw regie.", field="client")
        product = Product.objects.filter(pk=data["product"]).first()
        if product is None:
            raise DomainError("Onbekend product.", field="product")
        order = services.place_order(
            actor=request.user,
            client=client,
            product=product,
            start_date=data["start_date"],
            end_date=data["end_date"],
            requested_on=data.get("requested_on") or timezone.localdate(),
        )
        return self._answer(order, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._answer(services.accept_order(actor=request.user, order=self.get_object()))

    @extend_schema(request=RefuseSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        params = RefuseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        order = services.refuse_order(
            actor=request.user, order=self.get_object(), reason=params.validated_data["reason"]
        )
        return self._answer(order)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._answer(services.start_order(actor=request.user, order=self.get_object()))

    def _end(self, request: Request, *, completing: bool) -> Response:
        order = self.get_object()
        params = EndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = params.validated_data["result"]
        if completing != (result == Order.Result.AS_PLANNED):
            raise DomainError(
                "Afronden is 'volgens plan'; een ander resultaat is stoppen.", field="result"
            )
        order = services.end_order(
            actor=request.user,
            order=order,
            ended_on=params.validated_data["ended_on"],
            result=result,
            note=params.validated_data["note"],
        )
        return self._answer(order)

    @extend_schema(request=EndSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """The provider completes a running order as planned."""
        return self._end(request, completing=True)

    @extend_schema(request=EndSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        """Either side stops an order early, with the result (regular work, illness, …)."""
        if not (
            has_permission(request.user, Action.ORDER_PLACE)
            or has_permission(request.user, Action.ORDER_HANDLE)
        ):
            raise PermissionDenied("Uw rol mag geen opdrachten stoppen.")
        return self._end(request, completing=False)

    @extend_schema(methods=["get"], request=None, responses=ProgressSerializer(many=True))
    @extend_schema(
        methods=["post"], request=ProgressSerializer, responses={201: ProgressSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def progress(self, request: Request, pk: str) -> Response:
        """Progress reports: the provider writes them, the klantregisseur reads them."""
        order = self.get_object()
        if request.method == "POST":
            if not has_permission(request.user, Action.ORDER_HANDLE):
                raise PermissionDenied("Alleen de uitvoerder rapporteert voortgang.")
            params = ProgressSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            report = services.report_progress(
                actor=request.user, order=order, **params.validated_data
            )
            return Response(ProgressSerializer(report).data, status=status.HTTP_201_CREATED)
        audit.record_read(actor=request.user, action=AuditAction.ORDER_VIEWED, obj=order)
        return Response(ProgressSerializer(order.progress.select_related("author"), many=True).data)
