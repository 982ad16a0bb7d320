from django.urls import path

from retorno.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.vacancies, name="vacancies"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("vacancies/import/", views.vacancy_import, name="vacancy_import"),
    path("vacancies/export/", views.vacancy_export, name="vacancy_export"),
    path("vacancies/<int:vacancy_id>/", views.vacancy, name="vacancy"),
    path("vacancies/<int:vacancy_id>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:vacancy_id>/close/", views.vacancy_close, name="vacancy_close"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/profile/", views.profile_save, name="profile_save"),
    path("person/<int:person_id>/apply/", views.apply, name="apply"),
    path("person/<int:person_id>/support/", views.support_apply, name="support_apply"),
    path(
        "person/<int:person_id>/self-employment/", views.self_employment_enrol, name="self_employment_enrol"
    ),
    path("person/<int:person_id>/certification/", views.certification_request, name="certification_request"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/step/", views.application_step, name="application_step"),
    path("support/", views.support, name="support"),
    path("support/budget/", views.budget_set, name="budget_set"),
    path("support/payments.<str:fmt>", views.payments_export, name="payments_export"),
    path("support/<int:support_id>/decide/", views.support_decide, name="support_decide"),
    path("support/<int:support_id>/pay/", views.support_pay, name="support_pay"),
    path(
        "self-employment/<int:enrolment_id>/advance/",
        views.self_employment_advance,
        name="self_employment_advance",
    ),
    path(
        "certification/<int:certification_id>/result/",
        views.certification_result,
        name="certification_result",
    ),
]
