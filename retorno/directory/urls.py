from django.urls import path

from retorno.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<slug:code>/", views.service, name="service"),
    path("hsds/export/", views.hsds_export, name="hsds_export"),
    path("hsds/import/", views.hsds_import, name="hsds_import"),
]
