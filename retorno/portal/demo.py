"""Demo of the returnee's channel: a cohort of 60 returnees of the synthetic history agree to
follow-up by message; their due contacts are invited (console gateway: the texts are in the
outbox and, on a development server, its log); delivery receipts are simulated for most, about a
third answer from their link and a few reply STOP. Idempotent."""

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from retorno.followup.services import followup_schedule_for_event
from retorno.portal import outreach
from retorno.portal.models import SurveyInvitation
from retorno.reception.models import RepatriationEvent

ANSWERS = [
    {
        "employment": "informal",
        "income_sufficiency": "neutral",
        "food_security": "sometimes",
        "housing": "temporary",
    },
    {"employment": "formal", "income_sufficiency": "agree", "food_security": "never", "housing": "adequate"},
]


COHORT = 60  # returnees of the synthetic history who agree to follow-up by message


def load(log: Callable[[str], None]) -> None:
    if SurveyInvitation.objects.exists():
        log("  portal demo: already loaded")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    # The latest arrivals between 35 and 200 days ago of adults: their 1- or 3-month contacts are due.
    window = (timezone.now() - timedelta(days=200), timezone.now() - timedelta(days=35))
    events = list(
        RepatriationEvent.objects.filter(
            arrived_at__range=window, minor=False, person__merged_into__isnull=True
        )
        .select_related("person")
        .order_by("pk")[: COHORT * 3]
    )
    chosen = [e for e in rng.sample(events, min(COHORT, len(events)))] if events else []
    for n, event in enumerate(chosen):
        person = event.person
        person.contact_by_message = True
        person.phone_mx = person.phone_mx or f"664{7000000 + n:07d}"
        person.save(update_fields=["contact_by_message", "phone_mx"])
        followup_schedule_for_event(event)
    report = outreach.outreach_run(now=timezone.localtime().replace(hour=12, minute=0))
    invitations = list(
        SurveyInvitation.objects.select_related("person").prefetch_related("messages").order_by("pk")
    )
    answered = stopped = 0
    for invitation in invitations:
        draw = rng.random()
        for message in invitation.messages.all():
            if draw < 0.92:  # simulated delivery receipts (the console gateway has none of its own)
                outreach.delivery_update(gateway_ref=message.gateway_ref, status="delivered")
        if draw < 0.38:
            outreach.survey_answer(invitation=invitation, answers=rng.choice(ANSWERS))
            answered += 1
        elif draw > 0.95:
            outreach.inbound_reply(sender=invitation.person.phone_mx, body="STOP")
            stopped += 1
    log(
        f"  portal demo: {len(chosen)} returnees agreed to messages, {report.invited} invited, "
        f"{answered} answered from their link, {stopped} replied STOP (as of {today})"
    )
