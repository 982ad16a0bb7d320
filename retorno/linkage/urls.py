from django.urls import path

from retorno.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.decide, name="decide"),
    path("run/", views.run, name="run"),
    path("pairs/<int:pair_id>/", views.pair_detail, name="pair"),
    path("merges/", views.merge_list, name="merges"),
    path("merges/<int:merge_id>/unmerge/", views.unmerge, name="unmerge"),
]
