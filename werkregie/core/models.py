import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from werkregie.core.audit_events import label, register


@register
class AuditAction(models.TextChoices):
    """Core's own audit events, those more than one app records (each app declares the rest
    in its `events.py`, see core.audit_events)."""

    PERSON_LISTED = "person.listed", "Persoon in lijst getoond"
    ACCESS_DENIED = "security.denied", "Toegang geweigerd"
    TRANSITION_EXECUTED = "transition.executed", "Transitieplan uitgevoerd"


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
    # The name of an event an app declared (core.audit_events): no choices here, so a new
    # event needs no migration.
    action = models.CharField("handeling", max_length=40)
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
        return f"{self.created_at:%d-%m-%Y %H:%M} {self.actor_label} {self.action_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    @property
    def action_label(self) -> str:
        return label(self.action)


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


class ApiRateCount(models.Model):
    """Requests of one API caller in the current fixed window of the API rate (issue 17).

    One row per caller, bumped by a single upsert per request (core.api.PerCallerRateThrottle),
    so the count holds across web processes without a cache round trip per request."""

    caller = models.CharField("aanroeper", max_length=64, primary_key=True)
    window = models.BigIntegerField("venster")
    count = models.PositiveIntegerField("aantal")

    class Meta:
        verbose_name = "API-teller"
        verbose_name_plural = "API-tellers"

    def __str__(self) -> str:
        return f"{self.caller}: {self.count}"
