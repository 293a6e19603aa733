from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from werkregie.core.access import Action, require
from werkregie.core.params import date_or
from werkregie.organisations.models import Membership, Organisation, SiteOccupancy, Team

TRANSITION_DATE = date(2021, 1, 1)
_KIND_ORDER = list(Organisation.Kind.values)
BEFORE_DATE = date(2020, 12, 31)


def _chart(day: date) -> list[dict[str, object]]:
    """Organisations active on `day`, grouped by kind, with members and sites in use that day."""
    orgs = (
        Organisation.objects.active_on(day)
        .select_related("municipality", "parent")
        .prefetch_related(
            Prefetch("membership_set", queryset=Membership.objects.select_related("municipality")),
            Prefetch(
                "occupancies",
                queryset=SiteOccupancy.objects.active_on(day).select_related("site"),
                to_attr="sites_on_day",
            ),
        )
        .order_by("name")
    )
    groups: dict[str, dict[str, object]] = {}
    for org in sorted(orgs, key=lambda o: _KIND_ORDER.index(o.kind)):
        group = groups.setdefault(org.kind, {"label": org.get_kind_display(), "organisations": []})
        group["organisations"].append(org)  # type: ignore[attr-defined]
    return list(groups.values())


@login_required
def chart(request: HttpRequest) -> HttpResponse:
    """The region before and after the transition, side by side (dates can be chosen)."""
    require(request.user, Action.REGION_VIEW)
    before = date_or(request.GET.get("voor"), BEFORE_DATE)
    after = date_or(request.GET.get("na"), TRANSITION_DATE)
    columns = [
        {"title": "Vóór", "day": before, "groups": _chart(before)},
        {"title": "Na", "day": after, "groups": _chart(after)},
    ]
    return render(request, "organisations/chart.html", {"columns": columns})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.REGION_VIEW)
    org = get_object_or_404(Organisation.objects.select_related("municipality", "parent"), pk=pk)
    context = {
        "org": org,
        "memberships": org.membership_set.select_related("municipality"),
        "children": org.children.all(),
        "hr_for": org.hr_for.all(),
        "occupancies": org.occupancies.select_related("site", "site__municipality"),
        "teams": Team.objects.filter(organisation=org).select_related("site", "leader"),
    }
    return render(request, "organisations/detail.html", context)
