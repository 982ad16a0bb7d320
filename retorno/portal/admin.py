from django.contrib import admin

from retorno.portal.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent to whom and what the gateway said (with the console gateway of
    a demo, the sign-in codes are read here). Read-only: messages are a record."""

    list_display = ["created_at", "channel", "destination", "purpose", "status", "gateway"]
    list_filter = ["channel", "purpose", "status", "gateway"]
    search_fields = ["destination"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
