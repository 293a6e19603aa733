from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from werkregie.core.access import Action, has_permission
from werkregie.transition.forms import RosterUploadForm
from werkregie.transition.services import import_roster


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload the old company's exports; every error at once, or the counts of what changed."""
    if not has_permission(request.user, Action.TRANSITION_IMPORT):
        raise PermissionDenied
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        files = [(str(f.name), f.read()) for f in form.cleaned_data["exports"]]
        report = import_roster(
            files=files, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
    return render(request, "transition/roster_import.html", {"form": form, "report": report})
