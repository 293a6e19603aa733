from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.accounts.models import User
from werkregie.core import locking
from werkregie.core.access import Action, Role, has_permission, require, role_of
from werkregie.core.documents import pdf_from_template
from werkregie.core.errors import DomainError
from werkregie.core.forms import form_errors, report_step, save_with, valid
from werkregie.core.jobs import start_from_form
from werkregie.core.params import month_bounds, month_or
from werkregie.employer_services.models import Employer
from werkregie.people.models import Person
from werkregie.secondments import invoicing, services, ubl
from werkregie.secondments import jobs as secondment_jobs
from werkregie.secondments.access import (
    contracts_for,
    invoices_for,
    is_issuer_staff,
    record_invoice_shown,
    require_issuer_staff,
    secondments_shown,
)
from werkregie.secondments.forms import (
    ContractForm,
    CreditForm,
    EndForm,
    IssueForm,
    MonthForm,
    RenewForm,
    SecondmentForm,
    SendForm,
)
from werkregie.secondments.models import (
    HoursRegistration,
    Invoice,
    InvoiceLine,
    Issuer,
    Secondment,
    SecondmentContract,
)


def _contract(request: HttpRequest, pk: int) -> SecondmentContract:
    return get_object_or_404(
        contracts_for(signed_in(request)).select_related("hirer", "issuer"),
        pk=pk,
    )


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    """Secondment contracts: per hirer, rate, period and how many are seconded."""
    require(request.user, Action.SECONDMENT_VIEW)
    contracts = (
        contracts_for(signed_in(request))
        .select_related("hirer", "issuer__organisation")
        .order_by("hirer__search_name", "number")
    )
    if request.GET.get("status") != "alle":
        today = timezone.localdate()
        contracts = contracts.exclude(end_date__lt=today)
    page = Paginator(contracts, 50).get_page(request.GET.get("pagina"))
    counts = {
        row["contract_id"]: row["n"]
        for row in Secondment.objects.filter(contract__in=list(page))
        .values("contract_id")
        .annotate(n=Count("id"))
    }
    return render(
        request,
        "secondments/contract_list.html",
        {"rows": [(c, counts.get(c.pk, 0)) for c in page], "page": page},
    )


@login_required
def contract_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.SECONDMENT_CHANGE)
    user: User = signed_in(request)
    form = ContractForm(request.POST or None, organisation_id=user.organisation_id)

    def create(data: dict[str, Any]) -> SecondmentContract:
        hirer = Employer.objects.current().filter(kvk_number=data.pop("hirer_kvk")).first()
        if hirer is None:
            raise DomainError("Geen werkgever met dit KvK-nummer; leg de werkgever eerst vast.")
        return services.create_contract(actor=user, hirer=hirer, **data)

    contract = save_with(request, form, create)
    if contract is not None:
        messages.success(request, f"Contract {contract.number} vastgelegd.")
        return redirect("secondments:contract", pk=contract.pk)
    return render(request, "secondments/contract_form.html", {"form": form})


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A contract; for the issuer's staff also who is seconded and the hours of a month."""
    require(request.user, Action.SECONDMENT_VIEW)
    contract = _contract(request, pk)
    month = month_or(request.GET.get("maand"), timezone.localdate().replace(day=1))
    first, last = month_bounds(month)
    secondments = secondments_shown(user=signed_in(request), contract=contract)
    hours = {
        h.secondment_id: h.hours
        for h in HoursRegistration.objects.filter(secondment__in=secondments, month=first)
    }
    active = [
        s
        for s in secondments
        if s.start_date <= last and (s.end_date is None or s.end_date >= first)
    ]
    return render(
        request,
        "secondments/contract_detail.html",
        {
            "contract": contract,
            "secondments": secondments,
            "active": [(s, hours.get(s.pk)) for s in active],
            "month": first,
            "fingerprint": locking.fingerprint(contract),
            "issuer_staff": is_issuer_staff(signed_in(request), contract),
            "forms": {
                "secondment": SecondmentForm(auto_id="secondment_%s"),
                "end": EndForm(auto_id="end_%s"),
                "renew": RenewForm(
                    initial={"hourly_rate": contract.hourly_rate}, auto_id="renew_%s"
                ),
            },
        },
    )


def _add(request: HttpRequest, contract: SecondmentContract) -> str:
    form = valid(SecondmentForm(request.POST))
    data = dict(form.cleaned_data)
    person = Person.objects.filter(personnel_number=data.pop("personnel_number").strip()).first()
    if person is None:
        raise DomainError("Geen medewerker met dit personeelsnummer.")
    services.add_secondment(actor=signed_in(request), contract=contract, person=person, **data)
    return f"{person.full_name} is gedetacheerd onder {contract.number}."


def _hours(request: HttpRequest, contract: SecondmentContract) -> str:
    month = valid(MonthForm(request.POST)).cleaned_data["month"]
    saved = 0
    for secondment in Secondment.objects.filter(contract=contract):
        raw = request.POST.get(f"uren_{secondment.pk}", "").strip()
        if not raw:
            continue
        try:
            hours = Decimal(raw.replace(",", "."))
        except InvalidOperation as exc:
            raise DomainError(f"{secondment.person}: '{raw}' is geen aantal uren.") from exc
        services.register_hours(
            actor=signed_in(request), secondment=secondment, month=month, hours=hours
        )
        saved += 1
    return f"Uren van {saved} medewerker{'s' if saved != 1 else ''} vastgelegd voor {month:%m-%Y}."


def _renew(request: HttpRequest, contract: SecondmentContract) -> str:
    form = valid(RenewForm(request.POST))
    successor = services.renew_contract(
        actor=signed_in(request), contract=contract, **form.cleaned_data
    )
    people = successor.secondments.count()
    return f"Verlengd als contract {successor.number}, met {people} medewerkers."


def _end(request: HttpRequest, contract: SecondmentContract) -> str:
    form = valid(EndForm(request.POST))
    services.end_contract(actor=signed_in(request), contract=contract, **form.cleaned_data)
    return "Contract beëindigd."


_CONTRACT_STEPS: dict[str, tuple[Action, Callable[[HttpRequest, SecondmentContract], str]]] = {
    "medewerker": (Action.SECONDMENT_CHANGE, _add),
    "uren": (Action.HOURS_REGISTER, _hours),
    "beeindigen": (Action.SECONDMENT_CHANGE, _end),
    "verlengen": (Action.SECONDMENT_CHANGE, _renew),
}
_FRESH_STEPS = {"uren"}


@login_required
@require_POST
def contract_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in _CONTRACT_STEPS:
        raise Http404
    needed, perform = _CONTRACT_STEPS[step]
    require(request.user, needed, "Uw rol mag dit niet vastleggen.")
    contract = _contract(request, pk)
    require_issuer_staff(signed_in(request), contract)
    # Registering hours overwrites what was there: refused when the hours changed since the
    # page showed them (core.locking; the contract's lock scope is its hours).
    edited = contract if step in _FRESH_STEPS else None
    report_step(request, lambda: perform(request, contract), edited=edited)
    month = request.POST.get("month", "")
    target = redirect("secondments:contract", pk=pk)
    if month:
        target["Location"] += f"?maand={month}"
    return target


# -- invoices ----------------------------------------------------------------------------


def _issuer(request: HttpRequest) -> Issuer:
    issuer = Issuer.of(signed_in(request))
    if issuer is None:
        raise Http404("Uw organisatie factureert geen detacheringen.")
    return issuer


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    """The month's invoices of the user's organisation: make them, check, send."""
    require(request.user, Action.INVOICE_VIEW)
    month = month_or(request.GET.get("maand"), timezone.localdate().replace(day=1))
    invoices = (
        invoices_for(signed_in(request))
        .filter(month=month)
        .select_related("hirer", "credits")
        .order_by("status", "number", "hirer__search_name")
    )
    return render(
        request,
        "secondments/invoice_list.html",
        {
            "invoices": invoices,
            "month": month,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": month_bounds(month)[1] + timedelta(days=1),
            "issue_form": IssueForm(initial={"month": month}, auto_id="issue_%s"),
            "run_form": MonthForm(initial={"month": month}, auto_id="run_%s"),
        },
    )


def _send_all(request: HttpRequest, issuer: Issuer) -> str:
    data = valid(IssueForm(request.POST)).cleaned_data
    sent = services.send_drafts(
        actor=signed_in(request), issuer=issuer, month=data["month"], issued_on=data["issued_on"]
    )
    if not sent:
        return "Er waren geen concepten om te versturen."
    return f"{len(sent)} facturen verzonden: {sent[0].number} tot en met {sent[-1].number}."


@login_required
@require_POST
def invoice_run(request: HttpRequest, step: str) -> HttpResponse:
    if step not in ("maken", "versturen"):
        raise Http404
    require(request.user, Action.INVOICE_ISSUE, "Uw rol maakt geen facturen.")
    issuer = _issuer(request)
    if step == "maken":
        # The month's run is a job (seconds at national scale): its page shows the outcome.
        form = MonthForm(request.POST)
        if form.is_valid():
            month = form.cleaned_data["month"]
            return start_from_form(
                request,
                secondment_jobs.make_invoices,
                params={"issuer": issuer.pk, "month": month.isoformat()},
            )
        messages.error(request, f"Niet gemaakt. {form_errors(form)}")
    else:
        report_step(request, lambda: _send_all(request, issuer))
    return redirect(f"{reverse('secondments:invoices')}?maand={request.POST.get('month', '')}")


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(
        invoices_for(signed_in(request)).select_related("hirer", "issuer__organisation", "credits"),
        pk=pk,
    )


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One invoice with its lines (names: an audited read), as PDF or UBL e-invoice."""
    require(request.user, Action.INVOICE_VIEW)
    invoice = _invoice(request, pk)
    record_invoice_shown(user=signed_in(request), invoice=invoice)
    lines = list(invoice.lines.select_related("employer"))
    fmt = request.GET.get("formaat")
    if fmt == "ubl":
        if invoice.status != Invoice.Status.SENT:
            raise Http404("Een concept heeft nog geen e-factuur.")
        response = HttpResponse(ubl.to_ubl(invoice), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
        return response
    context = {
        "invoice": invoice,
        "lines": lines,
        "buyer": invoice.buyer or services.buyer_of(invoice.hirer),
        "totals": invoicing.totals((line.amount, line.vat_rate) for line in lines),
    }
    if fmt == "pdf":
        response = HttpResponse(
            pdf_from_template("secondments/invoice.pdf.html", context),
            content_type="application/pdf",
        )
        name = invoice.number or f"concept-{invoice.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(
        request,
        "secondments/invoice_detail.html",
        {
            **context,
            "send_form": SendForm(auto_id="send_%s"),
            "credit_form": CreditForm(auto_id="credit_%s"),
            "credited_by": Invoice.objects.filter(credits=invoice).first(),
        },
    )


def _send(request: HttpRequest, invoice: Invoice) -> str:
    data = valid(SendForm(request.POST)).cleaned_data
    sent = services.send_invoice(actor=signed_in(request), invoice=invoice, **data)
    return f"Verzonden als {sent.number}."


def _credit(request: HttpRequest, invoice: Invoice) -> str:
    data = valid(CreditForm(request.POST)).cleaned_data
    note = services.credit_invoice(actor=signed_in(request), invoice=invoice, **data)
    return f"Creditnota {note.number} gemaakt; de maand kan opnieuw worden gefactureerd."


def _delete(request: HttpRequest, invoice: Invoice) -> str:
    services.delete_draft(actor=signed_in(request), invoice=invoice)
    return "Concept verwijderd."


_INVOICE_STEPS: dict[str, Callable[[HttpRequest, Invoice], str]] = {
    "versturen": _send,
    "crediteren": _credit,
    "verwijderen": _delete,
}


@login_required
@require_POST
def invoice_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in _INVOICE_STEPS:
        raise Http404
    require(request.user, Action.INVOICE_ISSUE, "Uw rol verstuurt of crediteert geen facturen.")
    invoice = _invoice(request, pk)
    done = report_step(request, lambda: _INVOICE_STEPS[step](request, invoice))
    if step == "verwijderen" and done:
        return redirect(f"{reverse('secondments:invoices')}?maand={invoice.month:%Y-%m}")
    return redirect("secondments:invoice", pk=pk)


@login_required
def revenue(request: HttpRequest) -> HttpResponse:
    """The secondment revenue per month and per employing municipality; a controller sees
    their own municipality's, HR and the board all."""
    require(request.user, Action.REVENUE_VIEW)
    lines = InvoiceLine.objects.revenue_visible_to(signed_in(request))
    year = request.GET.get("jaar", "")
    today = timezone.localdate()
    chosen = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    rows = services.revenue(lines.filter(invoice__month__year=chosen))
    return render(
        request,
        "secondments/revenue.html",
        {
            "rows": rows,
            "year": chosen,
            "total": sum((r.amount for r in rows), Decimal(0)),
            "controller": role_of(request.user) == Role.CONTROLLER,
            "may_issue": has_permission(request.user, Action.INVOICE_ISSUE),
        },
    )
