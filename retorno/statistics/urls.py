from django.urls import path

from retorno.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/", views.indicators, name="indicators"),
    path("refresh/", views.refresh, name="refresh"),
    path("download/<slug:table>.<slug:fmt>", views.download, name="download"),
    path("open-data/", views.public, name="public"),
    path("open-data/<slug:table>.<slug:fmt>", views.public_download, name="public_download"),
]
