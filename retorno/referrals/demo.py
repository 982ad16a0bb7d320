"""Demo referrals: one returnee referred, with consent, to three institutions - one referral
completed with an outcome, one rejected with a reason, one overdue. Idempotent."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone

from retorno.accounts.models import User
from retorno.directory.models import Service
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.models import ReceptionPoint, State
from retorno.referrals import services
from retorno.referrals.models import Consent, Referral, ReferralTransition, Status

DEMO_PERSON = dict(
    given_names="Guadalupe", first_surname="Ramírez", second_surname="Soto", birth_date=date(1988, 3, 14)
)


def _person(officer: User) -> Person:
    person = Person.objects.filter(**DEMO_PERSON, merged_into__isnull=True).first()
    if person is None:
        person = Person.objects.create(
            **DEMO_PERSON,
            sex="M",
            phone_mx="4521234567",
            birth_state=State.objects.filter(code="MN").first(),
            created_by=officer,
        )
    point = ReceptionPoint.objects.get(code="TIJ")
    if not RepatriationEvent.objects.filter(person=person).exists():
        arrived = timezone.make_aware(
            datetime.combine(timezone.localdate() - timedelta(days=10), datetime.min.time())
        )
        RepatriationEvent.objects.create(
            person=person,
            reception_point=point,
            arrived_at=arrived + timedelta(hours=11),
            documents=[],
            origin_state=State.objects.filter(code="MN").first(),
            destination_state=State.objects.filter(code="MN").first(),
            destination_municipality="Uruapan",
            age_at_arrival=38,
            registered_by=officer,
        )
    return person


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username="oficial.tijuana").first()
    if officer is None or not Service.objects.exists():
        log("  referrals demo: skipped (no demo users or no service catalog)")
        return
    person = _person(officer)
    if Referral.objects.filter(person=person).exists():
        log(f"  referrals demo: already loaded (person {person.pk})")
        return
    caseworkers = {
        u.institution.code: u for u in User.objects.filter(role="caseworker").select_related("institution")
    }
    plan = [
        ("sne-repatriados-trabajando", "completed"),
        ("renapo-curp", "rejected"),
        ("salud-atencion-medica", "overdue"),
    ]
    for code, ending in plan:
        service = Service.objects.select_related("institution").get(code=code)
        services.consent_record(
            user=officer,
            person=person,
            institution=service.institution,
            purpose=Consent.Purpose.REFERRAL,
            method=Consent.Method.SIGNED if ending == "completed" else Consent.Method.VERBAL,
        )
        referral = services.referral_create(
            user=officer, person=person, service=service, note="Canalización de demostración", send=True
        )
        caseworker = caseworkers.get(service.institution.code)
        if ending == "completed" and caseworker:
            services.referral_transition(user=caseworker, referral=referral, to_status=Status.ACCEPTED)
            services.referral_transition(user=caseworker, referral=referral, to_status=Status.IN_PROGRESS)
            services.referral_transition(
                user=caseworker,
                referral=referral,
                to_status=Status.COMPLETED,
                outcome="Recibió MXN 1,500 para búsqueda de empleo; vinculada a una vacante en Uruapan.",
            )
        elif ending == "rejected" and caseworker:
            services.referral_transition(
                user=caseworker,
                referral=referral,
                to_status=Status.REJECTED,
                reason="Los datos no coinciden con el registro de nacimiento; debe acudir con su acta al Registro Civil.",
            )
        elif ending == "overdue":
            # Sent five days ago to a service that must answer within one: flagged as overdue.
            sent = timezone.now() - timedelta(days=5)
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=sent, response_due_at=sent + timedelta(days=service.response_days)
            )
            ReferralTransition.objects.filter(referral=referral).update(at=sent)
    log(f"  referrals demo: 3 referrals for {person.full_name} (person {person.pk})")
