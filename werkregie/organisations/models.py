import unicodedata
from datetime import date
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


class Municipality(models.Model):
    cbs_code = models.CharField(
        "CBS-code",
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", "Een CBS-code heeft de vorm GM0141.")],
    )
    name = models.CharField("naam", max_length=100, unique=True)
    role_in_model = models.CharField("rol in het model", max_length=200, blank=True)
    # One of the six that owned Soweco; the others are neighbours and third parties.
    in_region = models.BooleanField("een van de zes", default=False)
    # The centre of the main town (WGS84): distances for matching, as the crow flies.
    latitude = models.DecimalField(
        "breedtegraad", max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        "lengtegraad", max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """A range of four-digit postcodes (PC4) that lies in one municipality."""

    pc4_from = models.PositiveIntegerField("PC4 vanaf")
    pc4_to = models.PositiveIntegerField("PC4 tot en met")
    municipality = models.ForeignKey(
        Municipality, verbose_name="gemeente", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "postcodegebied"
        verbose_name_plural = "postcodegebieden"
        ordering = ["pc4_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pc4_to__gte=models.F("pc4_from")), name="postcodearea_range_ordered"
            ),
            models.UniqueConstraint(fields=["pc4_from"], name="postcodearea_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.pc4_from}–{self.pc4_to} {self.municipality_id}"


class ValidityQuerySet(models.QuerySet[Any]):
    def active_on(self, day: date) -> "ValidityQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


def _validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True)
        | Q(valid_to__isnull=True)
        | Q(valid_to__gte=models.F("valid_from")),
        name=name,
    )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Gemeente"
        JOINT_ARRANGEMENT = "joint_arrangement", "Gemeenschappelijke regeling"
        LIMITED_COMPANY = "limited_company", "Naamloze vennootschap"
        FOUNDATION = "foundation", "Stichting (uitvoeringsorganisatie)"
        WERKPLEIN = "werkplein", "Werkplein"
        REGIONAL_WERKPLEIN = "regional_werkplein", "Regionaal werkplein"
        SHELTERED_WORK = "sheltered_work", "Lokaal beschut werk"
        OUTDOOR_SERVICE = "outdoor_service", "Buitendienst"
        BENEFITS_AGENCY = "benefits_agency", "Uitvoeringsinstituut"

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=150)
    kind = models.CharField("soort", max_length=30, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="valt onder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField("omschrijving", blank=True)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)
    members: "models.ManyToManyField[Municipality, Membership]" = models.ManyToManyField(
        Municipality,
        verbose_name="deelnemende gemeenten",
        through="Membership",
        related_name="memberships",
        blank=True,
    )
    # Organisations whose employer tasks (HR, payroll, CAO) this one performs.
    hr_for = models.ManyToManyField(
        "self",
        verbose_name="voert werkgeverstaken uit voor",
        symmetrical=False,
        blank=True,
        related_name="hr_by",
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]
        constraints = [_validity_constraint("organisation_validity_ordered")]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    board_seat = models.CharField("bestuurszetel", max_length=100, blank=True)

    class Meta:
        verbose_name = "deelname"
        verbose_name_plural = "deelnames"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "municipality"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} in {self.organisation}"


class Site(models.Model):
    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=150)
    municipality = models.ForeignKey(
        Municipality, verbose_name="gemeente", on_delete=models.PROTECT, related_name="sites"
    )
    address = models.CharField("adres", max_length=200, blank=True)
    # Other spellings of this site, as the old company's exports write it (region.yaml).
    aliases = models.JSONField("andere schrijfwijzen", default=list, blank=True)
    capacity_workplaces = models.PositiveIntegerField("werkplekken", default=0)
    floor_area_m2 = models.PositiveIntegerField("vloeroppervlak (m²)", default=0)

    class Meta:
        verbose_name = "locatie"
        verbose_name_plural = "locaties"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def key(spelling: str) -> str:
        """How a site name is compared: case, accents, punctuation and spacing ignored, so
        "ALMELO - Bedrijfsweg" finds the alias "Almelo Bedrijfsweg"."""
        folded = unicodedata.normalize("NFKD", spelling.lower())
        letters = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
        return " ".join(letters.split())

    @classmethod
    def by_spelling(cls) -> dict[str, "Site"]:
        """Every site under its code, its name and each of its aliases (see `key`)."""
        sites: dict[str, Site] = {}
        for site in cls.objects.all():
            for spelling in (site.code, site.name, *site.aliases):
                sites.setdefault(cls.key(str(spelling)), site)
        return sites


class SiteOccupancy(models.Model):
    """Which organisation uses a site in which period (the building outlives its user)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="occupancies")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="occupancies"
    )
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "gebruik van locatie"
        verbose_name_plural = "gebruik van locaties"
        constraints = [
            _validity_constraint("siteoccupancy_validity_ordered"),
            models.UniqueConstraint(
                fields=["site", "organisation", "valid_from"], name="siteoccupancy_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.site}"


class Team(models.Model):
    name = models.CharField("naam", max_length=150)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, related_name="teams"
    )
    site = models.ForeignKey(
        Site,
        verbose_name="locatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    leader = models.ForeignKey(
        "people.Person",
        verbose_name="leidinggevende",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = "team"
        verbose_name_plural = "teams"
        ordering = ["organisation__name", "name"]
        constraints = [
            _validity_constraint("team_validity_ordered"),
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
