from django.urls import path

from retorno.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("compact/", views.gcm_list, name="gcm_list"),
    path("lines/<str:code>/", views.line_detail, name="line_detail"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("coverage/", views.coverage, name="coverage"),
    path("indicators/", views.indicators, name="indicators"),
    path("report/", views.generate, name="generate"),
]
