"""The old company's records as imported: the starting point of the transition plan."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Action, has_permission
from werkregie.organisations.models import Municipality


class LegacyQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> "LegacyQuerySet":
        """The old company's person records: only for roles that make the transition plan."""
        if has_permission(user, Action.TRANSITION_PLAN):
            return self.all()
        return self.none()


class RosterImport(models.Model):
    """One accepted import that changed something (an import that changes nothing leaves none)."""

    created_at = models.DateTimeField("tijdstip", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    files = models.JSONField("bestanden", default=list)
    counts = models.JSONField("aantallen", default=dict)

    class Meta:
        verbose_name = "import van het personeelsbestand"
        verbose_name_plural = "imports van het personeelsbestand"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.created_at:%d-%m-%Y %H:%M}"


class RosterFile(models.Model):
    """A file of an accepted import, kept byte for byte as received: the reconciliation
    reads its "in" side from these, not from the tables the import filled."""

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("soort", max_length=12)
    name = models.CharField("bestandsnaam", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("inhoud")

    class Meta:
        verbose_name = "ontvangen exportbestand"
        verbose_name_plural = "ontvangen exportbestanden"
        ordering = ["roster_import__created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class LegacyRecord(models.Model):
    """A row of one of the old company's exports, keyed as the export keys it.

    Its municipality references have no database constraint: the importer resolves every
    code against the municipality table in the same transaction, municipalities are
    reference data that are never deleted (PROTECT in the ORM), and a per-row constraint
    check at commit was a third of a national import's time.
    """

    KEY: ClassVar[str]  # the column that identifies a row across imports
    LABEL: ClassVar[str]  # str() of a record, from its key

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.LABEL.format(getattr(self, self.KEY))


class LegacyEmployee(LegacyRecord):
    """A row of `medewerkers`: someone employed by Soweco NV, as the export says."""

    KEY = "personnel_number"
    LABEL = "Medewerker {}"

    class ContractKind(models.TextChoices):
        WSW = "wsw", "Wsw"
        SHELTERED_WORK = "beschut", "Nieuw beschut werk"
        STAFF = "staf", "Staf"

    personnel_number = models.CharField("personeelsnummer", max_length=20, unique=True)
    bsn = models.CharField("BSN", max_length=9)
    surname = models.CharField("achternaam", max_length=100)
    surname_prefix = models.CharField("tussenvoegsel", max_length=20, blank=True)
    initials = models.CharField("voorletters", max_length=20, blank=True)
    given_name = models.CharField("roepnaam", max_length=60, blank=True)
    birth_date = models.DateField("geboortedatum")
    sex = models.CharField("geslacht", max_length=1)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    house_number = models.CharField("huisnummer", max_length=10, blank=True)
    residence = models.ForeignKey(
        Municipality,
        verbose_name="woongemeente",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # see LegacyRecord
    )
    contract_kind = models.CharField(
        "soort dienstverband", max_length=10, choices=ContractKind.choices
    )
    indication = models.CharField("indicatie", max_length=10, blank=True)
    work_form = models.CharField("werkvorm", max_length=30)
    department = models.CharField("afdeling", max_length=100, blank=True)
    team = models.CharField("team", max_length=150, blank=True)
    leader_number = models.CharField("leidinggevende", max_length=20, blank=True)
    site = models.CharField("locatie", max_length=150, blank=True)
    work_municipality = models.ForeignKey(
        Municipality,
        verbose_name="werkgemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # see LegacyRecord
    )
    hirer_kvk = models.CharField("inlener KvK", max_length=8, blank=True)
    hirer_name = models.CharField("inlener", max_length=150, blank=True)
    collective_agreement = models.CharField("cao", max_length=60)
    scale = models.CharField("schaal", max_length=10, blank=True)
    step = models.PositiveSmallIntegerField("trede", null=True, blank=True)
    hours_per_week = models.DecimalField("uren per week", max_digits=5, decimal_places=2)
    gross_monthly_wage = models.DecimalField("bruto maandloon", max_digits=9, decimal_places=2)
    start_date = models.DateField("datum in dienst")
    job_title = models.CharField("functie", max_length=100, blank=True)

    objects = LegacyQuerySet.as_manager()

    class Meta:
        verbose_name = "medewerker (oud bestand)"
        verbose_name_plural = "medewerkers (oud bestand)"
        ordering = ["personnel_number"]


class LegacyTrajectory(LegacyRecord):
    """A row of `trajecten`: a participant in a running trajectory at the old company."""

    KEY = "number"
    LABEL = "Traject {}"

    number = models.CharField("trajectnummer", max_length=20, unique=True)
    bsn = models.CharField("BSN", max_length=9)
    surname = models.CharField("achternaam", max_length=120)
    initials = models.CharField("voorletters", max_length=20, blank=True)
    birth_date = models.DateField("geboortedatum")
    residence = models.ForeignKey(
        Municipality,
        verbose_name="woongemeente",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # see LegacyRecord
    )
    # A CBS code of the ordering municipality, or "UWV".
    client_owner = models.CharField("opdrachtgever", max_length=6)
    product = models.CharField("product", max_length=60)
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum")
    price = models.DecimalField("prijs", max_digits=10, decimal_places=2)

    objects = LegacyQuerySet.as_manager()

    class Meta:
        verbose_name = "traject (oud bestand)"
        verbose_name_plural = "trajecten (oud bestand)"
        ordering = ["number"]


class LegacyContract(LegacyRecord):
    """A row of `contracten`: a running customer contract of the old company."""

    KEY = "number"
    LABEL = "Contract {}"

    number = models.CharField("contractnummer", max_length=20, unique=True)
    kind = models.CharField("soort", max_length=20)
    customer_kvk = models.CharField("klant KvK", max_length=8, blank=True)
    customer_name = models.CharField("klant", max_length=150)
    start_date = models.DateField("startdatum")
    end_date = models.DateField("einddatum", null=True, blank=True)
    hourly_rate = models.DecimalField(
        "tarief per uur", max_digits=8, decimal_places=2, null=True, blank=True
    )
    personnel_numbers = models.JSONField("personeelsnummers", default=list, blank=True)

    objects = LegacyQuerySet.as_manager()

    class Meta:
        verbose_name = "contract (oud bestand)"
        verbose_name_plural = "contracten (oud bestand)"
        ordering = ["number"]


class TransitionPlan(models.Model):
    """For every employee of the old company: the proposed new situation and the rule behind it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Concept"
        SUPERSEDED = "superseded", "Vervangen door een nieuwer plan"
        PROPOSED = "proposed", "Voorgesteld"
        APPROVED = "approved", "Goedgekeurd"
        EXECUTED = "executed", "Uitgevoerd"

    created_at = models.DateTimeField("gemaakt op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField("ingangsdatum")
    policy_version = models.CharField("versie beleidsregels", max_length=40)
    policy = models.JSONField("beleidsregels", default=dict)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="voorgesteld door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("voorgesteld op", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="goedgekeurd door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="uitgevoerd door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executed_at = models.DateTimeField("uitgevoerd op", null=True, blank=True)
    # The last failed execution: rolled back whole; the plan stays executable.
    execution_error = models.TextField("laatste mislukte uitvoering", blank=True)
    execution_failed_at = models.DateTimeField("mislukt op", null=True, blank=True)

    class Meta:
        verbose_name = "transitieplan"
        verbose_name_plural = "transitieplannen"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two different people: the one who proposes never approves (transition step 5).
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="transitionplan_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="executed"),
                name="transitionplan_executed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Transitieplan {self.pk} ({self.get_status_display()})"


class PlanEntry(models.Model):
    """One employee in a plan: old values copied, so the guarantees can be checked."""

    plan = models.ForeignKey(TransitionPlan, on_delete=models.CASCADE, related_name="entries")
    legacy = models.ForeignKey(
        LegacyEmployee, on_delete=models.PROTECT, related_name="plan_entries"
    )
    employer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="nieuwe werkgever",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="werkt bij",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "organisations.Site",
        verbose_name="locatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField("team", max_length=150, blank=True)
    leader_number = models.CharField("leidinggevende", max_length=20, blank=True)
    hirer_kvk = models.CharField("inlener KvK", max_length=8, blank=True)
    contract_kind = models.CharField("soort dienstverband", max_length=10)
    indication = models.CharField("indicatie", max_length=10, blank=True)
    work_form = models.CharField("werkvorm", max_length=30)
    scale = models.CharField("schaal", max_length=10, blank=True)
    step = models.PositiveSmallIntegerField("trede", null=True, blank=True)
    hours_per_week = models.DecimalField("uren per week", max_digits=5, decimal_places=2)
    gross_monthly_wage = models.DecimalField("bruto maandloon", max_digits=9, decimal_places=2)
    rules = models.JSONField("toegepaste regels", default=list)
    # Decided on a "dubbele medewerker" flag: this row is the same person and employment as
    # another row of the export; execution continues only that one.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="dubbel record van",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # Set on execution: the employment this plan line started.
    new_employment = models.OneToOneField(
        "people.Employment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = LegacyQuerySet.as_manager()

    class Meta:
        verbose_name = "regel van het transitieplan"
        verbose_name_plural = "regels van het transitieplan"
        ordering = ["legacy__personnel_number"]
        constraints = [
            # Every person exactly one destination per plan.
            models.UniqueConstraint(fields=["plan", "legacy"], name="planentry_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.legacy} in {self.plan}"


class PlanFlag(models.Model):
    """A case the rules cannot decide alone; a transitiemanager resolves it with a reason."""

    class Code(models.TextChoices):
        STAFF_PROPOSAL = "staff_proposal", "Staf: werkgever bevestigen"
        RESIDENCE_OUTSIDE_REGION = "residence_outside_region", "Woont buiten de regio"
        MISSING_EMPLOYER = "missing_employer", "Geen werkgever"
        MISSING_WORK_MUNICIPALITY = "missing_work_municipality", "Groen zonder werkgemeente"
        GREEN_RESIDENCE_DIFFERS = (
            "green_residence_differs",
            "Groen: woongemeente en werkgemeente verschillen",
        )
        SITE_DIFFERS_FROM_RULE = (
            "site_differs_from_rule",
            "Locatie wijkt af van de woongemeente (regel 3 tegen regel 4)",
        )
        MISSING_SITE = "missing_site", "Geen organisatie af te leiden"
        UNKNOWN_SITE = "unknown_site", "Onbekende locatie"
        HIRER_IS_OLD_COMPANY = "hirer_is_old_company", "Inlener is het oude SW-bedrijf"
        TEAM_SPLIT = "team_split", "Team wordt verdeeld"
        DUPLICATE_EMPLOYEE = "duplicate_employee", "Dubbele medewerker"

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField("soort", max_length=40, choices=Code.choices)
    reason = models.CharField("reden", max_length=300)
    resolved = models.BooleanField("afgehandeld", default=False)
    decision = models.TextField("besluit", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)

    objects = LegacyQuerySet.as_manager()

    class Meta:
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        ordering = ["entry__legacy__personnel_number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved=False) | ~models.Q(decision=""),
                name="planflag_resolution_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.reason}"

    @classmethod
    def label(cls, code: str) -> str:
        """The Dutch name of a flag kind (for aggregates that carry only the code)."""
        return str(dict(cls.Code.choices).get(code, code))


class Transfer(models.Model):
    """What moved on execution besides employments: a running secondment, trajectory or
    customer contract, from the old company to its new employer or provider."""

    class Kind(models.TextChoices):
        SECONDMENT = "secondment", "Detachering"
        TRAJECTORY = "trajectory", "Traject"
        CONTRACT = "contract", "Klantcontract"

    plan = models.ForeignKey(TransitionPlan, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    reference = models.CharField("nummer", max_length=20)
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="naar",
        on_delete=models.PROTECT,
        related_name="+",
    )
    details = models.JSONField("gegevens", default=dict)
    # Rule 8: customer contracts continue, but whether they fit municipal tasks is reviewed.
    needs_review = models.BooleanField("te beoordelen", default=False)

    class Meta:
        verbose_name = "overdracht"
        verbose_name_plural = "overdrachten"
        ordering = ["kind", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "reference"], name="transfer_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} → {self.to_organisation}"
