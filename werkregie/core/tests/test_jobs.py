"""Jobs (core.jobs): one request is one job, run once, all or nothing, a crash is a failure."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from werkregie.accounts.models import User
from werkregie.core import jobs
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent, Job, JobFile, JobInput, TaskWorker
from werkregie.hr.events import HrEvent
from werkregie.testing import api_client, login_client

# The operations below write TaskWorker rows: a table of core's own, so the test can see
# whether a job's writes were kept or rolled back.
RUNS: list[str] = []


@jobs.operation(title="Schrijven en tellen")
def write_and_count(run: jobs.JobRun) -> jobs.Outcome:
    RUNS.append(run.params["name"])
    run.progress.phase("regels verwerkt", 3)
    for _ in range(3):
        run.progress.advance()
    names = [name for name, _ in run.files]
    with run.atomic():
        TaskWorker.objects.create(worker_id=run.params["name"], host="test", pid=1)
        if run.params.get("fail") == "domain":
            raise DomainError("Regel 2 klopt niet; er is niets opgeslagen.")
        if run.params.get("fail") == "crash":
            raise RuntimeError("boom")
        return run.complete(jobs.Outcome("Klaar.", result={"files": names}, url="/"))


@jobs.operation(title="Alleen lezen")
def read_only(run: jobs.JobRun) -> jobs.Outcome:
    return jobs.Outcome(f"{TaskWorker.objects.count()} verwerkers.")


@jobs.operation(title="Lonen tonen")
def shows_wages(run: jobs.JobRun) -> jobs.Outcome:
    people = run.params["people"]
    return jobs.Outcome(
        "Klaar.",
        result={"people": people},
        files=[("CSV", "lonen.csv", "text/csv", b"loon")],
        reads=jobs.Reads(
            HrEvent.PAYROLL_VIEWED, [("people.person", str(p), "", p, {}) for p in people]
        ),
    )


@pytest.fixture
def user(cast: dict[str, User]) -> User:
    RUNS.clear()
    return cast["hr_nuo"]


def test_a_job_runs_and_records_its_outcome_and_progress(user: User) -> None:
    job, created = jobs.start(
        write_and_count, actor=user, params={"name": "a"}, files=[("x.csv", b"1;2")]
    )
    assert created and job.status == Job.Status.DONE and job.message == "Klaar."
    assert (job.phase, job.done, job.total, job.percent) == ("regels verwerkt", 3, 3, 100)
    assert job.result == {"files": ["x.csv"]}
    assert TaskWorker.objects.filter(worker_id="a").exists()
    # The uploaded files are not kept once the job has finished.
    assert not JobInput.objects.exists()


def test_the_same_idempotency_key_is_the_same_job(user: User) -> None:
    first, created = jobs.start(
        write_and_count, actor=user, params={"name": "a"}, idempotency_key="k1"
    )
    again, created_again = jobs.start(
        write_and_count, actor=user, params={"name": "a"}, idempotency_key="k1"
    )
    assert created and not created_again and first.pk == again.pk
    assert RUNS == ["a"] and TaskWorker.objects.count() == 1
    with pytest.raises(DomainError, match="andere taak"):
        jobs.start(read_only, actor=user, idempotency_key="k1")


def test_a_job_is_run_once(user: User) -> None:
    job, _ = jobs.start(write_and_count, actor=user, params={"name": "a"})
    jobs.run(job.pk)  # a second delivery of the same task
    assert RUNS == ["a"] and TaskWorker.objects.count() == 1


@pytest.mark.parametrize(
    ("fail", "message"),
    [
        ("domain", "Regel 2 klopt niet; er is niets opgeslagen."),
        ("crash", "Er ging iets mis bij het verwerken; er is niets opgeslagen."),
    ],
)
def test_a_failing_job_rolls_back_its_writes_and_says_why(
    user: User, fail: str, message: str
) -> None:
    job, _ = jobs.start(write_and_count, actor=user, params={"name": "a", "fail": fail})
    assert job.status == Job.Status.FAILED and job.message.startswith(message)
    assert not TaskWorker.objects.exists()
    if fail == "crash":
        assert str(job.pk) in job.message and "RuntimeError: boom" in job.error_detail
        assert "boom" not in job.message


def test_a_job_whose_worker_died_is_marked_failed_and_cannot_complete_after(
    user: User,
) -> None:
    job = Job.objects.create(
        operation=write_and_count.path, title="x", requested_by=user, idempotency_key="k"
    )
    assert jobs.claim(job.pk, "w1")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.sweep() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "niets opgeslagen" in job.message
    # The job cannot be claimed again, and a late completion is refused (rolled back).
    assert not jobs.claim(job.pk)
    run = jobs.JobRun(job, jobs._Reporter(job.pk, threaded=False))
    with pytest.raises(DomainError, match="als mislukt"), run.atomic():
        TaskWorker.objects.create(worker_id="late", host="test", pid=1)
        run.complete(jobs.Outcome("Klaar."))
    assert not TaskWorker.objects.filter(worker_id="late").exists()


def test_a_read_only_job_is_done_without_an_atomic_block(user: User) -> None:
    job, _ = jobs.start(read_only, actor=user)
    assert job.status == Job.Status.DONE and job.message == "0 verwerkers."


def test_an_atomic_block_without_complete_is_an_error(user: User) -> None:
    @jobs.operation(title="Vergeten")
    def forgets(run: jobs.JobRun) -> jobs.Outcome:
        with run.atomic():
            return jobs.Outcome("x")

    job = Job.objects.create(
        operation=write_and_count.path, title="x", requested_by=user, idempotency_key="k"
    )
    jobs.claim(job.pk)
    with pytest.raises(RuntimeError, match=r"run\.complete"):
        forgets.func(jobs.JobRun(job, jobs._Reporter(job.pk, threaded=False)))


def test_only_the_requester_sees_a_job(cast: dict[str, User], user: User) -> None:
    job, _ = jobs.start(read_only, actor=user)
    own = login_client(user).get(f"/taken/{job.pk}/")
    assert own.status_code == 200 and "0 verwerkers." in own.content.decode()
    assert login_client(cast["jobcoach_nuo"]).get(f"/taken/{job.pk}/").status_code == 404
    assert api_client(cast["jobcoach_nuo"]).get(f"/api/v1/jobs/{job.pk}").status_code == 404
    body = api_client(user).get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "done" and body["message"] == "0 verwerkers."
    listed = api_client(cast["jobcoach_nuo"]).get("/api/v1/jobs").json()
    assert listed["count"] == 0


def test_the_job_page_polls_until_the_job_has_finished(user: User) -> None:
    job = Job.objects.create(
        operation=read_only.path,
        title="Alleen lezen",
        requested_by=user,
        idempotency_key="k",
        status=Job.Status.RUNNING,
        phase="rijen gecontroleerd",
        done=12400,
        total=74674,
    )
    client = login_client(user)
    page = client.get(f"/taken/{job.pk}/").content.decode()
    assert "12.400 van 74.674 rijen gecontroleerd" in page
    assert 'hx-trigger="every 1s"' in page and '<progress max="74674" value="12400"' in page
    # The htmx poll gets the status fragment alone.
    fragment = client.get(f"/taken/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="job-status"')


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_and_a_worker_run_the_job(region: Any) -> None:
    """The production path: the job waits in the database until `werkregie worker` runs it."""
    RUNS.clear()
    user = User.objects.create_user("werker", password="x" * 16)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job, _ = jobs.start(write_and_count, actor=user, params={"name": "w"})
        assert job.status == Job.Status.QUEUED and RUNS == []
        call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.worker_id and RUNS == ["w"]
    assert (job.done, job.total) == (3, 3)
    # The worker unregistered itself when it stopped.
    assert not TaskWorker.objects.exclude(worker_id="w").exists()


def test_every_showing_of_a_job_with_personal_data_is_audited(user: User) -> None:
    job, _ = jobs.start(shows_wages, actor=user, params={"people": [7, 8]})
    shown = AuditEvent.objects.filter(action=HrEvent.PAYROLL_VIEWED, actor=user)
    assert not shown.exists()  # made, not yet shown
    screen = login_client(user)
    screen.get(f"/taken/{job.pk}/")
    assert sorted(p or 0 for p in shown.values_list("person_id", flat=True)) == [7, 8]
    screen.get(f"/taken/{job.pk}/bestanden/1/")
    api = api_client(user)
    api.get(f"/api/v1/jobs/{job.pk}")
    api.get(f"/api/v1/jobs/{job.pk}/files/1")
    api.get("/api/v1/jobs")
    assert shown.count() == 2 * 5
    # A job without personal data leaves no read behind.
    plain, _ = jobs.start(read_only, actor=user)
    before = AuditEvent.objects.count()
    screen.get(f"/taken/{plain.pk}/")
    assert AuditEvent.objects.count() == before


@override_settings(WERKREGIE_JOB_RETENTION_DAYS=7, WERKREGIE_JOB_PERSONAL_RETENTION_HOURS=24)
def test_finished_jobs_are_deleted_after_their_retention(user: User) -> None:
    now = timezone.now()
    jobs.start(shows_wages, actor=user, params={"people": [7]})
    plain, _ = jobs.start(read_only, actor=user)
    running = Job.objects.create(
        operation=read_only.path,
        title="x",
        requested_by=user,
        idempotency_key="r",
        status=Job.Status.RUNNING,
        heartbeat_at=now,
    )
    Job.objects.update(finished_at=now - timedelta(hours=25))
    assert jobs.sweep() == 0
    # Personal data goes after a day, with its files; the rest after a week.
    assert set(Job.objects.values_list("pk", flat=True)) == {plain.pk, running.pk}
    assert not JobFile.objects.exists()
    Job.objects.filter(pk=plain.pk).update(finished_at=now - timedelta(days=8))
    jobs.prune()
    assert list(Job.objects.values_list("pk", flat=True)) == [running.pk]
