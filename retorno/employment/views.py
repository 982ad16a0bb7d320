"""Pages of the job bank and the livelihood programmes: vacancies (list, publish, import, export,
candidates), a person's employment page (work profile, matches with reasons, applications,
support, self-employment, certification), the applications pipeline and the support payments."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, can, requires
from retorno.audit.services import audit_search
from retorno.core.errors import form_add_service_errors, messages_add_form_errors, messages_add_service_errors
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.core.pagination import page_of
from retorno.employment import exports, jsonld, selectors, services
from retorno.employment.access import employment_persons_visible, is_job_bank, is_support_approver
from retorno.employment.forms import (
    AdvanceForm,
    ApplicationStepForm,
    BudgetForm,
    CertificationRequestForm,
    CertificationResultForm,
    DecideForm,
    EnrolForm,
    ImportForm,
    PaymentForm,
    VacancyFilterForm,
    VacancyForm,
    WorkProfileForm,
)
from retorno.employment.models import (
    Application,
    Certification,
    SelfEmployment,
    SupportApplication,
    SupportPayment,
    Vacancy,
)
from retorno.employment.rules import programmes


def _visible_person(user, person_id: int):
    try:
        return employment_persons_visible(user).get(pk=person_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _record_of(model, user, pk: int):
    """A person's employment record by id, when the user reaches that person (404 otherwise)."""
    obj = model.objects.filter(pk=pk, person__in=employment_persons_visible(user)).first()
    if obj is None:
        raise Http404
    return obj


def _vacancy(vacancy_id: int) -> Vacancy:
    vacancy = Vacancy.objects.select_related("occupation", "state", "employer").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise Http404
    return vacancy


def _submit(request, form, action: Callable[[dict], object], success: str) -> bool:
    """Run `action(cleaned_data)` for a valid form; show its refusal or the form's errors."""
    if not form.is_valid():
        messages_add_form_errors(request, form)
        return False
    try:
        action(form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
        return False
    messages.success(request, success)
    return True


# ---- vacancies ------------------------------------------------------------------------------


@requires(Perm.EMPLOYMENT_READ)
def vacancies(request):
    filters = VacancyFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.vacancy_list(
        text=values.get("q", ""),
        state=values.get("state", ""),
        occupation=values.get("occupation", ""),
        status=values.get("status") or "open",
    )
    return render(
        request,
        "employment/vacancies.html",
        {
            "filters": filters,
            "page": page_of(request, rows),
            "job_bank": is_job_bank(request.user),
            "import_form": ImportForm(),
        },
    )


@requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_new(request):
    return _vacancy_form(request, None)


@requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_edit(request, vacancy_id: int):
    return _vacancy_form(request, _vacancy(vacancy_id))


def _vacancy_form(request, vacancy: Vacancy | None):
    if not is_job_bank(request.user):
        raise AccessDenied(services.MSG_JOB_BANK_ONLY)
    if request.method == "POST":
        form = VacancyForm(request.POST)
        if form.is_valid():
            try:
                saved = services.vacancy_save(user=request.user, data=form.cleaned_data, vacancy=vacancy)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Vacante guardada."))
                return redirect("employment:vacancy", vacancy_id=saved.pk)
    else:
        form = VacancyForm(
            initial=VacancyForm.initial_of(vacancy) if vacancy else {"date_posted": timezone.localdate()}
        )
    return render(request, "employment/vacancy_form.html", {"form": form, "vacancy": vacancy})


@requires(Perm.EMPLOYMENT_READ)
def vacancy(request, vacancy_id: int):
    v = _vacancy(vacancy_id)
    candidates = selectors.candidates_for_vacancy(request.user, v) if is_job_bank(request.user) else []
    if candidates:
        audit_search(
            user=request.user,
            object_type="employment.workprofile",
            detail={"vacancy": v.pk, "shown": [p.pk for p, _profile, _m in candidates]},
        )
    return render(
        request,
        "employment/vacancy.html",
        {
            "vacancy": v,
            "job_bank": is_job_bank(request.user),
            "candidates": candidates,
            "applications": selectors.application_list_visible(request.user).filter(vacancy=v),
        },
    )


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def vacancy_close(request, vacancy_id: int):
    services.vacancy_close(user=request.user, vacancy=_vacancy(vacancy_id))
    messages.success(request, _("Vacante cerrada."))
    return redirect("employment:vacancy", vacancy_id=vacancy_id)


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def vacancy_import(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages_add_form_errors(request, form)
        return redirect("employment:vacancies")
    try:
        report = jsonld.import_postings(
            user=request.user,
            content=form.cleaned_data["file"].read(),
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
    except ValidationError as exc:
        for line in exc.messages:
            messages.error(request, line)
    else:
        messages.success(request, report.summary())
        for error in report.errors[:50]:
            messages.warning(request, jsonld.format_error(error))
    return redirect("employment:vacancies")


@requires(Perm.EMPLOYMENT_READ)
def vacancy_export(request):
    body = jsonld.export_postings(selectors.vacancy_list(status=request.GET.get("status", "open")))
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vacantes-{timezone.localdate():%Y%m%d}.jsonld"'
    return response


# ---- a person's employment page -------------------------------------------------------------


@requires(Perm.EMPLOYMENT_PERSON)
def person(request, person_id: int):
    person = _visible_person(request.user, person_id)
    record = selectors.employment_record(person)
    profile = record.profile
    suggested = selectors.work_profile_suggested(person) if profile is None else None
    initial = (
        WorkProfileForm.initial_of({f: getattr(profile, f) for f in services.PROFILE_FIELDS})
        if profile
        else WorkProfileForm.initial_of({k: v for k, v in suggested.items() if k != "source_diagnosis"})
    )
    matches = selectors.matches_for_profile(profile) if profile else None
    event = selectors.latest_event(person)
    services.person_view_audit(user=request.user, person=person, what="employment")
    config = programmes()
    return render(
        request,
        "employment/person.html",
        {
            "person": person,
            "record": record,
            "profile_form": WorkProfileForm(initial=initial),
            "from_diagnosis": suggested is not None and suggested.get("source_diagnosis") is not None,
            "matches": matches,
            "consent": services._consent_ok(person),
            "job_bank": is_job_bank(request.user),
            "approver": is_support_approver(request.user),
            "support": config.support,
            "support_verdict": selectors.support_verdict(person, event, profile),
            "support_taken": any(
                s.event_id == getattr(event, "pk", None) and s.status != "rejected" for s in record.support
            ),
            "payment_form": PaymentForm(),
            "decide_form": DecideForm(),
            "step_form": ApplicationStepForm(),
            "programmes": config,
            "enrol_form": EnrolForm(),
            "advance_form": AdvanceForm(),
            "certification_form": CertificationRequestForm(),
            "result_form": CertificationResultForm(),
            "reads_person": can(request.user, Perm.PERSON_READ),
        },
    )


def _back(person_id: int, anchor: str = ""):
    response = redirect("employment:person", person_id=person_id)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def profile_save(request, person_id: int):
    person = _visible_person(request.user, person_id)
    form = WorkProfileForm(request.POST)
    suggested = {}
    if not hasattr(person, "work_profile"):
        suggested = {"source_diagnosis": selectors.work_profile_suggested(person)["source_diagnosis"]}
    _submit(
        request,
        form,
        lambda data: services.work_profile_save(user=request.user, person=person, data={**data, **suggested}),
        _("Perfil laboral guardado."),
    )
    return _back(person.pk, "profile")


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def apply(request, person_id: int):
    person = _visible_person(request.user, person_id)
    vacancy_id = request.POST.get("vacancy", "")
    if not vacancy_id.isdigit() or len(vacancy_id) > 18:
        messages.error(request, _("Elija una vacante."))
        return _back(person.pk, "matches")
    try:
        services.application_create(user=request.user, person=person, vacancy=_vacancy(int(vacancy_id)))
        messages.success(request, _("Postulación enviada al empleador."))
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    if request.POST.get("next") == "vacancy":
        return redirect("employment:vacancy", vacancy_id=int(vacancy_id))
    return _back(person.pk, "applications")


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def application_step(request, application_id: int):
    application = _record_of(Application, request.user, application_id)
    _submit(
        request,
        ApplicationStepForm(request.POST),
        lambda d: services.application_transition(
            user=request.user,
            application=application,
            to_status=d["to_status"],
            on=d["on"],
            answer=d["answer"],
        ),
        _("Postulación actualizada."),
    )
    return _back(application.person_id, "applications")


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def support_apply(request, person_id: int):
    person = _visible_person(request.user, person_id)
    try:
        services.support_apply(user=request.user, person=person)
        messages.success(request, _("Solicitud de apoyo registrada."))
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    return _back(person.pk, "support")


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def support_decide(request, support_id: int):
    application = _record_of(SupportApplication, request.user, support_id)
    _submit(
        request,
        DecideForm(request.POST),
        lambda d: services.support_decide(
            user=request.user, application=application, approve=d["approve"], note=d["note"]
        ),
        _("Solicitud resuelta."),
    )
    return _back(application.person_id, "support")


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def support_pay(request, support_id: int):
    application = _record_of(SupportApplication, request.user, support_id)
    _submit(
        request,
        PaymentForm(request.POST),
        lambda d: services.support_pay(
            user=request.user,
            application=application,
            concept=d["concept"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            reference=d["reference"],
        ),
        _("Pago registrado."),
    )
    return _back(application.person_id, "support")


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def self_employment_enrol(request, person_id: int):
    person = _visible_person(request.user, person_id)
    _submit(
        request,
        EnrolForm(request.POST),
        lambda d: services.self_employment_enrol(user=request.user, person=person, activity=d["activity"]),
        _("Inscripción registrada."),
    )
    return _back(person.pk, "self-employment")


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def self_employment_advance(request, enrolment_id: int):
    enrolment = _record_of(SelfEmployment, request.user, enrolment_id)
    _submit(
        request,
        AdvanceForm(request.POST),
        lambda d: services.self_employment_advance(user=request.user, enrolment=enrolment, **d),
        _("Etapa registrada."),
    )
    return _back(enrolment.person_id, "self-employment")


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def certification_request(request, person_id: int):
    person = _visible_person(request.user, person_id)
    _submit(
        request,
        CertificationRequestForm(request.POST),
        lambda d: services.certification_request(user=request.user, person=person, **d),
        _("Solicitud de certificación registrada."),
    )
    return _back(person.pk, "certification")


@requires(Perm.EMPLOYMENT_PERSON)
@require_POST
def certification_result(request, certification_id: int):
    certification = _record_of(Certification, request.user, certification_id)
    _submit(
        request,
        CertificationResultForm(request.POST),
        lambda d: services.certification_result(user=request.user, certification=certification, **d),
        _("Resultado registrado."),
    )
    return _back(certification.person_id, "certification")


# ---- the job bank's worklists ---------------------------------------------------------------


@requires(Perm.EMPLOYMENT_MANAGE)
def applications(request):
    if not is_job_bank(request.user):
        raise AccessDenied(services.MSG_JOB_BANK_ONLY)
    status = request.GET.get("status", "")
    rows = selectors.application_list_visible(request.user)
    if status in Application.Status.values:
        rows = rows.filter(status=status)
    seekers = (
        selectors.WorkProfile.objects.filter(
            person__in=employment_persons_visible(request.user), looking_for_work=True
        )
        .select_related("person", "occupation", "preferred_state")
        .order_by("-updated_at")
    )
    return render(
        request,
        "employment/applications.html",
        {
            "page": page_of(request, rows),
            "seekers": page_of(request, seekers, param="seekers"),
            "status": status,
            "statuses": Application.Status.choices,
        },
    )


@requires(Perm.EMPLOYMENT_MANAGE)
def support(request):
    config = programmes()
    if config.support is None or not is_support_approver(request.user):
        raise Http404
    payments = (
        SupportPayment.objects.filter(application__person__in=employment_persons_visible(request.user))
        .select_related("application__person", "application__reception_point")
        .order_by("-paid_on", "-id")
    )
    pending = SupportApplication.objects.filter(
        status=SupportApplication.Status.SUBMITTED, person__in=employment_persons_visible(request.user)
    ).select_related("person", "reception_point")
    return render(
        request,
        "employment/support.html",
        {
            "support": config.support,
            "currency": config.currency,
            "budgets": selectors.budgets_with_balance(config.support.code),
            "budget_form": BudgetForm(initial={"month": timezone.localdate()}),
            "payments": page_of(request, payments),
            "pending": pending,
        },
    )


@requires(Perm.EMPLOYMENT_MANAGE)
@require_POST
def budget_set(request):
    form = BudgetForm(request.POST)
    _submit(
        request,
        form,
        lambda d: services.budget_set(
            user=request.user, point=d["point"], month=d["month"], amount=d["amount"]
        ),
        _("Presupuesto guardado."),
    )
    return redirect("employment:support")


@requires(Perm.EMPLOYMENT_MANAGE)
def payments_export(request, fmt: str):
    if fmt not in ("csv", "xlsx") or not is_support_approver(request.user) or programmes().support is None:
        raise Http404
    return exports.payments_response(request.user, fmt)
