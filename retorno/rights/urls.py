from django.urls import path

from retorno.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("<int:request_id>/record.pdf", views.package, {"fmt": "pdf"}, name="package_pdf"),
    path("<int:request_id>/record.json", views.package, {"fmt": "json"}, name="package_json"),
    path("person/<int:person_id>/", views.file_for_person, name="file"),
]
