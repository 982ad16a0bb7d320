from django.urls import path

from retorno.reception import views

app_name = "reception"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("candidates/", views.candidates, name="candidates"),
    path("events/", views.event_list, name="event_list"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/correct/", views.event_correct, name="event_correct"),
    path("events/<int:event_id>/handover/", views.handover, name="handover"),
    path("events/<int:event_id>/close/", views.close, name="close"),
    path("minors/", views.minors, name="minors"),
]
