"""Every change of the employment app: one transactional, audited function each, checking role
and scope. Vacancies: the job bank publishes, edits, closes and imports them. A returnee's work
profile, support application, self-employment enrolment and certification requests: the
referring side of their point or the job bank (with the returnee's consent). Applications,
support decisions and payments, budgets: the job bank / the approving ministry."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.directory.models import Institution
from retorno.employment.access import employment_persons_visible, is_job_bank, is_support_approver
from retorno.employment.matching import explain
from retorno.employment.models import (
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Certification,
    CompetencyStandard,
    Education,
    EnglishLevel,
    Occupation,
    SelfEmployment,
    StageRecord,
    SupportApplication,
    SupportBudget,
    SupportPayment,
    Vacancy,
    WorkProfile,
)
from retorno.employment.rules import programmes
from retorno.employment.selectors import (
    budget_remaining,
    latest_event,
    profile_facts,
    support_verdict,
    vacancy_facts,
    work_profile_of,
)
from retorno.identity.models import Person
from retorno.reference.models import ReceptionPoint, State
from retorno.referrals.models import Consent

MSG_REQUIRED = _("Campo obligatorio.")
MSG_BAD_CHOICE = _("Valor no válido.")
MSG_TOO_LONG = _("Texto demasiado largo (máximo %(n)s caracteres).")
MSG_NUMBER = _("Debe ser un número mayor o igual que cero.")
MSG_DATE = _("Fecha no válida: use AAAA-MM-DD.")
MSG_FUTURE = _("La fecha no puede ser futura.")
MSG_UNKNOWN_OCCUPATION = _("Ocupación desconocida: %(code)s.")
MSG_UNKNOWN_STATE = _("Entidad desconocida: %(code)s.")
MSG_UNKNOWN_EMPLOYER = _("El empleador no está en el directorio: %(code)s.")
MSG_SALARY_RANGE = _("El salario máximo debe ser mayor o igual que el mínimo.")
MSG_VALID_THROUGH = _("La vigencia debe ser igual o posterior a la fecha de publicación.")
MSG_LIST = _("Debe ser una lista de textos (máximo %(n)s).")
MSG_JOB_BANK_ONLY = _("Solo la bolsa de trabajo puede hacer este cambio.")
MSG_APPROVER_ONLY = _("Solo la institución que aprueba el apoyo puede hacer este cambio.")
MSG_NO_CONSENT = _(
    "No hay consentimiento vigente de la persona para la bolsa de trabajo. Regístrelo en su página de "
    "canalizaciones antes de postularla."
)
MSG_NO_PROFILE = _("La persona no tiene perfil laboral; regístrelo primero.")
MSG_VACANCY_CLOSED = _("La vacante está cerrada o vencida.")
MSG_NOT_ELIGIBLE = _("La persona no cumple la vacante: %(why)s")
MSG_DUPLICATE_APPLICATION = _("La persona ya tiene una postulación en curso a esta vacante.")
MSG_FORBIDDEN_TRANSITION = _("No se puede pasar una postulación de «%(from)s» a «%(to)s».")
MSG_ANSWER_REQUIRED = _("Anote la respuesta del empleador.")
MSG_NO_SUPPORT = _("Este país no tiene configurado un apoyo económico para la búsqueda de empleo.")
MSG_NO_EVENT = _("La persona no tiene un retorno registrado.")
MSG_NOT_SUPPORT_ELIGIBLE = _("No cumple las reglas del apoyo: %(why)s")
MSG_SUPPORT_DUPLICATE = _("Ya hay una solicitud de apoyo para este retorno.")
MSG_SUPPORT_NOT_SUBMITTED = _("La solicitud ya fue resuelta.")
MSG_REASON_REQUIRED = _("Indique el motivo del rechazo.")
MSG_NOT_APPROVED = _("Solo se paga una solicitud aprobada.")
MSG_UNKNOWN_CONCEPT = _("Concepto de pago desconocido.")
MSG_OVER_CAP = _("El monto excede el tope de %(cap)s para este concepto.")
MSG_PAID_TWICE = _("Este concepto ya se pagó para este retorno; no hay un segundo pago.")
MSG_NO_BUDGET = _("No hay presupuesto registrado para %(point)s en %(month)s.")
MSG_OVER_BUDGET = _("El presupuesto de %(point)s en %(month)s no alcanza: quedan %(left)s.")
MSG_ALREADY_ENROLLED = _("La persona ya está inscrita en el programa.")
MSG_ENROLMENT_CLOSED = _("La inscripción ya terminó.")
MSG_CREDIT = _("Indique el monto y el otorgante del crédito.")
MSG_DUPLICATE_CERTIFICATION = _("Ya hay una solicitud de certificación en curso para este estándar.")
MSG_CERTIFICATION_DONE = _("La certificación ya tiene resultado.")
MSG_CERTIFICATE_NUMBER = _("Anote el folio del certificado.")

MAX_TEXT = 4000
MAX_LIST = 30
MAX_ITEM = 80

# (from, to) of an application; the job bank records each step with the employer's answer.
TRANSITIONS = {
    (ApplicationStatus.SENT, ApplicationStatus.INTERVIEW),
    (ApplicationStatus.SENT, ApplicationStatus.HIRED),
    (ApplicationStatus.SENT, ApplicationStatus.NOT_HIRED),
    (ApplicationStatus.SENT, ApplicationStatus.WITHDRAWN),
    (ApplicationStatus.INTERVIEW, ApplicationStatus.HIRED),
    (ApplicationStatus.INTERVIEW, ApplicationStatus.NOT_HIRED),
    (ApplicationStatus.INTERVIEW, ApplicationStatus.WITHDRAWN),
}


# ---- input cleaning (shared by pages, API and the JSON-LD import) -----------------------------


def _text(errors: dict, data: dict, key: str, *, required: bool = False, limit: int = 160) -> str:
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors[key] = MSG_REQUIRED
    elif len(value) > limit:
        errors[key] = MSG_TOO_LONG % {"n": limit}
    return value


def _strings(errors: dict, data: dict, key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",")]
    if (
        not isinstance(value, list | tuple)
        or len(value) > MAX_LIST
        or not all(isinstance(v, str) for v in value)
    ):
        errors[key] = MSG_LIST % {"n": MAX_LIST}
        return []
    cleaned = list(dict.fromkeys(v.strip()[:MAX_ITEM] for v in value if v.strip()))
    return cleaned


def _amount(errors: dict, data: dict, key: str) -> Decimal | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[key] = MSG_NUMBER
        return None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e8"):
        errors[key] = MSG_NUMBER
        return None
    return amount.quantize(Decimal("0.01"))


def _int(errors: dict, data: dict, key: str, default: int, *, low: int = 0, high: int = 999) -> int:
    value = data.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[key] = MSG_NUMBER
        return default
    if not low <= number <= high:
        errors[key] = MSG_NUMBER
        return default
    return number


def _date(errors: dict, data: dict, key: str, default: date | None = None) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        if default is None:
            errors[key] = MSG_REQUIRED
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        errors[key] = MSG_DATE
        return default


def _choice(errors: dict, data: dict, key: str, choices, default: str) -> str:
    value = data.get(key) or default
    if value not in choices.values:
        errors[key] = MSG_BAD_CHOICE
        return default
    return value


def vacancy_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The vacancy's model values from plain input; ValidationError (field -> message) on any fault."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {
        "title": _text(errors, data, "title", required=True),
        "description": _text(errors, data, "description", limit=MAX_TEXT),
        "municipality": _text(errors, data, "municipality", required=True, limit=120),
        "skills": _strings(errors, data, "skills"),
        "languages": _strings(errors, data, "languages"),
        "english_level": _choice(errors, data, "english_level", EnglishLevel, EnglishLevel.NONE),
        "education": _choice(errors, data, "education", Education, Education.NONE),
        "experience_years": _int(errors, data, "experience_years", 0, high=60),
        "salary_min": _amount(errors, data, "salary_min"),
        "salary_max": _amount(errors, data, "salary_max"),
        "salary_currency": (_text(errors, data, "salary_currency", limit=3) or programmes().currency).upper(),
        "salary_unit": _choice(errors, data, "salary_unit", Vacancy.SalaryUnit, Vacancy.SalaryUnit.MONTH),
        "schedule": _choice(errors, data, "schedule", Vacancy.Schedule, Vacancy.Schedule.FULL_TIME),
        "positions": _int(errors, data, "positions", 1, low=1, high=9999),
        "date_posted": _date(errors, data, "date_posted", timezone.localdate()),
        "flags": _strings(errors, data, "flags"),
    }
    values["valid_through"] = _date(errors, data, "valid_through")
    bad_flags = [f for f in values["flags"] if f not in Vacancy.Flag.values]
    if bad_flags and "flags" not in errors:
        errors["flags"] = MSG_BAD_CHOICE
    occupation = str(data.get("occupation") or "").strip()
    values["occupation"] = Occupation.objects.filter(code=occupation).first() if occupation else None
    if values["occupation"] is None:
        errors["occupation"] = (
            MSG_UNKNOWN_OCCUPATION % {"code": occupation[:20] or "—"} if occupation else MSG_REQUIRED
        )
    state = str(data.get("state") or "").strip()
    values["state"] = State.objects.filter(code=state.upper(), is_foreign=False).first() if state else None
    if values["state"] is None:
        errors["state"] = MSG_UNKNOWN_STATE % {"code": state[:40]} if state else MSG_REQUIRED
    employer = str(data.get("employer") or "").strip()
    values["employer"] = Institution.objects.filter(code=employer).first() if employer else None
    if values["employer"] is None:
        errors["employer"] = MSG_UNKNOWN_EMPLOYER % {"code": employer[:40]} if employer else MSG_REQUIRED
    lo, hi = values["salary_min"], values["salary_max"]
    if lo is not None and hi is not None and hi < lo:
        errors["salary_max"] = MSG_SALARY_RANGE
    if values["valid_through"] and values["date_posted"] and values["valid_through"] < values["date_posted"]:
        errors["valid_through"] = MSG_VALID_THROUGH
    if errors:
        raise ValidationError(errors)
    return values


def _require_job_bank(user: User) -> None:
    require(user, Perm.EMPLOYMENT_MANAGE)
    if not is_job_bank(user):
        raise AccessDenied(MSG_JOB_BANK_ONLY)


def _require_person(user: User, person: Person) -> None:
    require(user, Perm.EMPLOYMENT_PERSON)
    if not employment_persons_visible(user).filter(pk=person.pk).exists():
        raise AccessDenied


def _event_point(person: Person) -> int | None:
    event = latest_event(person)
    return event.reception_point_id if event else None


def person_view_audit(*, user: User, person: Person, what: str) -> None:
    """Record that the user read the person's employment records (`what`: which of them)."""
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=person,
        person_id=person.pk,
        reception_point_id=_event_point(person),
        detail={"what": what},
    )


# ---- vacancies ------------------------------------------------------------------------------


@transaction.atomic
def vacancy_save(
    *, user: User, data: dict[str, Any], vacancy: Vacancy | None = None, source: str = "form"
) -> Vacancy:
    """Publish a vacancy (or update `vacancy`) from plain input."""
    _require_job_bank(user)
    values = vacancy_clean(data)
    if vacancy is None:
        identifier = str(data.get("identifier") or "").strip()[:120] or Vacancy.new_identifier()
        vacancy = Vacancy(identifier=identifier, created_by=user)
        action = AuditEntry.Action.CREATE
    else:
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        action = AuditEntry.Action.UPDATE
    for key, value in values.items():
        setattr(vacancy, key, value)
    vacancy.save()
    audit_record(
        user=user, action=action, obj=vacancy, detail={"identifier": vacancy.identifier, "source": source}
    )
    return vacancy


@transaction.atomic
def vacancy_close(*, user: User, vacancy: Vacancy) -> Vacancy:
    _require_job_bank(user)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.CLOSED:
        vacancy.status = Vacancy.Status.CLOSED
        vacancy.save(update_fields=["status", "updated_at"])
        audit_record(user=user, action=AuditEntry.Action.UPDATE, obj=vacancy, detail={"status": "closed"})
    return vacancy


def employer_for(*, name: str, code: str = "") -> Institution:
    """The directory's organisation for an imported posting's employer, added (as a company)
    when the directory does not have it. Callers hold the transaction."""
    code = (code or slugify(name)[:40]).upper() or "EMPLEADOR"
    found = (
        Institution.objects.filter(code=code).first() or Institution.objects.filter(name__iexact=name).first()
    )
    if found:
        return found
    return Institution.objects.create(code=code, name=name[:200], order=Institution.Order.PRIVATE)


# ---- work profile ---------------------------------------------------------------------------

PROFILE_FIELDS = (
    "trade",
    "occupation",
    "experience_years",
    "years_in_us",
    "english_level",
    "education",
    "skills",
    "certifications",
    "preferred_state",
    "preferred_municipality",
    "willing_to_relocate",
    "looking_for_work",
    "wants_self_employment",
)


def _shown(value) -> Any:
    if hasattr(value, "code"):
        return value.code
    return value


@transaction.atomic
def work_profile_save(*, user: User, person: Person, data: dict[str, Any]) -> WorkProfile:
    """Create or correct the person's work profile; the audit entry keeps the old values."""
    _require_person(user, person)
    errors: dict[str, Any] = {}
    trade = str(data.get("trade") or "").strip()
    occupation_code = str(data.get("occupation") or "").strip()
    occupation = Occupation.objects.filter(code=occupation_code).first() if occupation_code else None
    if occupation_code and occupation is None:
        errors["occupation"] = MSG_UNKNOWN_OCCUPATION % {"code": occupation_code[:20]}
    state_code = str(data.get("preferred_state") or "").strip().upper()
    state = State.objects.filter(code=state_code).first() if state_code else None
    if state_code and state is None:
        errors["preferred_state"] = MSG_UNKNOWN_STATE % {"code": state_code[:10]}
    values = {
        "trade": trade[:24] or (occupation.trade if occupation else ""),
        "occupation": occupation,
        "experience_years": _int(errors, data, "experience_years", None, high=70),
        "years_in_us": _int(errors, data, "years_in_us", None, high=90),
        "english_level": _choice(errors, data, "english_level", EnglishLevel, EnglishLevel.NONE),
        "education": _choice(errors, data, "education", Education, Education.NONE),
        "skills": _strings(errors, data, "skills"),
        "certifications": _strings(errors, data, "certifications"),
        "preferred_state": state,
        "preferred_municipality": _text(errors, data, "preferred_municipality", limit=120),
        "willing_to_relocate": bool(data.get("willing_to_relocate")),
        "looking_for_work": bool(data.get("looking_for_work")),
        "wants_self_employment": bool(data.get("wants_self_employment")),
    }
    if errors:
        raise ValidationError(errors)
    profile = WorkProfile.objects.select_for_update().filter(person=person).first()
    before = {k: _shown(getattr(profile, k)) for k in PROFILE_FIELDS} if profile else {}
    profile = profile or WorkProfile(person=person, source_diagnosis=data.get("source_diagnosis"))
    for key, value in values.items():
        setattr(profile, key, value)
    profile.updated_by = user
    profile.save()
    after = {k: _shown(getattr(profile, k)) for k in PROFILE_FIELDS}
    changed = {k: {"old": before.get(k), "new": v} for k, v in after.items() if before.get(k) != v}
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        obj=profile,
        person_id=person.pk,
        reception_point_id=_event_point(person),
        detail={"changes": changed},
    )
    return profile


# ---- applications ---------------------------------------------------------------------------


def _consent_ok(person: Person) -> bool:
    from retorno.referrals.selectors import consent_valid

    institution = Institution.objects.filter(code=programmes().job_bank_institution).first()
    return (
        institution is not None
        and consent_valid(person.pk, institution.pk, Consent.Purpose.JOB_MATCHING) is not None
    )


def _shared_snapshot(person: Person, profile: WorkProfile) -> dict[str, Any]:
    """What the employer receives: the minimum to contact and judge the candidate."""
    return {
        "full_name": person.full_name,
        "phone": person.phone_mx or person.phone_us,
        "occupation": profile.occupation.name if profile.occupation_id else profile.trade,
        "experience_years": profile.experience_years,
        "english_level": profile.english_level,
        "education": profile.education,
        "certifications": profile.certifications,
    }


@transaction.atomic
def application_create(
    *, user: User, person: Person, vacancy: Vacancy, on: date | None = None
) -> Application:
    """Put the person forward for the vacancy (their consent, an open vacancy they fit)."""
    _require_job_bank(user)
    _require_person(user, person)
    if not _consent_ok(person):
        raise DomainError(MSG_NO_CONSENT, code="no_consent")
    profile = work_profile_of(person)
    if profile is None:
        raise DomainError(MSG_NO_PROFILE, code="no_profile")
    vacancy = Vacancy.objects.select_for_update().select_related("occupation", "state").get(pk=vacancy.pk)
    today = timezone.localdate()
    match = explain(profile_facts(profile), vacancy_facts(vacancy), today)
    if vacancy.status != Vacancy.Status.OPEN or vacancy.valid_through < today:
        raise DomainError(MSG_VACANCY_CLOSED, code="vacancy_closed")
    if not match.eligible:
        raise DomainError(MSG_NOT_ELIGIBLE % {"why": "; ".join(match.blockers)}, code="not_eligible")
    if Application.objects.filter(person=person, vacancy=vacancy, status__in=OPEN_APPLICATION).exists():
        raise DomainError(MSG_DUPLICATE_APPLICATION, code="duplicate_application")
    on = on or today
    if on > today:
        raise ValidationError({"on": MSG_FUTURE})
    application = Application.objects.create(
        person=person,
        vacancy=vacancy,
        match_score=match.score,
        shared_data=_shared_snapshot(person, profile),
        sent_on=on,
        created_by=user,
    )
    ApplicationTransition.objects.create(
        application=application, to_status=ApplicationStatus.SENT, on=on, by_username=user.get_username()
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=application,
        person_id=person.pk,
        reception_point_id=_event_point(person),
        detail={"vacancy": vacancy.identifier, "score": match.score},
    )
    return application


@transaction.atomic
def application_transition(
    *, user: User, application: Application, to_status: str, on: date | None = None, answer: str = ""
) -> Application:
    """Record the next step of an application with the employer's answer (required when the
    employer decides)."""
    _require_job_bank(user)
    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    _require_person(user, application.person)
    frm = application.status
    if (frm, to_status) not in TRANSITIONS:
        label = dict(ApplicationStatus.choices)
        raise DomainError(
            MSG_FORBIDDEN_TRANSITION % {"from": label[frm], "to": label.get(to_status, str(to_status)[:20])},
            code="forbidden_transition",
        )
    errors: dict[str, Any] = {}
    answer = _text(errors, {"answer": answer}, "answer", limit=MAX_TEXT)
    today = timezone.localdate()
    on = on or today
    if on > today:
        errors["on"] = MSG_FUTURE
    elif on < application.sent_on:
        errors["on"] = MSG_DATE
    if to_status in (ApplicationStatus.HIRED, ApplicationStatus.NOT_HIRED) and not answer:
        errors["answer"] = MSG_ANSWER_REQUIRED
    if errors:
        raise ValidationError(errors)
    application.status = to_status
    if to_status == ApplicationStatus.INTERVIEW:
        application.interview_on = on
    else:
        application.decided_on = on
    if answer:
        application.employer_answer = answer
    application.save()
    ApplicationTransition.objects.create(
        application=application,
        from_status=frm,
        to_status=to_status,
        on=on,
        by_username=user.get_username(),
        note=answer,
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        person_id=application.person_id,
        reception_point_id=_event_point(application.person),
        detail={"from": frm, "to": to_status},
    )
    return application


# ---- the job-search support (Repatriados Trabajando) ----------------------------------------


def _support_rules():
    rules = programmes().support
    if rules is None:
        raise DomainError(MSG_NO_SUPPORT, code="no_support_programme")
    return rules


@transaction.atomic
def support_apply(*, user: User, person: Person) -> SupportApplication:
    """Apply for the support for the person's latest return, if the rules allow it."""
    rules = _support_rules()
    _require_person(user, person)
    event = latest_event(person)
    if event is None:
        raise DomainError(MSG_NO_EVENT, code="no_event")
    verdict = support_verdict(person, event, work_profile_of(person))
    if not verdict.eligible:
        failed = "; ".join(text for ok, text in verdict.reasons if not ok)
        raise DomainError(MSG_NOT_SUPPORT_ELIGIBLE % {"why": failed}, code="not_eligible")
    if (
        SupportApplication.objects.filter(programme=rules.code, event=event)
        .exclude(status="rejected")
        .exists()
    ):
        raise DomainError(MSG_SUPPORT_DUPLICATE, code="duplicate_support")
    application = SupportApplication.objects.create(
        person=person,
        event=event,
        programme=rules.code,
        reception_point=event.reception_point,
        eligibility=[{"met": ok, "text": text} for ok, text in verdict.reasons],
        submitted_on=timezone.localdate(),
        created_by=user,
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=application,
        person_id=person.pk,
        reception_point_id=event.reception_point_id,
        detail={"programme": rules.code, "event": event.pk},
    )
    return application


def _require_approver(user: User) -> None:
    require(user, Perm.EMPLOYMENT_MANAGE)
    if not is_support_approver(user):
        raise AccessDenied(MSG_APPROVER_ONLY)


@transaction.atomic
def support_decide(
    *, user: User, application: SupportApplication, approve: bool, note: str = ""
) -> SupportApplication:
    _require_approver(user)
    application = (
        SupportApplication.objects.select_for_update().select_related("person").get(pk=application.pk)
    )
    _require_person(user, application.person)
    if application.status != SupportApplication.Status.SUBMITTED:
        raise DomainError(MSG_SUPPORT_NOT_SUBMITTED, code="already_decided")
    errors: dict[str, Any] = {}
    note = _text(errors, {"note": note}, "note", limit=MAX_TEXT)
    if not approve and not note:
        errors["note"] = MSG_REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    application.status = SupportApplication.Status.APPROVED if approve else SupportApplication.Status.REJECTED
    application.decided_on = timezone.localdate()
    application.decided_by = user
    application.decision_note = note
    application.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        person_id=application.person_id,
        reception_point_id=application.reception_point_id,
        detail={"status": application.status},
    )
    return application


@transaction.atomic
def budget_set(*, user: User, point: ReceptionPoint, month: date, amount: Any) -> SupportBudget:
    """Set the programme's budget of a point for a month (the remaining balance follows)."""
    rules = _support_rules()
    _require_approver(user)
    errors: dict[str, Any] = {}
    value = _amount(errors, {"amount": amount}, "amount")
    if value is None and "amount" not in errors:
        errors["amount"] = MSG_REQUIRED
    if errors:
        raise ValidationError(errors)
    budget, created = SupportBudget.objects.select_for_update().get_or_create(
        programme=rules.code,
        period=month.replace(day=1),
        reception_point=point,
        defaults={"amount": value, "created_by": user},
    )
    if not created:
        paid = budget.amount - budget_remaining(budget)
        if value < paid:
            raise ValidationError(
                {
                    "amount": MSG_OVER_BUDGET
                    % {"point": point.name, "month": budget.period.strftime("%Y-%m"), "left": paid}
                }
            )
        budget.amount = value
        budget.save(update_fields=["amount"])
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=budget,
        reception_point_id=point.pk,
        detail={"month": budget.period.isoformat(), "amount": str(value)},
    )
    return budget


@transaction.atomic
def support_pay(
    *,
    user: User,
    application: SupportApplication,
    concept: str,
    amount: Any,
    paid_on: date | None = None,
    reference: str = "",
) -> SupportPayment:
    """Record one payment of one concept, within its cap and the point's monthly budget."""
    rules = _support_rules()
    _require_approver(user)
    application = (
        SupportApplication.objects.select_for_update()
        .select_related("person", "reception_point")
        .get(pk=application.pk)
    )
    _require_person(user, application.person)
    if application.status != SupportApplication.Status.APPROVED:
        raise DomainError(MSG_NOT_APPROVED, code="not_approved")
    errors: dict[str, Any] = {}
    rule = rules.concept(concept)
    if rule is None:
        errors["concept"] = MSG_UNKNOWN_CONCEPT
    value = _amount(errors, {"amount": amount}, "amount")
    if value is None and "amount" not in errors:
        errors["amount"] = MSG_REQUIRED
    elif value is not None and value <= 0:
        errors["amount"] = MSG_NUMBER
    elif value is not None and rule is not None and value > rule.cap:
        errors["amount"] = MSG_OVER_CAP % {"cap": f"{rules_currency()} {rule.cap:,.2f}"}
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        errors["paid_on"] = MSG_FUTURE
    reference = _text(errors, {"reference": reference}, "reference", limit=60)
    if errors:
        raise ValidationError(errors)
    if SupportPayment.objects.filter(event_id=application.event_id, concept=concept).exists():
        raise DomainError(MSG_PAID_TWICE, code="paid_twice")
    month = paid_on.replace(day=1)
    budget = (
        SupportBudget.objects.select_for_update()
        .filter(programme=rules.code, period=month, reception_point=application.reception_point)
        .first()
    )
    where = {"point": application.reception_point.name, "month": month.strftime("%Y-%m")}
    if budget is None:
        raise DomainError(MSG_NO_BUDGET % where, code="no_budget")
    left = budget_remaining(budget)
    if value > left:
        raise DomainError(MSG_OVER_BUDGET % {**where, "left": f"{left:,.2f}"}, code="over_budget")
    payment = SupportPayment.objects.create(
        application=application,
        event_id=application.event_id,
        budget=budget,
        concept=concept,
        amount=value,
        paid_on=paid_on,
        reference=reference,
        recorded_by=user,
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=payment,
        person_id=application.person_id,
        reception_point_id=application.reception_point_id,
        detail={"concept": concept, "amount": str(value)},
    )
    return payment


def rules_currency() -> str:
    return programmes().currency


# ---- self-employment (Retorno Digno) --------------------------------------------------------


@transaction.atomic
def self_employment_enrol(
    *, user: User, person: Person, activity: str = "", on: date | None = None
) -> SelfEmployment:
    _require_person(user, person)
    config = programmes()
    if SelfEmployment.objects.filter(
        person=person, programme=config.self_employment_code, status="active"
    ).exists():
        raise DomainError(MSG_ALREADY_ENROLLED, code="already_enrolled")
    errors: dict[str, Any] = {}
    activity = _text(errors, {"activity": activity}, "activity")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = MSG_FUTURE
    if errors:
        raise ValidationError(errors)
    first = config.stages[0].code
    enrolment = SelfEmployment.objects.create(
        person=person,
        programme=config.self_employment_code,
        enrolled_on=on,
        stage=first,
        business_activity=activity,
        created_by=user,
    )
    StageRecord.objects.create(
        enrolment=enrolment, stage=first, started_on=on, by_username=user.get_username()
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=enrolment,
        person_id=person.pk,
        reception_point_id=_event_point(person),
    )
    return enrolment


@transaction.atomic
def self_employment_advance(
    *,
    user: User,
    enrolment: SelfEmployment,
    outcome: str,
    on: date | None = None,
    credit_amount: Any = None,
    credit_provider: str = "",
    drop: bool = False,
) -> SelfEmployment:
    """Close the current stage with its outcome and open the next (or drop out). Leaving the
    credit application needs the credit's amount and provider; the last stage means operating."""
    enrolment = SelfEmployment.objects.select_for_update().select_related("person").get(pk=enrolment.pk)
    _require_person(user, enrolment.person)
    if enrolment.status != SelfEmployment.Status.ACTIVE:
        raise DomainError(MSG_ENROLMENT_CLOSED, code="enrolment_closed")
    errors: dict[str, Any] = {}
    outcome = _text(errors, {"outcome": outcome}, "outcome", required=True, limit=MAX_TEXT)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = MSG_FUTURE
    amount = _amount(errors, {"credit_amount": credit_amount}, "credit_amount")
    provider = _text(errors, {"credit_provider": credit_provider}, "credit_provider")
    if enrolment.stage == "credit_application" and not drop and (not amount or not provider):
        errors["credit_amount"] = MSG_CREDIT
    if errors:
        raise ValidationError(errors)
    current = enrolment.stages.filter(completed_on__isnull=True).order_by("-started_on", "-id").first()
    if current:
        current.completed_on = on
        current.outcome = outcome
        current.save(update_fields=["completed_on", "outcome"])
    if amount:
        enrolment.credit_amount, enrolment.credit_provider = amount, provider
    nxt = programmes().next_stage(enrolment.stage)
    if drop:
        enrolment.status = SelfEmployment.Status.DROPPED
    elif nxt is not None:
        enrolment.stage = nxt.code
        if programmes().next_stage(nxt.code) is None:
            enrolment.status = SelfEmployment.Status.OPERATING
            StageRecord.objects.create(
                enrolment=enrolment,
                stage=nxt.code,
                started_on=on,
                completed_on=on,
                outcome=outcome,
                by_username=user.get_username(),
            )
        else:
            StageRecord.objects.create(
                enrolment=enrolment, stage=nxt.code, started_on=on, by_username=user.get_username()
            )
    enrolment.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=enrolment,
        person_id=enrolment.person_id,
        reception_point_id=_event_point(enrolment.person),
        detail={"stage": enrolment.stage, "status": enrolment.status},
    )
    return enrolment


# ---- competency certification ---------------------------------------------------------------


@transaction.atomic
def certification_request(
    *,
    user: User,
    person: Person,
    standard: CompetencyStandard,
    started_abroad: bool = False,
    on: date | None = None,
) -> Certification:
    _require_person(user, person)
    if Certification.objects.filter(
        person=person, standard=standard, status=Certification.Status.REQUESTED
    ).exists():
        raise DomainError(MSG_DUPLICATE_CERTIFICATION, code="duplicate_certification")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": MSG_FUTURE})
    certification = Certification.objects.create(
        person=person, standard=standard, requested_on=on, started_abroad=started_abroad, created_by=user
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=certification,
        person_id=person.pk,
        reception_point_id=_event_point(person),
        detail={"standard": standard.code},
    )
    return certification


@transaction.atomic
def certification_result(
    *,
    user: User,
    certification: Certification,
    status: str,
    certificate_number: str = "",
    on: date | None = None,
) -> Certification:
    certification = (
        Certification.objects.select_for_update().select_related("person").get(pk=certification.pk)
    )
    _require_person(user, certification.person)
    if certification.status != Certification.Status.REQUESTED:
        raise DomainError(MSG_CERTIFICATION_DONE, code="certification_done")
    errors: dict[str, Any] = {}
    if status not in (
        Certification.Status.COMPETENT,
        Certification.Status.NOT_YET,
        Certification.Status.CANCELLED,
    ):
        errors["status"] = MSG_BAD_CHOICE
    number = _text(errors, {"certificate_number": certificate_number}, "certificate_number", limit=60)
    if status == Certification.Status.COMPETENT and not number:
        errors["certificate_number"] = MSG_CERTIFICATE_NUMBER
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["on"] = MSG_FUTURE
    if errors:
        raise ValidationError(errors)
    certification.status, certification.certificate_number, certification.result_on = status, number, on
    certification.save()
    if status == Certification.Status.COMPETENT:
        profile = work_profile_of(certification.person)
        if profile is not None and certification.standard.code not in profile.certifications:
            profile.certifications = [*profile.certifications, certification.standard.code]
            profile.save(update_fields=["certifications", "updated_at"])
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=certification,
        person_id=certification.person_id,
        reception_point_id=_event_point(certification.person),
        detail={"status": status},
    )
    return certification
