"""Klantregie's section on the person page (registered in ClientDirectionConfig.ready)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from werkregie.accounts.access import signed_in
from werkregie.client_direction.models import Client
from werkregie.core.access import Action, has_permission
from werkregie.people.models import Person


def client_section(request: HttpRequest, person: Person) -> SafeString | None:
    """The person's client record, if the user may see it; else the way to register one."""
    client = (
        Client.objects.visible_to(signed_in(request))
        .select_related("client_owner")
        .filter(person=person)
        .first()
    )
    if client is None and not has_permission(request.user, Action.CLIENT_CHANGE):
        return None
    html = render_to_string(
        "client_direction/_person_section.html",
        {"client": client, "person": person},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - the template's own output, escaped by it
