"""The API of jobs (core.jobs): an endpoint that starts one answers 202 Accepted with the job,
whose `Location` is polled until its status is `done` or `failed`."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from werkregie.core import jobs
from werkregie.core.access import Action
from werkregie.core.models import Job


class JobSerializer(serializers.ModelSerializer[Job]):
    url = serializers.SerializerMethodField()
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
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: Job) -> str:
        return reverse("api:job-detail", args=[job.pk], request=self.context.get("request"))


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
        actor=request.user,
        params=params,
        files=files or [],
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    data = JobSerializer(job, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Job]):
    """The jobs you started: poll one until its status is `done` or `failed`."""

    serializer_class = JobSerializer
    required_permissions = {"list": Action.JOB_VIEW, "retrieve": Action.JOB_VIEW}

    def get_queryset(self) -> Any:
        return jobs.visible_jobs(self.request.user)


JOB_ACCEPTED = extend_schema(parameters=[IDEMPOTENCY_KEY], responses={202: JobSerializer})
