"""Admin: the catalog is read-only here (it is reference data: edit the YAML files and reload);
progress reports can be inspected by administrators."""

from django.contrib import admin

from retorno.policy.models import GcmObjective, Indicator, PemLine, ProgressEvidence, ProgressReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PemLine)
class PemLineAdmin(ReadOnlyAdmin):
    list_display = ["code", "text"]
    search_fields = ["code", "text"]
    list_filter = ["strategy__objective", "gcm_objectives"]


@admin.register(GcmObjective)
class GcmObjectiveAdmin(ReadOnlyAdmin):
    list_display = ["number", "title_es", "title_en"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_es", "query", "unit", "target_value", "target_year"]


class EvidenceInline(admin.TabularInline):
    model = ProgressEvidence
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    fields = readonly_fields
    can_delete = False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["line", "institution", "period", "status", "reviewed_at"]
    list_filter = ["status", "period", "order", "institution"]
    search_fields = ["line__code", "narrative"]
    inlines = [EvidenceInline]
