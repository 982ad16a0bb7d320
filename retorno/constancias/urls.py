from django.urls import path

from retorno.constancias import views

app_name = "constancias"
urlpatterns = [
    path("", views.constancia_list, name="list"),
    # The reception event page links here with the event id as the only argument.
    path("event/<int:event_id>/", views.issue, name="issue"),
    path("event/<int:event_id>/issue/", views.issue_post, name="issue_post"),
    path("folio/<str:folio>/pdf/", views.pdf, name="pdf"),
    path("folio/<str:folio>/revoke/", views.revoke, name="revoke"),
    path("verify/<str:token>/", views.verify, name="verify"),
]
