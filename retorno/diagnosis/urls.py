from django.urls import path

from retorno.diagnosis import views

app_name = "diagnosis"
urlpatterns = [
    path("", views.index, name="index"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/new/", views.new, name="new"),
    path("person/<int:person_id>/relevance/<int:questionnaire_id>/", views.relevance, name="relevance"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
