from django.contrib import admin

from retorno.referrals.models import Consent, Referral, ReferralTransition


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only: consent is recorded and withdrawn on the person's referral page, never edited
    or deleted (it is the legal basis of the referrals made under it)."""

    list_display = ["person", "institution", "purpose", "method", "given_on", "valid_until", "withdrawn_at"]
    list_filter = ["purpose", "method", "institution"]
    raw_id_fields = ["person"]
    readonly_fields = ["recorded_by", "recorded_at", "withdrawn_at", "withdrawn_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by_username", "note"]
    fields = readonly_fields


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: the loop moves only through its services (pages and API), never by editing."""

    list_display = ["pk", "service", "institution", "reception_point", "status", "sent_at", "closed_at"]
    list_filter = ["status", "institution", "reception_point"]
    raw_id_fields = ["person"]
    inlines = [TransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
