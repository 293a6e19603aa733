"""Real estate in the API: space need, surplus and site costs."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import Action
from werkregie.core.report_api import ReportTableSerializer, table_data
from werkregie.organisations.models import Site
from werkregie.planning import real_estate, services
from werkregie.planning.api.common import SavedThroughService
from werkregie.planning.models import (
    SiteCost,
)


class SpaceNeedSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    m2 = serializers.DecimalField(max_digits=12, decimal_places=2)


class RealEstateSerializer(serializers.Serializer[Any]):
    needs = ReportTableSerializer()
    occupancy = ReportTableSerializer()
    per_organisation = SpaceNeedSerializer(many=True)


class RealEstateViewSet(viewsets.GenericViewSet[Site]):
    """Space needed per site and organisation today, occupancy over the years, and what the
    plan can sell."""

    required_permissions = {"list": Action.PLANNING_VIEW}
    pagination_class = None
    list_answers_one_object = True
    serializer_class = RealEstateSerializer

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.all()

    @extend_schema(responses=RealEstateSerializer)
    def list(self, request: Request) -> Response:
        today = timezone.localdate()
        needs = real_estate.needs_on(today)
        occupancy, _ = real_estate.occupancy_table(
            list(range(max(2021, today.year - 4), today.year + 1))
        )
        return Response(
            {
                "needs": table_data(real_estate.need_table(needs, today)),
                "occupancy": table_data(occupancy),
                "per_organisation": [
                    {"organisation": name, "m2": str(m2.quantize(services.CENT))}
                    for name, m2 in real_estate.organisation_needs(needs).items()
                ],
            }
        )


class SiteCostSerializer(serializers.ModelSerializer[SiteCost]):
    site = serializers.SlugRelatedField(slug_field="code", queryset=Site.objects.all())
    yearly_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    book_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, max_value=10**10 - 1
    )
    m2_per_workplace = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=1, max_value=9999, required=False
    )

    class Meta:
        model = SiteCost
        fields = ["id", "site", "yearly_cost", "book_value", "m2_per_workplace", "note"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class SiteCostViewSet(
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SiteCost],
):
    """Yearly cost, book value and m² per workplace of each site (posting a site again
    changes its figures)."""

    service = staticmethod(services.save_site_cost)
    serializer_class = SiteCostSerializer
    required_permissions = {"list": Action.PLANNING_VIEW, "create": Action.REAL_ESTATE_CHANGE}

    def get_queryset(self) -> QuerySet[SiteCost]:
        return SiteCost.objects.select_related("site").order_by("site__name")
