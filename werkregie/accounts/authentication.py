"""API authentication with hashed, expiring keys (accounts.ApiToken)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from werkregie.accounts.events import AccountsEvent
from werkregie.accounts.models import User
from werkregie.accounts.services import token_user
from werkregie.core import audit

KEYWORD = b"token"


class HashedTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`. A refused key is a security event (issue 20, finding 3);
    a used one is audited against its owner."""

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        key = parts[1].decode(errors="replace") if len(parts) == 2 else ""
        user = token_user(key) if key else None
        if user is None:
            audit.record_event(
                actor=None,
                action=AccountsEvent.API_TOKEN_REFUSED,
                object_type="security.api_token",
                label=f"sleutel begint met {key[:8]!r}" if key else "geen sleutel",
                changes={"path": request.path},
            )
            raise exceptions.AuthenticationFailed("Ongeldige, verlopen of ingetrokken API-sleutel.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class HashedTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "werkregie.accounts.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "API-sleutel als `Token <sleutel>`; zelf te maken na inloggen "
            "met de tweede factor (Mijn API-sleutels).",
        }
