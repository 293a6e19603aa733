import logging
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

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


class SecurityMiddleware:
    """What every response of a logged-in user gets (issue 20):

    - a refusal (403, or a 404 for an object behind an id) is a security event with the
      path and status, so attempts on other municipalities' records leave a trace;
    - `Cache-Control: no-store`, since any such page may show a BSN or a wage;
    - a write that waited in vain for SQLite's lock is a Dutch 503, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        response.headers.setdefault("Cache-Control", "no-store")
        match = request.resolver_match
        if response.status_code == 403 or (
            response.status_code == 404 and match is not None and match.kwargs
        ):
            from werkregie.core import audit
            from werkregie.core.models import AuditAction

            audit.record_event(
                actor=user,
                action=AuditAction.ACCESS_DENIED,
                object_type="security.request",
                object_id=str(response.status_code),
                label=f"{request.method} {request.path}"[:200],
                changes={
                    "status": response.status_code,
                    "url_name": match.view_name if match else "",
                },
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError) and "locked" in str(exception):
            message = (
                "Werkregie is even bezig met een andere wijziging. Er is niets opgeslagen; "
                "probeer het over een ogenblik opnieuw."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=503, headers={"Retry-After": "5"})
            return HttpResponse(
                f'<!DOCTYPE html><html lang="nl"><title>Even bezet</title><p>{message}</p></html>',
                status=503,
                headers={"Retry-After": "5"},
            )
        return None


NUL_REFUSED = "De vraag bevat een NUL-teken; dat is geen geldige tekst."


class RefuseNulMiddleware:
    """A NUL character in a query parameter is a 400 for the screens and the API alike: no
    text in Werkregie has one, and PostgreSQL cannot even compare it (a lookup by code would
    be a 500). The JSON body parser refuses it in request bodies (core.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"nonFieldErrors": [NUL_REFUSED]}, status=400)
            return HttpResponse(
                f'<!DOCTYPE html><html lang="nl"><title>Ongeldige vraag</title><p>{NUL_REFUSED}'
                "</p></html>",
                status=400,
            )
        return self.get_response(request)


request_log = logging.getLogger("werkregie.request")


class RequestLogMiddleware:
    """One log line per request: request id (the proxy's X-Request-ID, else a new one), user
    id, method, path without query string, status and duration. No personal data: a BSN is
    never in a URL (DOMAIN.md), and the query string is left out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "request_id": request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        response.headers["X-Request-ID"] = request_id
        return response
