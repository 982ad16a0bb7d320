"""Reading diagnoses, always through the user's scope.

Who may read answers: reception officers (their point's people), supervisors, child-protection
officers (minors) and admins. Caseworkers and analysts never: they get what referrals and
statistics expose. Out of scope reads raise DoesNotExist (a 404) so records are not confirmed.
"""

from django.db.models import QuerySet

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can, require
from retorno.diagnosis.models import Diagnosis, Questionnaire
from retorno.identity.models import Person
from retorno.identity.selectors import person_list_visible


def can_diagnose(user: User) -> bool:
    return can(user, Perm.DIAGNOSIS_USE)


def person_list_for_diagnosis(user: User) -> QuerySet[Person]:
    """Persons whose diagnosis the user may read and write; none for other roles."""
    if not can_diagnose(user):
        return Person.objects.none()
    return person_list_visible(user)


def person_get_for_diagnosis(user: User, person_id: int) -> Person:
    """The person, or Person.DoesNotExist (404) if out of the user's reach."""
    return person_list_for_diagnosis(user).get(pk=person_id)


def diagnosis_list_visible(user: User) -> QuerySet[Diagnosis]:
    return Diagnosis.objects.filter(person__in=person_list_for_diagnosis(user)).select_related(
        "person", "questionnaire", "event", "created_by"
    )


def diagnosis_get_visible(user: User, diagnosis_id: int) -> Diagnosis:
    """The diagnosis, or Diagnosis.DoesNotExist (404) if out of the user's reach."""
    return diagnosis_list_visible(user).get(pk=diagnosis_id)


def diagnosis_list_for_person(person: Person) -> QuerySet[Diagnosis]:
    """A person's diagnoses, newest first (caller has checked access to the person)."""
    return Diagnosis.objects.filter(person=person).select_related("questionnaire", "event", "created_by")


def diagnosis_latest(person: Person, *, complete_only: bool = True) -> Diagnosis | None:
    qs = Diagnosis.objects.filter(person=person).select_related("questionnaire", "event")
    if complete_only:
        qs = qs.filter(status=Diagnosis.Status.COMPLETE)
    return qs.order_by("-created_at", "-pk").first()


def questionnaire_current(code: str = "diagnostico") -> Questionnaire:
    """The highest loaded version of a questionnaire; raises Questionnaire.DoesNotExist."""
    return Questionnaire.objects.filter(code=code).order_by("-version")[:1].get()


def questionnaire_list() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.order_by("code", "-version")


def require_diagnosis_role(user: User) -> None:
    require(user, Perm.DIAGNOSIS_USE)
