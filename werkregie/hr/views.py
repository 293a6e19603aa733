"""HR screens: wage tables, changes (mutaties), indexation, payroll files, wage costs, the
Wsw-statistiek and the rijksbijdrage."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, has_permission, require
from werkregie.core.documents import XLSX
from werkregie.core.errors import DomainError
from werkregie.core.forms import form_errors, report_step, save_with, valid
from werkregie.core.jobs import start_from_form
from werkregie.core.params import date_or, month_or
from werkregie.core.reports import Table
from werkregie.hr import contribution, payroll, payroll_file, services, statistics
from werkregie.hr import jobs as hr_jobs
from werkregie.hr.access import (
    employment_changes_for,
    indexation_runs_for,
    payroll_exports_for,
    record_changes_listed,
    record_indexation_lines_shown,
)
from werkregie.hr.forms import ChangeForm, ChargeForm, IndexationForm, MonthForm, PayrollForm
from werkregie.hr.models import (
    EmployerCharge,
    EmploymentChange,
    MinimumWage,
    StatisticsDelivery,
    hr_employers,
    report_municipalities,
)
from werkregie.hr.wages import WageTables, pension_date
from werkregie.organisations.models import Municipality
from werkregie.people.access import persons_for
from werkregie.people.models import Employment


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def table_download(table: Table, name: str, fmt: str) -> HttpResponse:
    """A report table as Excel (`xlsx`) or Dutch CSV."""
    if fmt == "xlsx":
        return _download(table.xlsx_bytes(), f"{name}.xlsx", XLSX)
    return _download(table.csv_text().encode("utf-8-sig"), f"{name}.csv", "text/csv; charset=utf-8")


@login_required
def wage_tables(request: HttpRequest) -> HttpResponse:
    """The WML history and the CAO table on a date (with the WML floor applied)."""
    require(request.user, Action.WAGE_TABLE_VIEW)
    day = date_or(request.GET.get("datum"), timezone.localdate())
    tables = WageTables.load()
    scales = sorted({scale for scale, _ in tables.scales}, key=lambda s: (len(s), s))
    steps = sorted({step for _, step in tables.scales})
    grid = [(scale, [tables.hourly(scale, step, day) for step in steps]) for scale in scales]
    return render(
        request,
        "hr/wage_tables.html",
        {
            "day": day,
            "minimum": MinimumWage.objects.all(),
            "current_minimum": tables.minimum_hourly(day),
            "steps": steps,
            "grid": grid,
        },
    )


def _hr(request: HttpRequest) -> Any:
    require(request.user, Action.EMPLOYMENT_CHANGE)
    if not has_permission(request.user, Action.PAYROLL_EXPORT):
        raise PermissionDenied("Mutaties zijn voor HR en salarisadministratie.")
    return request.user


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Record a change, see the recent ones, run the periodieken, and who reaches AOW age."""
    user = _hr(request)
    employers = hr_employers(user)
    form = ChangeForm(request.POST or None)

    def record(data: dict[str, Any]) -> EmploymentChange:
        person = persons_for(user).filter(personnel_number=data["personnel_number"].strip()).first()
        if person is None:
            raise DomainError("Geen medewerker met dit personeelsnummer bij uw werkgevers.")
        return services.record_employment_change(
            actor=user,
            person=person,
            kind=data["kind"],
            effective_date=data["effective_date"],
            hours_per_week=data.get("hours_per_week"),
            scale=data.get("scale") or "",
            step=data.get("step"),
            team=data.get("team"),
            site=data.get("site"),
            work_form=data.get("work_form") or "",
            leave_type=data.get("leave_type") or "",
            end_reason=data.get("end_reason") or "",
        )

    recorded = save_with(request, form, record)
    if recorded is not None:
        from django.contrib import messages

        messages.success(request, f"Mutatie vastgelegd: {recorded} voor {recorded.person}.")
        return redirect("hr:changes")
    listed = employment_changes_for(user).select_related("person", "employer")
    page = Paginator(listed, 50).get_page(request.GET.get("pagina"))
    record_changes_listed(user=user, changes=list(page))
    today = timezone.localdate()
    retiring = []
    for version in (
        Employment.objects.filter(employer__in=employers, kind=Employment.Kind.WSW)
        .active_on(today)
        .filter(person__birth_date__lte=today.replace(year=today.year - 65))
        .select_related("person")
    ):
        aow = pension_date(version.person.birth_date)
        if aow <= today + timedelta(days=366):
            retiring.append((version.person, aow, aow - timedelta(days=1)))
    retiring.sort(key=lambda pair: pair[1])
    return render(
        request,
        "hr/changes.html",
        {
            "form": form,
            "page": page,
            "retiring": retiring,
            "month_form": MonthForm(initial={"month": today.replace(day=1).strftime("%Y-%m")}),
        },
    )


@login_required
@require_POST
def periodic_increases(request: HttpRequest) -> HttpResponse:
    user = _hr(request)

    def run() -> str:
        month = valid(MonthForm(request.POST)).cleaned_data["month"]
        ids = list(hr_employers(user).values_list("pk", flat=True))
        done = services.apply_periodic_increases(actor=user, employer_ids=ids, month=month)
        return f"{done} periodieke verhogingen van {month:%m-%Y} vastgelegd."

    report_step(request, run)
    return redirect("hr:changes")


@login_required
def indexation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.INDEXATION_PREPARE)
    form = IndexationForm(request.POST or None)
    run = save_with(
        request, form, lambda d: services.propose_indexation(actor=signed_in(request), **d)
    )
    if run is not None:
        return redirect("hr:indexation", pk=run.pk)
    runs = (
        indexation_runs_for(signed_in(request))
        .annotate(lines_count=Count("lines"))
        .order_by("-effective_date", "-id")
    )
    return render(request, "hr/indexation_list.html", {"form": form, "runs": runs})


@login_required
def indexation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.INDEXATION_PREPARE)
    run = get_object_or_404(indexation_runs_for(signed_in(request)), pk=pk)
    lines = run.lines.select_related("person", "employer").order_by(
        "employer__name", "person__search_name"
    )
    page = Paginator(lines, 100).get_page(request.GET.get("pagina"))
    record_indexation_lines_shown(user=signed_in(request), lines=list(page))
    employers = run.totals_per_employer()
    for row in employers:
        row["difference"] = (row["new"] or 0) - (row["old"] or 0)
    return render(
        request,
        "hr/indexation_detail.html",
        {
            "run": run,
            "page": page,
            "employers": employers,
            "may_approve": has_permission(request.user, Action.INDEXATION_APPROVE)
            and run.created_by_id != request.user.pk,
        },
    )


@login_required
@require_POST
def indexation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    require(request.user, Action.INDEXATION_APPROVE)
    run = get_object_or_404(indexation_runs_for(signed_in(request)), pk=pk)
    steps = {
        "goedkeuren": lambda: (
            "Indexatie doorgevoerd: "
            f"{services.approve_indexation(actor=signed_in(request), run=run)} lonen verhoogd."
        ),
        "intrekken": lambda: (
            f"{services.withdraw_indexation(actor=signed_in(request), run=run)} ingetrokken."
        ),
    }
    if step not in steps:
        raise Http404
    report_step(request, steps[step])
    return redirect("hr:indexation", pk=run.pk)


@login_required
def payroll_view(request: HttpRequest) -> HttpResponse:
    """Preview the month's file of an employer (a job: a large employer's file takes
    seconds), make it final, download final files."""
    require(request.user, Action.PAYROLL_EXPORT)
    employers = hr_employers(signed_in(request)).order_by("name")
    today = timezone.localdate()
    initial = {"month": today.replace(day=1).strftime("%Y-%m"), "employer": employers.first()}
    form = PayrollForm(request.POST or None, employers=employers, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            return start_from_form(
                request,
                hr_jobs.preview_payroll,
                params={"employer": data["employer"].pk, "month": data["month"].isoformat()},
                title=f"Voorbeeld salarisbestand {data['employer']} {data['month']:%m-%Y}",
            )
        messages.error(request, f"Geen voorbeeld gemaakt. {form_errors(form)}")
    exports = payroll_exports_for(signed_in(request)).select_related("employer", "created_by")
    return render(
        request,
        "hr/payroll.html",
        {
            "form": form,
            "exports": Paginator(exports, 24).get_page(request.GET.get("pagina")),
        },
    )


@login_required
@require_POST
def payroll_finalise(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PAYROLL_EXPORT)
    form = PayrollForm(request.POST, employers=hr_employers(signed_in(request)))
    if not form.is_valid():
        messages.error(request, f"Niet gemaakt. {form_errors(form)}")
        return redirect("hr:payroll")
    data = form.cleaned_data
    # A job: the file of a large employer takes seconds; its page shows the outcome.
    return start_from_form(
        request,
        hr_jobs.finalise_payroll,
        params={"employer": data["employer"].pk, "month": data["month"].isoformat()},
    )


@login_required
def payroll_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    require(request.user, Action.PAYROLL_EXPORT)
    export = get_object_or_404(payroll_exports_for(signed_in(request)), pk=pk)
    made = payroll_file.stored_file(export)
    made.record_read(signed_in(request), {"export": export.pk})
    if fmt == "xlsx":
        return _download(made.xlsx_bytes(), f"{made.base_name}.xlsx", XLSX)
    if fmt == "csv":
        return _download(made.csv_bytes(), f"{made.base_name}.csv", "text/csv; charset=utf-8")
    raise Http404


def _month_range(request: HttpRequest) -> tuple[date, date]:
    this_month = timezone.localdate().replace(day=1)
    first = month_or(request.GET.get("van"), this_month.replace(month=1))
    last = month_or(request.GET.get("tot"), this_month)
    if last < first:
        first, last = last, first
    if (last.year - first.year) * 12 + last.month - first.month > 35:
        first = payroll.months_back(last, 35)
    return first, last


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    """Wage costs per work form of one employer or all the user sees; HR keeps the charges."""
    require(request.user, Action.HR_REPORT_VIEW)
    employers = hr_employers(signed_in(request)).order_by("name")
    chosen = request.GET.get("werkgever", "")
    selected = employers.filter(pk=int(chosen)) if chosen.isdigit() else employers
    first, last = _month_range(request)
    table = payroll.cost_report(selected.values_list("pk", flat=True), first, last)
    if request.GET.get("formaat") in ("xlsx", "csv"):
        return table_download(
            table, f"loonkosten-{first:%Y-%m}-{last:%Y-%m}", request.GET["formaat"]
        )
    may_change = has_permission(request.user, Action.EMPLOYER_CHARGE_CHANGE)
    form = ChargeForm(request.POST or None, employers=employers) if may_change else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        saved = save_with(
            request, form, lambda d: services.add_employer_charge(actor=signed_in(request), **d)
        )
        if saved is not None:
            from django.contrib import messages

            messages.success(request, f"Werkgeverslast vastgelegd: {saved}.")
            return redirect("hr:costs")
    return render(
        request,
        "hr/costs.html",
        {
            "table": table,
            "employers": employers,
            "chosen": chosen,
            "first": first,
            "last": last,
            "charges": EmployerCharge.objects.filter(employer__isnull=True)
            | EmployerCharge.objects.filter(employer__in=employers),
            "form": form,
        },
    )


def _half(request: HttpRequest) -> tuple[int, int]:
    return _parse_half(request.GET.get("halfjaar", ""))


def _parse_half(raw: str) -> tuple[int, int]:
    """ "2026-1" → (2026, 1); otherwise the half-year last closed (its delivery is due next)."""
    year, _, half = raw.partition("-")
    if year.isdigit() and half in ("1", "2") and 2000 <= int(year) <= 2100:
        return int(year), int(half)
    today = timezone.localdate()
    return (today.year, 1) if today.month > 6 else (today.year - 1, 2)


def _municipality(request: HttpRequest, raw: str) -> Municipality:
    allowed = report_municipalities(signed_in(request))
    found = allowed.filter(cbs_code=raw).first() if raw else allowed.order_by("name").first()
    if found is None:
        raise Http404
    return found


@login_required
def wsw_statistics(request: HttpRequest) -> HttpResponse:
    """The check screen: totals before delivery and the differences with the half-year before."""
    require(request.user, Action.HR_REPORT_VIEW)
    municipality = _municipality(request, request.GET.get("gemeente", ""))
    year, half = _half(request)
    current = statistics.person_rows(municipality, year, half)
    before = statistics.person_rows(municipality, *statistics.previous_half(year, half))
    return render(
        request,
        "hr/statistics.html",
        {
            "municipality": municipality,
            "municipalities": report_municipalities(signed_in(request)).order_by("name"),
            "year": year,
            "half": half,
            "due": statistics.due_date(year, half),
            "tables": statistics.check_tables(current, before),
            "deliveries": StatisticsDelivery.objects.filter(
                municipality=municipality, year=year, half=half
            ),
            "may_deliver": has_permission(request.user, Action.STATISTICS_DELIVER),
            "halves": [(y, h) for y in range(timezone.localdate().year, 2020, -1) for h in (2, 1)],
        },
    )


@login_required
def statistics_file(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.STATISTICS_DELIVER)
    municipality = _municipality(request, request.GET.get("gemeente", ""))
    year, half = _half(request)
    rows = statistics.person_rows(municipality, year, half)
    statistics.record_file_read(
        user=signed_in(request),
        municipality=municipality,
        year=year,
        half=half,
        person_ids=[r.person_id for r in rows],
    )
    content = statistics.file_text(rows, municipality, year, half)
    return _download(
        content.encode("utf-8"),
        statistics.file_name(municipality, year, half),
        "text/csv; charset=utf-8",
    )


@login_required
@require_POST
def statistics_deliver(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.STATISTICS_DELIVER)
    municipality = _municipality(request, request.POST.get("gemeente", ""))
    year, half = _parse_half(request.POST.get("halfjaar", ""))
    delivery = services.deliver_statistics(
        actor=signed_in(request), municipality=municipality, year=year, half=half
    )
    from django.contrib import messages

    messages.success(
        request, f"Aangeleverd: {delivery.persons} personen, controlegetal {delivery.sha256[:12]}…"
    )
    return redirect(
        f"{reverse('hr:statistics')}?gemeente={municipality.cbs_code}&halfjaar={year}-{half}"
    )


@login_required
def statistics_delivered(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.STATISTICS_DELIVER)
    delivery = get_object_or_404(
        StatisticsDelivery.objects.filter(
            municipality__in=report_municipalities(signed_in(request))
        ),
        pk=pk,
    )
    statistics.record_delivery_read(user=signed_in(request), delivery=delivery)
    return _download(
        delivery.content.encode("utf-8"),
        statistics.file_name(delivery.municipality, delivery.year, delivery.half),
        "text/csv; charset=utf-8",
    )


@login_required
def state_contribution(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.HR_REPORT_VIEW)
    raw = request.GET.get("jaar", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    table = contribution.contribution_table(report_municipalities(signed_in(request)), year)
    if request.GET.get("formaat") in ("xlsx", "csv"):
        return table_download(table, f"rijksbijdrage-{year}", request.GET["formaat"])
    return render(request, "hr/contribution.html", {"table": table, "year": year})
