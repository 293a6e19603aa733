from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from werkregie.accounts.models import User

_OPEN_PREFIXES = ("/inloggen/", "/static/", "/api/", "/gezondheid/")


class RequireSecondFactorMiddleware:
    """A session that did not pass the second factor is logged out (every role, no exceptions
    but the demo users while WERKREGIE_DEMO is on). The API authenticates on its own terms."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.second_factor_passed(request)
        ):
            logout(request)
            return redirect("accounts:login")
        return self.get_response(request)
