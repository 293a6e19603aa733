"""HR for the six employers: wage tables, employment changes (mutaties), indexation runs,
payroll exports, employer charges, Wsw-statistiek deliveries and the rijksbijdrage."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import Employment, Person


def hr_employers(user: User) -> models.QuerySet[Organisation]:
    """The employers whose HR `user` may see: HR of the NUO all six (and its own), a
    controller the employers of their municipality (for aggregates only)."""
    org: Organisation | None = getattr(user, "organisation", None)
    role = role_of(user)
    if org is None or role is None:
        return Organisation.objects.none()
    if role == Role.HR_PAYROLL:
        return Organisation.objects.filter(Q(pk=org.pk) | Q(hr_by=org)).distinct()
    if role == Role.CONTROLLER and org.municipality_id is not None:
        return Organisation.objects.filter(
            municipality_id=org.municipality_id, employments__isnull=False
        ).distinct()
    if role == Role.BOARD:
        return Organisation.objects.filter(employments__isnull=False).distinct()
    return Organisation.objects.none()


def report_municipalities(user: User) -> models.QuerySet[Municipality]:
    """Municipalities whose aggregates (statistiek, rijksbijdrage) `user` may see."""
    org: Organisation | None = getattr(user, "organisation", None)
    role = role_of(user)
    if org is None:
        return Municipality.objects.none()
    if role in (Role.HR_PAYROLL, Role.BOARD):
        return Municipality.objects.filter(in_region=True)
    if role == Role.CONTROLLER and org.municipality_id is not None:
        return Municipality.objects.filter(pk=org.municipality_id)
    return Municipality.objects.none()


class MinimumWage(models.Model):
    """The statutory minimum wage (WML, 21+) per hour from a date."""

    valid_from = models.DateField("geldig vanaf", unique=True)
    hourly = models.DecimalField("uurloon", max_digits=7, decimal_places=2)
    note = models.CharField("toelichting", max_length=100, blank=True)

    class Meta:
        verbose_name = "wettelijk minimumloon"
        verbose_name_plural = "wettelijk minimumloon"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"WML vanaf {self.valid_from:%d-%m-%Y}: € {self.hourly}"


class WageScale(models.Model):
    """One cell of a CAO table version: the hourly wage of a scale and step from a date."""

    collective_agreement = models.CharField("cao", max_length=60)
    valid_from = models.DateField("geldig vanaf")
    scale = models.CharField("schaal", max_length=10)
    step = models.PositiveSmallIntegerField("trede")
    hourly = models.DecimalField("uurloon", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "loonschaal"
        verbose_name_plural = "loonschalen"
        ordering = ["-valid_from", "scale", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective_agreement", "valid_from", "scale", "step"],
                name="wagescale_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.collective_agreement} {self.scale}/{self.step} vanaf {self.valid_from}"


class EmployerCharge(models.Model):
    """A component of the employer charges as a percentage of the gross wage, from a date;
    without employer it is the default of every employer."""

    employer = models.ForeignKey(
        Organisation,
        verbose_name="werkgever",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    component = models.CharField("onderdeel", max_length=60)
    percentage = models.DecimalField("percentage", max_digits=5, decimal_places=2)
    valid_from = models.DateField("geldig vanaf")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "werkgeverslast"
        verbose_name_plural = "werkgeverslasten"
        ordering = ["component", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "component", "valid_from"],
                name="employercharge_version_unique",
            ),
            models.UniqueConstraint(
                fields=["component", "valid_from"],
                condition=Q(employer__isnull=True),
                name="employercharge_default_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100),
                name="employercharge_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.percentage}% vanaf {self.valid_from}"


class StateContribution(models.Model):
    """Rijksbijdrage Wsw per standaardeenheid in a year."""

    year = models.PositiveSmallIntegerField("jaar", unique=True)
    amount_per_se = models.DecimalField("bedrag per SE", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "rijksbijdrage per SE"
        verbose_name_plural = "rijksbijdrage per SE"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: € {self.amount_per_se} per SE"


VALUE_LABELS = {
    "hours_per_week": "uren per week",
    "gross_monthly_wage": "bruto maandloon",
    "scale": "schaal",
    "step": "trede",
    "team": "team",
    "site": "locatie",
    "work_form": "werkvorm",
    "valid_to": "in dienst tot en met",
    "start": "vanaf",
    "end": "tot en met",
    "leave_type": "soort verlof",
}


class EmploymentChangeQuerySet(models.QuerySet["EmploymentChange"]):
    def visible_to(self, user: User) -> "EmploymentChangeQuerySet":
        if not has_permission(user, Action.EMPLOYMENT_CHANGE) or role_of(user) != Role.HR_PAYROLL:
            return self.none()
        return self.filter(employer__in=hr_employers(user))


class EmploymentChange(models.Model):
    """A mutatie: what changed for an employee, from when, recorded by whom; kept forever.
    The employment versions hold the state; this is the trail the payroll file reports."""

    class Kind(models.TextChoices):
        HOURS = "hours", "Uren"
        SCALE_STEP = "scale_step", "Schaal en trede"
        PERIODIC_INCREASE = "periodic_increase", "Periodieke verhoging"
        TEAM = "team", "Team"
        SITE = "site", "Locatie"
        SECONDMENT_START = "secondment_start", "Start detachering"
        SECONDMENT_END = "secondment_end", "Einde detachering"
        SICKNESS_START = "sickness_start", "Ziekmelding"
        RECOVERY = "recovery", "Herstelmelding"
        LEAVE_START = "leave_start", "Begin verlof"
        LEAVE_END = "leave_end", "Einde verlof"
        END = "end", "Uit dienst"
        INDEXATION = "indexation", "Indexatie loon"

    class EndReason(models.TextChoices):
        RETIREMENT = "retirement", "AOW-leeftijd bereikt"
        DEATH = "death", "Overlijden"
        OTHER = "other", "Andere reden"

    person = models.ForeignKey(
        Person, verbose_name="medewerker", on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Organisation, verbose_name="werkgever", on_delete=models.PROTECT, related_name="+"
    )
    employment = models.ForeignKey(
        Employment,
        verbose_name="dienstverband",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="De versie die na de wijziging geldt (of die eindigt).",
    )
    kind = models.CharField("soort mutatie", max_length=20, choices=Kind.choices)
    effective_date = models.DateField("ingangsdatum")
    values = models.JSONField("oud en nieuw", default=dict)
    end_reason = models.CharField(
        "reden uit dienst", max_length=12, choices=EndReason.choices, blank=True
    )
    recorded_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_in = models.ForeignKey(
        "PayrollExport",
        verbose_name="gemeld in salarisbestand",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )

    objects = EmploymentChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "mutatie"
        verbose_name_plural = "mutaties"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["employer", "exported_in"], name="change_unexported_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} per {self.effective_date:%d-%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id

    def describe(self) -> str:
        """ "uren: 32,00 → 28,00": the changed values, in Dutch, for lists and files."""
        parts = [
            f"{VALUE_LABELS.get(name, name)}: {pair.get('old') or '-'} → {pair.get('new') or '-'}"
            for name, pair in self.values.items()
        ]
        if self.end_reason:
            parts.append(self.get_end_reason_display())
        return "; ".join(parts)


class Absence(models.Model):
    """Sickness or leave of an employee: from the report to the recovery or return."""

    class Kind(models.TextChoices):
        SICKNESS = "sickness", "Ziekte"
        LEAVE = "leave", "Verlof"

    person = models.ForeignKey(
        Person, verbose_name="medewerker", on_delete=models.PROTECT, related_name="absences"
    )
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    leave_type = models.CharField("soort verlof", max_length=60, blank=True)
    start_date = models.DateField("vanaf")
    end_date = models.DateField("tot en met", null=True, blank=True)

    class Meta:
        verbose_name = "verzuim of verlof"
        verbose_name_plural = "verzuim en verlof"
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="absence_period",
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(end_date__isnull=True),
                name="absence_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vanaf {self.start_date:%d-%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class IndexationRunQuerySet(models.QuerySet["IndexationRun"]):
    def visible_to(self, user: User) -> "IndexationRunQuerySet":
        if not has_permission(user, Action.INDEXATION_PREPARE):
            return self.none()
        return self.all()


class IndexationRun(models.Model):
    """New wages of every employee from a date: proposed, then approved by a second person
    and applied as new employment versions."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Voorstel"
        APPLIED = "applied", "Goedgekeurd en doorgevoerd"
        WITHDRAWN = "withdrawn", "Ingetrokken"

    effective_date = models.DateField("ingangsdatum")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField("voorgesteld op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = IndexationRunQuerySet.as_manager()

    class Meta:
        verbose_name = "indexatierun"
        verbose_name_plural = "indexatieruns"
        ordering = ["-effective_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_date"],
                condition=Q(status="proposed"),
                name="indexation_one_proposal_per_date",
            )
        ]

    def __str__(self) -> str:
        return f"Indexatie per {self.effective_date:%d-%m-%Y}"

    def totals_per_employer(self) -> list[dict[str, Any]]:
        """Per employer: employees, the monthly wage bill now and as proposed."""
        return list(
            self.lines.values("employer__name")
            .annotate(
                employees=models.Count("id"),
                old=models.Sum("old_wage"),
                new=models.Sum("new_wage"),
            )
            .order_by("employer__name")
        )


class IndexationLine(models.Model):
    run = models.ForeignKey(IndexationRun, on_delete=models.CASCADE, related_name="lines")
    employment = models.ForeignKey(Employment, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    old_wage = models.DecimalField("huidig loon", max_digits=9, decimal_places=2)
    new_wage = models.DecimalField("nieuw loon", max_digits=9, decimal_places=2)
    reason = models.CharField("toelichting", max_length=120)

    class Meta:
        ordering = ["run", "employer", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_wage__gte=models.F("old_wage")), name="indexation_never_lower"
            ),
            models.UniqueConstraint(fields=["run", "employment"], name="indexation_line_once"),
        ]

    def __str__(self) -> str:
        return f"Indexatie {self.person_id}: {self.old_wage} → {self.new_wage}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id

    @property
    def difference(self) -> Any:
        return self.new_wage - self.old_wage


class PayrollExportQuerySet(models.QuerySet["PayrollExport"]):
    def visible_to(self, user: User) -> "PayrollExportQuerySet":
        if not has_permission(user, Action.PAYROLL_EXPORT):
            return self.none()
        return self.filter(employer__in=hr_employers(user))


class PayrollExport(models.Model):
    """The monthly file for one employer's payroll system, made final once: its lines are
    what was reported, so a later change in an earlier month becomes a correction line."""

    employer = models.ForeignKey(
        Organisation, verbose_name="werkgever", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("maand")
    created_at = models.DateTimeField("gemaakt op", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PayrollExportQuerySet.as_manager()

    class Meta:
        verbose_name = "salarisbestand"
        verbose_name_plural = "salarisbestanden"
        ordering = ["-month", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "month"], name="payroll_export_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_export_first_day"),
        ]

    def __str__(self) -> str:
        return f"Salarisbestand {self.employer} {self.month:%m-%Y}"


class PayrollLine(models.Model):
    class Kind(models.TextChoices):
        WAGE = "wage", "Loon"
        CORRECTION = "correction", "Correctie"

    export = models.ForeignKey(PayrollExport, on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    period = models.DateField("loonperiode")
    kind = models.CharField("soort regel", max_length=10, choices=Kind.choices)
    gross_wage = models.DecimalField("bruto loon", max_digits=10, decimal_places=2)
    hours = models.DecimalField("uren", max_digits=8, decimal_places=2)
    work_years = models.DecimalField("arbeidsjaren", max_digits=8, decimal_places=4)
    # The employment at the end of the period, as the file reported it.
    work_form = models.CharField("werkvorm", max_length=30, blank=True)
    scale = models.CharField("schaal", max_length=10, blank=True)
    step = models.PositiveSmallIntegerField("trede", null=True, blank=True)
    hours_per_week = models.DecimalField(
        "uren per week", max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["export", "person", "period", "id"]
        indexes = [models.Index(fields=["person", "period"], name="payroll_line_period_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period:%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class StatisticsDelivery(models.Model):
    """A delivered Wsw-statistiek file of one municipality and half-year, kept as delivered."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="gemeente", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("jaar")
    half = models.PositiveSmallIntegerField(
        "halfjaar", choices=[(1, "1e halfjaar"), (2, "2e halfjaar")]
    )
    content = models.TextField("bestand")
    sha256 = models.CharField("controlegetal (SHA-256)", max_length=64)
    persons = models.PositiveIntegerField("personen")
    work_years = models.DecimalField("arbeidsjaren", max_digits=10, decimal_places=4)
    delivered_at = models.DateTimeField("aangeleverd op", default=timezone.now)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "aanlevering Wsw-statistiek"
        verbose_name_plural = "aanleveringen Wsw-statistiek"
        ordering = ["-year", "-half", "municipality__name", "-delivered_at"]

    def __str__(self) -> str:
        return f"Wsw-statistiek {self.municipality} {self.year}-{self.half}"
