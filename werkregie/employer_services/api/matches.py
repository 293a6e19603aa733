"""Matches in the API: a candidate proposed for a vacancy, and what came of it."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import RecordsListedReads
from werkregie.core.schema import not_found
from werkregie.employer_services import services
from werkregie.employer_services.access import (
    profiles_for,
    vacancies_for,
)
from werkregie.employer_services.api.fields import MAX_ID
from werkregie.employer_services.api.vacancies import CriterionSerializer
from werkregie.employer_services.models import (
    Match,
)


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

    queryset = Match.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Match]:
        return (
            Match.objects.filter(profile__in=profiles_for(signed_in(self.request)))
            # The vacancy and its employer name each match in the audit log's record.
            .select_related("profile", "recorded_by", "vacancy__employer")
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
        vacancy = vacancies_for(signed_in(request)).filter(pk=data["vacancy_id"]).first()
        profile = (
            profiles_for(signed_in(request))
            .select_related("person")
            .filter(pk=data["profile_id"])
            .first()
        )
        if vacancy is None or profile is None:
            raise NotFound("Onbekende vacature of kandidaat.")
        match = services.record_match(
            actor=signed_in(request),
            vacancy=vacancy,
            profile=profile,
            status=data["status"],
            reason=data.get("reason", ""),
            note=data.get("note", ""),
            recorded_on=timezone.localdate(),
        )
        return Response(MatchSerializer(match).data, status=status.HTTP_201_CREATED)
