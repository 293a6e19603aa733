"""Klantregie: what the execution organisations deliver and what it costs (the catalogue)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from werkregie.accounts.models import User
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.organisations.models import Organisation, ValidityQuerySet


def _validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
    )


class Product(models.Model):
    """A service an execution organisation delivers to a client, ordered by a werkplein."""

    class Kind(models.TextChoices):
        SHELTERED_WORKPLACE = "sheltered_workplace", "Beschut werkplek"
        EXTRA_GUIDANCE = "extra_guidance", "Werkplek met extra begeleiding"
        TRAINING = "training", "Training / opleiding"
        JOB_COACHING = "job_coaching", "Jobcoaching"
        ASSESSMENT = "assessment", "Diagnose / assessment"
        SECONDMENT_GUIDANCE = "secondment_guidance", "Detachering-begeleiding"
        GREEN_LEARNING_PLACE = "green_learning_place", "Leerwerkplek groen"

    class Unit(models.TextChoices):
        MONTH = "month", "per maand"
        HOUR = "hour", "per uur"
        TRAJECTORY = "trajectory", "per traject"

    provider = models.ForeignKey(
        Organisation,
        verbose_name="uitvoeringsorganisatie",
        on_delete=models.PROTECT,
        related_name="products",
    )
    code = models.SlugField("code", max_length=60)
    kind = models.CharField("soort", max_length=30, choices=Kind.choices)
    name = models.CharField("naam", max_length=150)
    unit = models.CharField("eenheid", max_length=12, choices=Unit.choices)
    description = models.TextField("omschrijving", blank=True)
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "product"
        verbose_name_plural = "productcatalogus"
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="product_code_per_provider"),
            _validity_constraint("product_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def price_on(self, day: date, client_owner: Organisation | None = None) -> "Price | None":
        """The price that applies on `day`: the client owner's own (UWV, Dinkelland) when it
        has one, else the standard price of the participating municipalities."""
        prices: models.QuerySet[Price] = Price.objects.active_on(day).filter(product=self)
        if client_owner is not None:
            own = prices.filter(client_owner=client_owner).first()
            if own is not None:
                return own
        return prices.filter(client_owner__isnull=True).first()


class Price(models.Model):
    """A price of a product for a period: standard, or for one third-party client owner."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    client_owner = models.ForeignKey(
        Organisation,
        verbose_name="opdrachtgever",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leeg: het standaardtarief voor de deelnemende gemeenten.",
    )
    amount = models.DecimalField(
        "bedrag", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "tarief"
        verbose_name_plural = "tarieven"
        ordering = ["product", "client_owner", "valid_from"]
        constraints = [
            # Overlapping periods for one owner are refused by the loader (catalogue.py).
            models.UniqueConstraint(
                fields=["product", "client_owner", "valid_from"], name="price_one_per_start"
            ),
            _validity_constraint("price_valid_period"),
        ]

    def __str__(self) -> str:
        owner = self.client_owner.name if self.client_owner else "standaard"
        return f"{self.product.name}, {owner}, vanaf {self.valid_from:%d-%m-%Y}: € {self.amount}"


class ClientQuerySet(models.QuerySet["Client"]):
    def visible_to(self, user: User) -> "ClientQuerySet":
        """Clients whose data `user` may see: a klantregisseur those of the municipality that
        holds their regie. Execution organisations see clients through their orders (these
        arrive with the orders of issue 4); no other role sees clients."""
        if not has_permission(user, Action.CLIENT_VIEW):
            return self.none()
        org: Organisation | None = user.organisation
        if role_of(user) == Role.CLIENT_DIRECTOR and org is not None and org.municipality_id:
            return self.filter(
                client_owner__kind=Organisation.Kind.MUNICIPALITY,
                client_owner__municipality_id=org.municipality_id,
            )
        return self.none()


class Client(models.Model):
    """A person in the registry under klantregie: who holds their regie, since when."""

    class Kind(models.TextChoices):
        PARTICIPATION_ACT = "participatiewet", "Participatiewet"
        UWV = "uwv", "UWV (Wajong, WIA, WW)"

    person = models.OneToOneField(
        "people.Person", verbose_name="persoon", on_delete=models.PROTECT, related_name="client"
    )
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    client_owner = models.ForeignKey(
        Organisation,
        verbose_name="opdrachtgever (regie)",
        on_delete=models.PROTECT,
        related_name="clients",
        help_text="De gemeente van de woonplaats, of UWV.",
    )
    registered_on = models.DateField("in regie sinds")
    ended_on = models.DateField("regie beëindigd op", null=True, blank=True)
    client_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="klantregisseur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
    )

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = "cliënt"
        verbose_name_plural = "cliënten"
        ordering = ["person__search_name", "person__initials", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("registered_on")),
                name="client_ended_after_registered",
            )
        ]

    def __str__(self) -> str:
        return f"Cliënt {self.person}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class Consent(models.Model):
    """What the client agreed may be shared with whom, and for how long (AVG)."""

    class Subject(models.TextChoices):
        PROGRESS = "progress", "Voortgang en resultaten"
        RESTRICTIONS = "restrictions", "Belastbaarheid en beperkingen"
        PROFILE = "profile", "Kandidaatprofiel voor werkgevers"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    subject = models.CharField("wat", max_length=20, choices=Subject.choices)
    shared_with = models.ForeignKey(
        Organisation, verbose_name="met wie", on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField("gegeven op")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)
    withdrawn_on = models.DateField("ingetrokken op", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        ordering = ["-given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("given_on")),
                name="consent_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"Toestemming {self.get_subject_display()} met {self.shared_with}"

    @property
    def audit_person_id(self) -> int:
        return self.client.person_id

    def active_on(self, day: date) -> bool:
        return (
            self.given_on <= day
            and (self.valid_to is None or day <= self.valid_to)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )


class Restriction(models.Model):
    """A limit on what work the client can do (belastbaarheid): special-category data, shown
    only to who holds the client's regie, every read audited."""

    class Category(models.TextChoices):
        PHYSICAL = "physical", "Fysiek"
        MENTAL = "mental", "Psychisch"
        SOCIAL = "social", "Sociaal"
        HOURS = "hours", "Urenbeperking"
        ENVIRONMENT = "environment", "Werkomgeving"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="restrictions")
    category = models.CharField("soort", max_length=20, choices=Category.choices)
    description = models.TextField("omschrijving")
    source = models.CharField(
        "bron", max_length=100, help_text="Bijvoorbeeld: UWV-advies, bedrijfsarts, eigen opgave."
    )
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "beperking"
        verbose_name_plural = "beperkingen"
        ordering = ["-valid_from", "id"]
        constraints = [_validity_constraint("restriction_valid_period")]

    def __str__(self) -> str:
        return f"Beperking ({self.get_category_display()})"

    @property
    def audit_person_id(self) -> int:
        return self.client.person_id


class OrderQuerySet(models.QuerySet["Order"]):
    def visible_to(self, user: User) -> "OrderQuerySet":
        """A klantregisseur sees the orders placed for their municipality (it directs and
        pays them; a client who moves away ends their orders, so an open order's owner is
        always the client's); an execution organisation's jobcoach the orders placed with
        their organisation. The owner and product ids are resolved first, so the queues
        and statements read straight from the order indexes."""
        if not has_permission(user, Action.ORDER_VIEW):
            return self.none()
        org: Organisation | None = user.organisation
        if org is None:
            return self.none()
        if role_of(user) == Role.CLIENT_DIRECTOR and org.municipality_id:
            owners = Organisation.objects.filter(
                kind=Organisation.Kind.MUNICIPALITY, municipality_id=org.municipality_id
            ).values_list("pk", flat=True)
            return self.filter(client_owner_id__in=list(owners))
        if role_of(user) == Role.JOB_COACH:
            products = Product.objects.filter(provider=org).values_list("pk", flat=True)
            return self.filter(product_id__in=list(products))
        return self.none()


_ACTIVE = Q(status__in=["accepted", "running"])


class Order(models.Model):
    """A werkplein orders a product for a client from an execution organisation (opdracht)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Aangevraagd"
        ACCEPTED = "accepted", "Geaccepteerd"
        REFUSED = "refused", "Geweigerd"
        RUNNING = "running", "Lopend"
        COMPLETED = "completed", "Afgerond"
        STOPPED = "stopped", "Gestopt"

    class Result(models.TextChoices):
        AS_PLANNED = "as_planned", "Volgens plan afgerond"
        REGULAR_WORK = "regular_work", "Uitstroom naar regulier werk"
        OTHER_PROVIDER = "other_provider", "Naar een andere aanbieder"
        MOVED = "moved", "Verhuisd"
        ILLNESS = "illness", "Ziekte"
        OTHER = "other", "Anders"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="orders")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    # Who pays: the client's regie owner when the order was placed.
    client_owner = models.ForeignKey(
        Organisation, verbose_name="opdrachtgever", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField("aangevraagd op")
    start_date = models.DateField("startdatum")
    end_date = models.DateField("geplande einddatum")
    ended_on = models.DateField("beëindigd op", null=True, blank=True)
    refusal_reason = models.TextField("reden van weigering", blank=True)
    result = models.CharField("resultaat", max_length=20, choices=Result.choices, blank=True)
    result_note = models.TextField("toelichting resultaat", blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="besteld door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    jobcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="jobcoach",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "organisations.Team",
        verbose_name="team (uitvoering)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A trajectory taken over from the old company keeps its agreed price for the whole
    # trajectory (rule 7); the statement spreads it over the planned days.
    agreed_price = models.DecimalField(
        "afgesproken trajectprijs",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    legacy_reference = models.CharField("trajectnummer (oud bestand)", max_length=20, blank=True)
    # Taken over from the old company: the months before the transition were its own.
    billable_from = models.DateField("gefactureerd vanaf", null=True, blank=True)
    # Kept by report_progress, so the work queue need not aggregate all reports.
    last_reported_on = models.DateField("laatste voortgang", null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "opdracht"
        verbose_name_plural = "opdrachten"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="order_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("requested_on")),
                name="order_ended_after_request",
            ),
            models.UniqueConstraint(
                fields=["legacy_reference"],
                condition=~Q(legacy_reference=""),
                name="order_legacy_trajectory_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            # The statement: one owner's orders that started before the month ends.
            models.Index(fields=["client_owner", "start_date"]),
            # The work queues (queues.py) of a municipality: requests and refusals by date,
            # active orders by their last progress and by their end date.
            models.Index(
                fields=["client_owner", "status", "requested_on"], name="order_owner_status_idx"
            ),
            models.Index(
                F("client_owner"),
                Coalesce("last_reported_on", "start_date"),
                condition=_ACTIVE,
                name="order_owner_quiet_idx",
            ),
            models.Index(
                fields=["client_owner", "end_date"],
                condition=_ACTIVE,
                name="order_owner_ending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Opdracht {self.pk}: {self.product.name}"

    @property
    def audit_person_id(self) -> int:
        return self.client.person_id


class ProgressReport(models.Model):
    """What the execution organisation reports back on an order (voortgang)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField("datum")
    hours = models.DecimalField(
        "uren", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    attendance_percentage = models.PositiveSmallIntegerField(
        "aanwezigheid (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    note = models.TextField("voortgang")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "voortgangsrapportage"
        verbose_name_plural = "voortgangsrapportages"
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"Voortgang {self.reported_on:%d-%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.order.client.person_id
