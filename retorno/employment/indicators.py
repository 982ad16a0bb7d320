"""Employment indicators for the PEM (4.4.x, 4.2.7) and the Global Compact (objectives 18, 21),
registered by name for the indicators file (policy/indicators.yaml). Aggregates only.

Counting rules: a hire counts in the period of the employer's answer (`decided_on`) and "within
N days" compares it with the arrival of the person's latest return up to the application (N =
programmes.yaml hire_window_days). Filters: point (that return's point), sex (the person's),
age group (age at that return). A state of origin or vulnerability filter is not supported by
these queries: they answer None (shown as "not available") rather than an unfiltered figure."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.employment.models import Application, ApplicationStatus, Certification, SelfEmployment, Vacancy
from retorno.employment.rules import programmes
from retorno.reception.models import RepatriationEvent
from retorno.referrals.models import Consent
from retorno.statistics.queries import AGE_GROUPS
from retorno.statistics.registry import Filters, Period, indicator


def _unsupported(filters: Filters) -> bool:
    return bool(filters.state or filters.vulnerability)


def _return_of(person_id: int, before: date) -> RepatriationEvent | None:
    return (
        RepatriationEvent.objects.select_related("reception_point")
        .filter(person_id=person_id, arrived_at__date__lte=before)
        .order_by("-arrived_at", "-pk")
        .first()
    )


def _keep(event: RepatriationEvent | None, sex: str, filters: Filters) -> bool:
    if filters.sex and sex != filters.sex:
        return False
    if filters.point and (event is None or event.reception_point.code != filters.point):
        return False
    if filters.age_group:
        low, high = AGE_GROUPS.get(filters.age_group, (None, None))
        age = event.age_at_arrival if event else None
        if low is None or age is None or not low <= age <= high:
            return False
    return True


def hires_within_window(period: Period, filters: Filters) -> list[tuple[Application, RepatriationEvent]]:
    """(hire, the return it followed) of hires decided in the period within the window."""
    window = programmes().hire_window_days
    found = []
    hires = Application.objects.filter(
        status=ApplicationStatus.HIRED, decided_on__gte=period.start, decided_on__lte=period.end
    ).select_related("person")
    for application in hires:
        event = _return_of(application.person_id, application.sent_on)
        if (
            event is None
            or (application.decided_on - timezone.localtime(event.arrived_at).date()).days > window
        ):
            continue
        if _keep(event, application.person.sex, filters):
            found.append((application, event))
    return found


@indicator(
    "employment_hires_90d",
    unit="persons",
    description=_("Personas contratadas a los 90 días del retorno o antes"),
)
def employment_hires_90d(period: Period, filters: Filters) -> int | None:
    if _unsupported(filters):
        return None
    return len({a.person_id for a, _e in hires_within_window(period, filters)})


@indicator(
    "employment_hires_women_share",
    unit="percent",
    description=_("Proporción de mujeres entre las personas contratadas"),
)
def employment_hires_women_share(period: Period, filters: Filters) -> float | None:
    if _unsupported(filters):
        return None
    persons = {a.person_id: a.person.sex for a, _e in hires_within_window(period, filters)}
    if not persons:
        return None
    return round(100 * sum(1 for s in persons.values() if s == "M") / len(persons), 2)


@indicator(
    "job_applications_sent",
    unit="events",
    description=_("Postulaciones a vacantes enviadas por la bolsa de trabajo"),
)
def job_applications_sent(period: Period, filters: Filters) -> int | None:
    if _unsupported(filters):
        return None
    rows = Application.objects.filter(sent_on__gte=period.start, sent_on__lte=period.end).select_related(
        "person"
    )
    return sum(1 for a in rows if _keep(_return_of(a.person_id, a.sent_on), a.person.sex, filters))


@indicator(
    "job_bank_persons", unit="persons", description=_("Personas que se incorporaron a la bolsa de trabajo")
)
def job_bank_persons(period: Period, filters: Filters) -> int | None:
    if _unsupported(filters):
        return None
    consents = Consent.objects.filter(
        purpose=Consent.Purpose.JOB_MATCHING,
        institution__code=programmes().job_bank_institution,
        given_on__gte=period.start,
        given_on__lte=period.end,
    ).select_related("person")
    persons = {c.person_id: c for c in consents}
    return sum(
        1 for c in persons.values() if _keep(_return_of(c.person_id, c.given_on), c.person.sex, filters)
    )


@indicator(
    "vacancies_hiring_returnees",
    unit="events",
    description=_("Vacantes publicadas de empleadores que contratan personas repatriadas"),
)
def vacancies_hiring_returnees(period: Period, filters: Filters) -> int | None:
    if filters != Filters():
        return None  # a vacancy has no person: no filter of the bulletin applies to it
    rows = Vacancy.objects.filter(date_posted__gte=period.start, date_posted__lte=period.end).values_list(
        "flags", flat=True
    )
    return sum(1 for flags in rows if "hires_returnees" in (flags or []))


@indicator(
    "certifications_awarded",
    unit="persons",
    description=_("Personas certificadas en un estándar de competencia"),
)
def certifications_awarded(period: Period, filters: Filters) -> int | None:
    if _unsupported(filters):
        return None
    rows = Certification.objects.filter(
        status=Certification.Status.COMPETENT, result_on__gte=period.start, result_on__lte=period.end
    ).select_related("person")
    persons = {c.person_id: c for c in rows}
    return sum(
        1 for c in persons.values() if _keep(_return_of(c.person_id, c.result_on), c.person.sex, filters)
    )


@indicator("businesses_operating", unit="persons", description=_("Emprendimientos que llegaron a operar"))
def businesses_operating(period: Period, filters: Filters) -> int | None:
    if _unsupported(filters):
        return None
    rows = (
        SelfEmployment.objects.filter(status=SelfEmployment.Status.OPERATING)
        .annotate(
            done=Count(
                "stages",
                filter=Q(
                    stages__stage="operating",
                    stages__started_on__gte=period.start,
                    stages__started_on__lte=period.end,
                ),
            )
        )
        .filter(done__gt=0)
        .select_related("person")
    )
    return sum(1 for e in rows if _keep(_return_of(e.person_id, period.end), e.person.sex, filters))
