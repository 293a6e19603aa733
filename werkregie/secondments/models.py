"""Secondments (detachering): contracts per hirer with the employees seconded under them, the
hours worked per month, and the monthly invoices to each hirer (numbered without gaps per
issuing organisation, never changed once sent: a correction is a credit note)."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.employer_services.models import Employer
from werkregie.organisations.models import Organisation


def _money(label: str) -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(label, max_digits=12, decimal_places=2)


class Issuer(models.Model):
    """An organisation that contracts secondments and invoices them, with what an invoice
    says about it (versioned data: `werkregie load_issuers`)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="issuer"
    )
    prefix = models.CharField(
        "factuurnummer begint met",
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,10}$", "Hoofdletters, 2 tot 10.")],
    )
    kvk_number = models.CharField(
        "KvK-nummer", max_length=8, validators=[RegexValidator(r"^\d{8}$")]
    )
    vat_number = models.CharField(
        "btw-nummer", max_length=14, validators=[RegexValidator(r"^NL\d{9}B\d{2}$")]
    )
    iban = models.CharField("IBAN", max_length=34)
    street = models.CharField("straat en huisnummer", max_length=120)
    postcode = models.CharField("postcode", max_length=6)
    city = models.CharField("plaats", max_length=80)
    payment_days = models.PositiveSmallIntegerField("betaaltermijn (dagen)", default=30)
    # The next invoice number of this issuer's one series; taken under a row lock on send.
    next_number = models.PositiveIntegerField("volgend factuurnummer", default=1)

    class Meta:
        verbose_name = "factuurverzender"
        verbose_name_plural = "factuurverzenders"

    def __str__(self) -> str:
        return str(self.organisation)

    @classmethod
    def of(cls, user: User) -> "Issuer | None":
        """The issuer the user works for, if their organisation invoices secondments."""
        organisation_id = getattr(user, "organisation_id", None)
        return (
            cls.objects.filter(organisation_id=organisation_id).first() if organisation_id else None
        )


class ContractQuerySet(models.QuerySet["SecondmentContract"]):
    def visible_to(self, user: User) -> "ContractQuerySet":
        """The contracts of the user's own organisation (the issuer); the werkgeversadviseur
        of every organisation of the employer approach sees them all (which employer hires
        whom is part of the one employer approach)."""
        if not has_permission(user, Action.SECONDMENT_VIEW):
            return self.none()
        if role_of(user) == Role.EMPLOYER_ADVISER:
            return self.all()
        if user.organisation_id is None:
            return self.none()
        return self.filter(issuer__organisation_id=user.organisation_id)


class SecondmentContract(models.Model):
    """An agreement with a hirer to second employees at an hourly rate for a period."""

    number = models.CharField("contractnummer", max_length=20, unique=True)
    issuer = models.ForeignKey(Issuer, verbose_name="uitlener", on_delete=models.PROTECT)
    hirer = models.ForeignKey(
        Employer, verbose_name="inlener", on_delete=models.PROTECT, related_name="contracts"
    )
    hourly_rate = models.DecimalField(
        "uurtarief (excl. btw)", max_digits=8, decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )  # fmt: skip
    vat_rate = models.DecimalField(
        "btw-percentage", max_digits=4, decimal_places=2, default=Decimal(21),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(21))],
    )  # fmt: skip
    start_date = models.DateField("ingangsdatum")
    end_date = models.DateField("einddatum", null=True, blank=True)
    legacy_reference = models.CharField("contractnummer (oud bestand)", max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "detacheringsovereenkomst"
        verbose_name_plural = "detacheringsovereenkomsten"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_period",
            ),
            models.UniqueConstraint(
                fields=["legacy_reference"],
                condition=~Q(legacy_reference=""),
                name="contract_legacy_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.hirer})"

    def lock_scope(self) -> "models.QuerySet[HoursRegistration]":
        """The hours registered under the contract are edited as part of it (core.locking)."""
        return HoursRegistration.objects.filter(secondment__contract=self)


class SecondmentQuerySet(models.QuerySet["Secondment"]):
    def visible_to(self, user: User) -> "SecondmentQuerySet":
        """Who is seconded where is personal data: for the issuer's own staff."""
        if not has_permission(user, Action.SECONDMENT_VIEW) or user.organisation_id is None:
            return self.none()
        return self.filter(contract__issuer__organisation_id=user.organisation_id)

    def active_in(self, first: Any, last: Any) -> "SecondmentQuerySet":
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last)


class Secondment(models.Model):
    """One employee seconded under a contract, for some hours a week."""

    contract = models.ForeignKey(
        SecondmentContract, on_delete=models.PROTECT, related_name="secondments"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="medewerker", on_delete=models.PROTECT, related_name="+"
    )
    hours_per_week = models.DecimalField(
        "uren per week", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(60))],
    )  # fmt: skip
    start_date = models.DateField("vanaf")
    end_date = models.DateField("tot en met", null=True, blank=True)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = "detachering"
        verbose_name_plural = "detacheringen"
        ordering = ["contract", "person__search_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="secondment_period",
            ),
            models.UniqueConstraint(
                fields=["contract", "person", "start_date"], name="secondment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} bij {self.contract.hirer}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class HoursRegistration(models.Model):
    """The hours an employee worked for the hirer in a month: what is invoiced."""

    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="hours")
    month = models.DateField("maand")  # the first day of the month
    hours = models.DecimalField(
        "uren", max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(300))],
    )  # fmt: skip
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "urenregistratie"
        verbose_name_plural = "urenregistraties"
        ordering = ["month", "secondment"]
        constraints = [
            models.UniqueConstraint(fields=["secondment", "month"], name="hours_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="hours_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} uur in {self.month:%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.secondment.person_id


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def visible_to(self, user: User) -> "InvoiceQuerySet":
        """Invoices name the employees seconded: for the issuer's own staff."""
        if not has_permission(user, Action.INVOICE_VIEW) or user.organisation_id is None:
            return self.none()
        return self.filter(issuer__organisation_id=user.organisation_id)


class Invoice(models.Model):
    """A monthly invoice to a hirer, or a credit note that reverses one. Drafts are
    recomputed freely; sending gives the next number of the issuer's series and freezes it
    (in the database too: a trigger refuses changes to a sent invoice and its lines)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", "Factuur"
        CREDIT_NOTE = "credit_note", "Creditnota"

    class Status(models.TextChoices):
        DRAFT = "draft", "Concept"
        SENT = "sent", "Verzonden"

    # A merge of two employer records leaves sent invoices with the hirer they were sent to.
    KEEPS_EMPLOYER_ON_MERGE = True

    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="invoices")
    hirer = models.ForeignKey(
        Employer, verbose_name="inlener", on_delete=models.PROTECT, related_name="invoices"
    )
    month = models.DateField("maand")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices, default="invoice")
    status = models.CharField("status", max_length=8, choices=Status.choices, default="draft")
    number = models.CharField("factuurnummer", max_length=20, blank=True)
    issued_on = models.DateField("factuurdatum", null=True, blank=True)
    due_on = models.DateField("vervaldatum", null=True, blank=True)
    credits = models.OneToOneField(
        "self",
        verbose_name="crediteert",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_note",
    )
    reason = models.CharField("reden", max_length=300, blank=True)
    # The hirer as invoiced (name, KvK, address), frozen when sent.
    buyer = models.JSONField("afnemer", default=dict, blank=True)
    net_amount = _money("bedrag excl. btw")
    vat_amount = _money("btw")
    gross_amount = _money("bedrag incl. btw")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "factuur"
        verbose_name_plural = "facturen"
        ordering = ["-month", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], condition=~Q(number=""), name="invoice_number_once"
            ),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(number=""))
                | (Q(status="sent") & ~Q(number="") & Q(issued_on__isnull=False)),
                name="invoice_numbered_when_sent",
            ),
            models.CheckConstraint(
                condition=(Q(kind="invoice") & Q(credits__isnull=True))
                | (Q(kind="credit_note") & Q(credits__isnull=False)),
                name="invoice_credit_note_credits_one",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="invoice_month_first_day"),
        ]
        indexes = [models.Index(fields=["issuer", "month", "hirer"], name="invoice_month_idx")]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.number}" if self.number else f"{label} (concept) {self.hirer}"


class InvoiceLineQuerySet(models.QuerySet["InvoiceLine"]):
    def revenue_visible_to(self, user: User) -> "InvoiceLineQuerySet":
        """For the revenue split (aggregates only): a controller the lines of employees of
        their own municipality, whoever invoiced them; HR and the board their issuer's."""
        if not has_permission(user, Action.REVENUE_VIEW):
            return self.none()
        org: Organisation | None = user.organisation
        if org is None:
            return self.none()
        if role_of(user) == Role.CONTROLLER:
            if org.municipality_id is None:
                return self.none()
            return self.filter(
                employer__kind=Organisation.Kind.MUNICIPALITY,
                employer__municipality_id=org.municipality_id,
            )
        return self.filter(invoice__issuer__organisation_id=org.pk)


class InvoiceLine(models.Model):
    """One employee's hours in the month; the revenue goes to the municipality that employs
    them. On a credit note the amounts are negative."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    secondment = models.ForeignKey(Secondment, on_delete=models.PROTECT, related_name="+")
    description = models.CharField("omschrijving", max_length=200)
    employer = models.ForeignKey(
        Organisation,
        verbose_name="werkgever van de medewerker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours = models.DecimalField("uren", max_digits=8, decimal_places=2)
    rate = models.DecimalField("tarief", max_digits=8, decimal_places=2)
    amount = _money("bedrag")
    vat_rate = models.DecimalField("btw-percentage", max_digits=4, decimal_places=2)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        verbose_name = "factuurregel"
        verbose_name_plural = "factuurregels"
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def audit_person_id(self) -> int:
        return self.secondment.person_id
