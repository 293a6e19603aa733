from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from werkregie.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: nobody adds, edits or deletes audit events, superusers included."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_id", "origin_ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
