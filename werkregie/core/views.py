from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
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
