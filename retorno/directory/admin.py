from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from retorno.directory.models import Institution, Location, Program, Schedule, Service, ServiceAtLocation


class ProgramInline(admin.TabularInline):
    model = Program
    extra = 0
    fields = ["name", "alternate_name", "description"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "acronym", "order", "active"]
    search_fields = ["code", "name", "acronym"]
    list_filter = ["order", "active"]
    readonly_fields = ["hsds_id"]
    inlines = [ProgramInline]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "institution"]
    search_fields = ["name", "institution__name"]
    list_filter = ["institution"]
    readonly_fields = ["hsds_id"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ["location"]
    fields = ["location", "description"]


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fk_name = "service"
    fields = ["location", "byday", "opens_at", "closes_at", "description"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "institution", "status", "response_days", "outcome_days", "capacity"]
    search_fields = ["name", "code", "institution__name", "institution__acronym"]
    list_filter = ["status", "institution", "is_health"]
    readonly_fields = ["hsds_id"]
    inlines = [ServiceAtLocationInline, ScheduleInline]
    fieldsets = [
        (None, {"fields": ["code", "hsds_id", "institution", "program", "name", "name_en", "status"]}),
        (_("Descripción"), {"fields": ["description", "benefit", "application_process", "fees_description"]}),
        (_("Contacto"), {"fields": ["url", "email", "phone", "capacity"]}),
        (
            _("Elegibilidad"),
            {
                "fields": [
                    "needs",
                    "min_age",
                    "max_age",
                    "sexes",
                    "states",
                    "flags_any",
                    "flags_excluded",
                    "documents_required",
                    "eligibility_description",
                ]
            },
        ),
        (_("Canalización"), {"fields": ["response_days", "outcome_days", "is_health", "shared_fields"]}),
    ]


class LocationScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fk_name = "location"
    fields = ["byday", "opens_at", "closes_at", "description"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "location_type", "city", "state"]
    search_fields = ["name", "city", "municipality", "address"]
    list_filter = ["location_type", "state", "institution"]
    readonly_fields = ["hsds_id"]
    inlines = [LocationScheduleInline]
