"""Candidate profiles in the API: consent, withdrawal and the vacancies that match."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.core.schema import not_found
from werkregie.employer_services import match_queries, services
from werkregie.employer_services.access import (
    profiles_for,
    record_profile_shown,
    record_profiles_listed,
    vacancies_for,
)
from werkregie.employer_services.api.fields import MAX_ID, CodeSetField, limit_param
from werkregie.employer_services.api.vacancies import RankedVacancySerializer
from werkregie.employer_services.models import (
    CandidateProfile,
)
from werkregie.employer_services.vocabulary import (
    DEMANDS,
    OCCUPATIONS,
    SECTORS,
    SKILLS,
)
from werkregie.people.access import persons_for


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

    queryset = CandidateProfile.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[CandidateProfile]:
        profiles = profiles_for(signed_in(self.request))
        if self.action in ("update", "partial_update", "consent", "withdraw_consent"):
            profiles = profiles.guided_by(signed_in(self.request))
        return profiles.select_related("person", "owner").order_by("id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else []
        record_profiles_listed(user=signed_in(request), profiles=rows)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_object()
        record_profile_shown(user=signed_in(request), profile=profile)
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
        person = (
            persons_for(signed_in(request)).filter(pk=params.validated_data["person_id"]).first()
        )
        if person is None:
            raise NotFound("Onbekende persoon.")
        profile = services.save_profile(
            actor=signed_in(request),
            person=person,
            today=timezone.localdate(),
            **self._values(params.validated_data),
        )
        return Response(self.get_serializer(profile).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer[CandidateProfile]) -> None:
        profile = serializer.instance
        assert isinstance(profile, CandidateProfile)
        serializer.instance = services.save_profile(
            actor=signed_in(self.request),
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
            actor=signed_in(request), profile=profile, **params.validated_data
        )
        return Response(self.get_serializer(profile).data)

    @extend_schema(request=ProfileWithdrawSerializer, responses=ProfileSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: Request, pk: str) -> Response:
        profile = self.get_object()
        params = ProfileWithdrawSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        profile = services.withdraw_profile_consent(
            actor=signed_in(request), profile=profile, **params.validated_data
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
        record_profile_shown(user=signed_in(request), profile=profile)
        ranked = match_queries.rank_vacancies(
            profile, vacancies_for(signed_in(request)), limit=limit_param(request)
        )
        return Response(RankedVacancySerializer(ranked, many=True).data)
