from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from werkregie.core.access import Action, has_permission
from werkregie.core.errors import DomainError
from werkregie.transition.forms import PlanForm, ResolveForm, RosterUploadForm
from werkregie.transition.models import PlanEntry, PlanFlag, TransitionPlan
from werkregie.transition.plan_services import check_guarantees, plan_transition, resolve_flags
from werkregie.transition.services import import_roster


def _require(request: HttpRequest, action: Action) -> None:
    if not has_permission(request.user, action):
        raise PermissionDenied


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload the old company's exports; every error at once, or the counts of what changed."""
    _require(request, Action.TRANSITION_IMPORT)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        files = [(str(f.name), f.read()) for f in form.cleaned_data["exports"]]
        report = import_roster(
            files=files, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    return render(request, "transition/roster_import.html", {"form": form, "report": report})


def _current_plan() -> TransitionPlan | None:
    return TransitionPlan.objects.exclude(status=TransitionPlan.Status.SUPERSEDED).first()


@login_required
def plan_overview(request: HttpRequest) -> HttpResponse:
    """The current plan: totals, flags by kind, guarantees, and every person with a filter."""
    _require(request, Action.TRANSITION_PLAN)
    plan = _current_plan()
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_transition(
                actor=request.user, effective_date=form.cleaned_data["effective_date"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, f"Nieuw transitieplan gemaakt met beleidsregels {plan.policy_version}."
            )
            return redirect("transition:plan")
    context: dict[str, object] = {"plan": plan, "form": form}
    if plan is not None:
        entries = (
            PlanEntry.objects.filter(plan=plan)
            .select_related("legacy", "legacy__residence", "employer", "organisation")
            .annotate(open_flags=Count("flags", filter=Q(flags__resolved=False)))
        )
        code = request.GET.get("signaal", "")
        if code == "open":
            entries = entries.filter(open_flags__gt=0)
        elif code:
            entries = entries.filter(flags__code=code, flags__resolved=False)
        context.update(
            code=code,
            page=Paginator(entries, 50).get_page(request.GET.get("pagina")),
            flag_counts=PlanFlag.objects.filter(entry__plan=plan)
            .values("code")
            .annotate(open=Count("id", filter=Q(resolved=False)), total=Count("id"))
            .order_by("code"),
            guarantees=check_guarantees(plan),
            resolve_form=ResolveForm(),
        )
    return render(request, "transition/plan.html", context)


@login_required
def plan_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: old situation, proposal, the rules behind it, and the flags to decide."""
    _require(request, Action.TRANSITION_PLAN)
    entry = (
        PlanEntry.objects.visible_to(request.user)
        .select_related(
            "legacy",
            "legacy__residence",
            "legacy__work_municipality",
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
        initial={"employer": entry.employer, "organisation": entry.organisation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            resolve_flags(
                actor=request.user,
                flags=entry.flags.filter(resolved=False),
                decision=form.cleaned_data["decision"],
                employer=form.cleaned_data["employer"],
                organisation=form.cleaned_data["organisation"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("transition:entry", pk=entry.pk)
    return render(
        request,
        "transition/plan_entry.html",
        {"entry": entry, "form": form, "flags": entry.flags.all()},
    )


@login_required
@require_POST
def resolve_bulk(request: HttpRequest) -> HttpResponse:
    """Resolve all open flags of one kind in the current plan with one reason; the proposals
    stand as they are."""
    _require(request, Action.TRANSITION_PLAN)
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
            actor=request.user, flags=list(flags), decision=form.cleaned_data["decision"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{count} signalen afgehandeld.")
    return redirect("transition:plan")
