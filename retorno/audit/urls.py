from django.urls import path

from retorno.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_export, name="log_export"),
    path("access/", views.access_reviews, name="access_reviews"),
]
