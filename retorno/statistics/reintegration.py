"""Reintegration indicators and tables: closed-loop referrals, identity documents, follow-up reach,
reintegration scores (referrals and followup apps).

Counting rules: a referral counts in the period of its `sent_at` (drafts never count); accepted =
it ever went through `accepted`; outcome reported = completed, rejected or no-show; time to
outcome = days from `sent_at` to `closed_at`. A follow-up counts in the period of its `due_date`
(cancelled ones do not). A survey counts in the period of `taken_on`.
Filters: point (the referral's point, the follow-up's arrival point), sex (the person's), and,
through the record's repatriation event (the follow-up's; a survey's follow-up's; for a referral,
and a survey without follow-up, the person's latest arrival up to its date), state of origin (the
event's, else the person's birth state, as in the bulletin), age group (age at that arrival) and
vulnerability: the flag on that event by the rules of the event indicators (minors, woman, older
adult, indigenous, no documents) or stored on the person's latest complete diagnosis.
"""

import statistics as pystats
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from retorno.core.dates import local_day_start, local_days_range
from retorno.diagnosis.models import Diagnosis
from retorno.directory.models import Service
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.reception.models import RepatriationEvent
from retorno.reference.models import State
from retorno.referrals.models import Referral, ReferralTransition, Status
from retorno.statistics.aggregates import months_back, next_month
from retorno.statistics.queries import narrow_events, resolved_events
from retorno.statistics.registry import Filters, Period, indicator
from retorno.statistics.tables import Measure, Table, month_label

OUTCOME_STATUSES = (Status.COMPLETED, Status.REJECTED, Status.NO_SHOW)
IDENTITY_NEED = "identity_documents"
SCORE_BANDS = [
    ("low", _("Bajo (0 a 0.33)"), 0.0, 1 / 3),
    ("mid", _("Medio (0.33 a 0.67)"), 1 / 3, 2 / 3),
    ("high", _("Alto (0.67 a 1)"), 2 / 3, 1.01),
]


def _bounds(period: Period) -> tuple[datetime, datetime]:
    return local_days_range(period.start, period.end)


# Flags the events themselves tell (queries.narrow_events); a person-level fact also counts
# for a record without an event. Any flag may also come from the latest complete diagnosis.
EVENT_FLAGS = {
    "unaccompanied_minor",
    "accompanied_minor",
    "woman",
    "older_adult",
    "indigenous",
    "no_documents",
}
PERSON_FLAGS = {"woman": Q(person__sex="M"), "indigenous": Q(person__indigenous=True)}


def _arrival_before(date_field: str, *, date_only: bool = False) -> Subquery:
    """Id of the person's latest repatriation event up to the record's `date_field`."""
    lookup = "arrived_at__date__lte" if date_only else "arrived_at__lte"
    return Subquery(
        RepatriationEvent.objects.filter(person_id=OuterRef("person_id"), **{lookup: OuterRef(date_field)})
        .order_by("-arrived_at", "-pk")
        .values("pk")[:1]
    )


def diagnosed_with(flag: str, persons: QuerySet) -> set[int]:
    """Ids, among `persons` (a values('person_id') queryset), of persons whose latest complete
    diagnosis stores `flag`. Read in Python because JSON containment is not portable (SQLite);
    the rows are limited to the persons of the records being counted."""
    latest: dict[int, list] = {}
    for person_id, flags in (
        Diagnosis.objects.filter(status=Diagnosis.Status.COMPLETE, person_id__in=persons)
        .order_by("person_id", "-created_at", "-pk")
        .values_list("person_id", "flags")
    ):
        latest.setdefault(person_id, flags or [])
    return {pid for pid, flags in latest.items() if flag in flags}


def _narrow_context(qs: QuerySet, filters: Filters, *, event) -> QuerySet:
    """`qs` narrowed by state, age group and vulnerability through the record's repatriation
    event (`event`: an expression giving its id, possibly null) and its person."""
    if not (filters.state or filters.age_group or filters.vulnerability):
        return qs
    qs = qs.annotate(st_event=event)
    events = resolved_events(RepatriationEvent.objects.all())
    if filters.age_group:  # no event, no age: left out
        matching = narrow_events(events, Filters(state=filters.state, age_group=filters.age_group))
        qs = qs.filter(st_event__in=matching.values("pk"))
    elif filters.state:
        states = State.objects.filter(code=filters.state).values("pk")
        qs = qs.annotate(
            st_birth_state=Coalesce("person__merged_into__birth_state_id", "person__birth_state_id")
        ).filter(
            Q(st_event__in=narrow_events(events, Filters(state=filters.state)).values("pk"))
            | Q(st_event__isnull=True, st_birth_state__in=states)
        )
    flag = filters.vulnerability
    if flag:
        match = Q(person_id__in=diagnosed_with(flag, qs.values("person_id")))
        if flag in EVENT_FLAGS:
            flagged = narrow_events(events, Filters(vulnerability=flag)).values("pk")
            match |= Q(st_event__in=flagged)
        if flag in PERSON_FLAGS:
            match |= Q(st_event__isnull=True) & PERSON_FLAGS[flag]
        qs = qs.filter(match)
    return qs


EVENT_OF = {
    Referral: lambda: _arrival_before("sent_at"),
    FollowUp: lambda: F("event_id"),
    ReintegrationSurvey: lambda: Coalesce(
        F("followup__event_id"), _arrival_before("taken_on", date_only=True)
    ),
    RepatriationEvent: lambda: F("pk"),
}


def _narrow(qs: QuerySet, filters: Filters, *, point: str, sex: str = "person__sex") -> QuerySet:
    """`qs` filtered by every filter: point code and sex through the given lookups, the others
    through the record's repatriation event (EVENT_OF) and person."""
    if filters.point:
        qs = qs.filter(**{point: filters.point})
    if filters.sex:
        qs = qs.filter(**{sex: filters.sex})
    return _narrow_context(qs, filters, event=EVENT_OF[qs.model]())


def referrals_in(period: Period, filters: Filters) -> QuerySet[Referral] | None:
    """Referrals sent in the period matching the filters."""
    start, end = _bounds(period)
    referrals = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    return _narrow(referrals, filters, point="reception_point__code")


def _accepted() -> Exists:
    return Exists(ReferralTransition.objects.filter(referral=OuterRef("pk"), to_status=Status.ACCEPTED))


def _count(qs) -> int | None:
    return None if qs is None else qs.count()


def _share(part, whole) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 2)


@indicator("referrals_sent", unit="referrals", description=_("Canalizaciones enviadas"))
def referrals_sent(period: Period, filters: Filters) -> int | None:
    return _count(referrals_in(period, filters))


@indicator(
    "referrals_accepted", unit="referrals", description=_("Canalizaciones aceptadas por la institución")
)
def referrals_accepted(period: Period, filters: Filters) -> int | None:
    qs = referrals_in(period, filters)
    return (
        None
        if qs is None
        else qs.filter(Q(_accepted()) | Q(status__in=[Status.IN_PROGRESS, Status.COMPLETED])).count()
    )


@indicator("referrals_completed", unit="referrals", description=_("Canalizaciones concluidas"))
def referrals_completed(period: Period, filters: Filters) -> int | None:
    qs = referrals_in(period, filters)
    return None if qs is None else qs.filter(status=Status.COMPLETED).count()


@indicator(
    "referrals_with_outcome", unit="referrals", description=_("Canalizaciones con resultado reportado")
)
def referrals_with_outcome(period: Period, filters: Filters) -> int | None:
    qs = referrals_in(period, filters)
    return None if qs is None else qs.filter(status__in=OUTCOME_STATUSES, closed_at__isnull=False).count()


@indicator(
    "referral_acceptance_rate", unit="percent", description=_("Porcentaje de canalizaciones aceptadas")
)
def referral_acceptance_rate(period: Period, filters: Filters) -> float | None:
    return _share(referrals_accepted(period, filters), referrals_sent(period, filters))


@indicator(
    "referral_completion_rate", unit="percent", description=_("Porcentaje de canalizaciones concluidas")
)
def referral_completion_rate(period: Period, filters: Filters) -> float | None:
    return _share(referrals_completed(period, filters), referrals_sent(period, filters))


def median_days_to_outcome(referrals: QuerySet[Referral]) -> float | None:
    """Median days from sending to the reported outcome, or None without outcomes."""
    days = [
        (closed - sent).total_seconds() / 86400
        for sent, closed in referrals.filter(
            status__in=OUTCOME_STATUSES, closed_at__isnull=False
        ).values_list("sent_at", "closed_at")
    ]
    return round(pystats.median(days), 1) if days else None


@indicator(
    "referral_median_days_to_outcome",
    unit="days",
    description=_("Mediana de días entre el envío de la canalización y su resultado"),
)
def referral_median_days_to_outcome(period: Period, filters: Filters) -> float | None:
    qs = referrals_in(period, filters)
    return None if qs is None else median_days_to_outcome(qs)


def _arrivals_without_documents(period: Period, filters: Filters) -> QuerySet[RepatriationEvent] | None:
    start, end = _bounds(period)
    events = RepatriationEvent.objects.filter(arrived_at__gte=start, arrived_at__lt=end).filter(
        Q(documents=[]) | Q(documents=["none"])
    )
    return _narrow(events, filters, point="reception_point__code")


@indicator("arrivals_without_documents", unit="events", description=_("Llegadas sin documentos de identidad"))
def arrivals_without_documents(period: Period, filters: Filters) -> int | None:
    return _count(_arrivals_without_documents(period, filters))


@indicator(
    "identity_documents_30d",
    unit="events",
    description=_("Llegadas sin documentos con documento de identidad obtenido en 30 días"),
)
def identity_documents_30d(period: Period, filters: Filters) -> int | None:
    events = _arrivals_without_documents(period, filters)
    if events is None:
        return None
    # Service.needs is a JSON list: read the (small) catalogue in Python, portable on any database.
    services = [s.pk for s in Service.objects.only("pk", "needs") if IDENTITY_NEED in (s.needs or [])]
    recovered = Referral.objects.filter(
        person_id=OuterRef("person_id"),
        service_id__in=services,
        status=Status.COMPLETED,
        closed_at__gte=OuterRef("arrived_at"),
        closed_at__lte=OuterRef("arrived_at") + timedelta(days=30),
    )
    return events.filter(Exists(recovered)).count()


@indicator(
    "identity_documents_30d_share",
    unit="percent",
    description=_("Porcentaje de llegadas sin documentos que obtuvieron documento de identidad en 30 días"),
)
def identity_documents_30d_share(period: Period, filters: Filters) -> float | None:
    return _share(identity_documents_30d(period, filters), arrivals_without_documents(period, filters))


def _followups(period: Period, filters: Filters) -> QuerySet[FollowUp] | None:
    followups = FollowUp.objects.filter(due_date__gte=period.start, due_date__lte=period.end).exclude(
        status=FollowUp.Status.CANCELLED
    )
    return _narrow(followups, filters, point="event__reception_point__code")


@indicator("followups_due", unit="followups", description=_("Seguimientos previstos"))
def followups_due(period: Period, filters: Filters) -> int | None:
    return _count(_followups(period, filters))


@indicator("followups_reached", unit="followups", description=_("Seguimientos con contacto logrado"))
def followups_reached(period: Period, filters: Filters) -> int | None:
    qs = _followups(period, filters)
    return None if qs is None else qs.filter(status=FollowUp.Status.REACHED).count()


@indicator(
    "followup_reach_rate", unit="percent", description=_("Porcentaje de seguimientos con contacto logrado")
)
def followup_reach_rate(period: Period, filters: Filters) -> float | None:
    return _share(followups_reached(period, filters), followups_due(period, filters))


def _surveys(period: Period, filters: Filters) -> QuerySet[ReintegrationSurvey] | None:
    surveys = ReintegrationSurvey.objects.filter(
        taken_on__gte=period.start, taken_on__lte=period.end, composite__isnull=False,
        person__statistics_opt_out_at__isnull=True,  # opposition (ARCO) to statistics beyond the minimum
    )
    return _narrow(surveys, filters, point="followup__event__reception_point__code")


@indicator("reintegration_surveys", unit="surveys", description=_("Encuestas de reintegración con puntaje"))
def reintegration_surveys(period: Period, filters: Filters) -> int | None:
    return _count(_surveys(period, filters))


@indicator(
    "reintegration_score_median",
    unit="score",
    description=_("Mediana del índice compuesto de reintegración (0 a 1)"),
)
def reintegration_score_median(period: Period, filters: Filters) -> float | None:
    qs = _surveys(period, filters)
    scores = [] if qs is None else list(qs.values_list("composite", flat=True))
    return round(pystats.median(scores), 3) if scores else None


@indicator(
    "reintegration_score_mean",
    unit="score",
    description=_("Promedio del índice compuesto de reintegración (0 a 1)"),
)
def reintegration_score_mean(period: Period, filters: Filters) -> float | None:
    qs = _surveys(period, filters)
    scores = [] if qs is None else list(qs.values_list("composite", flat=True))
    return round(pystats.fmean(scores), 3) if scores else None


# Shares and medians and the counts they rest on, for disclosure control (see queries.indicator_value).
SHARE_PARTS = {
    "referral_acceptance_rate": ("referrals_accepted", "referrals_sent"),
    "referral_completion_rate": ("referrals_completed", "referrals_sent"),
    "identity_documents_30d_share": ("identity_documents_30d", "arrivals_without_documents"),
    "followup_reach_rate": ("followups_reached", "followups_due"),
}
MEDIAN_BASES = {
    "referral_median_days_to_outcome": "referrals_with_outcome",
    "reintegration_score_median": "reintegration_surveys",
    "reintegration_score_mean": "reintegration_surveys",
}
COUNT_UNITS = {"referrals", "followups", "surveys"}


def referral_table(month, audience, filters) -> Table:
    """Referrals sent in the month by institution and service x current status."""
    start, end = local_day_start(month), local_day_start(next_month(month))
    referrals = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if audience.points is not None:
        referrals = referrals.filter(reception_point_id__in=audience.points)
    referrals = _narrow(referrals, filters, point="reception_point__code")
    columns = [
        ("open", _("En curso"), (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)),
        ("completed", _("Concluidas"), (Status.COMPLETED,)),
        ("rejected", _("Rechazadas"), (Status.REJECTED,)),
        ("no_show", _("No se presentó"), (Status.NO_SHOW,)),
        ("cancelled", _("Canceladas"), (Status.CANCELLED,)),
    ]
    counts: dict[tuple, int] = {}
    labels: dict[int, str] = {}
    days: dict[int, list[float]] = {}  # days from sending to outcome, per service
    for service_id, inst, name, status, sent, closed in referrals.values_list(
        "service_id", "institution__name", "service__name", "status", "sent_at", "closed_at"
    ):
        labels[service_id] = f"{inst} · {name}"
        counts[(service_id, status)] = counts.get((service_id, status), 0) + 1
        if status in OUTCOME_STATUSES and closed is not None:
            days.setdefault(service_id, []).append((closed - sent).total_seconds() / 86400)
    rows = sorted(labels, key=labels.get)
    # Medians are not additive: computed in Python over each row's durations (portable; a few
    # thousand referrals a month at most), the totals row over all of them.
    durations = [days.get(r, []) for r in rows] + [[d for r in rows for d in days.get(r, [])]]
    median = Measure(
        "median_days_to_outcome",
        _("Mediana de días hasta el resultado"),
        "days",
        [round(pystats.median(d), 1) if d else None for d in durations],
        [len(d) for d in durations],
    )
    table = Table(
        "referrals_service",
        _("Canalizaciones enviadas por institución y servicio, según su estado"),
        "referrals",
        _("Institución · servicio"),
        [str(r) for r in rows],
        [labels[r] for r in rows],
        [c[0] for c in columns],
        [c[1] for c in columns],
        [[sum(counts.get((r, s), 0) for s in statuses) for _k, _l, statuses in columns] for r in rows],
        None,
        month_label(month),
        [
            _("Cuenta canalizaciones (no personas) enviadas en el mes; estado al momento de la consulta."),
            _(
                "Mediana de días hasta el resultado: del envío al cierre de las concluidas, rechazadas o "
                "sin presentarse; «–» = sin resultados o, en cifras publicadas, menos casos que el umbral "
                "de confidencialidad."
            ),
        ],
    )
    table.measures = [median]
    return table


def score_table(month, audience, filters) -> Table:
    """Reintegration surveys of the 12 months up to `month` x band of the composite score."""
    months = months_back(month, 12)
    surveys = ReintegrationSurvey.objects.filter(
        taken_on__gte=months[0], taken_on__lt=next_month(month), composite__isnull=False,
        person__statistics_opt_out_at__isnull=True,
    )
    if audience.points is not None:
        surveys = surveys.filter(followup__event__reception_point_id__in=audience.points)
    surveys = _narrow(surveys, filters, point="followup__event__reception_point__code")
    cells = {m: [0] * len(SCORE_BANDS) for m in months}
    for taken_on, composite in surveys.values_list("taken_on", "composite"):
        row = cells[taken_on.replace(day=1)]
        for i, (_k, _l, low, high) in enumerate(SCORE_BANDS):
            if low <= composite < high:
                row[i] += 1
    return Table(
        "reintegration_scores",
        _("Encuestas de reintegración por mes y nivel del índice compuesto"),
        "surveys",
        _("Mes"),
        [m.isoformat()[:7] for m in months],
        [month_label(m) for m in months],
        [b[0] for b in SCORE_BANDS],
        [b[1] for b in SCORE_BANDS],
        [cells[m] for m in months],
        None,
        f"{month_label(months[0])} – {month_label(month)}",
    )
