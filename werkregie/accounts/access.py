"""Who acts: the signed-in user of a screen or API request, as services take it."""

from django.http import HttpRequest
from rest_framework.request import Request

from werkregie.accounts.models import User


def signed_in(request: HttpRequest | Request) -> User:
    """The user a request acts for. Every screen and API call that writes requires a login
    (the login middleware, DRF's permissions), so an anonymous user here is a bug, not a
    refusal: it fails loudly instead of writing an audit row without an actor."""
    user = request.user
    assert isinstance(user, User), "a write without a signed-in user"
    return user
