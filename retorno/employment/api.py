"""Employment API: vacancies (with JSON-LD import and export), per-person work profile and
matches, applications, and the job-search support (applications, decisions, payments, budgets).
Same rules, scope and audit as the pages."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from retorno.accounts.permissions import Perm, api_requires
from retorno.audit.services import audit_search
from retorno.core.api_types import Id
from retorno.core.exceptions import AccessDenied
from retorno.employment import jsonld, selectors, services
from retorno.employment.access import employment_persons_visible, is_job_bank, is_support_approver
from retorno.employment.models import SupportApplication, SupportPayment, Vacancy, WorkProfile
from retorno.employment.rules import programmes
from retorno.reference.models import ReceptionPoint

router = Router()


class VacancyIn(Schema):
    identifier: str = Field(default="", max_length=120)
    title: str = Field(max_length=160)
    description: str = Field(default="", max_length=4000)
    occupation: str = Field(max_length=10, description="Occupation code (occupations.csv)")
    skills: list[str] = Field(default_factory=list, max_length=30)
    english_level: str = "none"
    languages: list[str] = Field(default_factory=list, max_length=30)
    education: str = "none"
    experience_years: int = Field(default=0, ge=0, le=60)
    state: str = Field(max_length=2)
    municipality: str = Field(max_length=120)
    salary_min: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e8"))
    salary_max: Decimal | None = Field(default=None, ge=0, lt=Decimal("1e8"))
    salary_currency: str = Field(default="", max_length=3)
    salary_unit: str = "MONTH"
    schedule: str = "FULL_TIME"
    positions: int = Field(default=1, ge=1, le=9999)
    date_posted: date | None = None
    valid_through: date
    employer: str = Field(max_length=40, description="Directory institution code")
    flags: list[str] = Field(default_factory=list, max_length=10)


class VacancyOut(Schema):
    id: int
    identifier: str
    title: str
    description: str
    occupation: str
    occupation_name: str
    isco: str
    skills: list[str]
    english_level: str
    languages: list[str]
    education: str
    experience_years: int
    state: str
    municipality: str
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_currency: str
    salary_unit: str
    schedule: str
    positions: int
    date_posted: date
    valid_through: date
    employer: str
    employer_name: str
    flags: list[str]
    status: str

    @staticmethod
    def resolve_occupation(obj) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_isco(obj) -> str:
        return obj.occupation.isco

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.state.code

    @staticmethod
    def resolve_employer(obj) -> str:
        return obj.employer.code

    @staticmethod
    def resolve_employer_name(obj) -> str:
        return obj.employer.name


class VacancyFilters(Schema):
    q: str = Field(default="", max_length=100)
    state: str = Field(default="", max_length=2)
    occupation: str = Field(default="", max_length=10)
    status: str = Field(default="open", description="open (and not expired) | closed | all")


class ImportErrorOut(Schema):
    posting: int
    identifier: str
    field: str
    message: str


class ImportOut(Schema):
    created: int
    updated: int
    errors: list[ImportErrorOut]


class WorkProfileIn(Schema):
    trade: str = Field(default="", max_length=24)
    occupation: str = Field(default="", max_length=10)
    experience_years: int | None = Field(default=None, ge=0, le=70)
    years_in_us: int | None = Field(default=None, ge=0, le=90)
    english_level: str = "none"
    education: str = "none"
    skills: list[str] = Field(default_factory=list, max_length=30)
    certifications: list[str] = Field(default_factory=list, max_length=30)
    preferred_state: str = Field(default="", max_length=2)
    preferred_municipality: str = Field(default="", max_length=120)
    willing_to_relocate: bool = False
    looking_for_work: bool = True
    wants_self_employment: bool = False


class WorkProfileOut(WorkProfileIn):
    person_id: int

    @staticmethod
    def resolve_occupation(obj) -> str:
        return obj.occupation.code if obj.occupation_id else ""

    @staticmethod
    def resolve_preferred_state(obj) -> str:
        return obj.preferred_state.code if obj.preferred_state_id else ""


class VacancyMatchOut(Schema):
    vacancy_id: int
    title: str
    employer: str
    municipality: str
    state: str
    score: int
    fits: list[str]
    blockers: list[str]


class VacancyMatchesOut(Schema):
    fits: list[VacancyMatchOut]
    not_fitting: list[VacancyMatchOut]


class JobCandidateOut(Schema):
    person_id: int
    full_name: str
    score: int
    fits: list[str]


class ApplicationIn(Schema):
    person_id: Id
    vacancy_id: Id
    sent_on: date | None = None


class ApplicationStepIn(Schema):
    to_status: str = Field(max_length=12)
    on: date | None = None
    answer: str = Field(default="", max_length=4000)


class ApplicationOut(Schema):
    id: int
    person_id: int
    vacancy_id: int
    status: str
    match_score: int | None
    shared_data: dict[str, Any]
    sent_on: date
    interview_on: date | None
    decided_on: date | None
    employer_answer: str


class ApplicationFilters(Schema):
    status: str = Field(default="", max_length=12)
    person_id: Id | None = None
    vacancy_id: Id | None = None


class SupportIn(Schema):
    person_id: Id


class DecisionIn(Schema):
    approve: bool
    note: str = Field(default="", max_length=4000)


class PaymentIn(Schema):
    concept: str = Field(max_length=24)
    amount: Decimal = Field(gt=0, lt=Decimal("1e8"))
    paid_on: date | None = None
    reference: str = Field(default="", max_length=60)


class PaymentOut(Schema):
    id: int
    support_id: int
    person_id: int
    concept: str
    amount: Decimal
    paid_on: date
    reference: str

    @staticmethod
    def resolve_support_id(obj) -> int:
        return obj.application_id

    @staticmethod
    def resolve_person_id(obj) -> int:
        return obj.application.person_id


class SupportOut(Schema):
    id: int
    person_id: int
    event_id: int
    programme: str
    reception_point: str
    status: str
    eligibility: list[dict[str, Any]]
    submitted_on: date
    decided_on: date | None
    decision_note: str
    payments: list[PaymentOut]

    @staticmethod
    def resolve_reception_point(obj) -> str:
        return obj.reception_point.code

    @staticmethod
    def resolve_payments(obj) -> list:
        return list(obj.payments.select_related("application"))


class BudgetIn(Schema):
    point: str = Field(max_length=10)
    month: date
    amount: Decimal = Field(ge=0, lt=Decimal("1e10"))


class BudgetOut(Schema):
    point: str
    month: date
    amount: Decimal
    paid: Decimal
    remaining: Decimal


# ---- vacancies ------------------------------------------------------------------------------


@router.get("/vacancies", response=list[VacancyOut], summary="Vacancies (open and not expired by default)")
@paginate
@api_requires(Perm.EMPLOYMENT_READ)
def vacancies(request, filters: Query[VacancyFilters]):
    return selectors.vacancy_list(
        text=filters.q, state=filters.state, occupation=filters.occupation, status=filters.status
    )


@router.post("/vacancies", response={201: VacancyOut}, summary="Publish a vacancy (the job bank)")
@api_requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_create(request, payload: VacancyIn):
    return HttpStatus(201, services.vacancy_save(user=request.user, data=payload.dict(), source="api"))


@router.get(
    "/vacancies/export",
    response=dict[str, Any],
    summary="Open vacancies as schema.org JobPosting JSON-LD (@graph)",
)
@api_requires(Perm.EMPLOYMENT_READ)
def vacancy_export(request, status: str = "open"):
    return json.loads(jsonld.export_postings(selectors.vacancy_list(status=status[:8])))


@router.post(
    "/vacancies/import",
    response=ImportOut,
    summary="Import schema.org JobPosting JSON-LD (a posting, a list, an ItemList or a @graph)",
    description="All or nothing unless `skip_invalid=true`; idempotent on each posting's `identifier`. "
    "With errors and without skip_invalid: 400 with the errors per posting and field, nothing saved.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/ld+json": {"schema": {}}, "application/json": {"schema": {}}},
        }
    },
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_import(request, skip_invalid: bool = False):
    report = jsonld.import_postings(user=request.user, content=request.body, skip_invalid=skip_invalid)
    return {
        "created": report.created,
        "updated": report.updated,
        "errors": [{"posting": n, "identifier": i, "field": f, "message": m} for n, i, f, m in report.errors],
    }


@router.get("/vacancies/{vacancy_id}", response=VacancyOut)
@api_requires(Perm.EMPLOYMENT_READ)
def vacancy(request, vacancy_id: Id):
    return get_object_or_404(Vacancy.objects.select_related("occupation", "state", "employer"), pk=vacancy_id)


@router.put("/vacancies/{vacancy_id}", response=VacancyOut, summary="Update a vacancy (the job bank)")
@api_requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_update(request, vacancy_id: Id, payload: VacancyIn):
    existing = get_object_or_404(Vacancy, pk=vacancy_id)
    return services.vacancy_save(user=request.user, data=payload.dict(), vacancy=existing, source="api")


@router.post("/vacancies/{vacancy_id}/close", response=VacancyOut, summary="Close a vacancy")
@api_requires(Perm.EMPLOYMENT_MANAGE)
def vacancy_close(request, vacancy_id: Id):
    return services.vacancy_close(user=request.user, vacancy=get_object_or_404(Vacancy, pk=vacancy_id))


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    response=list[JobCandidateOut],
    summary="Consenting returnees who fit the vacancy, best first (the job bank only)",
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def candidates(request, vacancy_id: Id):
    if not is_job_bank(request.user):
        raise AccessDenied(services.MSG_JOB_BANK_ONLY)
    v = get_object_or_404(Vacancy.objects.select_related("occupation", "state"), pk=vacancy_id)
    found = selectors.candidates_for_vacancy(request.user, v)
    audit_search(
        user=request.user,
        object_type="employment.workprofile",
        detail={"vacancy": v.pk, "shown": [p.pk for p, _w, _m in found]},
    )
    return [
        {"person_id": p.pk, "full_name": p.full_name, "score": m.score, "fits": m.fits} for p, _w, m in found
    ]


# ---- a person's profile and matches ---------------------------------------------------------


def _person(request, person_id: int):
    return employment_persons_visible(request.user).get(pk=person_id)


def _audit_view(request, person, what: str) -> None:
    services.person_view_audit(user=request.user, person=person, what=what)


@router.get("/persons/{person_id}/profile", response=WorkProfileOut, summary="A returnee's work profile")
@api_requires(Perm.EMPLOYMENT_PERSON)
def profile(request, person_id: Id):
    person = _person(request, person_id)
    _audit_view(request, person, "work_profile")
    return WorkProfile.objects.select_related("occupation", "preferred_state").get(person=person)


@router.put(
    "/persons/{person_id}/profile", response=WorkProfileOut, summary="Create or correct a work profile"
)
@api_requires(Perm.EMPLOYMENT_PERSON)
def profile_save(request, person_id: Id, payload: WorkProfileIn):
    person = _person(request, person_id)
    return services.work_profile_save(user=request.user, person=person, data=payload.dict())


@router.get(
    "/persons/{person_id}/matches",
    response=VacancyMatchesOut,
    summary="Vacancies ranked for a returnee, with why each fits and why the nearest others do not",
)
@api_requires(Perm.EMPLOYMENT_PERSON)
def matches(request, person_id: Id, limit: int = 10):
    limit = max(1, min(limit, 100))
    person = _person(request, person_id)
    profile = WorkProfile.objects.select_related("occupation", "preferred_state").get(person=person)
    found = selectors.matches_for_profile(profile, fits=limit, not_fitting=min(limit, 20))
    _audit_view(request, person, "matches")

    def out(pairs):
        return [
            {
                "vacancy_id": v.pk,
                "title": v.title,
                "employer": v.employer.name,
                "municipality": v.municipality,
                "state": v.state.code,
                "score": m.score,
                "fits": m.fits,
                "blockers": m.blockers,
            }
            for v, m in pairs
        ]

    return {"fits": out(found.fits), "not_fitting": out(found.not_fitting)}


# ---- applications ---------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut], summary="Applications the user reaches")
@paginate
@api_requires(Perm.EMPLOYMENT_PERSON)
def applications(request, filters: Query[ApplicationFilters]):
    rows = selectors.application_list_visible(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.person_id:
        rows = rows.filter(person_id=filters.person_id)
    if filters.vacancy_id:
        rows = rows.filter(vacancy_id=filters.vacancy_id)
    return rows


@router.post("/applications", response={201: ApplicationOut}, summary="Put a returnee forward for a vacancy")
@api_requires(Perm.EMPLOYMENT_MANAGE)
def application_create(request, payload: ApplicationIn):
    person = _person(request, payload.person_id)
    vacancy = get_object_or_404(Vacancy, pk=payload.vacancy_id)
    return HttpStatus(
        201,
        services.application_create(user=request.user, person=person, vacancy=vacancy, on=payload.sent_on),
    )


@router.get("/applications/{application_id}", response=ApplicationOut)
@api_requires(Perm.EMPLOYMENT_PERSON)
def application(request, application_id: Id):
    return selectors.application_list_visible(request.user).get(pk=application_id)


@router.post(
    "/applications/{application_id}/transitions",
    response=ApplicationOut,
    summary="Record the next step: interview, hired, not hired (with the employer's answer) or withdrawn",
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def application_step(request, application_id: Id, payload: ApplicationStepIn):
    found = selectors.application_list_visible(request.user).get(pk=application_id)
    return services.application_transition(
        user=request.user,
        application=found,
        to_status=payload.to_status,
        on=payload.on,
        answer=payload.answer,
    )


# ---- the job-search support -----------------------------------------------------------------


def _support_visible(request):
    return SupportApplication.objects.filter(
        person__in=employment_persons_visible(request.user)
    ).select_related("reception_point")


@router.get(
    "/support/applications", response=list[SupportOut], summary="Support applications the user reaches"
)
@paginate
@api_requires(Perm.EMPLOYMENT_PERSON)
def support_applications(request, person_id: Id | None = None, status: str = ""):
    rows = _support_visible(request)
    if person_id:
        rows = rows.filter(person_id=person_id)
    if status:
        rows = rows.filter(status=status[:10])
    return rows


@router.post(
    "/support/applications", response={201: SupportOut}, summary="Apply for the support for the latest return"
)
@api_requires(Perm.EMPLOYMENT_PERSON)
def support_apply(request, payload: SupportIn):
    return HttpStatus(
        201, services.support_apply(user=request.user, person=_person(request, payload.person_id))
    )


@router.post(
    "/support/applications/{support_id}/decision",
    response=SupportOut,
    summary="Approve or reject (the ministry)",
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def support_decide(request, support_id: Id, payload: DecisionIn):
    found = _support_visible(request).get(pk=support_id)
    return services.support_decide(
        user=request.user, application=found, approve=payload.approve, note=payload.note
    )


@router.post(
    "/support/applications/{support_id}/payments",
    response={201: PaymentOut},
    summary="Record a payment of one concept (within its cap and the point's monthly budget)",
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def support_pay(request, support_id: Id, payload: PaymentIn):
    found = _support_visible(request).get(pk=support_id)
    payment = services.support_pay(
        user=request.user,
        application=found,
        concept=payload.concept,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )
    return HttpStatus(201, SupportPayment.objects.select_related("application").get(pk=payment.pk))


@router.get("/support/payments", response=list[PaymentOut], summary="Payments of the support (the ministry)")
@paginate
@api_requires(Perm.EMPLOYMENT_MANAGE)
def support_payments(request):
    if not is_support_approver(request.user):
        raise AccessDenied(services.MSG_APPROVER_ONLY)
    return SupportPayment.objects.filter(
        application__person__in=employment_persons_visible(request.user)
    ).select_related("application")


@router.get(
    "/support/budgets", response=list[BudgetOut], summary="Budgets per point and month with the balance"
)
@api_requires(Perm.EMPLOYMENT_MANAGE)
def budgets(request):
    if not is_support_approver(request.user) or programmes().support is None:
        raise AccessDenied(services.MSG_APPROVER_ONLY)
    return [
        {
            "point": b.reception_point.code,
            "month": b.period,
            "amount": b.amount,
            "paid": paid,
            "remaining": left,
        }
        for b, paid, left in selectors.budgets_with_balance(programmes().support.code)
    ]


@router.post("/support/budgets", response={201: BudgetOut}, summary="Set a point's budget for a month")
@api_requires(Perm.EMPLOYMENT_MANAGE)
def budget_set(request, payload: BudgetIn):
    point = get_object_or_404(ReceptionPoint, code=payload.point)
    b = services.budget_set(user=request.user, point=point, month=payload.month, amount=payload.amount)
    left = selectors.budget_remaining(b)
    return HttpStatus(
        201,
        {
            "point": point.code,
            "month": b.period,
            "amount": b.amount,
            "paid": b.amount - left,
            "remaining": left,
        },
    )
