"""Clients in the API: consents, restrictions and hand-over between client owners."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.accounts.models import User
from werkregie.client_direction import services
from werkregie.client_direction.access import (
    clients_for,
    record_client_shown,
)
from werkregie.client_direction.models import (
    Client,
    Consent,
    Restriction,
)
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.core.api import RecordsListedReads
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation
from werkregie.people.access import persons_for


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


def caseload_handover(request: Request, role: Role, hand: Any) -> Response:
    """Both sides' bulk handover: a colleague of the caller's own organisation and role."""
    user: User = signed_in(request)
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

    queryset = Client.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Client]:
        return (
            clients_for(signed_in(self.request))
            .select_related("person", "client_owner")
            .order_by("person__search_name", "id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ClientDetailSerializer if self.action == "retrieve" else ClientSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = self.get_object()
        record_client_shown(user=signed_in(request), client=client)
        return Response(ClientDetailSerializer(client).data)

    def perform_create(self, serializer: serializers.BaseSerializer[Client]) -> None:
        data = dict(serializer.validated_data)
        person = data.pop("person")
        if not persons_for(signed_in(self.request)).filter(pk=person.pk).exists():
            raise DomainError("Deze persoon valt buiten uw bevoegdheid.", field="person")
        serializer.instance = services.register_client(
            actor=signed_in(self.request), person=person, **data
        )

    @extend_schema(request=HandOverSerializer, responses=HandOverResultSerializer)
    @action(detail=False, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request) -> Response:
        """A leaving klantregisseur's clients to a colleague of the same werkplein."""
        return caseload_handover(request, Role.CLIENT_DIRECTOR, services.hand_over_caseload)

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def consents(self, request: Request, pk: str) -> Response:
        """Record what the client agreed may be shared with whom."""
        client = self.get_object()
        params = ConsentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        consent = services.record_consent(
            actor=signed_in(request), client=client, **params.validated_data
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
            actor=signed_in(request),
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
                actor=signed_in(request), client=client, **params.validated_data
            )
            return Response(RestrictionSerializer(restriction).data, status=status.HTTP_201_CREATED)
        record_client_shown(user=signed_in(request), client=client)
        return Response(RestrictionSerializer(client.restrictions.all(), many=True).data)
