"""Employment changes (mutaties) in the API."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.hr import services
from werkregie.hr.access import (
    employment_changes_for,
    record_changes_listed,
)
from werkregie.hr.models import (
    EmploymentChange,
)
from werkregie.organisations.models import Site, Team
from werkregie.people.access import persons_for
from werkregie.people.models import Employment, Person


class MutationSerializer(serializers.ModelSerializer[EmploymentChange]):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())
    employer = serializers.CharField(source="employer.code", read_only=True)
    description = serializers.CharField(source="describe", read_only=True)
    effective_date = serializers.DateField(
        required=False,
        help_text="Niet nodig bij uit dienst wegens AOW: die datum volgt uit de wet.",
    )
    hours_per_week = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=60, required=False, write_only=True
    )
    scale = serializers.CharField(max_length=10, required=False, write_only=True)
    step = serializers.IntegerField(min_value=0, max_value=30, required=False, write_only=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, write_only=True
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, write_only=True
    )
    work_form = serializers.ChoiceField(
        choices=Employment.WorkForm.choices, required=False, write_only=True
    )
    leave_type = serializers.CharField(max_length=60, required=False, write_only=True)
    exported = serializers.SerializerMethodField()

    class Meta:
        model = EmploymentChange
        fields = [
            "id", "person", "employer", "kind", "effective_date", "end_reason", "description",
            "recorded_at", "exported", "hours_per_week", "scale", "step", "team", "site",
            "work_form", "leave_type",
        ]  # fmt: skip
        read_only_fields = ["id", "recorded_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["person"]
            assert isinstance(field, serializers.PrimaryKeyRelatedField)
            field.queryset = persons_for(request.user)

    def get_exported(self, obj: EmploymentChange) -> bool:
        return obj.exported_in_id is not None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("kind") == EmploymentChange.Kind.INDEXATION:
            raise serializers.ValidationError({"kind": ["Indexatie gaat via een indexatierun."]})
        retirement = attrs.get("kind") == "end" and attrs.get("end_reason") == "retirement"
        if "effective_date" not in attrs and not retirement:
            raise serializers.ValidationError({"effective_date": ["Vul de ingangsdatum in."]})
        return attrs


class EmploymentChangeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[EmploymentChange]
):
    """Mutaties of the employees of the employers HR serves: recorded with their effective
    date; the versions of the employment carry the state, changes in the past included."""

    serializer_class = MutationSerializer
    required_permissions = {"list": Action.PAYROLL_EXPORT, "create": Action.PAYROLL_EXPORT}
    filterset_fields = {"person": ["exact"], "kind": ["exact"]}

    queryset = EmploymentChange.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[EmploymentChange]:
        return employment_changes_for(signed_in(self.request)).select_related("employer")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        record_changes_listed(
            user=signed_in(request), changes=EmploymentChange.objects.filter(pk__in=ids)
        )
        return response

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        change = services.record_employment_change(
            actor=signed_in(self.request),
            person=data.pop("person"),
            kind=data.pop("kind"),
            effective_date=data.pop("effective_date", timezone.localdate()),
            **data,
        )
        serializer.instance = change
