"""Planning & control: performance agreements with their targets, saved forecast scenarios,
the real-estate figures of the sites, and the roadmap with its decision trail."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Role, role_of
from werkregie.organisations.models import Municipality, Organisation, Site


def planning_municipalities(user: User) -> models.QuerySet[Municipality]:
    """The municipalities whose agreements, reports and forecast `user` sees (aggregates):
    a controller their own, the board and the transition roles all six."""
    org: Organisation | None = getattr(user, "organisation", None)
    role = role_of(user)
    if org is None or role is None:
        return Municipality.objects.none()
    if role == Role.CONTROLLER and org.municipality_id is not None:
        return Municipality.objects.filter(pk=org.municipality_id)
    if role in (Role.BOARD, Role.TRANSITION_MANAGER, Role.MUNICIPAL_SECRETARY):
        return Municipality.objects.filter(in_region=True)
    return Municipality.objects.none()


class AgreementQuerySet(models.QuerySet["PerformanceAgreement"]):
    def visible_to(self, user: User) -> "AgreementQuerySet":
        return self.filter(municipality__in=planning_municipalities(user))


class PerformanceAgreement(models.Model):
    """A prestatieafspraak: what a municipality agrees with an execution organisation for a
    year, inside the financial frame of its programme budget."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Concept"
        AGREED = "agreed", "Vastgesteld"

    municipality = models.ForeignKey(
        Municipality, verbose_name="gemeente", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name="uitvoeringsorganisatie",
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(2021), MaxValueValidator(2100)]
    )
    budget = models.DecimalField(
        "financieel kader (programmabegroting)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    mandate = models.TextField("mandaat", blank=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "prestatieafspraak"
        verbose_name_plural = "prestatieafspraken"
        ordering = ["-year", "municipality__name", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "provider", "year"], name="agreement_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.provider} {self.year}"

    def lock_scope(self) -> "models.QuerySet[AgreementTarget]":
        """The targets are edited as part of the agreement (core.locking)."""
        return AgreementTarget.objects.filter(agreement=self)


class AgreementTarget(models.Model):
    """One agreed figure: a product's volume and budget, or a result goal."""

    class Indicator(models.TextChoices):
        PRODUCT_VOLUME = "product_volume", "Product: opdrachten en budget"
        OUTFLOW_REGULAR_WORK = "outflow_regular_work", "Uitstroom naar regulier werk"
        SHELTERED_PLACES = "sheltered_places", "Beschut-werkplekken (taakstelling)"
        WSW_WORK_YEARS = "wsw_work_years", "Wsw-arbeidsjaren"
        SECONDMENT_REVENUE = "secondment_revenue", "Opbrengst detacheringen"

    agreement = models.ForeignKey(
        PerformanceAgreement, on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.CharField("indicator", max_length=30, choices=Indicator.choices)
    product = models.ForeignKey(
        "client_direction.Product",
        verbose_name="product",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.DecimalField(
        "doel", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    budget = models.DecimalField(
        "budget",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["indicator", "product__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator="product_volume") & Q(product__isnull=False))
                | (~Q(indicator="product_volume") & Q(product__isnull=True)),
                name="target_product_only_for_volume",
            ),
            models.UniqueConstraint(
                fields=["agreement", "indicator", "product"], name="target_unique_product"
            ),
            models.UniqueConstraint(
                fields=["agreement", "indicator"],
                condition=Q(product__isnull=True),
                name="target_unique_result",
            ),
        ]

    def __str__(self) -> str:
        label = self.product.name if self.product else self.get_indicator_display()
        return f"{label}: {self.target}"


class ScenarioQuerySet(models.QuerySet["Scenario"]):
    def visible_to(self, user: User) -> "ScenarioQuerySet":
        if not planning_municipalities(user).exists():
            return self.none()
        return self


class Scenario(models.Model):
    """An execution model with its assumptions, saved to compare costs per municipality."""

    class ExecutionModel(models.TextChoices):
        JOINT = "joint", "Eén gezamenlijke uitvoeringsorganisatie voor de zes gemeenten"
        SPLIT = "split", "Verdeling volgens het akkoord (NUO plus lokaal beschut werk)"

    name = models.CharField("naam", max_length=120, unique=True)
    execution_model = models.CharField(
        "uitvoeringsmodel", max_length=10, choices=ExecutionModel.choices
    )
    description = models.TextField("toelichting", blank=True)
    until_year = models.PositiveSmallIntegerField(
        "tot en met jaar",
        default=2040,
        validators=[MinValueValidator(2022), MaxValueValidator(2060)],
    )
    indexation_pct = models.DecimalField(
        "loonindexatie per jaar (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(-10)), MaxValueValidator(Decimal(25))],
    )
    contribution_growth_pct = models.DecimalField(
        "groei rijksbijdrage per SE per jaar (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(-10)), MaxValueValidator(Decimal(25))],
    )
    overhead_per_work_year = models.DecimalField(
        "begeleiding en staf per arbeidsjaar (€)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    fixed_costs_per_organisation = models.DecimalField(
        "vaste kosten per organisatie per jaar (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    hazard_factor = models.DecimalField(
        "factor op uitstroomkansen",
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(5))],
        help_text="1,00 = de geschatte kansen; hoger = sneller krimp.",
    )
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = "scenario"
        verbose_name_plural = "scenario's"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SiteCost(models.Model):
    """The real-estate figures of a site: yearly cost, book value, and whether the plan
    lets it go."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="cost")
    yearly_cost = models.DecimalField(
        "jaarlijkse kosten (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    book_value = models.DecimalField(
        "boekwaarde (€)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    m2_per_workplace = models.DecimalField(
        "m² per werkplek",
        max_digits=6,
        decimal_places=2,
        default=Decimal(25),
        validators=[MinValueValidator(Decimal(1))],
    )
    note = models.CharField("toelichting", max_length=200, blank=True)

    class Meta:
        verbose_name = "vastgoedgegevens"
        verbose_name_plural = "vastgoedgegevens"

    def __str__(self) -> str:
        return f"{self.site}: {self.yearly_cost}"


class Activity(models.Model):
    """A roadmap activity: what, who, when, where, and how far it is."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Gepland"
        DONE = "done", "Gereed"
        MOVED = "moved", "Verplaatst"
        CANCELLED = "cancelled", "Vervallen"

    what = models.CharField("activiteit", max_length=200)
    who = models.CharField("wie", max_length=200)
    date = models.DateField("datum")
    time = models.CharField("tijd", max_length=40, blank=True)
    place = models.CharField("plaats", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    source = models.CharField("bron", max_length=120, blank=True)

    class Meta:
        verbose_name = "activiteit"
        verbose_name_plural = "roadmap"
        ordering = ["date", "time", "id"]
        constraints = [models.UniqueConstraint(fields=["what", "date"], name="activity_unique_day")]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.what}"


class Decision(models.Model):
    """A step in the decision trail: who decided or advised what, when, with what outcome."""

    class Body(models.TextChoices):
        COLLEGE = "college", "College van B en W"
        COUNCIL = "raad", "Gemeenteraad"
        DB = "db", "Dagelijks bestuur (DB)"
        AB = "ab", "Algemeen bestuur (AB)"
        AVA = "ava", "Algemene vergadering van aandeelhouders (AVA)"
        SUPERVISORY_BOARD = "rvc", "Raad van commissarissen"
        WORKS_COUNCIL = "or", "Ondernemingsraad"

    class Kind(models.TextChoices):
        DECISION = "decision", "Besluit"
        ADVICE = "advice", "Advies"
        CONSENT = "consent", "Instemming"
        INFORMATION = "information", "Kennisname"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Nog niet genomen"
        ADOPTED = "adopted", "Aangenomen / positief"
        AMENDED = "amended", "Met wijzigingen"
        REJECTED = "rejected", "Verworpen / negatief"

    body = models.CharField("orgaan", max_length=10, choices=Body.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Bij college en raad: welke gemeente.",
    )
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    subject = models.CharField("onderwerp", max_length=200)
    date = models.DateField("datum")
    outcome = models.CharField(
        "uitkomst", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name="bij activiteit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    note = models.TextField("toelichting", blank=True)

    class Meta:
        verbose_name = "besluit"
        verbose_name_plural = "besluitvorming"
        ordering = ["date", "body", "id"]

    def __str__(self) -> str:
        return f"{self.get_body_display()}: {self.subject}"


class DecisionDocument(models.Model):
    """A document attached to a decision, kept in the database with its checksum."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("bestandsnaam", max_length=200)
    content_type = models.CharField("soort bestand", max_length=100)
    content = models.BinaryField("inhoud")
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("controlegetal", max_length=64)
    uploaded_at = models.DateTimeField("toegevoegd op", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
