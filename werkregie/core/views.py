from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from werkregie.core.access import Action, require
from werkregie.core.http import HtmxHttpRequest
from werkregie.core.models import AuditAction, AuditEvent
from werkregie.core.widgets import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Gebruiker", required=False)
    action = forms.ChoiceField(
        label="Handeling", required=False, choices=[("", "Alle"), *AuditAction.choices]
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


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: the database answers and every migration is applied. Says
    nothing else (no versions, no counts); 503 when either fails."""
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
    except DatabaseError:
        checks["database"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values()) and len(checks) == 2
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
        headers={"Cache-Control": "no-store"},
    )
