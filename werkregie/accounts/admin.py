"""Functioneel beheer of users: names and e-mail only. Role, organisation, activation, the
second factor and API keys change through the audited services (the Gebruikers screen), so
no administrator can promote anyone, themself included, or read a secret (issue 20)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkregie.accounts.models import User

# The secret and QR code of every device were on this page: nobody reads them after enrolment.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

GUARDED = (
    "role",
    "organisation",
    "is_active",
    "is_staff",
    "is_superuser",
    "is_demo",
    "groups",
    "user_permissions",
    "last_login",
    "date_joined",
)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "get_full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = (
        (None, {"fields": ("username",)}),
        ("Persoonlijke gegevens", {"fields": ("first_name", "last_name", "email")}),
        ("Rechten (wijzigen via Gebruikers, met een reden en vier ogen)", {"fields": GUARDED}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = GUARDED

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # A password set by someone else lets them log in as that user before the user
        # enrols a second factor: only the user changes their own password.
        if str(request.user.pk) != str(id):
            raise PermissionDenied("Alleen de gebruiker zelf wijzigt het eigen wachtwoord.")
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # users with history are deactivated, never deleted
