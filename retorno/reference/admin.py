from django.contrib import admin

from retorno.reference.models import DocumentType, ReceptionPoint, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "inegi_code", "is_foreign"]
    search_fields = ["code", "name"]


@admin.register(ReceptionPoint)
class ReceptionPointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city", "state", "mode", "active"]
    list_filter = ["mode", "active", "state"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "is_identity", "order"]
