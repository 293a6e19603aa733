"""Klantregie: what the execution organisations deliver and what it costs (the catalogue)."""

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

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
