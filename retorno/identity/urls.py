from django.urls import path

from retorno.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("<int:person_id>/", views.person_detail, name="person"),
    path("<int:person_id>/contact/", views.person_contact, name="person_contact"),
    path("<int:person_id>/correct/", views.person_correct, name="person_correct"),
]
