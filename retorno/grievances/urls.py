from django.urls import path

from retorno.grievances import views

app_name = "grievances"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("<int:grievance_id>/", views.detail, name="detail"),
    path("<int:grievance_id>/step/", views.step, name="step"),
]
