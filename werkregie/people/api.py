from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, visible_fields
from werkregie.core.api import FreshUpdateMixin, RecordsListedReads
from werkregie.core.bsn import normalise_bsn, validate_bsn
from werkregie.organisations.models import Municipality, Organisation, Site, Team
from werkregie.people import services
from werkregie.people.access import (
    employments_for,
    persons_for,
    record_employments_shown,
    record_person_shown,
    record_search,
)
from werkregie.people.models import Employment, Person
from werkregie.people.search import search_persons


class PersonSummarySerializer(serializers.ModelSerializer[Person]):
    residence_municipality: "serializers.SlugRelatedField[Municipality]" = (
        serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "personnel_number",
            "surname_prefix",
            "surname",
            "initials",
            "given_name",
            "residence_municipality",
        ]


class PersonSerializer(serializers.ModelSerializer[Person]):
    bsn = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=11)
    residence_municipality = serializers.SlugRelatedField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="CBS-code; leeg om af te leiden uit de postcode.",
    )

    class Meta:
        model = Person
        fields = ["id", *services.PERSON_FIELDS]
        read_only_fields = ["id"]
        validators: list[Any] = []

    def validate_bsn(self, value: str | None) -> str | None:
        if not value:
            return None
        bsn = normalise_bsn(value)
        validate_bsn(bsn)
        return bsn


class PersonSearchSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(max_length=100, help_text="Naam, BSN of personeelsnummer.")


class EmploymentSerializer(serializers.ModelSerializer[Employment]):
    """Only the fields the caller's role may see (core.access.FIELD_RULES): wage, scale and
    step are HR's; for other roles they are absent, not empty."""

    class Meta:
        model = Employment
        fields = ["id", "person", *services.EMPLOYMENT_FIELDS]
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:  # the schema: every field a role may get
            return fields
        shown = set(visible_fields(request.user, "people.employment", fields))
        return {name: field for name, field in fields.items() if name in shown}


class EmploymentChangeSerializer(serializers.Serializer[Any]):
    effective_date = serializers.DateField()
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )
    work_form = serializers.ChoiceField(choices=Employment.WorkForm.choices, required=False)
    indication = serializers.ChoiceField(
        choices=Employment.Indication.choices, required=False, allow_blank=True
    )
    collective_agreement = serializers.CharField(max_length=60, required=False, allow_blank=True)
    scale = serializers.CharField(max_length=10, required=False, allow_blank=True)
    step = serializers.IntegerField(min_value=0, max_value=99, required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=60,
        required=False,
    )
    gross_monthly_wage = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    job_title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    work_municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )


class PersonViewSet(
    RecordsListedReads,
    FreshUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Person],
):
    """Persons within the caller's scope. The list omits the BSN; a BSN search is a POST."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    required_permissions = {
        "list": Action.PERSON_VIEW,
        "retrieve": Action.PERSON_VIEW,
        "create": Action.PERSON_CREATE,
        "partial_update": Action.PERSON_CHANGE,
        "search": Action.PERSON_VIEW,
    }

    queryset = Person.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Person]:
        return persons_for(signed_in(self.request)).select_related("residence_municipality")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action in ("list", "search"):
            return PersonSummarySerializer
        if self.action == "search_input":
            return PersonSearchSerializer
        return PersonSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        record_person_shown(user=signed_in(request), person=person)
        return Response(PersonSerializer(person).data)

    def perform_create(self, serializer: serializers.BaseSerializer[Person]) -> None:
        serializer.instance = services.create_person(
            actor=signed_in(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Person]) -> None:
        assert isinstance(serializer.instance, Person)
        changes = dict(serializer.validated_data)
        if changes.get("residence_municipality", "") is None:
            changes.pop("residence_municipality")
        serializer.instance = services.update_person(
            actor=signed_in(self.request), person=serializer.instance, changes=changes
        )

    @extend_schema(request=PersonSearchSerializer, responses=PersonSummarySerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request: Request) -> Response:
        """Search by name, BSN or personnel number; POST keeps a BSN out of URLs and logs."""
        params = PersonSearchSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        results = search_persons(user=signed_in(request), query=params.validated_data["query"])
        page = self.paginate_queryset(results.select_related("residence_municipality"))
        assert page is not None
        record_search(user=signed_in(request), query_kind="api", persons=list(page))
        return self.get_paginated_response(PersonSummarySerializer(page, many=True).data)


class EmploymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Employment]
):
    """Employment versions within the caller's scope; every row shown is an audited read."""

    required_permissions = {
        "list": Action.PERSON_VIEW,
        "retrieve": Action.PERSON_VIEW,
        "change": Action.EMPLOYMENT_CHANGE,
    }
    filterset_fields = ["person", "kind", "employer"]

    queryset = Employment.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Employment]:
        # The employer names each row in the audit log (Employment.__str__): one join.
        return (
            employments_for(signed_in(self.request))
            .select_related("employer")
            .order_by("person_id", "-valid_from")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return EmploymentChangeSerializer if self.action == "change" else EmploymentSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        record_employments_shown(user=signed_in(request), employments=page)
        return self.get_paginated_response(
            EmploymentSerializer(page, many=True, context=self.get_serializer_context()).data
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        employment = self.get_object()
        record_employments_shown(user=signed_in(request), employments=[employment])
        return Response(
            EmploymentSerializer(employment, context=self.get_serializer_context()).data
        )

    @extend_schema(request=EmploymentChangeSerializer, responses={201: EmploymentSerializer})
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str | None = None) -> Response:
        """Start a new version of this employment on `effectiveDate` (history is kept)."""
        employment = self.get_object()
        params = EmploymentChangeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        changes = dict(params.validated_data)
        effective_date = changes.pop("effective_date")
        successor = services.change_employment(
            actor=signed_in(request),
            employment=employment,
            effective_date=effective_date,
            changes=changes,
        )
        return Response(
            EmploymentSerializer(successor, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
