from django.urls import path

from retorno.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("access/", views.access_reviews, name="access_reviews"),
]
