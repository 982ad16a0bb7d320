"""What the portal shows a person of their own case."""

from dataclasses import dataclass

from django.utils import timezone

from retorno.constancias.models import Constancia
from retorno.directory.models import Service
from retorno.followup.models import FollowUp
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
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
            if (
                (not service.states and not sites)
                or code in (service.states or [])
                or event.destination_state_id in sites
            ):
                services.append(service)
    return OwnCase(person, event, own_constancia(person), referrals, followups, services)
