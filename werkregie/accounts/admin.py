from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from werkregie.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "get_full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Werkregie", {"fields": ("role", "organisation", "is_demo")}),
    )
