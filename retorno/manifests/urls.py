from django.urls import path

from retorno.manifests import views

app_name = "manifests"
urlpatterns = [
    path("", views.manifest_list, name="list"),
    path("transfers/", views.transfer_page, name="transfers"),
    path("<int:manifest_id>/", views.manifest_detail, name="detail"),
    path("<int:manifest_id>/close/", views.close_pending, name="close_pending"),
    path("<int:manifest_id>/errors.csv", views.issues_csv, name="issues_csv"),
    path("<int:manifest_id>/rows/<int:row_id>/confirm/", views.row_confirm, name="confirm"),
    path("<int:manifest_id>/rows/<int:row_id>/status/", views.row_status, name="row_status"),
]
