from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.core import locking
from werkregie.core.access import Action, require
from werkregie.core.errors import DomainError
from werkregie.core.http import HtmxHttpRequest
from werkregie.people import services
from werkregie.people.access import (
    get_employment_for,
    get_person_for,
    persons_for,
    record_persons_listed,
    record_search,
)
from werkregie.people.forms import EmploymentChangeForm, PersonForm
from werkregie.people.search import search_persons
from werkregie.people.sections import render_sections

PAGE_SIZE = 50
PERSONS_DENIED = "Uw rol heeft geen toegang tot personen."


def _apply_errors(form: Any, error: DomainError | ValidationError) -> None:
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_VIEW, PERSONS_DENIED)
    persons = persons_for(signed_in(request)).select_related("residence_municipality")
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("pagina"))
    record_persons_listed(user=signed_in(request), persons=page)
    return render(request, "people/person_list.html", {"page": page, "query": ""})


@login_required
@require_POST
def person_search(request: HtmxHttpRequest) -> HttpResponse:
    """POST, so that a BSN typed in the search box never lands in a URL or access log."""
    require(request.user, Action.PERSON_VIEW, PERSONS_DENIED)
    query = request.POST.get("q", "")[:100]
    results = search_persons(user=signed_in(request), query=query).select_related(
        "residence_municipality"
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.POST.get("pagina"))
    if query.strip():
        record_search(user=signed_in(request), query_kind="scherm", persons=list(page))
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, {"page": page, "query": query})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(signed_in(request), pk)
    employments = person.employments.select_related(
        "employer", "team", "site", "work_municipality"
    ).order_by("-valid_from")
    # Apps that build on the registry add their sections (klantregie: the client record).
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "employments": employments,
            "sections": render_sections(request, person),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_CREATE, PERSONS_DENIED)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=signed_in(request), **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            _apply_errors(form, error)
        else:
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(signed_in(request), pk, action=Action.PERSON_CHANGE)
    form = PersonForm(request.POST or None, instance=person)
    locking.protect(form, person)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name != "fingerprint"
        }
        if changes.get("residence_municipality") is None:
            changes.pop("residence_municipality", None)
        try:
            with transaction.atomic():
                locking.refuse_stale_form(form, person)
                services.update_person(actor=signed_in(request), person=person, changes=changes)
        except (DomainError, ValidationError) as error:
            _apply_errors(form, error)
        else:
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@login_required
def employment_change(request: HttpRequest, pk: int) -> HttpResponse:
    employment = get_employment_for(signed_in(request), pk, action=Action.EMPLOYMENT_CHANGE)
    form = EmploymentChangeForm(request.POST or None, instance=employment)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_employment(
                actor=signed_in(request),
                employment=employment,
                effective_date=form.cleaned_data["effective_date"],
                changes=form.changes(),
            )
        except (DomainError, ValidationError) as error:
            _apply_errors(form, error)
        else:
            return redirect("people:detail", pk=employment.person_id)
    return render(request, "people/employment_form.html", {"form": form, "employment": employment})
