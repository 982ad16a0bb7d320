from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from retorno.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "reception_point",
        "state",
        "institution",
        "is_active",
    ]
    list_filter = ["role", "reception_point", "institution", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Retorno", {"fields": ("role", "reception_point", "state", "institution", "preferred_language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    list_filter = ["revoked"]
