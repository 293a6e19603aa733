from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from werkregie.core import audit_events, jobs
from werkregie.core.access import Action, requester, require
from werkregie.core.http import HtmxHttpRequest
from werkregie.core.models import AuditEvent, Job, JobFile
from werkregie.core.widgets import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Gebruiker", required=False)
    action = forms.ChoiceField(
        label="Handeling", required=False, choices=lambda: [("", "Alle"), *audit_events.choices()]
    )
    person_id = forms.IntegerField(label="Persoon-id", required=False, min_value=1)
    date_from = forms.DateField(label="Vanaf", required=False, widget=DateInput())
    date_to = forms.DateField(label="Tot en met", required=False, widget=DateInput())


@login_required
def audit_log(request: HtmxHttpRequest) -> HttpResponse:
    """The functioneel beheerder's search over the audit log (read-only by construction)."""
    require(request.user, Action.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_label__iexact=data["actor"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["person_id"]:
            events = events.filter(person_id=data["person_id"])
        date_from: date | None = data["date_from"]
        date_to: date | None = data["date_to"]
        if date_from:
            events = events.filter(created_at__date__gte=date_from)
        if date_to:
            events = events.filter(created_at__date__lte=date_to)
    page = Paginator(events, 50).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    template = "core/audit_log.html#events" if request.htmx else "core/audit_log.html"
    return render(
        request, template, {"form": form, "page": page, "querystring": params.urlencode()}
    )


def _tasks_run_by_workers() -> bool:
    from django.conf import settings

    return "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers, every migration is applied and (with the
    database task backend) a task worker was seen in the last 15 s. Says nothing else (no
    versions, no counts); 503 when any fails."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = "ok" if not pending else "pending"
        if not pending and _tasks_run_by_workers():
            checks["worker"] = "ok" if jobs.worker_alive() else "down"
    except DatabaseError:
        checks["database"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values()) and len(checks) >= 2
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
        headers={"Cache-Control": "no-store"},
    )


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The jobs this user started, newest first."""
    require(request.user, Action.JOB_VIEW)
    page = Paginator(jobs.visible_jobs(request.user), 50).get_page(request.GET.get("pagina"))
    return render(request, "core/jobs.html", {"page": page})


@login_required
def job_detail(request: HtmxHttpRequest, pk: str) -> HttpResponse:
    """One job: a progress bar that refreshes itself (htmx) until the outcome is there."""
    require(request.user, Action.JOB_VIEW)
    try:
        job = jobs.visible_jobs(request.user).get(pk=pk)
    except (Job.DoesNotExist, ValidationError) as exc:
        raise Http404("Deze taak bestaat niet of is niet van u.") from exc
    try:
        template = jobs.operation_at(job.operation).template
    except (ImportError, ValueError):
        template = ""
    context = {
        "job": job,
        "result_template": template,
        "report": job.result,
        "files": job.files.only("position", "label", "name"),
    }
    jobs.record_shown(requester(request), job)
    page = "core/job.html#status" if request.htmx else "core/job.html"
    return render(request, page, context)


@login_required
def job_file(request: HttpRequest, pk: str, position: int) -> HttpResponse:
    """A file the job made, for the one who started it."""
    require(request.user, Action.JOB_VIEW)
    found = (
        JobFile.objects.filter(
            job__in=jobs.visible_jobs(request.user), job_id=pk, position=position
        )
        .select_related("job")
        .first()
    )
    if found is None:
        raise Http404("Dit bestand bestaat niet of is niet van u.")
    jobs.record_shown(requester(request), found.job)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.name}"'
    return response
