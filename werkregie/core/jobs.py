"""Long operations as background jobs with progress (issue 16).

A domain app declares an operation with `@operation(...)`; a view or API endpoint calls
`start(...)`, which stores a `Job` (and its uploaded files) and hands it to the task framework
(django-tasks with its database backend: `werkregie worker` runs it). The job page and
`/api/v1/jobs/{id}` show its progress and, when done, its outcome.

The guarantees:
- one request is one job: a repeated idempotency key returns the job it started;
- a job is run at most once: the worker claims it from "queued" to "running" in one update;
- nothing is half-applied: an operation that writes does so inside `run.atomic()` and calls
  `run.complete(...)` there, so the job turns "done" in the same transaction as its writes.
  An error rolls the writes back and records why; a worker that dies mid-way leaves a job
  whose heartbeat stops, and `sweep()` marks it failed (its writes never committed).
"""

import contextlib
import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from werkregie.core import audit, audit_events
from werkregie.core.access import AnyUser, requester
from werkregie.core.errors import DomainError
from werkregie.core.models import Job, JobFile, JobInput, TaskWorker
from werkregie.core.progress import Progress

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseRedirect

logger = logging.getLogger("werkregie.jobs")

# How often the progress is written (seconds): often enough for a smooth bar.
PROGRESS_INTERVAL = 0.5
# How often a running job and a worker say they are alive (seconds).
HEARTBEAT_INTERVAL = 5.0

CRASHED = (
    "De verwerking is afgebroken: de verwerker stopte voordat de taak klaar was. Er is niets "
    "opgeslagen; start de taak opnieuw."
)


def stale_after() -> timedelta:
    """A running job without a heartbeat for this long has lost its worker."""
    return timedelta(seconds=getattr(settings, "WERKREGIE_JOB_STALE_SECONDS", 300))


@dataclass(frozen=True)
class Outcome:
    """What a finished operation tells its user: a Dutch sentence, data for the result
    template and the API, and where to go next."""

    message: str
    result: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    # (label, file name, content type, content): kept with the job for its requester.
    files: list[tuple[str, str, str, bytes]] = field(default_factory=list)
    # Whose personal data the result and files show, recorded whenever they are shown.
    reads: "Reads | None" = None


@dataclass(frozen=True)
class Reads:
    """The audit events a done job's result stands for: one entry per person shown."""

    action: audit_events.Event
    entries: list[audit.AuditEntry]

    def as_json(self) -> dict[str, Any]:
        return {"action": str(self.action), "entries": [list(e) for e in self.entries]}


@dataclass(frozen=True)
class Operation:
    """A long operation: `func(run)` returns an Outcome. `template` shows its result."""

    func: Callable[["JobRun"], Outcome]
    title: str
    template: str = ""

    @property
    def path(self) -> str:
        return f"{self.func.__module__}.{self.func.__name__}"


def operation(*, title: str, template: str = "") -> Callable[[Callable[..., Outcome]], Operation]:
    """Declare a long operation; the decorated module-level function becomes an Operation."""

    def declare(func: Callable[["JobRun"], Outcome]) -> Operation:
        return Operation(func=func, title=title, template=template)

    return declare


def operation_at(path: str) -> Operation:
    """The Operation a job names; anything else at that path is refused."""
    found = import_string(path)
    if not isinstance(found, Operation):
        raise ValueError(f"{path} is not a Werkregie operation")
    return found


# -- progress ----------------------------------------------------------------------------


class _Reporter:
    """Counts in memory; a writer puts the count on the job row every PROGRESS_INTERVAL.

    In a worker the writer is a thread with its own database connection, so the count is
    visible while the operation's own transaction is still open (on PostgreSQL; SQLite has
    one writer at a time and shows the count between the operation's transactions). Run in
    the request (the immediate backend of the tests), it writes on the same connection.
    """

    def __init__(self, job_id: uuid.UUID, *, threaded: bool) -> None:
        self.job_id = job_id
        self.threaded = threaded
        self.label = ""
        self.done = 0
        self.total: int | None = None
        self._written: tuple[str, int, int | None] | None = None
        self._last_write = 0.0
        self._last_beat = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Progress protocol
    def phase(self, label: str, total: int | None = None) -> None:
        self.label, self.done, self.total = label[:100], 0, total
        self._maybe_write(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._maybe_write()

    def _maybe_write(self, *, force: bool = False) -> None:
        if self.threaded:
            return
        now = time.monotonic()
        if force or now - self._last_write >= PROGRESS_INTERVAL:
            self._write()

    def _write(self) -> None:
        now = time.monotonic()
        state = (self.label, self.done, self.total)
        beat = now - self._last_beat >= HEARTBEAT_INTERVAL
        if state == self._written and not beat:
            return
        Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
            phase=state[0], done=state[1], total=state[2], heartbeat_at=timezone.now()
        )
        self._written, self._last_write, self._last_beat = state, now, now

    def _loop(self) -> None:
        try:
            while not self._stop.wait(PROGRESS_INTERVAL):
                try:
                    self._write()
                except OperationalError:
                    # SQLite while the operation holds the write lock: try again later.
                    logger.debug("progress of job %s not written yet", self.job_id)
        finally:
            connection.close()

    def __enter__(self) -> "_Reporter":
        if self.threaded:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()


# -- running -----------------------------------------------------------------------------


class JobRun:
    """What an operation gets: who asked, the parameters, the files, a progress counter."""

    def __init__(self, job: Job, reporter: _Reporter) -> None:
        self.job = job
        self.actor = job.requested_by
        self.params: dict[str, Any] = job.params
        self.progress: Progress = reporter
        self._reporter = reporter
        self.completed: Outcome | None = None

    @property
    def files(self) -> list[tuple[str, bytes]]:
        return [(i.name, bytes(i.content)) for i in self.job.inputs.order_by("position")]

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """The operation's writes; call `complete()` inside so the job's "done" commits with
        them."""
        with transaction.atomic():
            yield
            if self.completed is None:
                raise RuntimeError("an operation's atomic block must end with run.complete()")

    def complete(self, outcome: Outcome) -> Outcome:
        """Mark the job done in the current transaction; refused when the job is no longer
        running (the sweep gave up on it), which rolls the writes back."""
        _finish(self.job, self._reporter, outcome)
        self.completed = outcome
        return outcome


def _finish(job: Job, reporter: _Reporter, outcome: Outcome) -> None:
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        status=Job.Status.DONE,
        message=outcome.message,
        result=outcome.result,
        result_url=outcome.url,
        reads=outcome.reads.as_json() if outcome.reads else {},
        phase=reporter.label,
        done=reporter.done,
        total=reporter.total,
        finished_at=timezone.now(),
    )
    if not updated:
        raise DomainError("De taak is intussen als mislukt gemarkeerd; er is niets opgeslagen.")
    JobFile.objects.bulk_create(
        JobFile(job_id=job.pk, position=i, label=label, name=name, content_type=kind, content=raw)
        for i, (label, name, kind, raw) in enumerate(outcome.files, start=1)
    )


_in_worker = False


def claim(job_id: uuid.UUID | str, worker_id: str = "") -> bool:
    """Queued → running, once: a second delivery of the same job finds nothing to claim."""
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, worker_id=worker_id
        )
    )


def run(job_id: uuid.UUID | str, worker_id: str = "") -> None:
    """Run one queued job to done or failed; never raises for the operation's errors."""
    if not claim(job_id, worker_id):
        return
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    reporter = _Reporter(job.pk, threaded=_in_worker)
    try:
        with reporter:
            op = operation_at(job.operation)
            jobrun = JobRun(job, reporter)
            outcome = op.func(jobrun)
            if jobrun.completed is None:
                with transaction.atomic():
                    _finish(job, reporter, outcome)
    except Exception as exc:
        if isinstance(exc, DomainError):
            message = exc.message
        else:
            logger.exception("job %s (%s) failed", job.pk, job.operation)
            message = (
                "Er ging iets mis bij het verwerken; er is niets opgeslagen. De fout is "
                f"vastgelegd onder taaknummer {job.pk}."
            )
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED,
            message=message,
            error_detail="".join(traceback.format_exception(exc))[-20000:],
            finished_at=timezone.now(),
        )
    finally:
        JobInput.objects.filter(job_id=job.pk).delete()


@task()
def run_job(job_id: str) -> None:
    """The task the framework carries: everything else is in the Job row."""
    run(job_id, worker_id=_worker_id)


# -- starting ----------------------------------------------------------------------------


def new_key() -> str:
    """An idempotency key for a form: rendered with it, posted with it."""
    return uuid.uuid4().hex


def start(
    op: Operation,
    *,
    actor: AbstractBaseUser,
    params: dict[str, Any] | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    idempotency_key: str = "",
    title: str = "",
) -> tuple[Job, bool]:
    """Store the job and enqueue it; (job, created). The same key again returns the first
    job and enqueues nothing."""
    key = (idempotency_key or new_key())[:100]
    existing = Job.objects.filter(requested_by_id=actor.pk, idempotency_key=key).first()
    if existing is not None:
        return _same_request(existing, op), False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                operation=op.path,
                title=(title or op.title)[:200],
                requested_by_id=actor.pk,
                idempotency_key=key,
                params=params or {},
            )
            JobInput.objects.bulk_create(
                JobInput(job=job, position=i, name=name, content=raw)
                for i, (name, raw) in enumerate(files)
            )
    except IntegrityError:
        # The same key at the same moment from a second request: that one won.
        return _same_request(
            Job.objects.get(requested_by_id=actor.pk, idempotency_key=key), op
        ), False
    # After the job's own transaction (inside the caller's, if any): a worker only sees the
    # task once the job and its files are there. The immediate backend runs it right here.
    run_job.enqueue(str(job.pk))
    job.refresh_from_db()
    return job, True


def _same_request(job: Job, op: Operation) -> Job:
    if job.operation != op.path:
        raise DomainError(
            "Deze idempotentiesleutel is al gebruikt voor een andere taak; stuur een nieuwe.",
            field="idempotencyKey",
        )
    return job


# A job's files by name, without their content: what a list or a job's page shows.
FILE_NAMES = Prefetch("files", queryset=JobFile.objects.only("job_id", "position", "label", "name"))


def visible_jobs(user: AnyUser | None) -> QuerySet[Job]:
    """A user sees the jobs they started, no one else's."""
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(requested_by_id=user.pk)


def record_shown(user: AbstractBaseUser, *shown: Job) -> None:
    """Record that `user` saw the result or a file of these jobs: the personal data a done
    job holds is audited at every showing, as the same page made in the request would be."""
    for job in shown:
        if job.status == Job.Status.DONE and job.reads:
            audit.record_rows(
                actor=user,
                action=audit_events.event(job.reads["action"]),
                entries=[
                    (str(kind), str(pk), str(text), person, dict(values))
                    for kind, pk, text, person, values in job.reads["entries"]
                ],
            )


# -- workers -----------------------------------------------------------------------------

_worker_id = ""


def sweep() -> int:
    """Mark running jobs whose heartbeat stopped as failed (their worker died), and delete
    finished jobs past their retention (docs/deployment.md); the count marked failed."""
    now = timezone.now()
    crashed = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - stale_after())
    count = crashed.update(status=Job.Status.FAILED, message=CRASHED, finished_at=now)
    prune(now)
    return count


def prune(now: Any = None) -> int:
    """Delete finished jobs (with their files) older than WERKREGIE_JOB_RETENTION_DAYS, and
    those holding personal data (a payroll preview, a statement) older than
    WERKREGIE_JOB_PERSONAL_RETENTION_HOURS: what stays is in the database it came from."""
    now = now or timezone.now()
    days = getattr(settings, "WERKREGIE_JOB_RETENTION_DAYS", 7)
    hours = getattr(settings, "WERKREGIE_JOB_PERSONAL_RETENTION_HOURS", 24)
    finished = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED])
    old = finished.filter(finished_at__lt=now - timedelta(days=days))
    personal = finished.filter(finished_at__lt=now - timedelta(hours=hours)).exclude(reads={})
    deleted = 0
    for expired in (old, personal):
        deleted += expired.delete()[1].get(Job._meta.label, 0)
    return deleted


def worker_alive() -> bool:
    """Whether any worker said it was alive in the last three heartbeats."""
    since = timezone.now() - timedelta(seconds=3 * HEARTBEAT_INTERVAL)
    return TaskWorker.objects.filter(seen_at__gte=since).exists()


@contextlib.contextmanager
def serving_as_worker(worker_id: str) -> Iterator[None]:
    """Register this process as a worker, beat and sweep in a thread, unregister at exit."""
    global _in_worker, _worker_id
    _in_worker, _worker_id = True, worker_id
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": timezone.now(),
        },
    )
    stop = threading.Event()

    def beat() -> None:
        sweeps = 0
        try:
            while not stop.wait(HEARTBEAT_INTERVAL):
                try:
                    TaskWorker.objects.filter(worker_id=worker_id).update(seen_at=timezone.now())
                    sweeps += 1
                    if sweeps % 6 == 1 and (count := sweep()):
                        logger.warning("%d job(s) of a stopped worker marked failed", count)
                except OperationalError:
                    logger.debug("worker heartbeat not written yet")
        finally:
            connection.close()

    if count := sweep():
        logger.warning("%d job(s) of a stopped worker marked failed", count)
    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        TaskWorker.objects.filter(worker_id=worker_id).delete()
        _in_worker = False


# -- screens -----------------------------------------------------------------------------


def start_from_form(
    request: "HttpRequest",
    op: Operation,
    *,
    params: dict[str, Any] | None = None,
    files: Sequence[tuple[str, bytes]] = (),
    title: str = "",
) -> "HttpResponseRedirect":
    """Start `op` for a posted form (its `idempotency_key`, `{% job_key %}`) and go to the
    job's page, which shows the progress and then the outcome."""
    from django.shortcuts import redirect

    job, _ = start(
        op,
        actor=requester(request),
        params=params,
        files=files,
        idempotency_key=str(request.POST.get("idempotency_key", "")),
        title=title,
    )
    return redirect("core:job", pk=job.pk)
