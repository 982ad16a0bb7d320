"""Reading follow-ups, attempts and surveys through the user's scope (same reach as diagnosis:
reception officers, supervisors, child-protection officers for minors, admins)."""

from datetime import date, timedelta

from django.db.models import Count, Max, QuerySet

from retorno.accounts.models import User
from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.selectors import person_list_for_diagnosis
from retorno.followup import config
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.identity.models import Person


def followup_list_visible(user: User) -> QuerySet[FollowUp]:
    # No per-row attempt counts here: a GROUP BY over millions of contacts cannot stop at the
    # first page. Pages add them to the rows they show (with_attempt_counts).
    return FollowUp.objects.filter(person__in=person_list_for_diagnosis(user)).select_related(
        "person", "event", "event__reception_point"
    )


def with_attempt_counts(followups: list[FollowUp]) -> list[FollowUp]:
    """Set attempt_count and last_attempt_at on each follow-up shown (one query for all)."""
    from retorno.followup.models import ContactAttempt

    stats = {
        row["followup_id"]: row
        for row in ContactAttempt.objects.filter(followup__in=[f.pk for f in followups])
        .values("followup_id")
        .annotate(n=Count("id"), last=Max("attempted_at"))
    }
    for f in followups:
        row = stats.get(f.pk, {})
        f.attempt_count, f.last_attempt_at = row.get("n", 0), row.get("last")
    return followups


def followup_get_visible(user: User, followup_id: int) -> FollowUp:
    """The follow-up, or FollowUp.DoesNotExist (404) if out of reach."""
    return followup_list_visible(user).get(pk=followup_id)


def followup_list_overdue(user: User, *, today: date | None = None) -> QuerySet[FollowUp]:
    """Pending contacts whose due date (plus the configured grace days) has passed, oldest first."""
    today = today or date.today()
    limit = today - timedelta(days=config.current()["overdue_after_days"])
    return (
        followup_list_visible(user)
        .filter(status=FollowUp.Status.PENDING, due_date__lt=limit)
        .order_by("due_date", "pk")
    )


def followup_list_upcoming(user: User, *, today: date | None = None) -> QuerySet[FollowUp]:
    today = today or date.today()
    until = today + timedelta(days=config.current()["upcoming_days"])
    return (
        followup_list_visible(user)
        .filter(status=FollowUp.Status.PENDING, due_date__gte=today, due_date__lte=until)
        .order_by("due_date", "pk")
    )


def followup_list_for_person(person: Person) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(person=person)
        .select_related("event", "event__reception_point")
        .prefetch_related("attempts__recorded_by")
        .order_by("due_date", "pk")
    )


def survey_list_for_person(person: Person) -> QuerySet[ReintegrationSurvey]:
    return ReintegrationSurvey.objects.filter(person=person).select_related("questionnaire", "recorded_by")


def survey_get_visible(user: User, survey_id: int) -> ReintegrationSurvey:
    return ReintegrationSurvey.objects.select_related("questionnaire", "person").get(
        pk=survey_id, person__in=person_list_for_diagnosis(user)
    )


def survey_questionnaire_current() -> Questionnaire:
    """The highest loaded version of the configured survey; raises Questionnaire.DoesNotExist."""
    return Questionnaire.objects.filter(code=config.current()["survey"]).order_by("-version")[:1].get()
