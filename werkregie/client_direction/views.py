from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.accounts.models import User
from werkregie.client_direction import jobs as cd_jobs
from werkregie.client_direction import queues, services, statements
from werkregie.client_direction.access import (
    clients_for,
    get_client_for,
    get_order_for,
    orders_for,
    record_clients_listed,
    record_orders_listed,
    record_statement_lines_shown,
)
from werkregie.client_direction.forms import (
    AcceptForm,
    ClientForm,
    CompleteForm,
    ConsentForm,
    HandOverForm,
    OrderForm,
    ProgressForm,
    RefuseForm,
    RestrictionForm,
    StopForm,
    WithdrawForm,
)
from werkregie.client_direction.models import Client, Order, Price, Product
from werkregie.core.access import Action, Role, has_permission, require, role_of
from werkregie.core.errors import DomainError
from werkregie.core.forms import form_errors, report_step, save_with, valid
from werkregie.core.jobs import start_from_form
from werkregie.core.params import date_or, month_or
from werkregie.organisations.models import Team
from werkregie.people.access import persons_for


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


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    """The clients whose regie the klantregisseur's municipality holds."""
    require(request.user, Action.CLIENT_VIEW)
    clients = clients_for(signed_in(request)).select_related("person", "client_owner")
    if request.GET.get("status") != "alle":
        clients = clients.filter(ended_on__isnull=True)
    page = Paginator(clients, 50).get_page(request.GET.get("pagina"))
    record_clients_listed(user=signed_in(request), clients=page)
    return render(request, "client_direction/client_list.html", {"page": page})


@login_required
def client_register(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Take a person of the registry (in the user's scope) into regie as a client."""
    require(request.user, Action.CLIENT_CHANGE)
    person = get_object_or_404(persons_for(signed_in(request)), pk=person_pk)
    form = ClientForm(request.POST or None)
    client = save_with(
        request,
        form,
        lambda data: services.register_client(actor=signed_in(request), person=person, **data),
    )
    if client is not None:
        messages.success(request, f"{person.full_name} staat nu in regie.")
        return redirect("client_direction:client", pk=client.pk)
    return render(request, "client_direction/client_form.html", {"form": form, "person": person})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A client: who holds the regie, consents, and restrictions (special category; the
    read is audited)."""
    require(request.user, Action.CLIENT_VIEW)
    client = get_client_for(signed_in(request), pk, shown=True)
    return render(
        request,
        "client_direction/client_detail.html",
        {
            "client": client,
            "today": timezone.localdate(),
            "consents": client.consents.select_related("shared_with"),
            "restrictions": client.restrictions.all(),
            "orders": client.orders.select_related("product__provider"),
            "consent_form": ConsentForm(),
            "restriction_form": RestrictionForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


def _client_step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    step: Callable[[Client, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    require(request.user, Action.CLIENT_CHANGE)
    client = get_client_for(signed_in(request), pk, shown=False)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, f"Niet opgeslagen. {form_errors(form)}")
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
        lambda client, data: services.record_consent(
            actor=signed_in(request), client=client, **data
        ),
        "Toestemming vastgelegd.",
    )


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    def withdraw(client: Client, data: dict[str, Any]) -> object:
        consent = get_object_or_404(client.consents, pk=consent_pk)
        return services.withdraw_consent(actor=signed_in(request), consent=consent, **data)

    return _client_step(request, pk, WithdrawForm, withdraw, "Toestemming ingetrokken.")


@login_required
@require_POST
def restriction_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_step(
        request,
        pk,
        RestrictionForm,
        lambda client, data: services.record_restriction(
            actor=signed_in(request), client=client, **data
        ),
        "Beperking vastgelegd.",
    )


# -- orders ------------------------------------------------------------------------------


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 19 else None


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """The work queue: open requests, orders without progress, ending this month, refused."""
    require(request.user, Action.ORDER_VIEW)
    visible = orders_for(signed_in(request))
    weeks = _int_or_none(request.GET.get("weken")) or queues.DEFAULT_WEEKS
    try:
        filters = queues.QueueFilter(
            queue=request.GET.get("werkvoorraad") or "aanvragen",
            weeks=weeks,
            status=request.GET.get("status", ""),
            product=_int_or_none(request.GET.get("product")),
            team=_int_or_none(request.GET.get("team")),
            jobcoach=_int_or_none(request.GET.get("jobcoach")),
            mine=request.GET.get("mijn") == "1",
        )
    except DomainError as error:
        messages.error(request, error.message)
        filters = queues.QueueFilter()
    today = timezone.localdate()
    orders = queues.work_queue(visible, signed_in(request), filters, today)
    page = Paginator(orders, 50).get_page(request.GET.get("pagina"))
    record_orders_listed(user=signed_in(request), orders=page)
    query = request.GET.copy()
    query.pop("pagina", None)
    counts = {
        code: queues.work_queue(
            visible, signed_in(request), queues.QueueFilter(queue=code), today
        ).count()
        for code in queues.QUEUES
        if code != "alle"
    }
    return render(
        request,
        "client_direction/order_list.html",
        {
            "page": page,
            "filters": filters,
            "queues": [(code, title, counts.get(code)) for code, title in queues.QUEUES.items()],
            "query": f"{query.urlencode()}&" if query else "",
            "statuses": Order.Status.choices,
            "products": Product.objects.filter(pk__in=visible.values("product_id")).select_related(
                "provider"
            ),
            "teams": Team.objects.filter(pk__in=visible.values("team_id")),
            "jobcoaches": get_user_model().objects.filter(pk__in=visible.values("jobcoach_id")),
        },
    )


@login_required
def order_place(request: HttpRequest, pk: int) -> HttpResponse:
    """The klantregisseur orders a product for a client in their regie."""
    require(request.user, Action.ORDER_PLACE)
    client = get_client_for(signed_in(request), pk, shown=True)  # the form names the client
    today = timezone.localdate()
    day = date_or(request.POST.get("start_date"), today)
    form = OrderForm(request.POST or None, day=day)
    order = save_with(
        request,
        form,
        lambda data: services.place_order(
            actor=signed_in(request), client=client, requested_on=today, **data
        ),
    )
    if order is not None:
        messages.success(request, f"Opdracht geplaatst bij {order.product.provider.name}.")
        return redirect("client_direction:order", pk=order.pk)
    return render(request, "client_direction/order_form.html", {"form": form, "client": client})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An order with its progress, and the steps the user's side may take now."""
    require(request.user, Action.ORDER_VIEW)
    order = get_order_for(signed_in(request), pk, shown=True)
    today = timezone.localdate()
    user = signed_in(request)
    handles = has_permission(user, Action.ORDER_HANDLE)
    places = has_permission(user, Action.ORDER_PLACE)
    status = order.status
    S = Order.Status  # noqa: N806
    steps = {
        "accept": handles and status == S.REQUESTED,
        "refuse": handles and status == S.REQUESTED,
        "start": handles and status == S.ACCEPTED,
        "progress": handles and status in (S.ACCEPTED, S.RUNNING),
        "complete": handles and status == S.RUNNING,
        "stop": (handles or places) and status in services.OPEN_STATUSES,
    }
    return render(
        request,
        "client_direction/order_detail.html",
        {
            "order": order,
            "progress": order.progress.select_related("author"),
            "restrictions": services.shared_restrictions(user=user, order=order, day=today),
            "steps": steps,
            "forms": {
                # One page, several forms: ids per form, so labels stay unique.
                "accept": AcceptForm(
                    order=order, initial={"jobcoach": user.pk}, auto_id="accept_%s"
                ),
                "refuse": RefuseForm(auto_id="refuse_%s"),
                "progress": ProgressForm(auto_id="progress_%s"),
                "complete": CompleteForm(auto_id="complete_%s"),
                "stop": StopForm(auto_id="stop_%s"),
            },
        },
    )


def _accept(request: HttpRequest, order: Order) -> str:
    form = valid(AcceptForm(request.POST, order=order))
    services.accept_order(actor=signed_in(request), order=order, **form.cleaned_data)
    return "Opdracht geaccepteerd."


def _refuse(request: HttpRequest, order: Order) -> str:
    form = valid(RefuseForm(request.POST))
    services.refuse_order(actor=signed_in(request), order=order, **form.cleaned_data)
    return "Opdracht geweigerd; de klantregisseur ziet de reden."


def _start(request: HttpRequest, order: Order) -> str:
    services.start_order(actor=signed_in(request), order=order)
    return "Opdracht gestart."


def _progress(request: HttpRequest, order: Order) -> str:
    form = valid(ProgressForm(request.POST))
    services.report_progress(actor=signed_in(request), order=order, **form.cleaned_data)
    return "Voortgang vastgelegd."


def _complete(request: HttpRequest, order: Order) -> str:
    form = valid(CompleteForm(request.POST))
    services.end_order(
        actor=signed_in(request), order=order, result=Order.Result.AS_PLANNED, **form.cleaned_data
    )
    return "Opdracht afgerond."


def _stop(request: HttpRequest, order: Order) -> str:
    form = valid(StopForm(request.POST))
    services.end_order(actor=signed_in(request), order=order, **form.cleaned_data)
    return "Opdracht gestopt."


# Step in the URL → (the action the role needs, what it does).
_STEPS: dict[str, tuple[tuple[Action, ...], Callable[[HttpRequest, Order], str]]] = {
    "accepteren": ((Action.ORDER_HANDLE,), _accept),
    "weigeren": ((Action.ORDER_HANDLE,), _refuse),
    "starten": ((Action.ORDER_HANDLE,), _start),
    "voortgang": ((Action.ORDER_HANDLE,), _progress),
    "afronden": ((Action.ORDER_HANDLE,), _complete),
    "stoppen": ((Action.ORDER_HANDLE, Action.ORDER_PLACE), _stop),
}


@login_required
@require_POST
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the order's life cycle; the services refuse a step out of order."""
    if step not in _STEPS:
        raise Http404
    actions, perform = _STEPS[step]
    if not any(has_permission(request.user, a) for a in actions):
        raise PermissionDenied("Uw rol mag deze stap niet zetten.")
    order = get_order_for(signed_in(request), pk, shown=False)
    report_step(request, lambda: perform(request, order))
    return redirect("client_direction:order", pk=order.pk)


@login_required
def hand_over(request: HttpRequest) -> HttpResponse:
    """Hand over a leaving colleague's caseload: a klantregisseur's clients, or a jobcoach's
    open orders, to a colleague with the same role in the same organisation (audited)."""
    user: User = signed_in(request)
    role = role_of(user)
    if role not in (Role.CLIENT_DIRECTOR, Role.JOB_COACH):
        raise PermissionDenied("Uw rol heeft geen caseload.")
    form = HandOverForm(request.POST or None, user=user)
    hand = (
        services.hand_over_caseload if role == Role.CLIENT_DIRECTOR else services.hand_over_orders
    )
    what = "cliënten" if role == Role.CLIENT_DIRECTOR else "open opdrachten"
    count = save_with(request, form, lambda data: hand(actor=user, **data))
    if count is not None:
        messages.success(
            request, f"{count} {what} overgedragen aan {form.cleaned_data['to_user']}."
        )
        return redirect("client_direction:hand_over")
    return render(request, "client_direction/hand_over.html", {"form": form, "what": what})


STATEMENT_PAGE_SIZE = 100


@login_required
def statement(request: HttpRequest) -> HttpResponse:
    """The monthly statement: per execution organisation and client owner, what is owed for
    the month, per order and per product; as a screen, Excel or PDF."""
    require(request.user, Action.STATEMENT_VIEW)
    today = timezone.localdate()
    month = month_or(request.GET.get("maand"), today.replace(day=1))
    orders = statements.billable_to(signed_in(request))
    providers, owners = statements.counterparts(orders)
    provider = providers.filter(code=request.GET.get("aanbieder") or "").first()
    owner = owners.filter(code=request.GET.get("opdrachtgever") or "").first()
    result = statements.statements_for(orders, month, provider=provider, client_owner=owner)
    # The screen shows every total, and the lines a page at a time (only those are read).
    page = Paginator(
        [(st, line) for st in result for line in st.lines], STATEMENT_PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    record_statement_lines_shown(user=signed_in(request), lines=(line for _, line in page))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "client_direction/statement.html",
        {
            "statements": result,
            "page": page,
            "month": month,
            "month_label": statements.month_label(month),
            "previous": statements.previous_month(month),
            "next": (month + timedelta(days=32)).replace(day=1),
            "providers": providers.order_by("name"),
            "owners": owners.order_by("name"),
            "provider": provider,
            "owner": owner,
            "query": query.urlencode(),
            "page_query": f"{query.urlencode()}&" if query else "",
        },
    )


@login_required
@require_POST
def statement_file(request: HttpRequest) -> HttpResponse:
    """The statement as Excel or PDF: a job (tens of thousands of lines take seconds)."""
    require(request.user, Action.STATEMENT_VIEW)
    fmt = request.POST.get("formaat", "")
    if fmt not in cd_jobs.FORMATS:
        messages.error(request, "Kies Excel of PDF.")
        return redirect("client_direction:statement")
    month = month_or(request.POST.get("maand"), timezone.localdate().replace(day=1))
    return start_from_form(
        request,
        cd_jobs.statement_file,
        params={
            "month": month.isoformat(),
            "format": fmt,
            "provider": request.POST.get("aanbieder", "")[:60],
            "client_owner": request.POST.get("opdrachtgever", "")[:60],
        },
        title=f"Maandoverzicht {statements.month_label(month)} ({cd_jobs.FORMATS[fmt][0]})",
    )
