from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.client_direction import jobs as cd_jobs
from werkregie.client_direction import queues, services, statements
from werkregie.client_direction.access import (
    clients_for,
    orders_for,
    record_client_shown,
    record_order_shown,
    record_orders_listed,
    record_statement_lines_shown,
)
from werkregie.client_direction.models import (
    Client,
    Consent,
    Order,
    Price,
    Product,
    ProgressReport,
    Restriction,
)
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.core.api import MonthField, RecordsListedReads
from werkregie.core.errors import DomainError
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.params import api_date, api_month
from werkregie.core.schema import not_found
from werkregie.organisations.models import Organisation, Team
from werkregie.people.access import persons_for


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


class HandOverSerializer(serializers.Serializer[Any]):
    from_user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all()
    )
    to_user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all()
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=10_000,
        help_text="Alleen deze cliënten/opdrachten; leeg = de hele caseload.",
    )

    def __init__(self, *args: Any, organisation_id: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only colleagues of the caller's organisation can be named; others do not exist here.
        colleagues = get_user_model().objects.filter(organisation_id=organisation_id)
        for name in ("from_user", "to_user"):
            field = self.fields[name]
            assert isinstance(field, serializers.SlugRelatedField)
            field.queryset = colleagues


class HandOverResultSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()


def _hand_over(request: Request, role: Role, hand: Any) -> Response:
    """Both sides' bulk handover: a colleague of the caller's own organisation and role."""
    user: Any = request.user
    if role_of(user) != role:
        raise PermissionDenied("Uw rol heeft deze caseload niet.")
    params = HandOverSerializer(data=request.data, organisation_id=user.organisation_id)
    params.is_valid(raise_exception=True)
    data = params.validated_data
    selection = "clients" if role == Role.CLIENT_DIRECTOR else "orders"
    count = hand(
        actor=user,
        from_user=data["from_user"],
        to_user=data["to_user"],
        **{selection: data.get("ids")},
    )
    return Response({"count": count})


class ClientViewSet(
    RecordsListedReads,
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
        "hand_over": Action.CLIENT_CHANGE,
    }
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Client]:
        return (
            clients_for(self.request.user)
            .select_related("person", "client_owner")
            .order_by("person__search_name", "id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ClientDetailSerializer if self.action == "retrieve" else ClientSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        record_client_shown(user=request.user, client=client)
        return Response(ClientDetailSerializer(client).data)

    def perform_create(self, serializer: serializers.BaseSerializer[Client]) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not persons_for(self.request.user).filter(pk=person.pk).exists():
            raise DomainError("Deze persoon valt buiten uw bevoegdheid.", field="person")
        serializer.instance = services.register_client(
            actor=self.request.user, person=person, **data
        )

    @extend_schema(request=HandOverSerializer, responses=HandOverResultSerializer)
    @action(detail=False, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request) -> Response:
        """A leaving klantregisseur's clients to a colleague of the same werkplein."""
        return _hand_over(request, Role.CLIENT_DIRECTOR, services.hand_over_caseload)

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
    @action(detail=True, methods=["get", "post"], pagination_class=None)
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
        record_client_shown(user=request.user, client=client)
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
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True, default=None)
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
            "team",
            "agreed_price",
            "legacy_reference",
            "last_reported_on",
        ]
        read_only_fields = [
            "id",
            "status",
            "ended_on",
            "refusal_reason",
            "result",
            "result_note",
            "jobcoach",
            "agreed_price",
            "legacy_reference",
            "last_reported_on",
        ]


class OrderDetailSerializer(OrderSerializer):
    restrictions = RestrictionSerializer(
        source="shared_restrictions",
        many=True,
        read_only=True,
        allow_null=True,
        help_text="De belastbaarheid van de cliënt; null als de cliënt niet heeft ingestemd "
        "met delen met deze uitvoeringsorganisatie.",
    )

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "restrictions"]


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


class AcceptSerializer(serializers.Serializer[Any]):
    jobcoach = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(role=Role.JOB_COACH, is_active=True),
        required=False,
        help_text="Gebruikersnaam van de jobcoach; leeg = wie accepteert.",
    )
    team = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Team van de uitvoering."
    )


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


class QueueParamsSerializer(serializers.Serializer[Any]):
    queue = serializers.ChoiceField(choices=list(queues.QUEUES), required=False)
    weeks = serializers.IntegerField(min_value=1, max_value=52, required=False)
    team = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    jobcoach = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    product = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    mine = serializers.BooleanField(required=False)


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
        "hand_over": Action.ORDER_HANDLE,
    }
    filterset_fields = {"status": ["exact"], "product__kind": ["exact"], "client": ["exact"]}

    def get_queryset(self) -> QuerySet[Order]:
        return (
            orders_for(self.request.user)
            .select_related("client__person", "product__provider", "client_owner", "jobcoach")
            .order_by("-requested_on", "-id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    def _answer(self, order: Order, code: int = status.HTTP_200_OK) -> Response:
        return Response(OrderSerializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    @extend_schema(responses=OrderDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One order; the client's restrictions only where the client consented to sharing
        them with the provider (or the caller holds the regie). An audited read."""
        order = self.get_object()
        record_order_shown(user=request.user, order=order)
        order.shared_restrictions = services.shared_restrictions(  # type: ignore[attr-defined]
            user=request.user, order=order, day=timezone.localdate()
        )
        return Response(OrderDetailSerializer(order).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "queue",
                str,
                enum=list(queues.QUEUES),
                description="Werkvoorraad; standaard 'alle'.",
            ),
            OpenApiParameter(
                "weeks", int, description="Zonder voortgang: in zoveel weken (1–52, standaard 4)."
            ),
            OpenApiParameter("team", int),
            OpenApiParameter("jobcoach", int, description="Id van de jobcoach."),
            OpenApiParameter("product", int),
            OpenApiParameter("mine", bool, description="Alleen de eigen caseload."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The caller's orders, optionally as one of the work queues; list rows are audited
        reads."""
        params = QueueParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = queues.QueueFilter(
            queue=data.get("queue") or "alle",
            weeks=data.get("weeks") or queues.DEFAULT_WEEKS,
            product=data.get("product"),
            team=data.get("team"),
            jobcoach=data.get("jobcoach"),
            mine=bool(data.get("mine")),
        )
        orders = queues.work_queue(
            self.filter_queryset(self.get_queryset()),
            request.user,
            filters,
            timezone.localdate(),
        )
        page = self.paginate_queryset(orders)
        rows = page if page is not None else list(orders)
        record_orders_listed(user=request.user, orders=rows)
        data_out = OrderSerializer(rows, many=True).data
        return self.get_paginated_response(data_out) if page is not None else Response(data_out)

    @extend_schema(request=HandOverSerializer, responses=HandOverResultSerializer)
    @action(detail=False, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request) -> Response:
        """A leaving jobcoach's open orders to a colleague of the same organisation."""
        return _hand_over(request, Role.JOB_COACH, services.hand_over_orders)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 404: not_found("Onbekende cliënt, of buiten uw regie.")},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = OrderCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        client = clients_for(request.user).filter(pk=data["client"]).first()
        if client is None:  # unknown and someone else's look the same
            raise NotFound("Onbekende cliënt.")
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

    @extend_schema(request=AcceptSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """The provider accepts, naming the jobcoach (default: the caller) and the team."""
        order = self.get_object()
        params = AcceptSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        team = None
        if "team" in params.validated_data:
            team = Team.objects.filter(
                pk=params.validated_data["team"], organisation_id=order.product.provider_id
            ).first()
            if team is None:
                raise DomainError("Onbekend team bij deze uitvoeringsorganisatie.", field="team")
        return self._answer(
            services.accept_order(
                actor=request.user,
                order=order,
                jobcoach=params.validated_data.get("jobcoach"),
                team=team,
            )
        )

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
    @action(detail=True, methods=["get", "post"], pagination_class=None)
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
        record_order_shown(user=request.user, order=order)
        return Response(ProgressSerializer(order.progress.select_related("author"), many=True).data)


class StatementLineSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField(source="order_id")
    client_name = serializers.CharField()
    product = serializers.CharField(source="product.code")
    unit = serializers.CharField(source="product.unit")
    taken_over = serializers.BooleanField(
        help_text="Een traject uit het oude bestand, tegen de afgesproken trajectprijs."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="De dag van beëindigen, of de geplande einddatum.")
    days = serializers.IntegerField(source="line.days")
    hours = serializers.DecimalField(source="line.hours", max_digits=8, decimal_places=2)
    unit_price = serializers.DecimalField(source="line.unit_price", max_digits=10, decimal_places=2)
    amount = serializers.DecimalField(source="line.amount", max_digits=12, decimal_places=2)


class ProductTotalSerializer(serializers.Serializer[Any]):
    product = serializers.CharField(source="product.code")
    orders = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class StatementSerializer(serializers.Serializer[Any]):
    provider = serializers.CharField(source="provider.code")
    client_owner = serializers.CharField(source="client_owner.code")
    month = serializers.DateField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    per_product = ProductTotalSerializer(many=True)
    lines = StatementLineSerializer(many=True)


class StatementFileParams(serializers.Serializer[Any]):
    month = MonthField()
    format = serializers.ChoiceField(choices=sorted(cd_jobs.FORMATS))
    provider = serializers.CharField(max_length=60, required=False, allow_blank=True)
    client_owner = serializers.CharField(max_length=60, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("month", str, required=True, description="Maand, JJJJ-MM."),
            OpenApiParameter("provider", str, description="Code van de uitvoeringsorganisatie."),
            OpenApiParameter("clientOwner", str, description="Code van de opdrachtgever."),
        ],
        responses={
            200: StatementSerializer(many=True),
            404: not_found("Geen maandoverzicht voor deze aanbieder of opdrachtgever."),
        },
    )
)
class StatementViewSet(viewsets.GenericViewSet[Order]):
    """Monthly statements: per execution organisation and client owner, what is owed for the
    month, per order and per product. A klantregisseur sees what their municipality pays, a
    provider's jobcoach what is owed to their organisation. Every line is an audited read."""

    required_permissions = {"list": Action.STATEMENT_VIEW, "files": Action.STATEMENT_VIEW}
    pagination_class = None
    serializer_class = StatementSerializer

    def get_queryset(self) -> QuerySet[Order]:
        return statements.billable_to(self.request.user)

    def list(self, request: Request) -> Response:
        month = api_month(request, "month")
        if month is None:
            raise serializers.ValidationError({"month": ["Geef de maand, in de vorm JJJJ-MM."]})
        orders = self.get_queryset()
        found: dict[str, Organisation | None] = {}
        providers, owners = statements.counterparts(orders)
        for param, candidates in (("provider", providers), ("clientOwner", owners)):
            code = request.query_params.get(param)
            if code:
                org = candidates.filter(code=code).first()
                if org is None:
                    raise NotFound(f"Geen maandoverzicht voor {param} '{code}'.")
                found[param] = org
        result = statements.statements_for(
            orders, month, provider=found.get("provider"), client_owner=found.get("clientOwner")
        )
        record_statement_lines_shown(
            user=request.user, lines=(line for st in result for line in st.lines)
        )
        return Response(StatementSerializer(result, many=True).data)

    @extend_schema(
        request=StatementFileParams,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer},
        description=(
            "Het maandoverzicht als Excel of PDF, gemaakt als taak (tienduizenden regels duren "
            "seconden). Klaar: het bestand staat onder `files`; elke download wordt met de "
            "regels die erin staan vastgelegd."
        ),
    )
    @action(detail=False, methods=["post"])
    def files(self, request: Request) -> Response:
        params = StatementFileParams(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return accepted(
            request,
            cd_jobs.statement_file,
            params={
                "month": data["month"].isoformat(),
                "format": data["format"],
                "provider": data.get("provider", ""),
                "client_owner": data.get("client_owner", ""),
            },
        )
