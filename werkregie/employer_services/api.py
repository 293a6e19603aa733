"""Employer services in the API: employers (with contacts, contact log, agreements, account
holder, merge and import), vacancies, candidate profiles and matches."""

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

from werkregie.core.access import Action, has_permission
from werkregie.core.api import FreshUpdateMixin, RecordsListedReads
from werkregie.core.schema import not_found
from werkregie.employer_services import match_queries, services
from werkregie.employer_services.access import (
    candidates_shown,
    employers_for,
    profiles_for,
    record_profile_shown,
    record_profiles_listed,
    vacancies_for,
)
from werkregie.employer_services.employer_import import import_employers
from werkregie.employer_services.models import (
    POSTCODE,
    AccountHolder,
    Agreement,
    CandidateProfile,
    ContactMoment,
    Employer,
    EmployerContact,
    Match,
    Vacancy,
    normalise_postcode,
)
from werkregie.employer_services.vocabulary import (
    DEMANDS,
    OCCUPATIONS,
    SECTORS,
    SKILLS,
    Vocabulary,
)
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.access import persons_for

MAX_ID = 2**63 - 1


class CodeSetField(serializers.MultipleChoiceField):
    """A set of vocabulary codes in JSON, a bit mask in the database."""

    def __init__(self, vocabulary: Vocabulary, **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        super().__init__(choices=vocabulary.choices, **kwargs)

    def to_representation(self, value: Any) -> list[str]:  # type: ignore[override]
        return self.vocabulary.decode(int(value or 0))

    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        return self.vocabulary.mask(super().to_internal_value(data))


# -- employers ---------------------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[Employer]:
        employers = employers_for(self.request.user).prefetch_related(
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
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Employer]) -> None:
        assert isinstance(serializer.instance, Employer)
        serializer.instance = services.update_employer(
            actor=self.request.user, employer=serializer.instance, **serializer.validated_data
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
                actor=request.user,
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
            actor=request.user, employer=employer, **params.validated_data
        )
        return self._answer(employer)

    @extend_schema(request=ReleaseSerializer, responses=EmployerSerializer)
    @action(detail=True, methods=["post"], url_path="release-account-holder")
    def release_account_holder(self, request: Request, pk: str) -> Response:
        employer = self.get_object()
        params = ReleaseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.release_account_holder(
            actor=request.user, employer=employer, **params.validated_data
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
            lambda data: services.save_contact(actor=request.user, employer=employer, **data),
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
                actor=request.user, employer=employer, **data
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
            lambda data: services.record_agreement(actor=request.user, employer=employer, **data),
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
            actor=request.user,
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


# -- vacancies ---------------------------------------------------------------------------


class VacancySerializer(serializers.ModelSerializer[Vacancy]):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.current())
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    municipality: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        help_text="Werklocatie; leeg = de gemeente van de werkgever.",
    )
    required_skills = CodeSetField(SKILLS, required=False)
    demands = CodeSetField(DEMANDS, required=False)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "title",
            "occupation",
            "hours_per_week",
            "municipality",
            "location",
            "required_skills",
            "demands",
            "requirements",
            "start_date",
            "positions",
            "status",
        ]
        read_only_fields = ["id"]


class CriterionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField(source="label")
    matched = serializers.BooleanField()
    points = serializers.IntegerField()
    maximum = serializers.IntegerField()
    detail = serializers.CharField()


class CandidateSummarySerializer(serializers.Serializer[Any]):
    """A candidate as matching shows them: pseudonymised until both consents are there."""

    profile = serializers.IntegerField(source="profile.pk")
    reference = serializers.CharField(source="profile.reference")
    candidate_name = serializers.CharField(
        source="name", allow_null=True, help_text="Alleen na toestemming van beide kanten."
    )
    kind = serializers.CharField(source="profile.kind")
    owner = serializers.CharField(source="profile.owner.code")
    shareable = serializers.BooleanField(source="profile.shareable")
    distance_km = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField(source="result.score")
    criteria = CriterionSerializer(source="result.criteria", many=True)


class RankedVacancySerializer(serializers.Serializer[Any]):
    vacancy = VacancySerializer()
    distance_km = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField(source="result.score")
    criteria = CriterionSerializer(source="result.criteria", many=True)


class LimitSerializer(serializers.Serializer[Any]):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


def _limit(request: Request) -> int:
    params = LimitSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    limit: int = params.validated_data["limit"]
    return limit


class VacancyViewSet(
    FreshUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Vacancy],
):
    """Vacancies of the shared employers. `candidates` ranks the suitable candidates of the
    six municipalities (vraaggestuurd), each score explained; a candidate whose
    restrictions conflict with the job never appears."""

    serializer_class = VacancySerializer
    required_permissions = {
        "list": Action.EMPLOYER_VIEW,
        "retrieve": Action.EMPLOYER_VIEW,
        "create": Action.VACANCY_CHANGE,
        "update": Action.VACANCY_CHANGE,
        "partial_update": Action.VACANCY_CHANGE,
        "candidates": Action.CANDIDATE_VIEW,
    }
    filterset_fields = {"status": ["exact"], "occupation": ["exact"], "employer": ["exact"]}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Vacancy]:
        return (
            vacancies_for(self.request.user)
            .select_related("employer", "municipality")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Vacancy]) -> None:
        serializer.instance = services.save_vacancy(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Vacancy]) -> None:
        assert isinstance(serializer.instance, Vacancy)
        serializer.instance = services.save_vacancy(
            actor=self.request.user, vacancy=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="Aantal kandidaten (1–100).")],
        responses=CandidateSummarySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request: Request, pk: str) -> Response:
        """The best candidates for this vacancy; every candidate shown is an audited read."""
        vacancy = self.get_object()
        ranked = candidates_shown(user=request.user, vacancy=vacancy, limit=_limit(request))
        rows = [
            {
                "profile": r.profile,
                "name": r.profile.person.full_name
                if r.profile.shows_identity_to(request.user)
                else None,
                "distance_km": r.distance_km,
                "result": r.result,
            }
            for r in ranked
        ]
        return Response(CandidateSummarySerializer(rows, many=True).data)


# -- candidate profiles ------------------------------------------------------------------


class ExperienceSerializer(serializers.Serializer[Any]):
    occupation = serializers.ChoiceField(choices=OCCUPATIONS.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    years = serializers.IntegerField(min_value=0, max_value=60)


class ProfileSerializer(serializers.ModelSerializer[CandidateProfile]):
    person = serializers.IntegerField(
        source="person_id",
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="Id van de persoon; null in antwoorden zonder toestemming van beide kanten.",
    )
    reference = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    owner: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    experience = ExperienceSerializer(many=True, required=False)
    skills = CodeSetField(SKILLS, required=False)
    wished_occupations = CodeSetField(OCCUPATIONS, required=False)
    wished_sectors = CodeSetField(SECTORS, required=False)
    restrictions = CodeSetField(
        DEMANDS,
        required=False,
        allow_null=True,
        help_text="Belasting die de kandidaat niet kan (bijzonder persoonsgegeven): alleen "
        "voor de begeleider; anders null.",
    )
    shareable = serializers.BooleanField(read_only=True)

    class Meta:
        model = CandidateProfile
        fields = [
            "id",
            "reference",
            "person",
            "name",
            "kind",
            "owner",
            "status",
            "experience",
            "skills",
            "wished_occupations",
            "wished_sectors",
            "hours_min",
            "hours_max",
            "max_travel_km",
            "available_from",
            "restrictions",
            "restricted_hours",
            "candidate_consent_on",
            "professional_consent_on",
            "consent_withdrawn_on",
            "shareable",
        ]
        read_only_fields = [
            "id",
            "kind",
            "owner",
            "candidate_consent_on",
            "professional_consent_on",
            "consent_withdrawn_on",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_name(self, profile: CandidateProfile) -> str | None:
        user = self.context["request"].user
        return profile.person.full_name if profile.shows_identity_to(user) else None

    def validate_person(self, value: int | None) -> int:
        if value is None:
            raise serializers.ValidationError("Kies de persoon van het profiel.")
        return value

    def to_representation(self, instance: CandidateProfile) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        user = self.context["request"].user
        if not instance.shows_restrictions_to(user):
            data["restrictions"] = data["restricted_hours"] = None
        # Pseudonymised means no internal id either: it would lead back to the person.
        if not instance.shows_identity_to(user):
            data["person"] = None
        return data


class ProfileConsentSerializer(serializers.Serializer[Any]):
    party = serializers.ChoiceField(
        choices=[("candidate", "De kandidaat"), ("professional", "De klantregisseur/jobcoach")]
    )
    given_on = serializers.DateField()


class ProfileWithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField()


class CandidateProfileViewSet(
    FreshUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[CandidateProfile],
):
    """Candidate profiles (personal data; every read audited). The klantregisseur or jobcoach
    who guides the person keeps them; the werkgeversadviseur sees them for matching, without
    name or restrictions until the candidate and their guide both consented to sharing.
    `vacancies` ranks open vacancies for the candidate (aanbodgestuurd)."""

    serializer_class = ProfileSerializer
    required_permissions = {
        "list": Action.CANDIDATE_VIEW,
        "retrieve": Action.CANDIDATE_VIEW,
        "create": Action.CANDIDATE_CHANGE,
        "update": Action.CANDIDATE_CHANGE,
        "partial_update": Action.CANDIDATE_CHANGE,
        "consent": Action.CANDIDATE_CHANGE,
        "withdraw_consent": Action.CANDIDATE_CHANGE,
        "vacancies": Action.CANDIDATE_VIEW,
    }
    filterset_fields = {"status": ["exact"], "kind": ["exact"]}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[CandidateProfile]:
        profiles = profiles_for(self.request.user)
        if self.action in ("update", "partial_update", "consent", "withdraw_consent"):
            profiles = profiles.guided_by(self.request.user)
        return profiles.select_related("person", "owner").order_by("id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else []
        record_profiles_listed(user=request.user, profiles=rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_object()
        record_profile_shown(user=request.user, profile=profile)
        return Response(self.get_serializer(profile).data)

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        values = dict(data)
        values.pop("person_id", None)
        if "experience" in values:
            values["experience"] = [dict(row) for row in values["experience"]]
        return values

    @extend_schema(
        responses={
            201: ProfileSerializer,
            404: not_found("Onbekende persoon, of buiten uw bevoegdheid."),
        }
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        person = persons_for(request.user).filter(pk=params.validated_data["person_id"]).first()
        if person is None:
            raise NotFound("Onbekende persoon.")
        profile = services.save_profile(
            actor=request.user,
            person=person,
            today=timezone.localdate(),
            **self._values(params.validated_data),
        )
        return Response(self.get_serializer(profile).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer[CandidateProfile]) -> None:
        profile = serializer.instance
        assert isinstance(profile, CandidateProfile)
        serializer.instance = services.save_profile(
            actor=self.request.user,
            person=profile.person,
            today=timezone.localdate(),
            profile=profile,
            **self._values(serializer.validated_data),
        )

    @extend_schema(request=ProfileConsentSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str) -> Response:
        """The candidate, or their guide, agrees to sharing the profile with employers."""
        profile = self.get_object()
        params = ProfileConsentSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        profile = services.record_profile_consent(
            actor=request.user, profile=profile, **params.validated_data
        )
        return Response(self.get_serializer(profile).data)

    @extend_schema(request=ProfileWithdrawSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: Request, pk: str) -> Response:
        profile = self.get_object()
        params = ProfileWithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        profile = services.withdraw_profile_consent(
            actor=request.user, profile=profile, **params.validated_data
        )
        return Response(self.get_serializer(profile).data)

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="Aantal vacatures (1–100).")],
        responses=RankedVacancySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def vacancies(self, request: Request, pk: str) -> Response:
        """Open vacancies for this candidate, best first, each score explained."""
        profile = self.get_object()
        record_profile_shown(user=request.user, profile=profile)
        ranked = match_queries.rank_vacancies(
            profile, vacancies_for(request.user), limit=_limit(request)
        )
        return Response(RankedVacancySerializer(ranked, many=True).data)


# -- matches -----------------------------------------------------------------------------


class MatchSerializer(serializers.ModelSerializer[Match]):
    vacancy = serializers.IntegerField(source="vacancy_id", min_value=1, max_value=MAX_ID)
    profile = serializers.IntegerField(source="profile_id", min_value=1, max_value=MAX_ID)
    reference = serializers.CharField(source="profile.reference", read_only=True)
    recorded_by: "serializers.SlugRelatedField[Any]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    criteria = CriterionSerializer(many=True, read_only=True)
    reason = serializers.ChoiceField(choices=Match.Reason.choices, required=False, allow_blank=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "vacancy",
            "profile",
            "reference",
            "status",
            "reason",
            "note",
            "score",
            "criteria",
            "recorded_on",
            "recorded_by",
        ]
        read_only_fields = ["id", "score", "criteria", "recorded_on", "recorded_by"]
        validators: list[Any] = []


class MatchViewSet(
    RecordsListedReads,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Match],
):
    """Candidates put forward for vacancies and how it went. POST records an outcome
    (proposed, interview, placed, rejected with a reason) for a vacancy and a candidate."""

    serializer_class = MatchSerializer
    required_permissions = {"list": Action.CANDIDATE_VIEW, "create": Action.MATCH_RECORD}
    filterset_fields = {"status": ["exact"], "vacancy": ["exact"]}

    def get_queryset(self) -> QuerySet[Match]:
        return (
            Match.objects.filter(profile__in=profiles_for(self.request.user))
            .select_related("profile", "recorded_by")
            .order_by("-recorded_on", "-id")
        )

    @extend_schema(
        responses={
            201: MatchSerializer,
            404: not_found("Onbekende vacature of kandidaat, of buiten uw bevoegdheid."),
        }
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = MatchSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        vacancy = vacancies_for(request.user).filter(pk=data["vacancy_id"]).first()
        profile = (
            profiles_for(request.user)
            .select_related("person")
            .filter(pk=data["profile_id"])
            .first()
        )
        if vacancy is None or profile is None:
            raise NotFound("Onbekende vacature of kandidaat.")
        match = services.record_match(
            actor=request.user,
            vacancy=vacancy,
            profile=profile,
            status=data["status"],
            reason=data.get("reason", ""),
            note=data.get("note", ""),
            recorded_on=timezone.localdate(),
        )
        return Response(MatchSerializer(match).data, status=status.HTTP_201_CREATED)
