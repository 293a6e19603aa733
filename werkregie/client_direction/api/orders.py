"""Orders in the API: the work queues, acceptance, refusal, progress and the end."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.client_direction import queues, services
from werkregie.client_direction.access import (
    clients_for,
    orders_for,
    record_order_shown,
    record_orders_listed,
)
from werkregie.client_direction.api.clients import (
    HandOverResultSerializer,
    HandOverSerializer,
    RestrictionSerializer,
    caseload_handover,
)
from werkregie.client_direction.models import (
    Order,
    Product,
    ProgressReport,
)
from werkregie.core.access import Action, Role, has_permission
from werkregie.core.errors import DomainError
from werkregie.core.schema import not_found
from werkregie.organisations.models import Organisation, Team


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

    queryset = Order.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Order]:
        return (
            orders_for(signed_in(self.request))
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
        record_order_shown(user=signed_in(request), order=order)
        order.shared_restrictions = services.shared_restrictions(  # type: ignore[attr-defined]
            user=signed_in(request), order=order, day=timezone.localdate()
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
            signed_in(request),
            filters,
            timezone.localdate(),
        )
        page = self.paginate_queryset(orders)
        rows = page if page is not None else list(orders)
        record_orders_listed(user=signed_in(request), orders=rows)
        data_out = OrderSerializer(rows, many=True).data
        return self.get_paginated_response(data_out) if page is not None else Response(data_out)

    @extend_schema(request=HandOverSerializer, responses=HandOverResultSerializer)
    @action(detail=False, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request) -> Response:
        """A leaving jobcoach's open orders to a colleague of the same organisation."""
        return caseload_handover(request, Role.JOB_COACH, services.hand_over_orders)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 404: not_found("Onbekende cliënt, of buiten uw regie.")},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = OrderCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        client = clients_for(signed_in(request)).filter(pk=data["client"]).first()
        if client is None:  # unknown and someone else's look the same
            raise NotFound("Onbekende cliënt.")
        product = Product.objects.filter(pk=data["product"]).first()
        if product is None:
            raise DomainError("Onbekend product.", field="product")
        order = services.place_order(
            actor=signed_in(request),
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
                actor=signed_in(request),
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
            actor=signed_in(request),
            order=self.get_object(),
            reason=params.validated_data["reason"],
        )
        return self._answer(order)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._answer(services.start_order(actor=signed_in(request), order=self.get_object()))

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
            actor=signed_in(request),
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
                actor=signed_in(request), order=order, **params.validated_data
            )
            return Response(ProgressSerializer(report).data, status=status.HTTP_201_CREATED)
        record_order_shown(user=signed_in(request), order=order)
        return Response(ProgressSerializer(order.progress.select_related("author"), many=True).data)
