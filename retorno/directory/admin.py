from django.contrib import admin

from retorno.directory.models import Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "acronym", "order", "active"]
    search_fields = ["code", "name", "acronym"]
    list_filter = ["order", "active"]
