"""Employers in the API: contacts, contact log, agreements, account holder, merge and import."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from djangorestframework_camel_case.parser import CamelCaseMultiPartParser
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, has_permission
from werkregie.core.api import FreshUpdateMixin
from werkregie.core.schema import not_found
from werkregie.employer_services import services
from werkregie.employer_services.access import (
    employers_for,
)
from werkregie.employer_services.api.fields import MAX_ID
from werkregie.employer_services.employer_import import import_employers
from werkregie.employer_services.models import (
    POSTCODE,
    AccountHolder,
    Agreement,
    ContactMoment,
    Employer,
    EmployerContact,
    normalise_postcode,
)
from werkregie.organisations.models import Organisation


class AccountHolderSerializer(serializers.ModelSerializer[AccountHolder]):
    user: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    name = serializers.CharField(source="__str__", read_only=True)
    organisation: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = AccountHolder
        fields = ["user", "name", "organisation", "started_on", "ended_on"]


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    postcode = serializers.CharField(max_length=7, help_text="1234AB of 1234 AB.")
    municipality: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    merged_into: "serializers.PrimaryKeyRelatedField[Any]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    account_holder = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Bevestigt dat een werkgever met bijna dezelfde naam op dezelfde postcode "
        "een andere werkgever is.",
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "kvk_number",
            "establishment_number",
            "name",
            "sbi_code",
            "sector",
            "street",
            "house_number",
            "postcode",
            "city",
            "municipality",
            "staff_count",
            "account_holder",
            "merged_into",
            "merged_on",
            "confirmed",
        ]
        read_only_fields = ["id", "sector", "municipality", "merged_into", "merged_on"]
        extra_kwargs = {"city": {"required": True, "allow_blank": False}}
        # The one-per-KvK rule is the service's, with the name of the existing record.
        validators: list[Any] = []

    def validate_postcode(self, value: str) -> str:
        postcode = normalise_postcode(value)
        POSTCODE(postcode)
        return postcode

    @extend_schema_field(AccountHolderSerializer(allow_null=True))
    def get_account_holder(self, employer: Employer) -> dict[str, Any] | None:
        holders = [a for a in employer.accounts.all() if a.ended_on is None]
        return AccountHolderSerializer(holders[0]).data if holders else None


class ContactSerializer(serializers.ModelSerializer[EmployerContact]):
    class Meta:
        model = EmployerContact
        fields = ["id", "name", "function", "email", "phone", "active"]
        read_only_fields = ["id"]


class ContactMomentSerializer(serializers.ModelSerializer[ContactMoment]):
    author: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    organisation: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = ContactMoment
        fields = [
            "id",
            "occurred_on",
            "channel",
            "subject",
            "notes",
            "follow_up_on",
            "author",
            "organisation",
        ]
        read_only_fields = ["id", "author", "organisation"]


class AgreementSerializer(serializers.ModelSerializer[Agreement]):
    party: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all()
    )

    class Meta:
        model = Agreement
        fields = ["id", "kind", "description", "party", "valid_from", "valid_to"]
        read_only_fields = ["id"]


class AssignSerializer(serializers.Serializer[Any]):
    user: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        help_text="Gebruikersnaam van de nieuwe accounthouder.",
    )
    started_on = serializers.DateField()


class ReleaseSerializer(serializers.Serializer[Any]):
    ended_on = serializers.DateField()


class MergeSerializer(serializers.Serializer[Any]):
    duplicate = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id van het dubbele record dat opgaat."
    )


class EmployerUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="Werkgeverslijst, CSV (;) of .xlsx.")
    dry_run = serializers.BooleanField(default=False)
    confirm_overwrite = serializers.BooleanField(
        default=False,
        help_text="Bestaande werkgevers overschrijven; zonder dit antwoordt de import met "
        "de wijzigingen (409) en slaat niets op.",
    )


IMPORT_REPORT = inline_serializer(
    "EmployerImportReport",
    {
        "ok": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "needs_confirmation": serializers.BooleanField(),
        "overwrites": serializers.ListField(
            child=inline_serializer(
                "EmployerOverwrite",
                {
                    "kvk_number": serializers.CharField(),
                    "name": serializers.CharField(),
                    "field": serializers.CharField(),
                    "old": serializers.CharField(allow_null=True),
                    "new": serializers.CharField(allow_null=True),
                },
            )
        ),
        "errors": inline_serializer(
            "EmployerImportError",
            {
                "file": serializers.CharField(),
                "row": serializers.IntegerField(),
                "column": serializers.CharField(),
                "message": serializers.CharField(),
            },
            many=True,
        ),
    },
)


def _child_list(
    request: Request,
    employer: Employer,
    serializer: type[serializers.ModelSerializer[Any]],
    rows: QuerySet[Any],
    create: Any,
    action_needed: Action,
) -> Response:
    """GET the employer's rows, or POST one through `create(data)`."""
    if request.method == "POST":
        if not has_permission(request.user, action_needed):
            raise PermissionDenied("Uw rol mag dit niet vastleggen.")
        params = serializer(data=request.data)
        params.is_valid(raise_exception=True)
        return Response(
            serializer(create(params.validated_data)).data, status=status.HTTP_201_CREATED
        )
    return Response(serializer(rows, many=True).data)


class EmployerViewSet(
    FreshUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Employer],
):
    """One shared record per employer for the NUO and every werkplein. Creating refuses a
    second record for a KvK number (naming the first) and a nearly equal name at the same
    postcode unless `confirmed`; `merge` folds a duplicate into this record."""

    serializer_class = EmployerSerializer
    required_permissions = {
        "list": Action.EMPLOYER_VIEW,
        "retrieve": Action.EMPLOYER_VIEW,
        "create": Action.EMPLOYER_CHANGE,
        "update": Action.EMPLOYER_CHANGE,
        "partial_update": Action.EMPLOYER_CHANGE,
        "merge": Action.EMPLOYER_CHANGE,
        "assign_account_holder": Action.EMPLOYER_CHANGE,
        "release_account_holder": Action.EMPLOYER_CHANGE,
        "contacts": Action.EMPLOYER_VIEW,
        "moments": Action.EMPLOYER_VIEW,
        "agreements": Action.EMPLOYER_VIEW,
        "import_file": Action.EMPLOYER_CHANGE,
    }
    filterset_fields = {"sector": ["exact"], "municipality__cbs_code": ["exact"]}
    http_method_names = ["get", "post", "patch", "head", "options"]

    queryset = Employer.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Employer]:
        employers = employers_for(signed_in(self.request)).prefetch_related(
            "accounts__user", "accounts__organisation"
        )
        query = self.request.query_params.get("q", "")
        if self.action == "list":
            employers = employers.current()
            if query:
                employers = employers.filter(services.employer_search(query))
        return employers.select_related("municipality").order_by("search_name", "id")

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Naam, KvK-nummer of postcode.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer[Employer]) -> None:
        serializer.instance = services.create_employer(
            actor=signed_in(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Employer]) -> None:
        assert isinstance(serializer.instance, Employer)
        serializer.instance = services.update_employer(
            actor=signed_in(self.request), employer=serializer.instance, **serializer.validated_data
        )

    def _answer(self, employer: Employer, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            EmployerSerializer(self.get_queryset().get(pk=employer.pk)).data, status=code
        )

    @extend_schema(
        request=MergeSerializer,
        responses={200: EmployerSerializer, 404: not_found("Onbekend dubbel record.")},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Fold the duplicate into this record; everything it had moves here."""
        survivor = self.get_object()
        params = MergeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        duplicate = Employer.objects.filter(pk=params.validated_data["duplicate"]).first()
        if duplicate is None:
            raise NotFound("Onbekend dubbel record.")
        return self._answer(
            services.merge_employers(
                actor=signed_in(request),
                survivor=survivor,
                duplicate=duplicate,
                on=timezone.localdate(),
            )
        )

    @extend_schema(request=AssignSerializer, responses=EmployerSerializer)
    @action(detail=True, methods=["post"], url_path="account-holder")
    def assign_account_holder(self, request: Request, pk: str) -> Response:
        """Name the account holder; refused while another holds the account."""
        employer = self.get_object()
        params = AssignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.assign_account_holder(
            actor=signed_in(request), employer=employer, **params.validated_data
        )
        return self._answer(employer)

    @extend_schema(request=ReleaseSerializer, responses=EmployerSerializer)
    @action(detail=True, methods=["post"], url_path="release-account-holder")
    def release_account_holder(self, request: Request, pk: str) -> Response:
        employer = self.get_object()
        params = ReleaseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.release_account_holder(
            actor=signed_in(request), employer=employer, **params.validated_data
        )
        return self._answer(employer)

    @extend_schema(methods=["get"], request=None, responses=ContactSerializer(many=True))
    @extend_schema(methods=["post"], request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def contacts(self, request: Request, pk: str) -> Response:
        """Contact persons at the employer."""
        employer = self.get_object()
        return _child_list(
            request,
            employer,
            ContactSerializer,
            employer.contacts.all(),
            lambda data: services.save_contact(actor=signed_in(request), employer=employer, **data),
            Action.EMPLOYER_CHANGE,
        )

    @extend_schema(methods=["get"], request=None, responses=ContactMomentSerializer(many=True))
    @extend_schema(
        methods=["post"], request=ContactMomentSerializer, responses={201: ContactMomentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def moments(self, request: Request, pk: str) -> Response:
        """The contact log every organisation of the employer approach shares."""
        employer = self.get_object()
        return _child_list(
            request,
            employer,
            ContactMomentSerializer,
            employer.moments.select_related("author", "organisation"),
            lambda data: services.record_contact_moment(
                actor=signed_in(request), employer=employer, **data
            ),
            Action.EMPLOYER_CONTACT,
        )

    @extend_schema(methods=["get"], request=None, responses=AgreementSerializer(many=True))
    @extend_schema(
        methods=["post"], request=AgreementSerializer, responses={201: AgreementSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def agreements(self, request: Request, pk: str) -> Response:
        employer = self.get_object()
        return _child_list(
            request,
            employer,
            AgreementSerializer,
            employer.agreements.select_related("party"),
            lambda data: services.record_agreement(
                actor=signed_in(request), employer=employer, **data
            ),
            Action.EMPLOYER_CHANGE,
        )

    @extend_schema(
        request={"multipart/form-data": EmployerUploadSerializer},
        responses={200: IMPORT_REPORT, 201: IMPORT_REPORT, 400: IMPORT_REPORT, 409: IMPORT_REPORT},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[CamelCaseMultiPartParser],
    )
    def import_file(self, request: Request) -> Response:
        """Import an employer list: all or nothing, keyed on the KvK number; every error
        names its row and column (400)."""
        upload = EmployerUploadSerializer(data=request.data)
        if not upload.is_valid():
            errors = [
                {"file": "", "row": 0, "column": field, "message": str(message)}
                for field, messages in upload.errors.items()
                for message in messages
            ]
            body: dict[str, Any] = {
                "ok": False,
                "dry_run": False,
                "created": 0,
                "updated": 0,
                "unchanged": 0,
                "needs_confirmation": False,
                "overwrites": [],
            }
            return Response({**body, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        file = upload.validated_data["file"]
        report = import_employers(
            actor=signed_in(request),
            name=str(file.name),
            raw=file.read(),
            dry_run=upload.validated_data["dry_run"],
            confirm_overwrite=upload.validated_data["confirm_overwrite"],
        )
        body = {
            "ok": report.ok,
            "dry_run": report.dry_run,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "needs_confirmation": report.needs_confirmation,
            "overwrites": [
                {
                    "kvk_number": kvk,
                    "name": name,
                    "field": field,
                    "old": None if old is None else str(old),
                    "new": None if new is None else str(new),
                }
                for kvk, name, field, old, new in report.overwrites
            ],
            "errors": [vars(error) for error in report.errors],
        }
        code: int = status.HTTP_200_OK
        if not report.ok:
            code = status.HTTP_400_BAD_REQUEST
        elif report.needs_confirmation:
            code = status.HTTP_409_CONFLICT
        elif (report.created or report.updated) and not report.dry_run:
            code = status.HTTP_201_CREATED
        return Response(body, status=code)
