"""The transition under /api/v1/: import, plan, flags, approval, execution and reconciliation.

The same services and role checks as the screens; plan lines are personal data (wage,
indication), so a line's detail is an audited read and the list leaves those fields out.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from djangorestframework_camel_case.parser import CamelCaseMultiPartParser
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import Action
from werkregie.core.api import RecordsListedReads
from werkregie.core.errors import DomainError
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.organisations.models import Organisation, Site
from werkregie.transition import jobs as transition_jobs
from werkregie.transition.access import plan_entries_for, record_entry_shown
from werkregie.transition.execution import refuse_unless_executable
from werkregie.transition.models import PlanEntry, PlanFlag, RosterImport, TransitionPlan
from werkregie.transition.plan_services import (
    approve_plan,
    check_guarantees,
    entry_violations,
    propose_plan,
    resolve_flags,
    withdraw_plan,
)
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.roster import RosterError
from werkregie.transition.services import ImportReport, report_data

# -- import ------------------------------------------------------------------------------


class RosterUploadSerializer(serializers.Serializer[Any]):
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="De exportbestanden: medewerkers, trajecten en/of contracten (CSV of xlsx).",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Alleen controleren; er wordt niets opgeslagen."
    )


class RosterErrorSerializer(serializers.Serializer[Any]):
    file = serializers.CharField()
    row = serializers.IntegerField(help_text="Rijnummer zoals de spreadsheet het toont (kop = 1).")
    column = serializers.CharField()
    message = serializers.CharField()


class KindCountsSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


# Built with inline_serializer: a declared field named `errors` would hide Serializer.errors.
IMPORT_REPORT = inline_serializer(
    "ImportReport",
    {
        "ok": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "changed": serializers.BooleanField(),
        "counts": serializers.DictField(child=KindCountsSerializer()),
        "errors": RosterErrorSerializer(many=True),
        "notices": serializers.ListField(child=serializers.CharField()),
    },
)


class RosterImportSerializer(serializers.ModelSerializer[RosterImport]):
    actor: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RosterImport
        fields = ["id", "created_at", "actor", "files", "counts"]


class RosterImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RosterImport]
):
    """Imports of the old company's exports. POST validates every file first and writes
    only when there is no error; the answer lists every error at once (400)."""

    queryset = RosterImport.objects.select_related("actor")
    serializer_class = RosterImportSerializer
    required_permissions = {
        "list": Action.TRANSITION_IMPORT,
        "retrieve": Action.TRANSITION_IMPORT,
        "create": Action.TRANSITION_IMPORT,
    }

    @extend_schema(
        request={"multipart/form-data": RosterUploadSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer, 400: IMPORT_REPORT},
        description=(
            "Start de import als taak (202, met de taak in Location). Klaar: `result` is het "
            "importverslag (ok, counts, errors, notices); bij fouten is er niets opgeslagen."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = RosterUploadSerializer(data=request.data)
        if not upload.is_valid():
            # Every 400 of this endpoint is an import report: upload errors name the field.
            report = ImportReport(
                errors=[
                    RosterError("", 0, field, str(message))
                    for field, messages in upload.errors.items()
                    for message in messages
                ]
            )
            return Response(report_data(report), status=status.HTTP_400_BAD_REQUEST)
        files = [(str(f.name), f.read()) for f in upload.validated_data["files"]]
        return accepted(
            request,
            transition_jobs.import_roster,
            params={"dry_run": upload.validated_data["dry_run"]},
            files=files,
        )

    def get_parsers(self) -> list[Any]:
        # The view is built before the action is known: the upload is multipart.
        return [CamelCaseMultiPartParser()]


# -- plans -------------------------------------------------------------------------------


class TransitionPlanSerializer(serializers.ModelSerializer[TransitionPlan]):
    created_by: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    proposed_by: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    approved_by: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    executed_by: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(
        allow_null=True
    )
    entries = serializers.IntegerField(source="entry_count", read_only=True)
    open_flags = serializers.IntegerField(source="open_flag_count", read_only=True)

    class Meta:
        model = TransitionPlan
        fields = [
            "id",
            "status",
            "effective_date",
            "policy_version",
            "created_at",
            "created_by",
            "proposed_by",
            "proposed_at",
            "approved_by",
            "approved_at",
            "executed_by",
            "executed_at",
            "execution_error",
            "execution_failed_at",
            "entries",
            "open_flags",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer[Any]):
    effective_date = serializers.DateField(
        required=False, help_text="Ingangsdatum; leeg = die uit de beleidsregels."
    )


class GuaranteesSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    violations = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per personeelsnummer de geschonden garanties.",
    )
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Geïmporteerde medewerkers zonder planregel."
    )
    blocking = serializers.ListField(
        child=serializers.CharField(),
        help_text="Voorwaarden voor de uitvoering die het plan als geheel niet vervult.",
    )


class FlagCountSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    code_label = serializers.CharField()
    open = serializers.IntegerField()
    total = serializers.IntegerField()


class PlanDetailSerializer(TransitionPlanSerializer):
    guarantees = serializers.SerializerMethodField()
    flag_counts = serializers.SerializerMethodField()

    class Meta(TransitionPlanSerializer.Meta):
        fields = [*TransitionPlanSerializer.Meta.fields, "guarantees", "flag_counts"]
        read_only_fields = fields

    @extend_schema_field(GuaranteesSerializer)
    def get_guarantees(self, plan: TransitionPlan) -> dict[str, Any]:
        report = check_guarantees(plan)
        return {
            "ok": report.ok,
            "violations": report.violations,
            "missing": report.missing,
            "blocking": report.blocking,
        }

    @extend_schema_field(FlagCountSerializer(many=True))
    def get_flag_counts(self, plan: TransitionPlan) -> list[dict[str, Any]]:
        return [
            {**row, "code_label": PlanFlag.label(row["code"])}
            for row in PlanFlag.objects.filter(entry__plan=plan)
            .values("code")
            .annotate(open=Count("id", filter=Q(resolved=False)), total=Count("id"))
            .order_by("code")
        ]


def _plans() -> QuerySet[TransitionPlan]:
    return TransitionPlan.objects.select_related(
        "created_by", "proposed_by", "approved_by", "executed_by"
    ).annotate(
        entry_count=Count("entries", distinct=True),
        open_flag_count=Count(
            "entries__flags", filter=Q(entries__flags__resolved=False), distinct=True
        ),
    )


class TransitionPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[TransitionPlan]
):
    """Transition plans, newest first. POST makes a new draft (superseding an earlier draft);
    propose, approve and execute move it on, each by the role that may."""

    required_permissions = {
        "list": Action.TRANSITION_REPORT,
        "retrieve": Action.TRANSITION_REPORT,
        "report": Action.TRANSITION_REPORT,
        "create": Action.TRANSITION_PLAN,
        "propose": Action.TRANSITION_PLAN,
        "approve": Action.TRANSITION_APPROVE,
        "execute": Action.TRANSITION_EXECUTE,
        "withdraw": Action.TRANSITION_PLAN,
    }
    filterset_fields = ["status"]

    def get_queryset(self) -> QuerySet[TransitionPlan]:
        return _plans().order_by("-created_at", "-id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return PlanCreateSerializer
        return PlanDetailSerializer if self.action == "retrieve" else TransitionPlanSerializer

    def _detail(self, plan: TransitionPlan, code: int = status.HTTP_200_OK) -> Response:
        return Response(PlanDetailSerializer(_plans().get(pk=plan.pk)).data, status=code)

    @extend_schema(
        request=PlanCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer},
        description="Maakt het plan als taak; klaar: `result.plan` is het nieuwe plan.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = PlanCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("effective_date")
        return accepted(
            request,
            transition_jobs.make_plan,
            params={"effective_date": day.isoformat() if day else None},
        )

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str) -> Response:
        """Submit a draft without open flags or violated guarantees for approval."""
        return self._detail(propose_plan(actor=request.user, plan=self.get_object()))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve a proposed plan: a municipal secretary, never the one who proposed it."""
        return self._detail(approve_plan(actor=request.user, plan=self.get_object()))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Put a proposed or approved plan back to draft (to be proposed and approved anew)."""
        return self._detail(withdraw_plan(actor=request.user, plan=self.get_object()))

    @extend_schema(request=None, parameters=[IDEMPOTENCY_KEY], responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: str) -> Response:
        """Execute an approved plan on its effective date, once, as a job; a second run is
        refused."""
        plan = self.get_object()
        refuse_unless_executable(plan)
        return accepted(request, transition_jobs.execute, params={"plan": plan.pk})

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        description="De aansluiting: personen, arbeidsjaren, loonsom, detacheringen en "
        "trajecten in/uit, per gemeente en in totaal, en de signalen.",
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        return Response(reconcile(self.get_object()))


# -- plan lines and flags ----------------------------------------------------------------


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

    def get_queryset(self) -> QuerySet[PlanEntry]:
        entries: QuerySet[PlanEntry] = plan_entries_for(self.request.user)
        return (
            entries.select_related("legacy__residence", "employer", "organisation")
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
        record_entry_shown(user=request.user, entry=entry)
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
            actor=request.user,
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

    def get_queryset(self) -> QuerySet[PlanFlag]:
        return (
            PlanFlag.objects.filter(entry__in=plan_entries_for(self.request.user))
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
            actor=request.user, flags=flags, decision=params.validated_data["decision"]
        )
        return Response({"resolved": count})
