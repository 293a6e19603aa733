"""The schema view (apart from core.schema, which DRF's settings import while this module
imports DRF's views)."""

from typing import Any

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import field_view


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process, language and field view: it follows
    from the code and the fields the user's role may see (every endpoint is listed whoever
    asks, SERVE_PUBLIC; the fields of core.access.FIELD_RULES a role may not see are left out
    of its schemas), and building it takes more than a second of CPU, which a client that
    fetches it before every run should not cost."""

    _documents: dict[tuple[str | None, str | None, frozenset[tuple[str, str]]], dict[str, Any]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        # drf-spectacular's view methods are untyped (the ignores below).
        version = self.api_version or request.version
        version = version or self._get_version_parameter(request)  # type: ignore[no-untyped-call]
        key = (version, translation.get_language(), field_view(request.user))
        if key not in self._documents:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            document = generator.get_schema(  # type: ignore[no-untyped-call]
                request=request, public=self.serve_public
            )
            self._documents[key] = document
        filename = self._get_filename(request, version)  # type: ignore[no-untyped-call]
        return Response(
            data=self._documents[key],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
