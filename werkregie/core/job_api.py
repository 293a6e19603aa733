"""The API of jobs (core.jobs): an endpoint that starts one answers 202 Accepted with the job,
whose `Location` is polled until its status is `done` or `failed`."""

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from werkregie.core import jobs
from werkregie.core.access import Action, requester
from werkregie.core.models import Job


class JobFileSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(help_text="Wat het is: PDF, Excel.")
    name = serializers.CharField()
    url = serializers.CharField(help_text="Om het bestand te downloaden.")


class JobSerializer(serializers.ModelSerializer[Job]):
    url = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    result = serializers.JSONField(
        read_only=True, help_text="De uitkomst als gegevens; de vorm hangt af van de handeling."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "title",
            "status",
            "phase",
            "done",
            "total",
            "percent",
            "message",
            "result",
            "result_url",
            "files",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: Job) -> str:
        return reverse("api:job-detail", args=[job.pk], request=self.context.get("request"))

    @extend_schema_field(JobFileSerializer(many=True))
    def get_files(self, job: Job) -> list[dict[str, str]]:
        request = self.context.get("request")
        return [
            {
                "title": f.label,
                "name": f.name,
                "url": reverse("api:job-file", args=[job.pk, f.position], request=request),
            }
            for f in job.files.all()  # prefetched by the viewset, without the content
        ]


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Dezelfde sleutel nogmaals (een herhaald verzoek) geeft dezelfde taak terug en start "
        "niets nieuws."
    ),
)


def accepted(
    request: Request,
    op: jobs.Operation,
    *,
    params: dict[str, Any] | None = None,
    files: list[tuple[str, bytes]] | None = None,
) -> Response:
    """Start `op` for this API request: 202 with the job and its Location."""
    job, _ = jobs.start(
        op,
        actor=requester(request),
        params=params,
        files=files or [],
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    prefetch_related_objects([job], jobs.FILE_NAMES)
    data = JobSerializer(job, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Job]):
    """The jobs you started: poll one until its status is `done` or `failed`."""

    serializer_class = JobSerializer
    required_permissions = {
        "list": Action.JOB_VIEW,
        "retrieve": Action.JOB_VIEW,
        "file": Action.JOB_VIEW,
    }

    def get_queryset(self) -> Any:
        found = jobs.visible_jobs(self.request.user)
        return found if self.action == "file" else found.prefetch_related(jobs.FILE_NAMES)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        job = self.get_object()
        jobs.record_shown(requester(request), job)
        return Response(self.get_serializer(job).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        jobs.record_shown(requester(request), *(page or []))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<position>[0-9]+)")
    def file(self, request: Request, pk: str, position: str) -> HttpResponse:
        """A file the job made (a report as PDF or Excel)."""
        job = self.get_object()
        found = job.files.filter(position=int(position)).first()
        if found is None:
            raise NotFound("Deze taak heeft geen bestand met dit nummer.")
        jobs.record_shown(requester(request), job)
        response = HttpResponse(bytes(found.content), content_type=found.content_type)
        response["Content-Disposition"] = f'attachment; filename="{found.name}"'
        return response


JOB_ACCEPTED = extend_schema(parameters=[IDEMPOTENCY_KEY], responses={202: JobSerializer})
