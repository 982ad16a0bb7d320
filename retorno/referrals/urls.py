from django.urls import path

from retorno.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/transition/", views.transition, name="transition"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/consent/", views.consent_add, name="consent_add"),
    path("person/<int:person_id>/refer/", views.refer, name="refer"),
    path("consent/<int:consent_id>/document/", views.consent_document, name="consent_document"),
    path("consent/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
