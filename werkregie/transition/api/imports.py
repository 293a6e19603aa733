"""Roster imports of the old company's export in the API."""

from typing import Any

from djangorestframework_camel_case.parser import CamelCaseMultiPartParser
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.core.access import Action
from werkregie.core.job_api import IDEMPOTENCY_KEY, JobSerializer, accepted
from werkregie.transition import jobs as transition_jobs
from werkregie.transition.models import RosterImport
from werkregie.transition.roster import RosterError
from werkregie.transition.services import ImportReport, report_data


class RosterUploadSerializer(serializers.Serializer[Any]):
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="De exportbestanden: medewerkers, trajecten en/of contracten (CSV of xlsx).",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Alleen controleren; er wordt niets opgeslagen."
    )


class RosterErrorSerializer(serializers.Serializer[Any]):
    file = serializers.CharField()
    row = serializers.IntegerField(help_text="Rijnummer zoals de spreadsheet het toont (kop = 1).")
    column = serializers.CharField()
    message = serializers.CharField()


class KindCountsSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


# Built with inline_serializer: a declared field named `errors` would hide Serializer.errors.
IMPORT_REPORT = inline_serializer(
    "ImportReport",
    {
        "ok": serializers.BooleanField(),
        "dry_run": serializers.BooleanField(),
        "changed": serializers.BooleanField(),
        "counts": serializers.DictField(child=KindCountsSerializer()),
        "errors": RosterErrorSerializer(many=True),
        "notices": serializers.ListField(child=serializers.CharField()),
    },
)


class RosterImportSerializer(serializers.ModelSerializer[RosterImport]):
    actor: "serializers.StringRelatedField[Any]" = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = RosterImport
        fields = ["id", "created_at", "actor", "files", "counts"]


class RosterImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[RosterImport]
):
    """Imports of the old company's exports. POST validates every file first and writes
    only when there is no error; the answer lists every error at once (400)."""

    queryset = RosterImport.objects.select_related("actor")
    serializer_class = RosterImportSerializer
    required_permissions = {
        "list": Action.TRANSITION_IMPORT,
        "retrieve": Action.TRANSITION_IMPORT,
        "create": Action.TRANSITION_IMPORT,
    }

    @extend_schema(
        request={"multipart/form-data": RosterUploadSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={202: JobSerializer, 400: IMPORT_REPORT},
        description=(
            "Start de import als taak (202, met de taak in Location). Klaar: `result` is het "
            "importverslag (ok, counts, errors, notices); bij fouten is er niets opgeslagen."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = RosterUploadSerializer(data=request.data)
        if not upload.is_valid():
            # Every 400 of this endpoint is an import report: upload errors name the field.
            report = ImportReport(
                errors=[
                    RosterError("", 0, field, str(message))
                    for field, messages in upload.errors.items()
                    for message in messages
                ]
            )
            return Response(report_data(report), status=status.HTTP_400_BAD_REQUEST)
        files = [(str(f.name), f.read()) for f in upload.validated_data["files"]]
        return accepted(
            request,
            transition_jobs.import_roster,
            params={"dry_run": upload.validated_data["dry_run"]},
            files=files,
        )

    def get_parsers(self) -> list[Any]:
        # The view is built before the action is known: the upload is multipart.
        return [CamelCaseMultiPartParser()]
