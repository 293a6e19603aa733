"""Employer charge versions in the API."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.hr import services
from werkregie.hr.models import (
    EmployerCharge,
    hr_employers,
)
from werkregie.organisations.models import Organisation


class EmployerChargeSerializer(serializers.ModelSerializer[EmployerCharge]):
    employer = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100)
    )

    class Meta:
        model = EmployerCharge
        fields = ["id", "employer", "component", "percentage", "valid_from"]
        read_only_fields = ["id"]
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field = self.fields["employer"]
            assert isinstance(field, serializers.SlugRelatedField)
            field.queryset = hr_employers(request.user)


class EmployerChargeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[EmployerCharge]
):
    """Employer charge percentages per component as versions from a date; without employer
    the default of all."""

    serializer_class = EmployerChargeSerializer
    required_permissions = {"list": Action.HR_REPORT_VIEW, "create": Action.EMPLOYER_CHARGE_CHANGE}

    queryset = EmployerCharge.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[EmployerCharge]:
        employers = hr_employers(signed_in(self.request))
        return (
            EmployerCharge.objects.filter(employer__isnull=True)
            | EmployerCharge.objects.filter(employer__in=employers)
        ).select_related("employer")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.add_employer_charge(
            actor=signed_in(self.request),
            employer=serializer.validated_data.get("employer"),
            component=serializer.validated_data["component"],
            percentage=serializer.validated_data["percentage"],
            valid_from=serializer.validated_data["valid_from"],
        )
