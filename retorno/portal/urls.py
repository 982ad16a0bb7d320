from django.urls import path

from retorno.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("code/", views.code, name="code"),
    path("home/", views.home, name="home"),
    path("constancia.pdf", views.constancia_pdf, name="constancia_pdf"),
    path("minor/<int:minor_id>/constancia.pdf", views.constancia_pdf, name="minor_constancia_pdf"),
    path("contact/", views.contact, name="contact"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("stop-messages/", views.stop_messages, name="stop_messages"),
    path("rights/", views.rights, name="rights"),
    path("grievance/", views.grievance, name="grievance"),
    path(
        "rights/<int:request_id>/record.pdf", views.rights_package, {"fmt": "pdf"}, name="rights_package_pdf"
    ),
    path(
        "rights/<int:request_id>/record.json",
        views.rights_package,
        {"fmt": "json"},
        name="rights_package_json",
    ),
    path("s/<str:link>/", views.survey, name="survey"),
    path("hooks/twilio/inbound/", views.twilio_inbound, name="twilio_inbound"),
    path("hooks/twilio/status/", views.twilio_status, name="twilio_status"),
    path("reach/", views.reach, name="reach"),
]
