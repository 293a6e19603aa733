"""Transition plans in the API: make, propose, approve, execute, the reconciliation."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.transition import jobs as transition_jobs
from werkregie.transition.execution import refuse_unless_executable
from werkregie.transition.models import PlanFlag, TransitionPlan
from werkregie.transition.plan_services import (
    approve_plan,
    check_guarantees,
    propose_plan,
    withdraw_plan,
)
from werkregie.transition.reconciliation import reconcile


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
        return self._detail(propose_plan(actor=signed_in(request), plan=self.get_object()))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve a proposed plan: a municipal secretary, never the one who proposed it."""
        return self._detail(approve_plan(actor=signed_in(request), plan=self.get_object()))

    @extend_schema(request=None, responses=PlanDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Put a proposed or approved plan back to draft (to be proposed and approved anew)."""
        return self._detail(withdraw_plan(actor=signed_in(request), plan=self.get_object()))

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
