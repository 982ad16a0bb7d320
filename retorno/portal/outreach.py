"""Follow-up by message: invite each due follow-up by SMS/WhatsApp/e-mail to a short
self-completed survey, remind a bounded number of times, honour STOP at once, record delivery.

`outreach_run(now)` is what `retorno send_followup_messages` (and the worker) runs. A person is
invited when the follow-up is due and still pending, they agreed to be contacted by message and
did not opt out, they are an adult with a phone or e-mail, the sampling draw keeps them and the
local time is outside the quiet hours.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person
from retorno.followup.models import FollowUp
from retorno.identity.models import Person
from retorno.portal.config import fold, messaging, template
from retorno.portal.models import OutboundMessage, ReminderToken, SurveyInvitation
from retorno.portal.services import message_send, persons_with_phone
from retorno.reference.rules import adult_age, age_on


def token_hash(token: str) -> str:
    return hashlib.sha256(f"survey:{token}".encode()).hexdigest()


def in_quiet_hours(now: datetime) -> bool:
    config = messaging()
    start, end = config["quiet_start"], config["quiet_end"]
    if start is None:
        return False
    local = timezone.localtime(now).time()
    return (start <= local or local < end) if start > end else (start <= local < end)


def sampled(person_id: int) -> bool:
    share = messaging()["sample_share"]
    if share >= 1:
        return True
    draw = int(hashlib.sha256(f"sample:{person_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return draw < share


def _contact(person: Person) -> tuple[str, str] | None:
    for channel in messaging()["channels"]:
        if channel in ("sms", "whatsapp") and (person.phone_mx or person.phone_us):
            return channel, person.phone_mx or person.phone_us
        if channel == "email" and person.email:
            return "email", person.email
    return None


def may_message(person: Person, on) -> bool:
    age = age_on(person.birth_date, on)
    return (
        person.contact_by_message
        and person.messages_opted_out_at is None
        and person.merged_into_id is None
        and age is not None
        and age >= adult_age()
    )


def _link(token: str) -> str:
    return f"{settings.RETORNO_PUBLIC_URL.rstrip('/')}/portal/s/{token}/"


def _text(name: str, person: Person, followup: FollowUp, token: str) -> str:
    with translation.override(person.preferred_language or "es"):
        return template(name, person.preferred_language).format(
            name=person.given_names.split()[0] if person.given_names else "",
            months=followup.months,
            link=_link(token),
        )


@dataclass
class RunReport:
    invited: int = 0
    reminded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    quiet: bool = False
    would: list[str] = field(default_factory=list)  # dry run: what would be sent

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def outreach_run(*, now: datetime | None = None, dry_run: bool = False, limit: int = 5000) -> RunReport:
    """Send the invitations and reminders due now (nothing in quiet hours)."""
    now = now or timezone.now()
    report = RunReport()
    if in_quiet_hours(now):
        report.quiet = True
        return report
    today = timezone.localtime(now).date()
    due = (
        FollowUp.objects.filter(status=FollowUp.Status.PENDING, due_date__lte=today, invitation__isnull=True)
        .select_related("person")
        .order_by("person_id", "-due_date", "-pk")[:limit]
    )
    open_for = set(
        SurveyInvitation.objects.filter(answered_at__isnull=True, expires_at__gt=now).values_list(
            "person_id", flat=True
        )
    )
    for followup in due:
        person = followup.person
        if person.pk in open_for:
            report.skip("an invitation is already open")
            continue
        open_for.add(person.pk)  # one invitation per person: the latest contact due
        contact = _contact(person)
        if not may_message(person, today):
            report.skip("no consent, opted out or minor")
        elif contact is None:
            report.skip("no contact")
        elif not sampled(person.pk):
            report.skip("not sampled")
        elif dry_run:
            report.would.append(f"invite follow-up {followup.pk} ({followup.months} months) by {contact[0]}")
        else:
            _invite(followup, person, contact, now)
            report.invited += 1
    config = messaging()
    open_invitations = SurveyInvitation.objects.filter(
        answered_at__isnull=True,
        expires_at__gt=now,
        reminders_sent__lt=config["reminders_max"],
        last_sent_at__lte=now - timedelta(days=config["reminders_every_days"]),
    ).select_related("person", "followup")
    for invitation in open_invitations[:limit]:
        if not may_message(invitation.person, today):
            report.skip("opted out since the invitation")
        elif dry_run:
            report.would.append(f"remind follow-up {invitation.followup_id}")
        else:
            _remind(invitation, now)
            report.reminded += 1
    return report


@transaction.atomic
def _invite(followup: FollowUp, person: Person, contact: tuple[str, str], now: datetime) -> SurveyInvitation:
    token = secrets.token_urlsafe(24)
    channel, destination = contact
    invitation = SurveyInvitation.objects.create(
        followup=followup,
        person=person,
        token_hash=token_hash(token),
        channel=channel,
        sent_at=now,
        last_sent_at=now,
        expires_at=now + timedelta(days=messaging()["link_valid_days"]),
    )
    message = message_send(
        person=person,
        channel=channel,
        destination=destination,
        purpose="followup_survey",
        body=_text("invitation", person, followup, token),
    )
    invitation.messages.add(message)
    audit_as_person(
        person.pk,
        AuditEntry.Action.CREATE,
        obj=invitation,
        detail={"channel": channel, "months": followup.months},
    )
    return invitation


@transaction.atomic
def _remind(invitation: SurveyInvitation, now: datetime) -> None:
    # The token is not stored: a reminder carries a new one and the old link keeps working
    # until it is answered or expires (both hashes are accepted: see survey_for_token).
    token = secrets.token_urlsafe(24)
    person = invitation.person
    contact = _contact(person)
    if contact is None:
        return
    message = message_send(
        person=person, channel=contact[0], destination=contact[1], purpose="followup_reminder",
        body=_text("reminder", person, invitation.followup, token),
    )  # fmt: skip
    ReminderToken.objects.create(invitation=invitation, token_hash=token_hash(token))
    invitation.messages.add(message)
    invitation.reminders_sent += 1
    invitation.last_sent_at = now
    invitation.save(update_fields=["reminders_sent", "last_sent_at"])


def invitation_for_token(token: str) -> SurveyInvitation | None:
    digest = token_hash(token or "")
    found = SurveyInvitation.objects.select_related("person", "followup").filter(token_hash=digest).first()
    if found is None:
        reminder = (
            ReminderToken.objects.select_related("invitation__person", "invitation__followup")
            .filter(token_hash=digest)
            .first()
        )
        found = reminder.invitation if reminder else None
    return found


def opt_out(person: Person, *, source: str) -> None:
    """Stop every message to the person at once (STOP reply, the portal, an officer)."""
    if person.messages_opted_out_at is None:
        Person.objects.filter(pk=person.pk).update(
            messages_opted_out_at=timezone.now(), contact_by_message=False
        )
        audit_as_person(
            person.pk, AuditEntry.Action.REVOKE, obj=person, detail={"what": "messages", "source": source}
        )


def inbound_reply(*, sender: str, body: str) -> bool:
    """A reply from a phone: STOP (or another stop word) opts out every person with that number.
    True when it was a stop word."""
    if fold(body).split(" ")[0] not in messaging()["stop_words"]:
        return False
    for person, _phone in persons_with_phone(
        sender, Person.objects.filter(merged_into__isnull=True, messages_opted_out_at__isnull=True)
    ):
        opt_out(person, source="sms_reply")
    return True


def delivery_update(*, gateway_ref: str, status: str) -> None:
    """A gateway's delivery receipt (Twilio's MessageStatus)."""
    mapped = {"delivered": OutboundMessage.Status.DELIVERED, "read": OutboundMessage.Status.DELIVERED,
              "failed": OutboundMessage.Status.FAILED, "undelivered": OutboundMessage.Status.FAILED}.get(status)  # fmt: skip
    if mapped and gateway_ref:
        OutboundMessage.objects.filter(gateway_ref=gateway_ref[:80]).update(status=mapped)


def survey_answer(*, invitation: SurveyInvitation, answers: dict) -> None:
    """Record the person's answers as a self-reported survey (single use: a second submit of the
    same link finds it answered)."""
    from retorno.followup.services import survey_submit_by_person

    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update()
            .select_related("person", "followup")
            .get(pk=invitation.pk)
        )
        if invitation.answered_at is not None:
            return
        survey = survey_submit_by_person(
            person=invitation.person, followup=invitation.followup, answers=answers
        )
        invitation.answered_at, invitation.survey = timezone.now(), survey
        invitation.save(update_fields=["answered_at", "survey"])


def reach_by_cohort(user) -> list[dict]:
    """Invited, delivered, answered and opted out per (month due, months after arrival), for the
    follow-ups of the user's points."""
    from retorno.accounts.access import points_in_scope

    invitations = (
        SurveyInvitation.objects.filter(followup__event__reception_point__in=points_in_scope(user))
        .select_related("followup", "person")
        .prefetch_related("messages")
    )
    rows: dict[tuple, dict] = {}
    for inv in invitations:
        key = (inv.followup.due_date.replace(day=1), inv.followup.months)
        row = rows.setdefault(
            key,
            {"month": key[0], "months": key[1], "invited": 0, "delivered": 0, "answered": 0, "opted_out": 0},
        )
        row["invited"] += 1
        first = min(inv.messages.all(), key=lambda m: m.created_at, default=None)
        row["delivered"] += bool(first and first.status == OutboundMessage.Status.DELIVERED)
        row["answered"] += inv.answered_at is not None
        row["opted_out"] += inv.person.messages_opted_out_at is not None
    return [rows[k] for k in sorted(rows, reverse=True)]
