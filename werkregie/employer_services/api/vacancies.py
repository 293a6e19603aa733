"""Vacancies in the API, with the candidates that match them."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.employer_services import services
from werkregie.employer_services.access import (
    candidates_shown,
    vacancies_for,
)
from werkregie.employer_services.api.fields import CodeSetField, limit_param
from werkregie.employer_services.models import (
    Employer,
    Vacancy,
)
from werkregie.employer_services.vocabulary import (
    DEMANDS,
    SKILLS,
)
from werkregie.organisations.models import Municipality


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

    queryset = Vacancy.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Vacancy]:
        return (
            vacancies_for(signed_in(self.request))
            .select_related("employer", "municipality")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Vacancy]) -> None:
        serializer.instance = services.save_vacancy(
            actor=signed_in(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Vacancy]) -> None:
        assert isinstance(serializer.instance, Vacancy)
        serializer.instance = services.save_vacancy(
            actor=signed_in(self.request), vacancy=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="Aantal kandidaten (1–100).")],
        responses=CandidateSummarySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def candidates(self, request: Request, pk: str) -> Response:
        """The best candidates for this vacancy; every candidate shown is an audited read."""
        vacancy = self.get_object()
        ranked = candidates_shown(
            user=signed_in(request), vacancy=vacancy, limit=limit_param(request)
        )
        rows = [
            {
                "profile": r.profile,
                "name": r.profile.person.full_name
                if r.profile.shows_identity_to(signed_in(request))
                else None,
                "distance_km": r.distance_km,
                "result": r.result,
            }
            for r in ranked
        ]
        return Response(CandidateSummarySerializer(rows, many=True).data)
