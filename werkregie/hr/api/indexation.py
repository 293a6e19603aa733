"""Indexation runs in the API: proposal, approval (four eyes), withdrawal."""

from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.hr import services
from werkregie.hr.access import (
    indexation_runs_for,
    record_indexation_lines_shown,
)
from werkregie.hr.models import (
    IndexationLine,
    IndexationRun,
)


class IndexationRunSerializer(serializers.ModelSerializer[IndexationRun]):
    employees = serializers.IntegerField(source="lines_count", read_only=True)

    class Meta:
        model = IndexationRun
        fields = ["id", "effective_date", "status", "created_at", "decided_at", "employees"]
        read_only_fields = ["id", "status", "created_at", "decided_at"]


class EmployerTotalSerializer(serializers.Serializer[Any]):
    employer = serializers.CharField(source="employer__name")
    employees = serializers.IntegerField()
    old = serializers.DecimalField(max_digits=14, decimal_places=2)
    new = serializers.DecimalField(max_digits=14, decimal_places=2)


class IndexationDetailSerializer(IndexationRunSerializer):
    employers = serializers.SerializerMethodField()

    class Meta(IndexationRunSerializer.Meta):
        fields = [*IndexationRunSerializer.Meta.fields, "employers"]

    @extend_schema_field(EmployerTotalSerializer(many=True))
    def get_employers(self, obj: IndexationRun) -> list[dict[str, Any]]:
        rows = obj.totals_per_employer()
        return list(EmployerTotalSerializer(rows, many=True).data)


class IndexationLineSerializer(serializers.ModelSerializer[IndexationLine]):
    personnel_number = serializers.CharField(source="person.personnel_number", allow_null=True)
    name = serializers.CharField(source="person.full_name")
    employer = serializers.CharField(source="employer.code")

    class Meta:
        model = IndexationLine
        fields = ["personnel_number", "name", "employer", "old_wage", "new_wage", "reason"]


class IndexationRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[IndexationRun],
):
    """Indexation: propose every wage from a date, read the differences per employer and per
    employee, approve (a second person) to apply, or withdraw."""

    serializer_class = IndexationRunSerializer
    required_permissions = {
        "list": Action.INDEXATION_PREPARE,
        "retrieve": Action.INDEXATION_PREPARE,
        "create": Action.INDEXATION_PREPARE,
        "lines": Action.INDEXATION_PREPARE,
        "approve": Action.INDEXATION_APPROVE,
        "withdraw": Action.INDEXATION_APPROVE,
    }

    queryset = IndexationRun.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[IndexationRun]:
        return (
            indexation_runs_for(signed_in(self.request))
            .annotate(lines_count=Count("lines"))
            .order_by("-effective_date", "-id")
        )

    def get_serializer_class(self) -> Any:
        return (
            IndexationDetailSerializer
            if self.action == "retrieve"
            else super().get_serializer_class()
        )

    def perform_create(self, serializer: Any) -> None:
        run = services.propose_indexation(
            actor=signed_in(self.request),
            effective_date=serializer.validated_data["effective_date"],
        )
        serializer.instance = self.get_queryset().get(pk=run.pk)

    @extend_schema(responses=IndexationLineSerializer(many=True))
    @action(detail=True, methods=["get"])
    def lines(self, request: Request, pk: str) -> Response:
        run = self.get_object()
        lines = run.lines.select_related("person", "employer").order_by(
            "employer__name", "person_id"
        )
        page = self.paginate_queryset(lines)  # type: ignore[arg-type]
        shown = list(page if page is not None else lines)
        record_indexation_lines_shown(user=signed_in(request), lines=shown)
        data = IndexationLineSerializer(shown, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(request=None, responses=IndexationRunSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        services.approve_indexation(actor=signed_in(request), run=self.get_object())
        return Response(IndexationRunSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=IndexationRunSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        services.withdraw_indexation(actor=signed_in(request), run=self.get_object())
        return Response(IndexationRunSerializer(self.get_queryset().get(pk=pk)).data)
