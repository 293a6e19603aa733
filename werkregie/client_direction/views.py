from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.client_direction import services
from werkregie.client_direction.forms import ClientForm, ConsentForm, RestrictionForm, WithdrawForm
from werkregie.client_direction.models import Client, Price, Product
from werkregie.core import audit
from werkregie.core.access import Action, require
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditAction
from werkregie.core.params import date_or
from werkregie.people.models import Person


def catalogue_on(day: date) -> list[dict[str, object]]:
    """Per execution organisation, its products on `day` with the prices that apply then:
    the standard price and each third party's own."""
    products = (
        Product.objects.active_on(day)
        .select_related("provider")
        .prefetch_related(
            Prefetch(
                "prices",
                queryset=Price.objects.active_on(day)
                .select_related("client_owner")
                .order_by("client_owner__name"),
                to_attr="prices_on_day",
            )
        )
        .order_by("provider__name", "name")
    )
    groups: dict[int, dict[str, object]] = {}
    for product in products:
        group = groups.setdefault(product.provider_id, {"provider": product.provider, "rows": []})
        standard = next((p for p in product.prices_on_day if p.client_owner_id is None), None)
        third = [p for p in product.prices_on_day if p.client_owner_id is not None]
        group["rows"].append({"product": product, "standard": standard, "third": third})  # type: ignore[attr-defined]
    return list(groups.values())


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The products of the execution organisations and their prices on a chosen date."""
    require(request.user, Action.CATALOGUE_VIEW)
    day = date_or(request.GET.get("datum"), timezone.localdate())
    return render(
        request, "client_direction/catalogue.html", {"day": day, "groups": catalogue_on(day)}
    )


def _client(request: HttpRequest, pk: int) -> Client:
    client = (
        Client.objects.visible_to(request.user)
        .select_related("person__residence_municipality", "client_owner")
        .filter(pk=pk)
        .first()
    )
    if client is None:
        raise Http404
    return client


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """The clients whose regie the klantregisseur's municipality holds."""
    require(request.user, Action.CLIENT_VIEW)
    clients = Client.objects.visible_to(request.user).select_related("person", "client_owner")
    if request.GET.get("status") != "alle":
        clients = clients.filter(ended_on__isnull=True)
    page = Paginator(clients, 50).get_page(request.GET.get("pagina"))
    return render(request, "client_direction/client_list.html", {"page": page})


@login_required
def client_register(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Take a person of the registry (in the user's scope) into regie as a client."""
    require(request.user, Action.CLIENT_CHANGE)
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_pk)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.register_client(
                actor=request.user, person=person, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{person.full_name} staat nu in regie.")
            return redirect("client_direction:client", pk=client.pk)
    return render(request, "client_direction/client_form.html", {"form": form, "person": person})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A client: who holds the regie, consents, and restrictions (special category; the
    read is audited)."""
    require(request.user, Action.CLIENT_VIEW)
    client = _client(request, pk)
    audit.record_read(actor=request.user, action=AuditAction.CLIENT_VIEWED, obj=client)
    return render(
        request,
        "client_direction/client_detail.html",
        {
            "client": client,
            "today": timezone.localdate(),
            "consents": client.consents.select_related("shared_with"),
            "restrictions": client.restrictions.all(),
            "consent_form": ConsentForm(),
            "restriction_form": RestrictionForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


def _form_errors(form: forms.Form) -> str:
    """Every error of a form, each with its field's label, as one Dutch sentence."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        parts.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    return "; ".join(parts)


def _client_step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    step: Callable[[Client, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    require(request.user, Action.CLIENT_CHANGE)
    client = _client(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, f"Niet opgeslagen. {_form_errors(form)}")
    else:
        try:
            step(client, form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("client_direction:client", pk=client.pk)


@login_required
@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_step(
        request,
        pk,
        ConsentForm,
        lambda client, data: services.record_consent(actor=request.user, client=client, **data),
        "Toestemming vastgelegd.",
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    def withdraw(client: Client, data: dict[str, Any]) -> object:
        consent = get_object_or_404(client.consents, pk=consent_pk)
        return services.withdraw_consent(actor=request.user, consent=consent, **data)

    return _client_step(request, pk, WithdrawForm, withdraw, "Toestemming ingetrokken.")


@login_required
@require_POST
def restriction_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_step(
        request,
        pk,
        RestrictionForm,
        lambda client, data: services.record_restriction(actor=request.user, client=client, **data),
        "Beperking vastgelegd.",
    )
