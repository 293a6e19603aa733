"""The roadmap in the API: activities, decisions and their documents."""

import base64
import binascii
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from werkregie.accounts.access import signed_in
from werkregie.core.access import Action
from werkregie.core.api import FreshUpdateMixin
from werkregie.organisations.models import Municipality
from werkregie.planning import services
from werkregie.planning.api.common import SavedThroughService
from werkregie.planning.models import (
    Activity,
    Decision,
    DecisionDocument,
)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    class Meta:
        model = Activity
        fields = ["id", "what", "who", "date", "time", "place", "status"]
        read_only_fields = ["id"]
        validators: list[Any] = []


class ActivityViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Activity],
):
    """The roadmap: what, who, date, time, place and status."""

    service = staticmethod(services.save_activity)
    instance_name = "activity"
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.ROADMAP_VIEW,
        "retrieve": Action.ROADMAP_VIEW,
        "create": Action.ROADMAP_CHANGE,
        "partial_update": Action.ROADMAP_CHANGE,
    }

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.all()


class DocumentSerializer(serializers.ModelSerializer[DecisionDocument]):
    class Meta:
        model = DecisionDocument
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    content = serializers.CharField(help_text="De inhoud van het bestand, in base64.")

    def validate_content(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError("Geen geldige base64-inhoud.") from error


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
    )
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.all(), required=False, allow_null=True
    )
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "body",
            "municipality",
            "kind",
            "subject",
            "date",
            "outcome",
            "activity",
            "note",
            "documents",
        ]
        read_only_fields = ["id", "documents"]


class DecisionViewSet(
    FreshUpdateMixin,
    SavedThroughService,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Decision],
):
    """The decision trail: college, raad, DB, AB, AVA, supervisory board and works councils,
    with advice and consent, and the documents attached."""

    service = staticmethod(services.save_decision)
    instance_name = "decision"
    serializer_class = DecisionSerializer
    http_method_names = ["get", "post", "patch"]
    required_permissions = {
        "list": Action.ROADMAP_VIEW,
        "retrieve": Action.ROADMAP_VIEW,
        "create": Action.ROADMAP_CHANGE,
        "partial_update": Action.ROADMAP_CHANGE,
        "documents": Action.ROADMAP_CHANGE,
    }
    filterset_fields = {"body": ["exact"], "kind": ["exact"]}

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.select_related("municipality").prefetch_related("documents")

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """Attach a document (pdf, docx, xlsx, odt, txt; at most 10 MB)."""
        decision = self.get_object()
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = services.attach_document(
            actor=signed_in(request),
            decision=decision,
            name=upload.validated_data["name"],
            content=upload.validated_data["content"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
