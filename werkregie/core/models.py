import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    PERSON_VIEWED = "person.viewed", "Persoon ingezien"
    PERSON_SEARCHED = "person.searched", "Personen gezocht"
    PERSON_LISTED = "person.listed", "Persoon in lijst getoond"
    PERSON_CREATED = "person.created", "Persoon geregistreerd"
    PERSON_CHANGED = "person.changed", "Persoonsgegevens gewijzigd"
    PERSON_ERASED = "person.erased", "Persoonsgegevens gewist (bewaartermijn)"
    EMPLOYMENT_VIEWED = "employment.viewed", "Dienstverband ingezien"
    EMPLOYMENT_CREATED = "employment.created", "Dienstverband vastgelegd"
    EMPLOYMENT_CHANGED = "employment.changed", "Dienstverband gewijzigd"
    USER_LOGGED_IN = "user.logged_in", "Ingelogd"
    USER_LOGIN_FAILED = "user.login_failed", "Inloggen mislukt"
    USER_OTP_ENROLLED = "user.otp_enrolled", "Tweede factor gekoppeld"
    USER_OTP_RESET = "user.otp_reset", "Tweede factor gereset"
    USER_ROLE_CHANGE_REQUESTED = "user.role_requested", "Rolwijziging aangevraagd"
    USER_ROLE_CHANGED = "user.role_changed", "Rol of organisatie gewijzigd"
    USER_ROLE_CHANGE_REJECTED = "user.role_rejected", "Rolwijziging afgewezen"
    USER_ACTIVE_CHANGED = "user.active_changed", "Gebruiker geactiveerd of gedeactiveerd"
    API_TOKEN_CREATED = "api_token.created", "API-sleutel gemaakt"
    API_TOKEN_USED = "api_token.used", "API-sleutel gebruikt"
    API_TOKEN_REVOKED = "api_token.revoked", "API-sleutel ingetrokken"
    ACCESS_DENIED = "security.denied", "Toegang geweigerd"
    LOGIN_UNKNOWN_USER = "security.unknown_user", "Inlogpoging met onbekende gebruikersnaam"
    LOGIN_LOCKED_OUT = "security.locked_out", "Inloggen geblokkeerd na herhaalde mislukking"
    API_TOKEN_REFUSED = "security.token_refused", "Ongeldige API-sleutel geweigerd"
    REGION_LOADED = "region.loaded", "Regionaal model geladen"
    CATALOGUE_LOADED = "catalogue.loaded", "Productcatalogus geladen"
    CLIENT_REGISTERED = "client.registered", "Cliënt in regie genomen"
    CLIENT_VIEWED = "client.viewed", "Cliënt ingezien"
    CONSENT_RECORDED = "client.consent_recorded", "Toestemming vastgelegd"
    CONSENT_WITHDRAWN = "client.consent_withdrawn", "Toestemming ingetrokken"
    RESTRICTION_RECORDED = "client.restriction_recorded", "Beperking vastgelegd"
    ORDER_PLACED = "order.placed", "Opdracht geplaatst"
    ORDER_CHANGED = "order.changed", "Opdracht gewijzigd"
    ORDER_VIEWED = "order.viewed", "Opdracht ingezien"
    PROGRESS_REPORTED = "order.progress_reported", "Voortgang gerapporteerd"
    ORDER_TAKEN_OVER = "order.taken_over", "Traject uit oud bestand als opdracht overgenomen"
    CASELOAD_HANDED_OVER = "client.handed_over", "Caseload overgedragen"
    ORDERS_LISTED = "order.listed", "Opdracht in werkvoorraad getoond"
    STATEMENT_VIEWED = "statement.viewed", "Opdracht op maandoverzicht ingezien"
    EMPLOYER_CREATED = "employer.created", "Werkgever vastgelegd"
    EMPLOYER_CHANGED = "employer.changed", "Werkgever gewijzigd"
    EMPLOYER_MERGED = "employer.merged", "Werkgevers samengevoegd"
    ACCOUNT_HOLDER_ASSIGNED = "employer.account_assigned", "Accounthouder toegewezen"
    ACCOUNT_HOLDER_RELEASED = "employer.account_released", "Accounthouder beëindigd"
    EMPLOYER_CONTACT_SAVED = "employer.contact_saved", "Contactpersoon van werkgever vastgelegd"
    CONTACT_MOMENT_RECORDED = "employer.contact_recorded", "Contactmoment vastgelegd"
    AGREEMENT_RECORDED = "employer.agreement_recorded", "Afspraak met werkgever vastgelegd"
    VACANCY_SAVED = "vacancy.saved", "Vacature vastgelegd of gewijzigd"
    PROFILE_SAVED = "candidate.saved", "Kandidaatprofiel vastgelegd of gewijzigd"
    PROFILE_VIEWED = "candidate.viewed", "Kandidaatprofiel ingezien"
    PROFILE_CONSENT = "candidate.consent", "Toestemming delen met werkgevers gewijzigd"
    PROFILE_SHARED = "candidate.shared", "Kandidaatprofiel voor werkgever opgemaakt"
    CANDIDATES_MATCHED = "candidate.matched", "Kandidaat in matchresultaat getoond"
    MATCH_RECORDED = "match.recorded", "Uitkomst van match vastgelegd"
    CONTRACT_SAVED = "secondment.contract_saved", "Detacheringsovereenkomst vastgelegd"
    SECONDMENT_SAVED = "secondment.saved", "Detachering vastgelegd of gewijzigd"
    SECONDMENT_VIEWED = "secondment.viewed", "Detachering ingezien"
    HOURS_REGISTERED = "secondment.hours", "Gewerkte uren vastgelegd"
    INVOICE_DRAFTED = "invoice.drafted", "Conceptfactuur gemaakt"
    INVOICE_DELETED = "invoice.deleted", "Conceptfactuur verwijderd"
    INVOICE_SENT = "invoice.sent", "Factuur verzonden"
    INVOICE_CREDITED = "invoice.credited", "Factuur gecrediteerd"
    INVOICE_VIEWED = "invoice.viewed", "Factuur ingezien"
    DEMO_GENERATED = "demo.generated", "Demodata aangemaakt"
    ROSTER_IMPORTED = "roster.imported", "Personeelsbestand geïmporteerd"
    LEGACY_RECORD_CREATED = "legacy.created", "Record uit oud bestand toegevoegd"
    LEGACY_RECORD_CHANGED = "legacy.changed", "Record uit oud bestand gewijzigd"
    TRANSITION_PLANNED = "transition.planned", "Transitieplan gemaakt"
    PLAN_FLAG_RESOLVED = "transition.flag_resolved", "Signaal in transitieplan afgehandeld"
    PLAN_ENTRY_VIEWED = "transition.entry_viewed", "Persoon in transitieplan ingezien"
    TRANSITION_PROPOSED = "transition.proposed", "Transitieplan voorgelegd"
    TRANSITION_APPROVED = "transition.approved", "Transitieplan goedgekeurd"
    TRANSITION_EXECUTED = "transition.executed", "Transitieplan uitgevoerd"
    TRANSITION_EXECUTION_FAILED = (
        "transition.execution_failed",
        "Uitvoering transitieplan mislukt (niets gewijzigd)",
    )
    TRANSITION_WITHDRAWN = "transition.withdrawn", "Transitieplan teruggezet naar concept"
    EMPLOYMENT_CHANGE_RECORDED = "hr.change_recorded", "Mutatie vastgelegd"
    EMPLOYMENT_CHANGES_VIEWED = "hr.changes_viewed", "Mutatie ingezien"
    INDEXATION_PROPOSED = "hr.indexation_proposed", "Indexatie voorgesteld"
    INDEXATION_WITHDRAWN = "hr.indexation_withdrawn", "Indexatievoorstel ingetrokken"
    INDEXATION_APPROVED = "hr.indexation_approved", "Indexatie goedgekeurd en doorgevoerd"
    INDEXATION_VIEWED = "hr.indexation_viewed", "Loon in indexatievoorstel ingezien"
    PAYROLL_FINALISED = "hr.payroll_finalised", "Salarisbestand definitief gemaakt"
    PAYROLL_VIEWED = "hr.payroll_viewed", "Loon in salarisbestand ingezien"
    EMPLOYER_CHARGE_SAVED = "hr.charge_saved", "Percentage werkgeverslasten vastgelegd"
    STATISTICS_VIEWED = "hr.statistics_viewed", "Persoon in Wsw-statistiek ingezien"
    STATISTICS_DELIVERED = "hr.statistics_delivered", "Wsw-statistiek aangeleverd"
    AGREEMENT_SAVED = "planning.agreement_saved", "Prestatieafspraak vastgelegd"
    SCENARIO_SAVED = "planning.scenario_saved", "Scenario vastgelegd"
    REAL_ESTATE_SAVED = "planning.real_estate_saved", "Vastgoedgegevens vastgelegd"
    ROADMAP_SAVED = "planning.roadmap_saved", "Roadmap-activiteit vastgelegd"
    DECISION_SAVED = "planning.decision_saved", "Besluit vastgelegd"
    DOCUMENT_ATTACHED = "planning.document_attached", "Document bij besluit toegevoegd"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One append-only row per change and per read of personal data."""

    created_at = models.DateTimeField("tijdstip", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        # The log is written in bulk (imports, executions, list reads): no per-row
        # constraint check. PROTECT keeps users with events from being deleted through the
        # ORM (they are deactivated instead), and actor_label keeps the name regardless.
        db_constraint=False,
    )
    actor_label = models.CharField("gebruikersnaam", max_length=150)
    action = models.CharField("handeling", max_length=40, choices=AuditAction.choices)
    object_type = models.CharField("soort object", max_length=60)
    object_id = models.CharField("object-id", max_length=40)
    object_label = models.CharField("object", max_length=200, blank=True)
    # Whose personal data this concerns, so "who saw person X" is one indexed query.
    person_id = models.BigIntegerField("persoon-id", null=True, blank=True, db_index=True)
    changes = models.JSONField("wijzigingen", default=dict, blank=True, encoder=DjangoJSONEncoder)
    origin_ip = models.GenericIPAddressField("IP-adres", null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "auditgebeurtenis"
        verbose_name_plural = "auditlog"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d-%m-%Y %H:%M} {self.actor_label} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")


class AuditSeal(models.Model):
    """A link of the audit log's hash chain: the SHA-256 over every event in (first, last],
    chained to the previous seal's digest. `werkregie audit_verify` recomputes the chain, so
    an event changed or removed behind the application's back is found (core.audit_chain)."""

    created_at = models.DateTimeField("verzegeld op", default=timezone.now)
    first_event_id = models.BigIntegerField("eerste gebeurtenis")
    last_event_id = models.BigIntegerField("laatste gebeurtenis", unique=True)
    events = models.PositiveIntegerField("aantal gebeurtenissen")
    previous_digest = models.CharField("vorige SHA-256", max_length=64)
    digest = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "zegel van het auditlog"
        verbose_name_plural = "zegels van het auditlog"
        ordering = ["last_event_id"]

    def __str__(self) -> str:
        return f"Zegel t/m gebeurtenis {self.last_event_id}"


class Job(models.Model):
    """A long operation run by a task worker on behalf of one user (core.jobs).

    The job is the truth the screen and the API show; the task framework only carries it to a
    worker. An operation that writes marks its job done in the same transaction as its
    writes, so a job is done exactly when its writes are in, and a crashed worker's job is
    marked failed with nothing applied.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "In de wachtrij"
        RUNNING = "running", "Bezig"
        DONE = "done", "Klaar"
        FAILED = "failed", "Mislukt"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    operation = models.CharField("handeling", max_length=120)
    title = models.CharField("omschrijving", max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangevraagd door",
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    # The same request sent twice (a double click, a client's retry) is one job.
    idempotency_key = models.CharField("idempotentiesleutel", max_length=100)
    params = models.JSONField("invoer", default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    phase = models.CharField("stap", max_length=100, blank=True)
    done = models.PositiveIntegerField("gedaan", default=0)
    total = models.PositiveIntegerField("totaal", null=True, blank=True)
    message = models.TextField("uitkomst", blank=True)
    result = models.JSONField("resultaat", default=dict, encoder=DjangoJSONEncoder)
    result_url = models.CharField("vervolgpagina", max_length=300, blank=True)
    # Whose personal data the result and files show: {"action": AuditAction, "entries":
    # [audit entries]}; every showing of a done job records them again (jobs.record_shown).
    reads = models.JSONField("getoonde persoonsgegevens", default=dict, encoder=DjangoJSONEncoder)
    # For the operator, never shown to the user: the exception and its traceback.
    error_detail = models.TextField("technische fout", blank=True)
    created_at = models.DateTimeField("aangevraagd op", default=timezone.now)
    started_at = models.DateTimeField("gestart op", null=True, blank=True)
    heartbeat_at = models.DateTimeField("laatste teken van leven", null=True, blank=True)
    finished_at = models.DateTimeField("klaar op", null=True, blank=True)
    worker_id = models.CharField("verwerker", max_length=64, blank=True)

    class Meta:
        verbose_name = "taak"
        verbose_name_plural = "taken"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"], name="job_idempotency_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.reads)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class JobInput(models.Model):
    """An uploaded file a job reads; removed when the job has finished."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="inputs")
    position = models.PositiveSmallIntegerField("volgorde")
    name = models.CharField("bestandsnaam", max_length=255)
    content = models.BinaryField("inhoud")

    class Meta:
        verbose_name = "invoerbestand van een taak"
        verbose_name_plural = "invoerbestanden van taken"
        ordering = ["job", "position"]

    def __str__(self) -> str:
        return self.name


class JobFile(models.Model):
    """A file a finished job made (a report as PDF or Excel), for its requester to download."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("omschrijving", max_length=60)
    name = models.CharField("bestandsnaam", max_length=255)
    content_type = models.CharField("soort", max_length=100)
    content = models.BinaryField("inhoud")

    class Meta:
        verbose_name = "bestand van een taak"
        verbose_name_plural = "bestanden van taken"
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="job_file_position")
        ]

    def __str__(self) -> str:
        return self.name


class TaskWorker(models.Model):
    """A running `werkregie worker` process, seen every few seconds (the health check)."""

    worker_id = models.CharField("verwerker", max_length=64, unique=True)
    host = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("proces")
    started_at = models.DateTimeField("gestart op", default=timezone.now)
    seen_at = models.DateTimeField("laatst gezien", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "verwerker"
        verbose_name_plural = "verwerkers"

    def __str__(self) -> str:
        return f"{self.worker_id} op {self.host}"
