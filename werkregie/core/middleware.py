from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_origin_ip: ContextVar[str | None] = ContextVar("origin_ip", default=None)


def current_origin_ip() -> str | None:
    """The IP address of the request being served, for the audit log."""
    return _origin_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _origin_ip.reset(token)
