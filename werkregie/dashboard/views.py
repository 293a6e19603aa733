"""The start page: what each role sees first. It sits above the apps it summarises."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action, has_permission
from werkregie.people.access import persons_for
from werkregie.people.queries import current_headcount


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page per role: own people where the role may see them, aggregates for all."""
    user = signed_in(request)
    context: dict[str, object] = {
        "headcount": current_headcount(
            municipality_id=None
            if has_permission(user, Action.PERSON_VIEW)
            else user.municipality_id
        ),
    }
    if has_permission(user, Action.PERSON_VIEW):
        persons = persons_for(user)
        context["person_count"] = persons.count()
        context["persons"] = persons.select_related("residence_municipality")[:10]
    return render(request, "dashboard/home.html", context)
