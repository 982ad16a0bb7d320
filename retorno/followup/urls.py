from django.urls import path

from retorno.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/schedule/", views.schedule, name="schedule"),
    path("person/<int:person_id>/survey/", views.survey_new, name="survey_new"),
    path("attempt/<int:followup_id>/", views.attempt, name="attempt"),
    path("survey/<int:pk>/", views.survey_detail, name="survey"),
]
