"""Demo referrals: the walkthrough's returnee (diagnosis demo key "referred") referred, with
consent, to three institutions - one referral completed with an outcome, one rejected with a
reason, one overdue. Idempotent."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from retorno.accounts.models import User
from retorno.diagnosis.demo import demo_person
from retorno.directory.models import Service
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.referrals import services
from retorno.referrals.models import Consent, Referral, ReferralTransition, Status


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username=demo_desk("officer")).first()
    if officer is None or not Service.objects.exists():
        log("  referrals demo: skipped (no demo users or no service catalog)")
        return
    # The walkthrough's returnee, diagnosed by diagnosis/demo.py (created here if that was skipped).
    found = demo_person("referred")
    if found is None:
        log("  referrals demo: skipped (no reception point loaded)")
        return
    person = found[0]
    if Referral.objects.filter(person=person).exists():
        log(f"  referrals demo: already loaded (person {person.pk})")
        return
    caseworkers = {
        u.institution.code: u for u in User.objects.filter(role="caseworker").select_related("institution")
    }
    pack = demo_pack().get("referrals") or {}
    plan = [tuple(step) for step in pack.get("plan") or []]
    for code, ending in plan:
        service = Service.objects.select_related("institution").filter(code=code).first()
        if service is None:
            log(f"  referrals demo: service {code} not in the catalog, skipped")
            continue
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
                outcome=pack.get("outcome", ""),
            )
        elif ending == "rejected" and caseworker:
            services.referral_transition(
                user=caseworker,
                referral=referral,
                to_status=Status.REJECTED,
                reason=pack.get("rejection", ""),
            )
        elif ending == "overdue":
            # Sent five days ago to a service that must answer within one: flagged as overdue.
            sent = timezone.now() - timedelta(days=5)
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=sent, response_due_at=sent + timedelta(days=service.response_days)
            )
            ReferralTransition.objects.filter(referral=referral).update(at=sent)
    log(f"  referrals demo: {len(plan)} referrals for {person.full_name} (person {person.pk})")
