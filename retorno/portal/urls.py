from django.urls import path

from retorno.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("code/", views.code, name="code"),
    path("home/", views.home, name="home"),
    path("constancia.pdf", views.constancia_pdf, name="constancia_pdf"),
    path("contact/", views.contact, name="contact"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
