"""Shared API pieces: authentication, the action permission, Dutch error bodies."""

import contextlib
import hashlib
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from djangorestframework_camel_case.parser import CamelCaseJSONParser
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, throttling
from rest_framework.authentication import SessionAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from werkregie.core import audit, locking
from werkregie.core.access import Action, has_permission
from werkregie.core.errors import DomainError
from werkregie.core.params import parse_month

if TYPE_CHECKING:
    # rest_framework.views imports the authentication classes below: import it lazily.
    from rest_framework.views import APIView


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session login counts for the API only once the second factor was passed."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if getattr(user, "second_factor_passed", lambda _r: False)(request._request):
            return result
        return None


class HasActionPermission(permissions.BasePermission):
    """Checks `view.required_permissions[view.action]` against the role table.

    A viewset action missing from the map is denied, so a new endpoint cannot slip through.
    Object scope comes from `get_queryset` → `visible_to`, which yields 404 outside it.
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        required: dict[str, Action] = getattr(view, "required_permissions", {})
        action = getattr(view, "action", None)
        if action is None or action == "metadata":
            return True
        needed = required.get(action)
        return needed is not None and has_permission(request.user, needed)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, locking.StaleEditError | locking.PreconditionMissingError):
        code = 412 if isinstance(exc, locking.StaleEditError) else 428
        return Response({"detail": exc.message}, status=code)
    if isinstance(exc, exceptions.Throttled):
        seconds: float | None = getattr(exc, "wait", None)
        wait = f"over {int(seconds) + 1} seconden " if seconds is not None else "straks "
        exc = exceptions.Throttled(
            wait=seconds,
            detail=f"Te veel verzoeken met deze sleutel of dit account; probeer het {wait}opnieuw.",
        )
    if isinstance(exc, DomainError):
        field = exc.field or "nonFieldErrors"
        return Response({field: [exc.message]}, status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"nonFieldErrors": exc.messages}
        )
    return drf_exception_handler(exc, context)


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-10"})
class MonthField(serializers.Field):  # type: ignore[type-arg]
    """A month in a request body as JJJJ-MM; the first day of that month in Python."""

    default_error_messages = {"invalid": "Gebruik een maand in de vorm JJJJ-MM."}

    def to_internal_value(self, data: Any) -> date:
        try:
            return parse_month(str(data))
        except ValueError:
            self.fail("invalid")
            raise

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


MAX_DEPTH = 32


def _too_deep(data: Any) -> bool:
    """Nesting deeper than MAX_DEPTH (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(CamelCaseJSONParser):  # type: ignore[misc]
    """camelCase JSON, refusing a NUL character anywhere in the body: no text in Werkregie
    has one, and PostgreSQL cannot store or even compare it (a lookup by code would fail)."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            refused = _too_deep(data)
        except RecursionError:
            refused = True
        if refused:
            raise exceptions.ParseError(
                f"De invoer is te diep genest (meer dan {MAX_DEPTH} niveaus); "
                "geen enkel verzoek van Werkregie heeft dat nodig."
            )
        if _has_nul(data):
            # A 400 in the documented shape of field errors, for the body as a whole.
            raise exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        "De invoer bevat een NUL-teken; dat is geen geldige tekst."
                    ]
                }
            )
        return data


class RecordsListedReads:
    """A list endpoint whose rows show personal data: the rows of each page the `list` action
    answers are recorded with `audit.record_listed` once the page is built, as the screens'
    lists are (issue 15); also for a viewset's own `list`. Such a list is paginated (only the
    page answered is recorded). Other actions that page (a search) record their own reads."""

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        if self.action == "list":  # type: ignore[attr-defined]
            assert page is not None, "a list of personal data is paginated"
            self._listed_rows = page
        return page

    def get_paginated_response(self, data: Any) -> Response:
        response: Response = super().get_paginated_response(data)  # type: ignore[misc]
        if self.action == "list":  # type: ignore[attr-defined]
            audit.record_listed(actor=self.request.user, rows=self._listed_rows)  # type: ignore[attr-defined]
        return response


class FreshUpdateMixin:
    """Optimistic locking for a viewset's updates (core.locking): a GET of one row answers
    with its ETag; PUT and PATCH must send it back as If-Match. A stale If-Match is 412, a
    missing one 428, and the row is locked from the check until the update is saved.

    `fresh_actions` names the detail actions that change rows in the object's lock scope
    (an agreement's targets, a contract's hours): they run inside `fresh_object()` and
    answer with the object's new ETag, so a client can send the next change."""

    fresh_actions: tuple[str, ...] = ()

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        fetched = getattr(self, "_fresh_object", None)
        if fetched is not None and response.status_code < 300:
            response["ETag"] = f'"{locking.fingerprint(locking.stored(fetched))}"'
        return response

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self._fresh_object = obj
        return obj

    @contextlib.contextmanager
    def fresh_object(self, request: Request) -> Iterator[Any]:
        """The object, locked and checked against the request's If-Match, for the rest of
        a transaction in which the change is saved."""
        with transaction.atomic():
            obj = self.get_object()
            given = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
            if not given:
                raise locking.PreconditionMissingError(
                    "Stuur de ETag van uw laatste GET mee als If-Match; zo overschrijft u nooit "
                    "ongemerkt de wijziging van een ander."
                )
            locking.refuse_if_stale(obj, given)
            yield obj

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        with self.fresh_object(request):
            return super().update(request, *args, **kwargs)  # type: ignore[misc]


class PerCallerRateThrottle(throttling.SimpleRateThrottle):
    """At most WERKREGIE_API_RATE requests per API key (or per logged-in user without one) in
    each fixed window of the rate's period. The count lives in the database (core.ApiRateCount),
    so it holds across web processes and machines; one upsert per request both counts and
    reads it (issue 17: DRF's sliding window cost four to five cache queries per request).
    A fixed window lets a caller spend its rate at the end of one window and again at the
    start of the next; for a guard against a runaway client that is enough."""

    scope = "api"
    retry_after = 0.0  # seconds until the current window ends, once a request was counted

    def get_rate(self) -> str | None:
        from django.conf import settings

        rate: str | None = getattr(settings, "WERKREGIE_API_RATE", None)
        return rate

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        parts = get_authorization_header(request).split()
        if len(parts) == 2 and parts[0].lower() == b"token":
            ident = "token-" + hashlib.sha256(parts[1]).hexdigest()[:32]
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, duration = self.parse_rate(self.rate)
        caller = self.get_cache_key(request, view)
        if limit is None or not duration or caller is None:
            return True
        now = self.timer()
        window = int(now // duration)
        self.retry_after = (window + 1) * duration - now
        return _count_request(caller, window) <= limit

    def wait(self) -> float | None:
        return max(self.retry_after, 1.0)


def _count_request(caller: str, window: int) -> int:
    """Counts one request of `caller` in `window` and returns the window's count so far."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_COUNT_REQUEST, [caller, window])
        row = cursor.fetchone()
    return int(row[0]) if row else 1


# One statement on SQLite (3.35+) and PostgreSQL alike; "window" is a keyword, so quoted.
_COUNT_REQUEST = """
    INSERT INTO core_apiratecount (caller, "window", count) VALUES (%s, %s, 1)
    ON CONFLICT (caller) DO UPDATE SET
        count = CASE WHEN core_apiratecount."window" = excluded."window"
                     THEN core_apiratecount.count + 1 ELSE 1 END,
        "window" = excluded."window"
    RETURNING count
"""
