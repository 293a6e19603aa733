"""Monthly statements of delivered orders in the API (JSON, Excel and PDF)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.client_direction import jobs as cd_jobs
from werkregie.client_direction import statements
from werkregie.client_direction.access import (
    record_statement_lines_shown,
)
from werkregie.client_direction.models import (
    Order,
)
from werkregie.core.access import Action
from werkregie.core.api import MonthField
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.params import api_month
from werkregie.core.schema import not_found
from werkregie.organisations.models import Organisation


class StatementLineSerializer(serializers.Serializer[Any]):
    order = serializers.IntegerField(source="order_id")
    client_name = serializers.CharField()
    product = serializers.CharField(source="product.code")
    unit = serializers.CharField(source="product.unit")
    taken_over = serializers.BooleanField(
        help_text="Een traject uit het oude bestand, tegen de afgesproken trajectprijs."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="De dag van beëindigen, of de geplande einddatum.")
    days = serializers.IntegerField(source="line.days")
    hours = serializers.DecimalField(source="line.hours", max_digits=8, decimal_places=2)
    unit_price = serializers.DecimalField(source="line.unit_price", max_digits=10, decimal_places=2)
    amount = serializers.DecimalField(source="line.amount", max_digits=12, decimal_places=2)


class ProductTotalSerializer(serializers.Serializer[Any]):
    product = serializers.CharField(source="product.code")
    orders = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class StatementSerializer(serializers.Serializer[Any]):
    provider = serializers.CharField(source="provider.code")
    client_owner = serializers.CharField(source="client_owner.code")
    month = serializers.DateField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    per_product = ProductTotalSerializer(many=True)
    lines = StatementLineSerializer(many=True)


class StatementFileParams(serializers.Serializer[Any]):
    month = MonthField()
    format = serializers.ChoiceField(choices=sorted(cd_jobs.FORMATS))
    provider = serializers.CharField(max_length=60, required=False, allow_blank=True)
    client_owner = serializers.CharField(max_length=60, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("month", str, required=True, description="Maand, JJJJ-MM."),
            OpenApiParameter("provider", str, description="Code van de uitvoeringsorganisatie."),
            OpenApiParameter("clientOwner", str, description="Code van de opdrachtgever."),
        ],
        responses={
            200: StatementSerializer(many=True),
            404: not_found("Geen maandoverzicht voor deze aanbieder of opdrachtgever."),
        },
    )
)
class StatementViewSet(viewsets.GenericViewSet[Order]):
    """Monthly statements: per execution organisation and client owner, what is owed for the
    month, per order and per product. A klantregisseur sees what their municipality pays, a
    provider's jobcoach what is owed to their organisation. Every line is an audited read."""

    required_permissions = {"list": Action.STATEMENT_VIEW, "files": Action.STATEMENT_VIEW}
    pagination_class = None
    serializer_class = StatementSerializer

    queryset = Order.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Order]:
        return statements.billable_to(signed_in(self.request))

    def list(self, request: Request) -> Response:
        month = api_month(request, "month")
        if month is None:
            raise serializers.ValidationError({"month": ["Geef de maand, in de vorm JJJJ-MM."]})
        orders = self.get_queryset()
        found: dict[str, Organisation | None] = {}
        providers, owners = statements.counterparts(orders)
        for param, candidates in (("provider", providers), ("clientOwner", owners)):
            code = request.query_params.get(param)
            if code:
                org = candidates.filter(code=code).first()
                if org is None:
                    raise NotFound(f"Geen maandoverzicht voor {param} '{code}'.")
                found[param] = org
        result = statements.statements_for(
            orders, month, provider=found.get("provider"), client_owner=found.get("clientOwner")
        )
        record_statement_lines_shown(
            user=signed_in(request), lines=(line for st in result for line in st.lines)
        )
        return Response(StatementSerializer(result, many=True).data)

    @extend_schema(
        request=StatementFileParams,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer},
        description=(
            "Het maandoverzicht als Excel of PDF, gemaakt als taak (tienduizenden regels duren "
            "seconden). Klaar: het bestand staat onder `files`; elke download wordt met de "
            "regels die erin staan vastgelegd."
        ),
    )
    @action(detail=False, methods=["post"])
    def files(self, request: Request) -> Response:
        params = StatementFileParams(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return accepted(
            request,
            cd_jobs.statement_file,
            params={
                "month": data["month"].isoformat(),
                "format": data["format"],
                "provider": data.get("provider", ""),
                "client_owner": data.get("client_owner", ""),
            },
        )
