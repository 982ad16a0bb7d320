"""Reads of the employment app: vacancies, the matching index, a person's employment record."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from threading import Lock

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from retorno.accounts.models import User
from retorno.diagnosis.selectors import diagnosis_latest
from retorno.employment.access import employment_persons_visible, is_job_bank
from retorno.employment.matching import (
    Match,
    ProfileFacts,
    VacancyFacts,
    VacancyIndex,
    place_key,
    rank_profiles,
    skill_key,
)
from retorno.employment.models import (
    OPEN_APPLICATION,
    Application,
    ApplicationStatus,
    Certification,
    SelfEmployment,
    SupportApplication,
    SupportBudget,
    Vacancy,
    WorkProfile,
)
from retorno.employment.rules import SupportFacts, Verdict, programmes, support_eligibility
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.rules import age_on


def vacancy_list(
    *, text: str = "", state: str = "", occupation: str = "", status: str = "open"
) -> QuerySet[Vacancy]:
    vacancies = Vacancy.objects.select_related("occupation", "state", "employer")
    if status == "open":
        vacancies = vacancies.filter(status=Vacancy.Status.OPEN, valid_through__gte=timezone.localdate())
    elif status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    text = text.strip()[:100]
    if text:
        vacancies = vacancies.filter(
            Q(title__icontains=text) | Q(employer__name__icontains=text) | Q(municipality__icontains=text)
        )
    if state:
        vacancies = vacancies.filter(state__code=state)
    if occupation:
        vacancies = vacancies.filter(occupation__code=occupation)
    return vacancies


# ---- matching -------------------------------------------------------------------------------


def vacancy_facts(v: Vacancy) -> VacancyFacts:
    return VacancyFacts(
        id=v.pk,
        occupation=v.occupation.code,
        trade=v.occupation.trade,
        skills=frozenset(skill_key(s) for s in v.skills or []),
        english=v.english_level,
        education=v.education,
        experience_years=v.experience_years,
        state=v.state.code,
        municipality=place_key(v.municipality),
        valid_through=v.valid_through,
        open=v.status == Vacancy.Status.OPEN,
        state_name=v.state.name,
        municipality_name=v.municipality,
    )


def profile_facts(profile: WorkProfile) -> ProfileFacts:
    return ProfileFacts(
        trade=profile.trade,
        occupation=profile.occupation.code if profile.occupation_id else "",
        skills=frozenset(skill_key(s) for s in profile.skills or []),
        english=profile.english_level,
        education=profile.education,
        experience_years=profile.experience_years or 0,
        state=profile.preferred_state.code if profile.preferred_state_id else "",
        municipality=place_key(profile.preferred_municipality),
        willing_to_relocate=profile.willing_to_relocate,
    )


_index_lock = Lock()
_index: tuple[tuple, VacancyIndex] | None = None


def vacancy_index() -> VacancyIndex:
    """Every vacancy of the last year in a matching index, rebuilt when a vacancy changes (the
    check is one aggregate query; the build runs once per change, not per request)."""
    global _index
    since = timezone.localdate().replace(day=1).toordinal() - 365
    recent = Vacancy.objects.filter(valid_through__gte=date.fromordinal(since))
    key = tuple(recent.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at")).values())
    with _index_lock:
        if _index is None or _index[0] != key:
            rows = recent.select_related("occupation", "state")
            _index = (key, VacancyIndex([vacancy_facts(v) for v in rows]))
        return _index[1]


@dataclass
class PersonMatches:
    fits: list[tuple[Vacancy, Match]]
    not_fitting: list[tuple[Vacancy, Match]]


def matches_for_profile(profile: WorkProfile, *, fits: int = 10, not_fitting: int = 5) -> PersonMatches:
    good, bad = vacancy_index().rank(
        profile_facts(profile), timezone.localdate(), fits=fits, not_fitting=not_fitting
    )
    ids = [m.vacancy_id for m in good + bad]
    by_id = Vacancy.objects.select_related("occupation", "state", "employer").in_bulk(ids)
    return PersonMatches(
        [(by_id[m.vacancy_id], m) for m in good if m.vacancy_id in by_id],
        [(by_id[m.vacancy_id], m) for m in bad if m.vacancy_id in by_id],
    )


def candidates_for_vacancy(
    user: User, vacancy: Vacancy, *, limit: int = 50
) -> list[tuple[Person, WorkProfile, Match]]:
    """Consenting returnees who may apply, best first (the job bank's caseworkers only)."""
    if not is_job_bank(user):
        return []
    profiles = (
        WorkProfile.objects.filter(person__in=employment_persons_visible(user), looking_for_work=True)
        .exclude(person__job_applications__vacancy=vacancy)  # already put forward for it
        .select_related("person", "occupation", "preferred_state")
    )
    by_person = {p.person_id: p for p in profiles}
    ranked = rank_profiles(
        ((pid, profile_facts(p)) for pid, p in by_person.items()),
        vacancy_facts(vacancy),
        timezone.localdate(),
        limit=limit,
    )
    return [(by_person[pid].person, by_person[pid], m) for pid, m in ranked]


# ---- a person's employment record -----------------------------------------------------------


def work_profile_of(person: Person) -> WorkProfile | None:
    return WorkProfile.objects.select_related("occupation", "preferred_state").filter(person=person).first()


def work_profile_suggested(person: Person) -> dict:
    """A work profile's fields from the person's latest complete diagnosis and arrival."""
    from retorno.employment.models import Occupation

    diagnosis = diagnosis_latest(person)
    answers = diagnosis.answers if diagnosis else {}
    event = latest_event(person)
    trade = answers.get("trade") if answers.get("trade") not in (None, "none") else ""
    certificates = answers.get("certificates")
    return {
        "trade": trade or "",
        "occupation": Occupation.objects.filter(trade=trade).order_by("code").first() if trade else None,
        "experience_years": answers.get("experience_years"),
        "years_in_us": answers.get("years_in_us"),
        "english_level": answers.get("english_level") or "none",
        "education": answers.get("education_level") or "none",
        "certifications": [certificates]
        if isinstance(certificates, str) and certificates
        else list(certificates or []),
        "preferred_state": event.destination_state if event else None,
        "preferred_municipality": event.destination_municipality if event else "",
        "looking_for_work": answers.get("work_plan") in ("job", None),
        "wants_self_employment": answers.get("work_plan") == "own_business",
        "source_diagnosis": diagnosis,
    }


def latest_event(person: Person) -> RepatriationEvent | None:
    return (
        RepatriationEvent.objects.select_related("reception_point")
        .filter(person=person)
        .order_by("-arrived_at", "-pk")
        .first()
    )


def application_list_visible(user: User) -> QuerySet[Application]:
    return Application.objects.filter(person__in=employment_persons_visible(user)).select_related(
        "vacancy", "vacancy__employer", "person"
    )


def support_verdict(
    person: Person, event: RepatriationEvent | None, profile: WorkProfile | None
) -> Verdict | None:
    rules = programmes().support
    if rules is None or event is None:
        return None
    today = timezone.localdate()
    return support_eligibility(
        rules,
        SupportFacts(
            age=age_on(person.birth_date, today),
            arrived_on=timezone.localtime(event.arrived_at).date(),
            point_code=event.reception_point.code,
            looking_for_work=profile.looking_for_work if profile else None,
            today=today,
        ),
    )


def budget_remaining(budget: SupportBudget) -> Decimal:
    paid = budget.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return (budget.amount - paid).quantize(Decimal("0.01"))


def budgets_with_balance(programme: str) -> list[tuple[SupportBudget, Decimal, Decimal]]:
    """(budget, paid, remaining) of every budget of the programme, latest month first."""
    budgets = (
        SupportBudget.objects.filter(programme=programme)
        .select_related("reception_point")
        .annotate(paid=Sum("payments__amount"))
    )
    cents = Decimal("0.01")
    return [
        (b, (b.paid or Decimal(0)).quantize(cents), (b.amount - (b.paid or Decimal(0))).quantize(cents))
        for b in budgets
    ]


@dataclass
class EmploymentRecord:
    profile: WorkProfile | None
    applications: list[Application]
    support: list[SupportApplication]
    self_employment: list[SelfEmployment]
    certifications: list[Certification]


def employment_record(person: Person) -> EmploymentRecord:
    return EmploymentRecord(
        profile=work_profile_of(person),
        applications=list(
            Application.objects.filter(person=person)
            .select_related("vacancy", "vacancy__employer")
            .prefetch_related("transitions")
        ),
        support=list(SupportApplication.objects.filter(person=person).prefetch_related("payments")),
        self_employment=list(SelfEmployment.objects.filter(person=person).prefetch_related("stages")),
        certifications=list(Certification.objects.filter(person=person).select_related("standard")),
    )


def employment_outcome(person_id: int, on: date) -> str | None:
    """What the employment records say of the person's work on `on`, in the reintegration
    survey's terms: "formal" (hired through the job bank, or a business operating), "searching"
    (an application under way), or None (nothing recorded)."""
    hired = Application.objects.filter(
        person_id=person_id, status=ApplicationStatus.HIRED, decided_on__lte=on
    ).exists()
    if (
        hired
        or SelfEmployment.objects.filter(person_id=person_id, status=SelfEmployment.Status.OPERATING).exists()
    ):
        return "formal"
    if Application.objects.filter(person_id=person_id, status__in=OPEN_APPLICATION, sent_on__lte=on).exists():
        return "searching"
    return None
