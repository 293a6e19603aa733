"""Planning & control screens: performance agreements, the quarterly and year reports, the
Wsw forecast, scenarios, the real-estate plan and the roadmap with its decisions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, has_permission, require
from werkregie.core.forms import save_with
from werkregie.core.jobs import start_from_form
from werkregie.organisations.models import Municipality, Site
from werkregie.planning import jobs as planning_jobs
from werkregie.planning import outlook, real_estate, scenarios, services
from werkregie.planning.access import agreements_for, scenarios_for
from werkregie.planning.forms import (
    ActivityForm,
    AgreementForm,
    DecisionForm,
    DocumentForm,
    ScenarioForm,
    SiteCostForm,
    TargetForm,
)
from werkregie.planning.models import (
    Activity,
    AgreementTarget,
    Decision,
    DecisionDocument,
    PerformanceAgreement,
    Scenario,
    SiteCost,
    planning_municipalities,
)


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _year(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and 2021 <= int(raw) <= 2100 else default


def _chosen(request: HttpRequest, query: Any = None) -> tuple[list[Municipality], str]:
    """The municipalities asked for (one, or all the user sees) and the label."""
    query = request.GET if query is None else query
    found = outlook.choose(signed_in(request), query.get("gemeente", ""))
    if found is None:
        raise Http404
    return found


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PLANNING_VIEW)
    visible = agreements_for(signed_in(request)).select_related("municipality", "provider")
    form = None
    if has_permission(request.user, Action.AGREEMENT_CHANGE):
        form = AgreementForm(
            request.POST or None,
            municipalities=planning_municipalities(signed_in(request)),
            providers=services.providers(),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        saved = save_with(
            request, form, lambda d: services.save_agreement(actor=signed_in(request), **d)
        )
        if saved is not None:
            messages.success(request, f"Prestatieafspraak vastgelegd: {saved}.")
            return redirect("planning:agreement", pk=saved.pk)
    return render(request, "planning/agreements.html", {"agreements": visible, "form": form})


def _agreement(request: HttpRequest, pk: int) -> PerformanceAgreement:
    agreement: PerformanceAgreement = get_object_or_404(
        agreements_for(signed_in(request)).select_related("municipality", "provider"),
        pk=pk,
    )
    return agreement


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.PLANNING_VIEW)
    agreement = _agreement(request, pk)
    may_change = has_permission(request.user, Action.AGREEMENT_CHANGE)
    form = TargetForm(request.POST or None, provider=agreement.provider) if may_change else None
    if form is None and request.method == "POST":
        raise PermissionDenied
    if form is not None:  # gives the form the agreement's fingerprint, saves a POST
        saved = save_with(
            request,
            form,
            lambda d: services.save_target(actor=signed_in(request), agreement=agreement, **d),
            edited=agreement,
        )
        if saved is not None:
            messages.success(request, f"Afspraak vastgelegd: {saved}.")
            return redirect("planning:agreement", pk=agreement.pk)
    return render(
        request,
        "planning/agreement.html",
        {
            "agreement": agreement,
            "targets": agreement.targets.select_related("product"),
            "form": form,
            "may_change": may_change,
            "quarter": services.quarter_of(timezone.localdate()),
        },
    )


@login_required
@require_POST
def agreement_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    require(request.user, Action.AGREEMENT_CHANGE)
    agreement = _agreement(request, pk)
    from werkregie.core.forms import report_step

    if step == "vaststellen":

        def agree() -> str:
            services.save_agreement(
                actor=signed_in(request), agreement=agreement, status=agreement.Status.AGREED
            )
            return "De prestatieafspraak is vastgesteld."

        report_step(request, agree, edited=agreement)
    elif step == "verwijder-afspraak":
        target = get_object_or_404(
            AgreementTarget, agreement=agreement, pk=request.POST.get("target", "0") or 0
        )
        report_step(
            request,
            lambda: (
                services.remove_target(actor=signed_in(request), target=target)
                or "De afspraak is verwijderd."
            ),
            edited=agreement,
        )
    else:
        raise Http404
    return redirect("planning:agreement", pk=agreement.pk)


@login_required
def pc_report(request: HttpRequest) -> HttpResponse:
    """Tussenrapportage or year report: target, realised and forecast with charts. Made as a
    job (seconds at national scale): its page shows the report, PDF and Excel."""
    require(request.user, Action.PLANNING_VIEW)
    today = timezone.localdate()
    query = request.POST if request.method == "POST" else request.GET
    _, label = _chosen(request, query)
    year = _year(query.get("jaar"), today.year)
    raw_quarter = query.get("kwartaal", "")
    default_quarter = services.quarter_of(today) if year == today.year else 4
    quarter = int(raw_quarter) if raw_quarter in ("1", "2", "3", "4") else default_quarter
    if request.method == "POST":
        return start_from_form(
            request,
            planning_jobs.pc_report,
            params={
                "municipality": query.get("gemeente", ""),
                "year": year,
                "quarter": quarter,
            },
            title=f"Rapportage prestatieafspraken {year} t/m kwartaal {quarter} – {label}",
        )
    return render(
        request,
        "planning/report.html",
        {
            "municipalities": planning_municipalities(signed_in(request)).order_by("name"),
            "chosen": query.get("gemeente", ""),
            "year": year,
            "quarter": quarter,
            "years": range(today.year, 2020, -1),
        },
    )


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    """The Wsw forecast to 2040, made as a job (the survival fit takes seconds)."""
    require(request.user, Action.PLANNING_VIEW)
    query = request.POST if request.method == "POST" else request.GET
    _, label = _chosen(request, query)
    if request.method == "POST":
        return start_from_form(
            request,
            planning_jobs.forecast,
            params={"municipality": query.get("gemeente", "")},
            title=f"Prognose Wsw tot en met 2040 – {label}",
        )
    return render(
        request,
        "planning/forecast.html",
        {
            "municipalities": planning_municipalities(signed_in(request)).order_by("name"),
            "chosen": query.get("gemeente", ""),
        },
    )


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PLANNING_VIEW)
    form = _scenario_form(request, None)
    if form is not None and request.method == "POST":
        saved = save_with(
            request, form, lambda d: services.save_scenario(actor=signed_in(request), **d)
        )
        if saved is not None:
            messages.success(request, f"Scenario opgeslagen: {saved}.")
            return redirect("planning:scenarios")
    listed = list(scenarios_for(signed_in(request)))
    table = svg = None
    first = _scenario_param(request, "a", listed)
    second = _scenario_param(request, "b", listed)
    municipalities, label = _chosen(request)
    if first is not None and second is not None:
        today = timezone.localdate()
        table, svg = scenarios.comparison(
            scenarios.evaluate(first, today),
            scenarios.evaluate(second, today),
            [m.pk for m in municipalities],
            label,
        )
    return render(
        request,
        "planning/scenarios.html",
        {
            "scenarios": listed,
            "form": form,
            "table": table,
            "svg": svg,
            "first": first,
            "second": second,
            "municipalities": planning_municipalities(signed_in(request)).order_by("name"),
            "chosen": request.GET.get("gemeente", ""),
        },
    )


def _scenario_param(request: HttpRequest, name: str, listed: list[Scenario]) -> Scenario | None:
    raw = request.GET.get(name, "")
    return next((s for s in listed if str(s.pk) == raw), None)


def _scenario_form(request: HttpRequest, scenario: Scenario | None) -> ScenarioForm | None:
    if not has_permission(request.user, Action.SCENARIO_CHANGE):
        if request.method == "POST":
            raise PermissionDenied
        return None
    return ScenarioForm(request.POST or None, instance=scenario)


@login_required
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.SCENARIO_CHANGE)
    scenario = get_object_or_404(scenarios_for(signed_in(request)), pk=pk)
    original = Scenario.objects.get(pk=pk)
    form = _scenario_form(request, scenario)
    assert form is not None
    saved = save_with(
        request,
        form,
        lambda d: services.save_scenario(actor=signed_in(request), scenario=original, **d),
        edited=original,
    )
    if saved is not None:
        messages.success(request, f"Scenario opgeslagen: {saved}.")
        return redirect("planning:scenarios")
    return render(request, "planning/scenario_edit.html", {"form": form, "scenario": original})


@login_required
def real_estate_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PLANNING_VIEW)
    today = timezone.localdate()
    may_change = has_permission(request.user, Action.REAL_ESTATE_CHANGE)
    form = SiteCostForm(request.POST or None) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        saved = save_with(
            request,
            form,
            lambda d: services.save_site_cost(actor=signed_in(request), **d),
        )
        if saved is not None:
            messages.success(request, f"Vastgoedgegevens opgeslagen: {saved.site}.")
            return redirect("planning:real_estate")
    needs = real_estate.needs_on(today)
    occupancy, svg = real_estate.occupancy_table(
        list(range(max(2021, today.year - 4), today.year + 1))
    )
    return render(
        request,
        "planning/real_estate.html",
        {
            "table": real_estate.need_table(needs, today),
            "per_organisation": real_estate.organisation_needs(needs),
            "occupancy": occupancy,
            "svg": svg,
            "form": form,
            "costs": SiteCost.objects.select_related("site"),
            "sites": Site.objects.order_by("name"),
        },
    )


@login_required
def roadmap(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ROADMAP_VIEW)
    may_change = has_permission(request.user, Action.ROADMAP_CHANGE)
    activity_form = decision_form = None
    if may_change:
        activity_form = ActivityForm(request.POST if "activiteit" in request.POST else None)
        decision_form = DecisionForm(request.POST if "besluit" in request.POST else None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        saved: Any = None
        if "activiteit" in request.POST and activity_form is not None:
            saved = save_with(
                request,
                activity_form,
                lambda d: services.save_activity(actor=signed_in(request), **d),
            )
        elif decision_form is not None:
            saved = save_with(
                request,
                decision_form,
                lambda d: services.save_decision(actor=signed_in(request), **d),
            )
        if saved is not None:
            messages.success(request, f"Vastgelegd: {saved}.")
            return redirect("planning:roadmap")
    return render(
        request,
        "planning/roadmap.html",
        {
            "activities": Activity.objects.prefetch_related("decisions"),
            "decisions": Decision.objects.select_related("municipality", "activity")
            .prefetch_related("documents")
            .order_by("date", "body", "id"),
            "activity_form": activity_form,
            "decision_form": decision_form,
        },
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.ROADMAP_VIEW)
    decision = get_object_or_404(Decision.objects.select_related("municipality", "activity"), pk=pk)
    may_change = has_permission(request.user, Action.ROADMAP_CHANGE)
    form = DocumentForm(request.POST or None, request.FILES or None) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        saved = save_with(
            request,
            form,
            lambda d: services.attach_document(
                actor=signed_in(request),
                decision=decision,
                name=d["document"].name,
                content=d["document"].read(),
            ),
        )
        if saved is not None:
            messages.success(request, f"Document toegevoegd: {saved}.")
            return redirect("planning:decision", pk=decision.pk)
    return render(
        request,
        "planning/decision.html",
        {"decision": decision, "documents": decision.documents.all(), "form": form},
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.ROADMAP_VIEW)
    document = get_object_or_404(DecisionDocument, pk=pk)
    return _download(bytes(document.content), document.name, document.content_type)
