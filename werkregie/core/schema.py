"""OpenAPI schema pieces: the session scheme, the error answers every operation gives, and
drf-spectacular's generator with one correction for list actions that answer one object."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class VerifiedSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the session login (after the second factor) as a cookie scheme."""

    target_class = "werkregie.core.api.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


_ERROR_BODY = {
    "description": "Ongeldige invoer; per veld de Nederlandse foutmeldingen.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        }
    },
}


def _detail(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"detail": {"type": "string"}}}
            }
        },
    }


def document_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Document the error answers every operation can give: 400 with field errors where it
    takes input or changes something (a domain rule may refuse it), 401/403 for
    authentication and role, 404 for an id or page outside scope."""
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            parameters = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            if (
                method in ("post", "put", "patch", "delete")
                or "requestBody" in operation
                or any(p.get("in") == "query" for p in parameters)
            ):
                responses.setdefault("400", _ERROR_BODY)
            responses.setdefault("401", _detail("Niet ingelogd of ongeldig token."))
            responses.setdefault("403", _detail("Uw rol mag deze handeling niet uitvoeren."))
            responses.setdefault(
                "429", _detail("Te veel verzoeken met deze sleutel; zie Retry-After.")
            )
            if any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
                responses.setdefault("404", _detail("Niet gevonden of buiten uw bevoegdheid."))
    return result


def not_found(description: str) -> OpenApiResponse:
    """A 404 with a `detail` message, for operations without an id in the path that still
    refer to something that may be outside the caller's scope (an id in the body, a code
    in the query)."""
    return OpenApiResponse(response=_NotFound, description=description)


_NotFound = inline_serializer("NotFound", {"detail": serializers.CharField()})


class WerkregieAutoSchema(AutoSchema):
    """drf-spectacular documents every `list` action as an array of its serializer. A viewset
    that sets `list_answers_one_object = True` answers its list with one object (a wage
    table, a report table, a check) and is documented as such: the fuzzer validates every
    response against this schema."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        view = self.view
        if (
            getattr(view, "list_answers_one_object", False)
            and getattr(view, "action", "") == "list"
        ):
            return False
        return bool(super()._is_list_view(serializer))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._fresh_update():
            from drf_spectacular.utils import OpenApiParameter

            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="De ETag van uw laatste GET van dit object (optimistische "
                    "vergrendeling): een wijziging van een ander daarna geeft 412.",
                )
            )
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation and self._fresh_update():
            responses = operation.setdefault("responses", {})
            responses["412"] = _detail("Iemand anders wijzigde het object na uw GET.")
            responses["428"] = _detail("If-Match ontbreekt.")
        return operation

    def _fresh_update(self) -> bool:
        from werkregie.core.api import FreshUpdateMixin

        if not isinstance(self.view, FreshUpdateMixin):
            return False
        fresh_action = getattr(self.view, "action", None) in self.view.fresh_actions
        return self.method in ("PUT", "PATCH") or (self.method == "POST" and fresh_action)
