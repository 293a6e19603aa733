import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.core.bsn import validate_bsn
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.organisations.models import Municipality, Organisation, Site, SiteOccupancy, Team

# Letters that carry no combining mark to strip, so NFKD alone leaves them as they are.
_FOLD = str.maketrans({"ı": "i", "ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d"})


def normalise_name(value: str) -> str:
    """Lower case without accents, so "Çelik" is found by "celik" and "Aydın" by "aydin"."""
    decomposed = unicodedata.normalize("NFKD", value.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def transition_role_reads_persons() -> bool:
    """The transition role sees every person until the configured number of days after the
    plan was executed (the execution as the audit log records it: people does not reach up
    into the transition app), then no one (issue 20, finding 6)."""
    executed = (
        AuditEvent.objects.filter(action=AuditAction.TRANSITION_EXECUTED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if executed is None:
        return True
    days = settings.WERKREGIE_TRANSITION_PERSONAL_DATA_DAYS
    return timezone.now() <= executed + timedelta(days=days)


def _current(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": today}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today})
    )


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> "PersonQuerySet":
        """The persons whose data `user` may see (DOMAIN.md, roles): scope per role."""
        if not has_permission(user, Action.PERSON_VIEW):
            return self.none()
        role = role_of(user)
        org: Organisation | None = user.organisation
        if role == Role.TRANSITION_MANAGER:
            return self.all() if transition_role_reads_persons() else self.none()
        if org is None:
            return self.none()
        if role == Role.CLIENT_DIRECTOR:
            # Residence decides: a klantregisseur sees the residents of their municipality.
            if org.municipality_id is None:
                return self.none()
            return self.filter(residence_municipality_id=org.municipality_id)
        if role == Role.JOB_COACH:
            # In a team of the coach's organisation, or at a site it uses today.
            sites_in_use = SiteOccupancy.objects.active_on(timezone.localdate()).filter(
                organisation=org
            )
            coached = Employment.objects.filter(_current(), person=OuterRef("pk")).filter(
                Q(team__organisation=org) | Q(site__in=sites_in_use.values("site"))
            )
            return self.filter(Exists(coached))
        if role == Role.HR_PAYROLL:
            employers = [org.pk, *org.hr_for.values_list("pk", flat=True)]
            employed = Employment.objects.filter(person=OuterRef("pk"), employer_id__in=employers)
            return self.filter(Exists(employed))
        return self.none()


class Person(models.Model):
    """A person known to the region, keyed on an internal id; the BSN is a changeable attribute."""

    class Sex(models.TextChoices):
        MALE = "M", "Man"
        FEMALE = "V", "Vrouw"
        OTHER = "X", "Onbekend / X"

    # NULL, not "", means unknown: the partial unique constraints below skip NULLs.
    bsn = models.CharField(  # noqa: DJ001
        "BSN", max_length=9, null=True, blank=True, validators=[validate_bsn]
    )
    personnel_number = models.CharField(  # noqa: DJ001
        "personeelsnummer",
        max_length=20,
        null=True,
        blank=True,
        help_text="Nummer bij het voormalige SW-bedrijf.",
    )
    surname = models.CharField("achternaam", max_length=100)
    surname_prefix = models.CharField("tussenvoegsel", max_length=20, blank=True)
    initials = models.CharField("voorletters", max_length=20, blank=True)
    given_name = models.CharField("roepnaam", max_length=60, blank=True)
    birth_date = models.DateField("geboortedatum")
    sex = models.CharField("geslacht", max_length=1, choices=Sex.choices)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    house_number = models.CharField("huisnummer", max_length=10, blank=True)
    residence_municipality = models.ForeignKey(
        Municipality,
        verbose_name="woongemeente",
        on_delete=models.PROTECT,
        related_name="residents",
    )
    search_name = models.CharField(max_length=100, editable=False)
    created_at = models.DateTimeField("geregistreerd op", default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["search_name", "initials", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bsn"], condition=Q(bsn__isnull=False), name="person_bsn_unique"
            ),
            models.UniqueConstraint(
                fields=["personnel_number"],
                condition=Q(personnel_number__isnull=False),
                name="person_personnel_number_unique",
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "V", "X"]), name="person_sex_known"),
        ]
        indexes = [
            # Serves both ordered browsing and prefix search (LIKE 'jan%') of one
            # municipality's residents; on PostgreSQL search_name uses the "C" collation
            # (migration 0002) so that one btree can do both.
            models.Index(
                fields=["residence_municipality", "search_name", "initials", "id"],
                name="person_residence_name_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        # Derived from the surname; services call full_clean() before every save.
        self.search_name = normalise_name(self.surname)

    @property
    def full_name(self) -> str:
        return self.format_name(self.surname, self.surname_prefix, self.initials, self.given_name)

    # The columns `format_name` needs, for lists read as values rather than instances.
    NAME_FIELDS = ("surname", "surname_prefix", "initials", "given_name")

    @staticmethod
    def format_name(surname: str, prefix: str, initials: str, given_name: str) -> str:
        """ "Veen, J. (Jan)" / "de Vries, A.": as the registry shows a person."""
        name = f"{prefix} {surname}".strip()
        given = f" ({given_name})" if given_name else ""
        return f"{name}, {initials}{given}".strip(", ")

    @property
    def audit_person_id(self) -> int:
        return self.pk

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def active_on(self, day: date) -> "EmploymentQuerySet":
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def visible_to(self, user: User) -> "EmploymentQuerySet":
        return self.filter(person__in=Person.objects.visible_to(user).values("pk"))


class Employment(models.Model):
    """One version of a person's employment; a change ends it and starts the next version."""

    class Kind(models.TextChoices):
        WSW = "wsw", "Wsw"
        SHELTERED_WORK = "sheltered_work", "Nieuw beschut werk"
        STAFF = "staff", "Staf"

    class Indication(models.TextChoices):
        MODERATE = "moderate", "Matig"
        SEVERE = "severe", "Ernstig"

    class WorkForm(models.TextChoices):
        SHELTERED_INSIDE = "sheltered_inside", "Beschut binnen"
        GROUP_SECONDMENT = "group_secondment", "Groepsdetachering"
        INDIVIDUAL_SECONDMENT = "individual_secondment", "Individuele detachering"
        SUPPORTED_EMPLOYMENT = "supported_employment", "Begeleid werken"
        GREEN = "green", "Groen"
        STAFF = "staff", "Staf"

    person = models.ForeignKey(
        Person, verbose_name="persoon", on_delete=models.PROTECT, related_name="employments"
    )
    kind = models.CharField("soort dienstverband", max_length=20, choices=Kind.choices)
    employer = models.ForeignKey(
        Organisation, verbose_name="werkgever", on_delete=models.PROTECT, related_name="employments"
    )
    indication = models.CharField(
        "indicatie", max_length=10, choices=Indication.choices, blank=True
    )
    work_form = models.CharField("werkvorm", max_length=30, choices=WorkForm.choices)
    collective_agreement = models.CharField("cao", max_length=60, blank=True)
    scale = models.CharField("schaal", max_length=10, blank=True)
    step = models.PositiveSmallIntegerField("trede", null=True, blank=True)
    hours_per_week = models.DecimalField("uren per week", max_digits=5, decimal_places=2)
    gross_monthly_wage = models.DecimalField("bruto maandloon", max_digits=9, decimal_places=2)
    job_title = models.CharField("functie", max_length=100, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name="team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
    )
    site = models.ForeignKey(
        Site,
        verbose_name="locatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employments",
    )
    work_municipality = models.ForeignKey(
        Municipality,
        verbose_name="werkgemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        verbose_name = "dienstverband"
        verbose_name_plural = "dienstverbanden"
        ordering = ["person_id", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="employment_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=60),
                name="employment_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(gross_monthly_wage__gte=0), name="employment_wage_not_negative"
            ),
            # Only a Wsw employment carries an indication, and it always does (Wsw art. 2).
            models.CheckConstraint(
                condition=(Q(kind="wsw") & Q(indication__in=["moderate", "severe"]))
                | (~Q(kind="wsw") & Q(indication="")),
                name="employment_indication_only_wsw",
            ),
            models.UniqueConstraint(
                fields=["person", "valid_from", "kind"], name="employment_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} bij {self.employer} vanaf {self.valid_from:%d-%m-%Y}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id
