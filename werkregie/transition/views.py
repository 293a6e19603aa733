from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, require
from werkregie.core.errors import DomainError
from werkregie.core.jobs import start_from_form
from werkregie.transition import jobs as transition_jobs
from werkregie.transition.access import plan_entries_for, record_entries_listed, record_entry_shown
from werkregie.transition.council import council_pdf
from werkregie.transition.execution import refuse_unless_executable
from werkregie.transition.forms import PlanForm, ResolveForm, RosterUploadForm
from werkregie.transition.models import PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.plan_services import (
    approve_plan,
    check_guarantees,
    entry_violations,
    propose_plan,
    resolve_flags,
    withdraw_plan,
)
from werkregie.transition.reconciliation import reconcile
from werkregie.transition.report_export import as_json, as_xlsx


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload the old company's exports; every error at once, or the counts of what changed."""
    require(request.user, Action.TRANSITION_IMPORT)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(str(f.name), f.read()) for f in form.cleaned_data["exports"]]
        return start_from_form(
            request,
            transition_jobs.import_roster,
            params={"dry_run": form.cleaned_data["dry_run"]},
            files=files,
        )
    return render(request, "transition/roster_import.html", {"form": form})


def _current_plan() -> TransitionPlan | None:
    return TransitionPlan.objects.exclude(status=TransitionPlan.Status.SUPERSEDED).first()


@login_required
def plan_overview(request: HttpRequest) -> HttpResponse:
    """The current plan: totals, flags by kind, guarantees, and every person with a filter."""
    require(request.user, Action.TRANSITION_PLAN)
    plan = _current_plan()
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["effective_date"]
        return start_from_form(
            request,
            transition_jobs.make_plan,
            params={"effective_date": day.isoformat() if day else None},
        )
    context: dict[str, object] = {"plan": plan, "form": form}
    if plan is not None:
        entries = (
            PlanEntry.objects.filter(plan=plan)
            .select_related("plan", "legacy__residence", "employer", "organisation")
            .annotate(open_flags=Count("flags", filter=Q(flags__resolved=False)))
            # An aggregate query ignores Meta.ordering; pages need a stable order.
            .order_by("legacy__personnel_number")
        )
        code = request.GET.get("signaal", "")
        if code == "open":
            entries = entries.filter(open_flags__gt=0)
        elif code:
            entries = entries.filter(flags__code=code, flags__resolved=False)
        page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
        record_entries_listed(user=signed_in(request), entries=page)
        context.update(
            code=code,
            code_label=PlanFlag.label(code) if code and code != "open" else "",
            page=page,
            flag_counts=[
                {**row, "label": PlanFlag.label(row["code"])}
                for row in PlanFlag.objects.filter(entry__plan=plan)
                .values("code")
                .annotate(open=Count("id", filter=Q(resolved=False)), total=Count("id"))
                .order_by("code")
            ],
            guarantees=check_guarantees(plan),
            resolve_form=ResolveForm(),
        )
    return render(request, "transition/plan.html", context)


@login_required
def plan_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: old situation, proposal, the rules behind it, and the flags to decide."""
    require(request.user, Action.TRANSITION_PLAN)
    entry = (
        plan_entries_for(signed_in(request))
        .select_related(
            "legacy",
            "legacy__residence",
            "legacy__work_municipality",
            "duplicate_of__legacy",
            "employer",
            "organisation",
            "site",
            "plan",
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    form = ResolveForm(
        request.POST or None,
        entry=entry,
        initial={
            "employer": entry.employer,
            "organisation": entry.organisation,
            "site": entry.site,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            resolve_flags(
                actor=signed_in(request),
                flags=entry.flags.filter(resolved=False),
                decision=form.cleaned_data["decision"],
                employer=form.cleaned_data["employer"],
                organisation=form.cleaned_data["organisation"],
                site=form.cleaned_data["site"],
                duplicate_of=form.cleaned_data.get("duplicate_of"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("transition:entry", pk=entry.pk)
    flags = list(entry.flags.select_related("decided_by"))
    record_entry_shown(user=signed_in(request), entry=entry)
    return render(
        request,
        "transition/plan_entry.html",
        {
            "entry": entry,
            "form": form,
            "flags": flags,
            "has_open": any(not f.resolved for f in flags),
            "violations": entry_violations(entry),
        },
    )


@login_required
@require_POST
def resolve_bulk(request: HttpRequest) -> HttpResponse:
    """Resolve all open flags of one kind in the current plan with one reason; the proposals
    stand as they are."""
    require(request.user, Action.TRANSITION_PLAN)
    plan = _current_plan()
    form = ResolveForm(request.POST)
    code = request.POST.get("code", "")
    if plan is None or not code or not form.is_valid():
        messages.error(request, "Kies een soort signaal en geef een reden.")
        return redirect("transition:plan")
    flags = PlanFlag.objects.filter(entry__plan=plan, code=code, resolved=False).select_related(
        "entry__plan"
    )
    try:
        count = resolve_flags(
            actor=signed_in(request), flags=list(flags), decision=form.cleaned_data["decision"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{count} signalen afgehandeld.")
    return redirect("transition:plan")


def _lifecycle(
    request: HttpRequest, action: Action, step: Callable[..., TransitionPlan], done: str
) -> HttpResponse:
    require(request.user, action)
    plan = _current_plan()
    if plan is None:
        messages.error(request, "Er is geen transitieplan.")
    else:
        try:
            step(actor=signed_in(request), plan=plan)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect(
        "transition:approval" if action == Action.TRANSITION_APPROVE else "transition:plan"
    )


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    return _lifecycle(
        request, Action.TRANSITION_PLAN, propose_plan, "Plan voorgelegd ter goedkeuring."
    )


@login_required
@require_POST
def approve(request: HttpRequest) -> HttpResponse:
    return _lifecycle(request, Action.TRANSITION_APPROVE, approve_plan, "Plan goedgekeurd.")


@login_required
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    return _lifecycle(
        request,
        Action.TRANSITION_PLAN,
        withdraw_plan,
        "Plan teruggezet naar concept; leg het na de besluiten opnieuw voor.",
    )


@login_required
@require_POST
def execute(request: HttpRequest) -> HttpResponse:
    """Execution runs as a job: its progress shows, its outcome is the plan's."""
    require(request.user, Action.TRANSITION_EXECUTE)
    plan = _current_plan()
    if plan is None:
        messages.error(request, "Er is geen transitieplan.")
        return redirect("transition:plan")
    try:
        refuse_unless_executable(plan)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("transition:plan")
    return start_from_form(request, transition_jobs.execute, params={"plan": plan.pk})


@login_required
def approval(request: HttpRequest) -> HttpResponse:
    """The approver's page: totals, flags and guarantees, no personal details."""
    require(request.user, Action.TRANSITION_APPROVE)
    plan = _current_plan()
    context: dict[str, object] = {"plan": plan}
    if plan is not None:
        context.update(report=reconcile(plan), guarantees=check_guarantees(plan))
    return render(request, "transition/approval.html", context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Reconciliation per municipality and organisation; download as JSON or Excel."""
    require(request.user, Action.TRANSITION_REPORT)
    plan = _current_plan()
    if plan is None:
        return render(request, "transition/report.html", {"plan": None})
    data = reconcile(plan)
    fmt = request.GET.get("formaat")
    if fmt == "pdf":
        code = request.GET.get("gemeente")
        response = HttpResponse(
            council_pdf(plan, [code] if code else None), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="transitie-raad-{code or "regio"}.pdf"'
        )
        return response
    if fmt in EXPORTS:
        content_type, render_file = EXPORTS[fmt]
        response = HttpResponse(render_file(data), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="transitie-plan-{plan.pk}.{fmt}"'
        return response
    return render(request, "transition/report.html", {"plan": plan, "report": data})


EXPORTS: dict[str, tuple[str, Callable[[dict[str, Any]], bytes]]] = {
    "json": ("application/json", as_json),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}
