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
    return (
        FollowUp.objects.filter(person__in=person_list_for_diagnosis(user))
        .select_related("person", "event", "event__reception_point")
        .annotate(attempt_count=Count("attempts"), last_attempt_at=Max("attempts__attempted_at"))
    )


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
