"""Secondments and invoicing in the API: contracts with their secondments and hours, the
monthly invoice run, sending, credit notes, the UBL e-invoice and the revenue split."""

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, has_permission
from werkregie.core.api import FreshUpdateMixin, MonthField
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.core.params import parse_month
from werkregie.core.schema import not_found
from werkregie.employer_services.models import Employer
from werkregie.people.models import Person
from werkregie.secondments import jobs as secondment_jobs
from werkregie.secondments import services, ubl
from werkregie.secondments.access import (
    contracts_for,
    invoices_for,
    record_invoice_shown,
    require_issuer_staff,
    secondments_shown,
)
from werkregie.secondments.models import (
    Invoice,
    InvoiceLine,
    Issuer,
    Secondment,
    SecondmentContract,
)

MAX_ID = 2**63 - 1


class ContractSerializer(serializers.ModelSerializer[SecondmentContract]):
    hirer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.current())
    hirer_name = serializers.CharField(source="hirer.name", read_only=True)
    issuer = serializers.CharField(source="issuer.prefix", read_only=True)
    secondments = serializers.IntegerField(source="secondment_count", read_only=True)

    class Meta:
        model = SecondmentContract
        fields = [
            "id",
            "number",
            "issuer",
            "hirer",
            "hirer_name",
            "hourly_rate",
            "vat_rate",
            "start_date",
            "end_date",
            "legacy_reference",
            "secondments",
        ]
        read_only_fields = ["id", "number", "legacy_reference"]


class SecondmentSerializer(serializers.ModelSerializer[Secondment]):
    personnel_number = serializers.CharField(
        max_length=20, write_only=True, help_text="Personeelsnummer van de medewerker."
    )
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Secondment
        fields = ["id", "personnel_number", "name", "hours_per_week", "start_date", "end_date"]
        read_only_fields = ["id"]


class HoursSerializer(serializers.Serializer[Any]):
    secondment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    month = MonthField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=300)


class HoursResultSerializer(serializers.Serializer[Any]):
    secondment = serializers.IntegerField(source="secondment_id")
    month = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)


class ContractEndSerializer(serializers.Serializer[Any]):
    end_date = serializers.DateField()


def _own_issuer(request: Request) -> Issuer:
    issuer = Issuer.of(signed_in(request))
    if issuer is None:
        raise PermissionDenied("Uw organisatie contracteert of factureert geen detacheringen.")
    return issuer


class SecondmentContractViewSet(
    FreshUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[SecondmentContract],
):
    """Secondment contracts per hirer. The issuer's staff see who is seconded under them and
    register the hours worked per month; the werkgeversadviseur sees the contracts."""

    serializer_class = ContractSerializer
    required_permissions = {
        "list": Action.SECONDMENT_VIEW,
        "retrieve": Action.SECONDMENT_VIEW,
        "create": Action.SECONDMENT_CHANGE,
        "secondments": Action.SECONDMENT_VIEW,
        "hours": Action.HOURS_REGISTER,
        "end": Action.SECONDMENT_CHANGE,
    }
    fresh_actions = ("hours",)
    filterset_fields = {"hirer": ["exact"]}

    queryset = SecondmentContract.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[SecondmentContract]:
        return (
            contracts_for(signed_in(self.request))
            .select_related("hirer", "issuer")
            .annotate(secondment_count=Count("secondments"))
            .order_by("number")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[SecondmentContract]) -> None:
        contract = services.create_contract(
            actor=signed_in(self.request),
            issuer=_own_issuer(self.request),
            **serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=contract.pk)

    @extend_schema(methods=["get"], request=None, responses=SecondmentSerializer(many=True))
    @extend_schema(
        methods=["post"], request=SecondmentSerializer, responses={201: SecondmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def secondments(self, request: Request, pk: str) -> Response:
        """Who is seconded under the contract (an audited read), or second someone."""
        contract = self.get_object()
        require_issuer_staff(signed_in(request), contract)
        if request.method == "POST":
            if not has_permission(request.user, Action.SECONDMENT_CHANGE):
                raise PermissionDenied("Uw rol detacheert geen medewerkers.")
            params = SecondmentSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            data = dict(params.validated_data)
            person = Person.objects.filter(personnel_number=data.pop("personnel_number")).first()
            if person is None:
                raise NotFound("Geen medewerker met dit personeelsnummer.")
            secondment = services.add_secondment(
                actor=signed_in(request), contract=contract, person=person, **data
            )
            return Response(SecondmentSerializer(secondment).data, status=status.HTTP_201_CREATED)
        rows = secondments_shown(user=signed_in(request), contract=contract)
        return Response(SecondmentSerializer(rows, many=True).data)

    @extend_schema(request=HoursSerializer, responses=HoursResultSerializer)
    @action(detail=True, methods=["post"])
    def hours(self, request: Request, pk: str) -> Response:
        """Register the hours a seconded employee worked in a month (replaces earlier ones
        until the month is invoiced). If-Match: the contract's ETag (its hours included); the
        answer carries the new one."""
        require_issuer_staff(signed_in(request), self.get_object())
        with self.fresh_object(request) as contract:
            params = HoursSerializer(data=request.data)
            params.is_valid(raise_exception=True)
            secondment = contract.secondments.filter(pk=params.validated_data["secondment"]).first()
            if secondment is None:
                raise NotFound("Deze detachering hoort niet bij dit contract.")
            registration = services.register_hours(
                actor=signed_in(request),
                secondment=secondment,
                month=params.validated_data["month"],
                hours=params.validated_data["hours"],
            )
        return Response(HoursResultSerializer(registration).data)

    @extend_schema(request=ContractEndSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        contract = self.get_object()
        require_issuer_staff(signed_in(request), contract)
        params = ContractEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.end_contract(actor=signed_in(request), contract=contract, **params.validated_data)
        return Response(ContractSerializer(self.get_queryset().get(pk=contract.pk)).data)


class InvoiceLineSerializer(serializers.ModelSerializer[InvoiceLine]):
    employer = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = InvoiceLine
        fields = ["description", "employer", "hours", "rate", "amount", "vat_rate"]


class InvoiceSerializer(serializers.ModelSerializer[Invoice]):
    hirer_name = serializers.CharField(source="hirer.name", read_only=True)
    credits = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "month",
            "hirer",
            "hirer_name",
            "issued_on",
            "due_on",
            "credits",
            "reason",
            "net_amount",
            "vat_amount",
            "gross_amount",
        ]
        read_only_fields = fields


class InvoiceDetailSerializer(InvoiceSerializer):
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "lines"]
        read_only_fields = fields


class RunSerializer(serializers.Serializer[Any]):
    month = MonthField()


class SendSerializer(serializers.Serializer[Any]):
    issued_on = serializers.DateField(required=False, help_text="Factuurdatum; leeg = vandaag.")


class SendDraftsSerializer(SendSerializer):
    month = MonthField()


class CreditSerializer(SendSerializer):
    reason = serializers.CharField(max_length=300)


class InvoiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Invoice]
):
    """Monthly invoices to hirers. `run` makes (or remakes) the month's drafts; `send`
    numbers a draft without gaps in the issuer's series and freezes it; `credit` reverses a
    sent invoice with a credit note; `ubl` gives the e-invoice (UBL 2.1, NLCIUS)."""

    serializer_class = InvoiceSerializer
    required_permissions = {
        "list": Action.INVOICE_VIEW,
        "retrieve": Action.INVOICE_VIEW,
        "ubl": Action.INVOICE_VIEW,
        "run": Action.INVOICE_ISSUE,
        "send_drafts": Action.INVOICE_ISSUE,
        "send": Action.INVOICE_ISSUE,
        "credit": Action.INVOICE_ISSUE,
    }
    filterset_fields = {"status": ["exact"], "kind": ["exact"], "hirer": ["exact"]}

    queryset = Invoice.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Invoice]:
        invoices = invoices_for(signed_in(self.request)).select_related("hirer", "credits")
        month = self.request.query_params.get("month") if self.action == "list" else None
        if month:
            try:
                invoices = invoices.filter(month=parse_month(month))
            except ValueError as exc:
                raise serializers.ValidationError({"month": ["Gebruik JJJJ-MM."]}) from exc
        return invoices.order_by("-month", "number", "id")

    @extend_schema(parameters=[OpenApiParameter("month", str, description="Maand, JJJJ-MM.")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=InvoiceDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One invoice with its lines (employee names: an audited read)."""
        invoice = self.get_object()
        record_invoice_shown(user=signed_in(request), invoice=invoice)
        return Response(InvoiceDetailSerializer(invoice).data)

    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="UBL 2.1 Invoice of CreditNote (NLCIUS)."
            ),
            404: not_found("Onbekende factuur, of nog een concept."),
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def ubl(self, request: Request, pk: str) -> HttpResponse:
        invoice = self.get_object()
        if invoice.status != Invoice.Status.SENT:
            raise NotFound("Een concept heeft nog geen e-factuur.")
        record_invoice_shown(user=signed_in(request), invoice=invoice)
        return HttpResponse(ubl.to_ubl(invoice), content_type="application/xml")

    @extend_schema(
        request=RunSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer},
        description="Maakt de concepten van de maand als taak; klaar: `result` met `drafts` "
        "(ids), `alreadySent`, `lines` en `total`.",
    )
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        params = RunSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        issuer = _own_issuer(request)
        month = params.validated_data["month"]
        return accepted(
            request,
            secondment_jobs.make_invoices,
            params={"issuer": issuer.pk, "month": month.isoformat()},
        )

    @extend_schema(request=SendDraftsSerializer, responses=InvoiceSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="send-drafts", pagination_class=None)
    def send_drafts(self, request: Request) -> Response:
        params = SendDraftsSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        sent = services.send_drafts(
            actor=signed_in(request),
            issuer=_own_issuer(request),
            month=params.validated_data["month"],
            issued_on=params.validated_data.get("issued_on") or timezone.localdate(),
        )
        return Response(InvoiceSerializer(sent, many=True).data)

    @extend_schema(request=SendSerializer, responses=InvoiceSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        invoice = self.get_object()
        params = SendSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        sent = services.send_invoice(
            actor=signed_in(request),
            invoice=invoice,
            issued_on=params.validated_data.get("issued_on") or timezone.localdate(),
        )
        return Response(InvoiceSerializer(sent).data)

    @extend_schema(request=CreditSerializer, responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def credit(self, request: Request, pk: str) -> Response:
        invoice = self.get_object()
        params = CreditSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        note = services.credit_invoice(
            actor=signed_in(request),
            invoice=invoice,
            reason=params.validated_data["reason"],
            issued_on=params.validated_data.get("issued_on") or timezone.localdate(),
        )
        return Response(InvoiceSerializer(note).data, status=status.HTTP_201_CREATED)


class RevenueSerializer(serializers.Serializer[Any]):
    month = serializers.DateField()
    employer = serializers.CharField(help_text="De organisatie die de medewerkers in dienst heeft.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class YearSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class RevenueViewSet(viewsets.GenericViewSet[InvoiceLine]):
    """The invoiced secondment revenue per month and employing municipality (aggregates):
    a controller their own municipality's, HR and the board their issuer's."""

    required_permissions = {"list": Action.REVENUE_VIEW}
    pagination_class = None
    serializer_class = RevenueSerializer

    queryset = InvoiceLine.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[InvoiceLine]:
        return InvoiceLine.objects.revenue_visible_to(signed_in(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=RevenueSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        params = YearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = services.revenue(
            self.get_queryset().filter(invoice__month__year=params.validated_data["year"])
        )
        return Response(RevenueSerializer(rows, many=True).data)
