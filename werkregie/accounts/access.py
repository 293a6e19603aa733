"""Who acts: the signed-in user of a screen or API request, as services take it."""

from django.http import HttpRequest
from rest_framework.request import Request

from werkregie.accounts.models import User


def signed_in(request: HttpRequest | Request) -> User:
    """The user a request acts for, as the access helpers and services take it. Every screen
    and API call past the login requires one (the login middleware, DRF's permissions), so
    an anonymous user here is a bug, not a refusal: it fails loudly instead of scoping rows
    or writing an audit row without a user. (The schema generator asks viewsets for their
    model without a user: each scoped viewset names it in `queryset = Model.objects.none()`.)"""
    user = request.user
    assert isinstance(user, User), "a write without a signed-in user"
    return user
