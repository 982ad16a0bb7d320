"""What the portal shows a person of their own case."""

from dataclasses import dataclass

from django.utils import timezone

from retorno.constancias.models import Constancia
from retorno.directory.models import Service
from retorno.followup.models import FollowUp
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.rules import age_on
from retorno.referrals.models import Referral


@dataclass
class OwnCase:
    person: Person
    event: RepatriationEvent | None
    constancia: Constancia | None
    referrals: list[Referral]
    followups: list[FollowUp]
    services: list[Service]


def own_constancia(person: Person) -> Constancia | None:
    """The person's latest constancia still valid (not revoked)."""
    for constancia in (
        Constancia.objects.filter(event__person=person)
        .select_related("event", "reception_point")
        .order_by("-issued_at")
    ):
        if constancia.is_valid:
            return constancia
    return None


def _for_whom(service: Service, age: int | None, sex: str) -> bool:
    """The service's own limits of age and sex let the person in (children's services are not
    listed to adults); needs are not required here: this is information, not a referral."""
    too_young = service.min_age is not None and age is not None and age < service.min_age
    too_old = service.max_age is not None and age is not None and age > service.max_age
    return not (too_young or too_old) and (not service.sexes or sex in service.sexes)


def own_case(person: Person) -> OwnCase:
    event = (
        RepatriationEvent.objects.filter(person=person)
        .select_related("destination_state")
        .order_by("-arrived_at")
        .first()
    )
    referrals = list(
        Referral.objects.filter(person=person)
        .exclude(status=Referral.Status.DRAFT)
        .select_related("service", "institution")
        .order_by("-created_at")
    )
    followups = list(
        FollowUp.objects.filter(
            person=person, due_date__gte=timezone.localdate() - timezone.timedelta(days=30)
        )
        .exclude(status=FollowUp.Status.CANCELLED)
        .order_by("due_date")[:6]
    )
    services: list[Service] = []
    age = age_on(person.birth_date, timezone.localdate())
    if event and event.destination_state_id:
        # Offered where the person settles: no state rule, or the state in the rule, or a site
        # there (states is a JSON list: filtered here, portable, a few hundred services at most).
        code = event.destination_state.code
        for service in (
            Service.objects.filter(status=Service.Status.ACTIVE, institution__active=True)
            .select_related("institution")
            .prefetch_related("locations")
            .order_by("name")
        ):
            sites = {loc.state_id for loc in service.locations.all()}
            here = (
                (not service.states and not sites)
                or code in (service.states or [])
                or event.destination_state_id in sites
            )
            if here and _for_whom(service, age, person.sex):
                services.append(service)
    return OwnCase(person, event, own_constancia(person), referrals, followups, services)


GUARDIANS = ("mother", "father", "guardian")


def minors_in_care(person: Person) -> list[Person]:
    """The minors who arrived accompanied by the person as mother, father or legal guardian and
    are still minors: their guardian sees their case (minors get no account of their own)."""
    from retorno.reference.rules import adult_age, age_on

    today = timezone.localdate()
    events = RepatriationEvent.objects.filter(
        accompanied_by__person=person, accompanied_relationship__in=GUARDIANS, person__merged_into__isnull=True,
        person__blocked_at__isnull=True,
    ).select_related("person")  # fmt: skip
    minors = {e.person.pk: e.person for e in events}
    return [
        m for m in minors.values() if (age := age_on(m.birth_date, today)) is not None and age < adult_age()
    ]
