from django.contrib import admin

from retorno.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "username",
        "role",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "ip",
        "channel",
    ]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["username", "object_id"]

    # The trail is append-only, even for administrators.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
