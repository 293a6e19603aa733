"""Employer services: one shared employer record, vacancies, candidate profiles and matches.

Employer data is business data that every role of the employer approach sees; candidate
profiles are personal data, seen by whoever guides the person and (pseudonymised until the
person and their professional consented to sharing) by the werkgeversadviseur.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core.access import Action, Role, has_permission, role_of
from werkregie.employer_services.vocabulary import DEMANDS, OCCUPATIONS, SECTORS, sector_of
from werkregie.organisations.models import Municipality, Organisation
from werkregie.people.models import normalise_name

_LEGAL_FORMS = re.compile(
    r"\b(b\.?\s?v\.?|n\.?\s?v\.?|v\.?o\.?f\.?|c\.?v\.?|holding|stichting|vof|bv|nv)\b"
)


def normalise_employer_name(name: str) -> str:
    """For duplicate detection: lower case, without legal form and punctuation
    ("Twentse Metaal 1 B.V." → "twentse metaal 1")."""
    folded = _LEGAL_FORMS.sub(" ", normalise_name(name))
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", folded).split())


def normalise_postcode(value: str) -> str:
    """ "7601 ab" → "7601AB"."""
    return re.sub(r"\s+", "", value).upper()


POSTCODE = RegexValidator(r"^[1-9]\d{3}[A-Z]{2}$", "Een postcode heeft de vorm 1234AB.")
KVK = RegexValidator(r"^\d{8}$", "Een KvK-nummer bestaat uit 8 cijfers.")


class EmployerQuerySet(models.QuerySet["Employer"]):
    def visible_to(self, user: User) -> "EmployerQuerySet":
        """Employer records are shared by the whole employer approach (NUO and werkpleinen):
        every role with employer access sees all of them."""
        if not has_permission(user, Action.EMPLOYER_VIEW):
            return self.none()
        return self.all()

    def current(self) -> "EmployerQuerySet":
        """Without the records merged into another."""
        return self.filter(merged_into__isnull=True)


class Employer(models.Model):
    """One employer (KvK registration), shared by the NUO and every werkplein."""

    kvk_number = models.CharField("KvK-nummer", max_length=8, validators=[KVK])
    establishment_number = models.CharField(
        "vestigingsnummer",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", "Een vestigingsnummer bestaat uit 12 cijfers.")],
    )
    name = models.CharField("naam", max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    sbi_code = models.CharField(
        "SBI-code",
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{2,5}$", "Een SBI-code bestaat uit 2 tot 5 cijfers.")],
    )
    sector = models.CharField("sector", max_length=1, choices=SECTORS.choices, blank=True)
    street = models.CharField("straat", max_length=120, blank=True)
    house_number = models.CharField("huisnummer", max_length=12, blank=True)
    # Blank only for hirers taken over from the old company without an address.
    postcode = models.CharField("postcode", max_length=6, blank=True, validators=[POSTCODE])
    city = models.CharField("plaats", max_length=80, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff_count = models.PositiveIntegerField("aantal medewerkers", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="samengevoegd met",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    merged_on = models.DateField("samengevoegd op", null=True, blank=True)
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now, editable=False)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = "werkgever"
        verbose_name_plural = "werkgevers"
        ordering = ["search_name", "id"]
        constraints = [
            # One record per KvK number; a merged record keeps its number as history.
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=Q(merged_into__isnull=True),
                name="employer_one_per_kvk",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(merged_on__isnull=False),
                name="employer_merge_dated",
            ),
        ]
        indexes = [models.Index(fields=["postcode"], name="employer_postcode_idx")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Derived fields; services call full_clean() before every save.
        self.postcode = normalise_postcode(self.postcode)
        self.search_name = normalise_employer_name(self.name)
        self.sector = sector_of(self.sbi_code)

    @property
    def address(self) -> str:
        street = f"{self.street} {self.house_number}".strip()
        return ", ".join(p for p in (street, f"{self.postcode} {self.city}".strip()) if p)


class AccountHolder(models.Model):
    """Who holds the relation with an employer for the whole employer approach: one at a
    time, from the NUO or a werkplein; earlier holders stay as history."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="accounts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accounthouder",
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField("sinds")
    ended_on = models.DateField("tot en met", null=True, blank=True)

    class Meta:
        verbose_name = "accounthouder"
        verbose_name_plural = "accounthouders"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(ended_on__isnull=True),
                name="employer_one_account_holder",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="account_holder_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.organisation})"


class EmployerContact(models.Model):
    """A contact person at the employer (business contact details)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("naam", max_length=120)
    function = models.CharField("functie", max_length=120, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefoon", max_length=20, blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"
        ordering = ["-active", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ContactMoment(models.Model):
    """One contact with an employer, in the log every organisation of the approach shares,
    so nobody approaches an employer twice without knowing."""

    class Channel(models.TextChoices):
        VISIT = "visit", "Bedrijfsbezoek"
        PHONE = "phone", "Telefoon"
        EMAIL = "email", "E-mail"
        EVENT = "event", "Bijeenkomst"
        OTHER = "other", "Anders"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="moments")
    occurred_on = models.DateField("datum")
    channel = models.CharField("soort contact", max_length=10, choices=Channel.choices)
    subject = models.CharField("onderwerp", max_length=200)
    notes = models.TextField("verslag", blank=True)
    follow_up_on = models.DateField("vervolg op", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "contactmoment"
        verbose_name_plural = "contactmomenten"
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d-%m-%Y} {self.subject}"


class Agreement(models.Model):
    """What was agreed with an employer, by which organisation of the approach."""

    class Kind(models.TextChoices):
        SECONDMENT = "secondment", "Raamafspraak detachering"
        JOB_AGREEMENT = "job_agreement", "Banenafspraak (garantiebanen)"
        SOCIAL_RETURN = "social_return", "Social return"
        WORK_TRIAL = "work_trial", "Proefplaatsing"
        WAGE_SUBSIDY = "wage_subsidy", "Loonkostensubsidie"
        TRAINING = "training", "Leerwerkplekken"
        OTHER = "other", "Anders"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    description = models.TextField("afspraak")
    party = models.ForeignKey(
        Organisation, verbose_name="afgesproken door", on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot en met", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} met {self.employer}"


def _mask_field(label: str, help_text: str = "") -> "models.BigIntegerField[int, int]":
    return models.BigIntegerField(
        label, default=0, validators=[MinValueValidator(0)], help_text=help_text
    )


_HOURS = [MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(40))]


class VacancyQuerySet(models.QuerySet["Vacancy"]):
    def visible_to(self, user: User) -> "VacancyQuerySet":
        """Vacancies are open to the whole employer approach, like the employers."""
        if not has_permission(user, Action.EMPLOYER_VIEW):
            return self.none()
        return self.all()


class Vacancy(models.Model):
    """A job at an employer, open to every suitable candidate of the six municipalities."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FILLED = "filled", "Vervuld"
        WITHDRAWN = "withdrawn", "Ingetrokken"

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField("functie", max_length=150)
    occupation = models.CharField("beroepsveld", max_length=20, choices=OCCUPATIONS.choices)
    hours_per_week = models.DecimalField(
        "uren per week", max_digits=4, decimal_places=1, validators=_HOURS
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="werklocatie (gemeente)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField("adres werklocatie", max_length=200, blank=True)
    required_skills = _mask_field("vereiste vaardigheden")
    demands = _mask_field(
        "belasting", "Wat het werk vraagt; een kandidaat die dit niet kan valt af."
    )
    requirements = models.TextField("overige eisen", blank=True)
    start_date = models.DateField("startdatum")
    positions = models.PositiveSmallIntegerField(
        "aantal plaatsen", default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = "vacature"
        verbose_name_plural = "vacatures"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1) & Q(hours_per_week__lte=40),
                name="vacancy_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(required_skills__gte=0) & Q(demands__gte=0),
                name="vacancy_masks_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="vacancy_open_idx")]

    def __str__(self) -> str:
        return f"{self.title} bij {self.employer}"


class CandidateProfileQuerySet(models.QuerySet["CandidateProfile"]):
    def visible_to(self, user: User) -> "CandidateProfileQuerySet":
        """Who guides the person sees the profile: the klantregisseur of the municipality
        that holds a client's regie, a jobcoach of the organisation that keeps the profile
        or coaches the person. The werkgeversadviseur sees every active profile for
        matching; the screens show it pseudonymised until both consents are there."""
        from werkregie.client_direction.models import Client
        from werkregie.people.models import Person

        if not has_permission(user, Action.CANDIDATE_VIEW):
            return self.none()
        role = role_of(user)
        org: Organisation | None = user.organisation
        if role == Role.EMPLOYER_ADVISER:
            return self.all()
        if org is None:
            return self.none()
        if role == Role.CLIENT_DIRECTOR:
            clients = Client.objects.visible_to(user).values("person_id")
            return self.filter(Q(owner=org) | Q(person_id__in=clients))
        if role == Role.JOB_COACH:
            coached = Person.objects.visible_to(user).values("pk")
            return self.filter(Q(owner=org) | Q(person_id__in=coached))
        return self.none()

    def guided_by(self, user: User) -> "CandidateProfileQuerySet":
        """The profiles `user` may change: those they see as the person's guide."""
        if not has_permission(user, Action.CANDIDATE_CHANGE):
            return self.none()
        return self.visible_to(user)

    def shareable(self) -> "CandidateProfileQuerySet":
        """Both the candidate and their professional consented, and neither withdrew."""
        return self.filter(
            candidate_consent_on__isnull=False,
            professional_consent_on__isnull=False,
            consent_withdrawn_on__isnull=True,
        )


class CandidateProfile(models.Model):
    """What a Wsw employee or client offers an employer, and what they cannot do."""

    class Kind(models.TextChoices):
        WSW = "wsw", "Wsw-medewerker"
        SHELTERED_WORK = "sheltered_work", "Nieuw beschut werk"
        CLIENT = "client", "Cliënt (Participatiewet / UWV)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Beschikbaar"
        PAUSED = "paused", "Gepauzeerd"
        PLACED = "placed", "Geplaatst"

    person = models.OneToOneField(
        "people.Person", verbose_name="persoon", on_delete=models.PROTECT, related_name="profile"
    )
    kind = models.CharField("soort kandidaat", max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        Organisation,
        verbose_name="begeleidende organisatie",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default="active")
    # [{"occupation": code, "description": text, "years": n}], newest first.
    experience = models.JSONField("werkervaring", default=list, blank=True)
    experience_mask = _mask_field("beroepsvelden met ervaring")
    skills = _mask_field("vaardigheden")
    wished_occupations = _mask_field("gewenste beroepsvelden")
    wished_sectors = _mask_field("gewenste sectoren")
    hours_min = models.DecimalField(
        "uren per week, minimaal", max_digits=4, decimal_places=1, validators=_HOURS
    )
    hours_max = models.DecimalField(
        "uren per week, maximaal", max_digits=4, decimal_places=1, validators=_HOURS
    )
    max_travel_km = models.PositiveSmallIntegerField(
        "reisafstand, maximaal (km)", default=15, validators=[MaxValueValidator(200)]
    )
    available_from = models.DateField("beschikbaar vanaf")
    # Special-category data (health): the demands this person cannot meet, and a medical
    # limit on hours. Matching never proposes a job that conflicts with either.
    restrictions = _mask_field("beperkingen (belasting die niet kan)")
    restricted_hours = models.DecimalField(
        "urenbeperking (max. per week)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=_HOURS,
    )
    candidate_consent_on = models.DateField(
        "kandidaat stemt in met delen met werkgevers op", null=True, blank=True
    )
    professional_consent_on = models.DateField(
        "klantregisseur/jobcoach stemt in op", null=True, blank=True
    )
    professional_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingestemd door",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_withdrawn_on = models.DateField("toestemming ingetrokken op", null=True, blank=True)
    updated_at = models.DateTimeField("bijgewerkt op", default=timezone.now)

    objects = CandidateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "kandidaatprofiel"
        verbose_name_plural = "kandidaatprofielen"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_max__gte=models.F("hours_min")), name="profile_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(restrictions__gte=0)
                & Q(skills__gte=0)
                & Q(experience_mask__gte=0)
                & Q(wished_occupations__gte=0)
                & Q(wished_sectors__gte=0),
                name="profile_masks_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "restrictions"], name="profile_active_idx")]

    def __str__(self) -> str:
        return f"Kandidaat {self.reference}"

    @property
    def reference(self) -> str:
        """How the profile is named where the person is not: K-000123."""
        return f"K-{self.pk:06d}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id

    @property
    def shareable(self) -> bool:
        return (
            self.candidate_consent_on is not None
            and self.professional_consent_on is not None
            and self.consent_withdrawn_on is None
        )

    def restriction_labels(self) -> list[str]:
        return DEMANDS.labels(self.restrictions)

    def shows_identity_to(self, user: User) -> bool:
        """The guide always sees who this is; the werkgeversadviseur only once the profile
        may be shared with employers."""
        return role_of(user) != Role.EMPLOYER_ADVISER or self.shareable

    def shows_restrictions_to(self, user: User) -> bool:
        """Restrictions are health data: for the person's guide only (who sees the profile
        through `visible_to` as klantregisseur or jobcoach)."""
        return role_of(user) in (Role.CLIENT_DIRECTOR, Role.JOB_COACH)


class Match(models.Model):
    """A candidate put forward for a vacancy, and how it went: to learn from."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Voorgesteld aan werkgever"
        INTERVIEW = "interview", "Kennismakingsgesprek"
        PLACED = "placed", "Geplaatst"
        REJECTED = "rejected", "Afgewezen"

    class Reason(models.TextChoices):
        SKILLS = "skills", "Vaardigheden of ervaring passen niet"
        HOURS = "hours", "Uren passen niet"
        DISTANCE = "distance", "Reisafstand te groot"
        CANDIDATE_DECLINED = "candidate_declined", "Kandidaat ziet ervan af"
        EMPLOYER_DECLINED = "employer_declined", "Werkgever kiest een ander"
        VACANCY_CLOSED = "vacancy_closed", "Vacature vervallen"
        OTHER = "other", "Anders"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="matches")
    profile = models.ForeignKey(CandidateProfile, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField("uitkomst", max_length=10, choices=Status.choices)
    reason = models.CharField("reden", max_length=20, choices=Reason.choices, blank=True)
    note = models.TextField("toelichting", blank=True)
    # The score and its explanation when the candidate was put forward.
    score = models.PositiveSmallIntegerField("score", validators=[MaxValueValidator(100)])
    criteria = models.JSONField("criteria", default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField("datum")

    class Meta:
        verbose_name = "match"
        verbose_name_plural = "matches"
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "profile"], name="match_once"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="match_rejection_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} voor {self.vacancy}"

    @property
    def audit_person_id(self) -> int:
        return self.profile.person_id
