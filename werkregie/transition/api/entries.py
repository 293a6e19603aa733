"""A plan's persons and flags in the API, and resolving flags one by one or in bulk."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import RecordsListedReads
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation, Site
from werkregie.transition.access import plan_entries_for, record_entry_shown
from werkregie.transition.models import PlanEntry, PlanFlag
from werkregie.transition.plan_services import (
    entry_violations,
    resolve_flags,
)


class PlanFlagSerializer(serializers.ModelSerializer[PlanFlag]):
    decided_by: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    personnel_number = serializers.CharField(source="entry.legacy.personnel_number")
    code_label = serializers.CharField(source="get_code_display")

    class Meta:
        model = PlanFlag
        fields = [
            "id",
            "entry",
            "personnel_number",
            "code",
            "code_label",
            "reason",
            "resolved",
            "decision",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class PlanEntrySerializer(serializers.ModelSerializer[PlanEntry]):
    """A plan line without personal details: destination and open flags."""

    personnel_number = serializers.CharField(source="legacy.personnel_number")
    residence = serializers.CharField(source="legacy.residence.cbs_code")
    employer: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    organisation: "serializers.SlugRelatedField[Organisation]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    open_flags = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanEntry
        fields = [
            "id",
            "plan",
            "personnel_number",
            "residence",
            "contract_kind",
            "work_form",
            "employer",
            "organisation",
            "team",
            "open_flags",
        ]
        read_only_fields = fields


class LegacySituationSerializer(serializers.Serializer[Any]):
    """The old company's record, as imported (the employer was Soweco NV for everyone)."""

    residence = serializers.CharField(source="residence.cbs_code")
    work_municipality = serializers.CharField(
        source="work_municipality.cbs_code", allow_null=True, default=None
    )
    contract_kind = serializers.CharField()
    indication = serializers.CharField()
    work_form = serializers.CharField()
    team = serializers.CharField()
    leader_number = serializers.CharField()
    site = serializers.CharField()
    hirer_kvk = serializers.CharField()
    scale = serializers.CharField()
    step = serializers.IntegerField(allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=5, decimal_places=2)
    gross_monthly_wage = serializers.DecimalField(max_digits=9, decimal_places=2)


class PlanEntryDetailSerializer(PlanEntrySerializer):
    """One person's line: old situation, proposal, rules, flags and guarantees."""

    old = LegacySituationSerializer(source="legacy")
    site: "serializers.SlugRelatedField[Site]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    flags = PlanFlagSerializer(many=True, read_only=True)
    violations = serializers.SerializerMethodField()

    class Meta(PlanEntrySerializer.Meta):
        fields = [
            *PlanEntrySerializer.Meta.fields,
            "old",
            "site",
            "leader_number",
            "hirer_kvk",
            "indication",
            "scale",
            "step",
            "hours_per_week",
            "gross_monthly_wage",
            "rules",
            "duplicate_of",
            "flags",
            "violations",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_violations(self, entry: PlanEntry) -> list[str]:
        return entry_violations(entry)


class ResolveSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField(max_length=2000, help_text="De reden van het besluit.")
    employer = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    organisation = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    site = serializers.SlugRelatedField(
        slug_field="code", queryset=Site.objects.all(), required=False, allow_null=True
    )
    duplicate_of = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        help_text="Bij een dubbele medewerker: de planregel (id) met hetzelfde BSN die doorgaat.",
    )


class BulkResolveSerializer(serializers.Serializer[Any]):
    flags = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        allow_empty=False,
        max_length=10_000,
        help_text="Signaalnummers, ten hoogste 10.000 per verzoek.",
    )
    decision = serializers.CharField(max_length=2000)


class ResolvedSerializer(serializers.Serializer[Any]):
    resolved = serializers.IntegerField()


class PlanEntryViewSet(
    RecordsListedReads,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[PlanEntry],
):
    """The plan per person. `?plan=` and `?openFlags=true` filter; the detail is an audited
    read; `resolve` decides the person's open flags (optionally another destination)."""

    required_permissions = {
        "list": Action.TRANSITION_PLAN,
        "retrieve": Action.TRANSITION_PLAN,
        "resolve": Action.TRANSITION_PLAN,
    }

    queryset = PlanEntry.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[PlanEntry]:
        entries: QuerySet[PlanEntry] = plan_entries_for(signed_in(self.request))
        return (
            entries.select_related("plan", "legacy__residence", "employer", "organisation")
            .annotate(open_flags=Count("flags", filter=Q(flags__resolved=False)))
            .order_by("plan_id", "legacy__personnel_number")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "resolve":
            return ResolveSerializer
        return PlanEntryDetailSerializer if self.action == "retrieve" else PlanEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("plan", int, description="Alleen regels van dit plan."),
            OpenApiParameter("openFlags", bool, description="Alleen met open signalen."),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entries = self.get_queryset()
        plan = request.query_params.get("plan", "")
        if plan:
            if not plan.isdigit() or len(plan) > 18:
                raise DomainError("Geef een plannummer.", field="plan")
            entries = entries.filter(plan_id=int(plan))
        if request.query_params.get("openFlags") == "true":
            entries = entries.filter(Q(open_flags__gt=0))
        page = self.paginate_queryset(entries)
        assert page is not None
        return self.get_paginated_response(PlanEntrySerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.get_object()
        record_entry_shown(user=signed_in(request), entry=entry)
        return Response(PlanEntryDetailSerializer(entry).data)

    @extend_schema(request=ResolveSerializer, responses=ResolvedSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        entry = self.get_object()
        params = ResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        duplicate_of = None
        if params.validated_data.get("duplicate_of") is not None:
            duplicate_of = (
                PlanEntry.objects.filter(
                    pk=params.validated_data["duplicate_of"], plan_id=entry.plan_id
                )
                .select_related("legacy")
                .first()
            )
            if duplicate_of is None:
                raise DomainError(
                    "Die planregel bestaat niet in hetzelfde plan.", field="duplicate_of"
                )
        count = resolve_flags(
            actor=signed_in(request),
            flags=entry.flags.filter(resolved=False).select_related("entry__plan"),
            decision=params.validated_data["decision"],
            employer=params.validated_data.get("employer"),
            organisation=params.validated_data.get("organisation"),
            site=params.validated_data.get("site"),
            duplicate_of=duplicate_of,
        )
        return Response({"resolved": count})


class PlanFlagViewSet(RecordsListedReads, mixins.ListModelMixin, viewsets.GenericViewSet[PlanFlag]):
    """Flags of the plans, filtered by plan, kind (`code`) and whether resolved. `resolve`
    decides many at once with one reason; the proposals stand as they are."""

    required_permissions = {"list": Action.TRANSITION_PLAN, "resolve": Action.TRANSITION_PLAN}
    serializer_class = PlanFlagSerializer
    filterset_fields = {"entry__plan": ["exact"], "code": ["exact"], "resolved": ["exact"]}

    queryset = PlanFlag.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[PlanFlag]:
        return (
            PlanFlag.objects.filter(entry__in=plan_entries_for(signed_in(self.request)))
            .select_related("entry__legacy", "decided_by")
            .order_by("entry__legacy__personnel_number", "id")
        )

    @extend_schema(request=BulkResolveSerializer, responses=ResolvedSerializer)
    @action(detail=False, methods=["post"])
    def resolve(self, request: Request) -> Response:
        params = BulkResolveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        wanted = set(params.validated_data["flags"])
        flags = list(
            self.get_queryset().filter(pk__in=wanted, resolved=False).select_related("entry__plan")
        )
        unknown = wanted - {flag.pk for flag in flags}
        if unknown:
            raise DomainError(
                "Onbekende of al afgehandelde signalen: "
                + ", ".join(str(n) for n in sorted(unknown)[:10]),
                field="flags",
            )
        count = resolve_flags(
            actor=signed_in(request), flags=flags, decision=params.validated_data["decision"]
        )
        return Response({"resolved": count})
