"""Sign-in with a one-time code: what is sent, what is refused, and that the answer never tells
whether a contact is registered."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from retorno.audit.models import AuditEntry
from retorno.portal import services
from retorno.portal.models import OutboundMessage, SignInChallenge
from retorno.testing.factories import make_event, make_person

pytestmark = pytest.mark.django_db


def _code(person) -> str:
    body = OutboundMessage.objects.filter(person=person).latest("created_at").body
    return re.search(r"\b(\d{6})\b", body).group(1)


@pytest.fixture
def rosa():
    return make_person(
        given_names="Rosa", phone_mx="664 123 4567", email="rosa@example.org", birth_date=date(1990, 5, 17)
    )


def test_a_registered_phone_gets_a_code_that_signs_in_once(rosa):
    started = services.sign_in_start(identifier="+52 (664) 123-4567")
    message = OutboundMessage.objects.get()
    assert (message.channel, message.destination, message.status, message.gateway) == (
        "sms",
        "+526641234567",
        "sent",
        "console",
    )
    assert services.sign_in_verify(challenge_id=started.challenge_id, code=_code(rosa)) == rosa
    with pytest.raises(services.SignInError, match="venció o ya se usó"):  # a replayed code
        services.sign_in_verify(challenge_id=started.challenge_id, code=_code(rosa))
    entries = AuditEntry.objects.filter(person_id=rosa.pk, role="returnee")
    assert {e.username for e in entries} == {f"persona:{rosa.pk}"} and entries.filter(
        action="login"
    ).count() == 1


def test_an_email_gets_its_code_by_email(rosa):
    started = services.sign_in_start(identifier="ROSA@example.org")
    assert OutboundMessage.objects.get().channel == "email"
    assert services.sign_in_verify(challenge_id=started.challenge_id, code=_code(rosa)) == rosa


def test_an_unknown_contact_gets_the_same_answer_and_nothing_is_sent(rosa):
    known = services.sign_in_start(identifier="6641234567")
    unknown = services.sign_in_start(identifier="6649999999")
    assert type(known) is type(unknown) and known.channel == unknown.channel == ""
    assert OutboundMessage.objects.count() == 1
    with pytest.raises(services.SignInError, match="no es correcto"):
        services.sign_in_verify(challenge_id=unknown.challenge_id, code="123456")


def test_wrong_codes_lock_the_challenge_and_expired_ones_die(rosa, settings):
    started = services.sign_in_start(identifier="6641234567")
    code = _code(rosa)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.RETORNO_PORTAL_CODE_TRIES - 1):
        with pytest.raises(services.SignInError, match="no es correcto"):
            services.sign_in_verify(challenge_id=started.challenge_id, code=wrong)
    with pytest.raises(services.SignInError, match="Demasiados intentos"):
        services.sign_in_verify(challenge_id=started.challenge_id, code=wrong)
    with pytest.raises(services.SignInError, match="venció"):  # even the right code, now
        services.sign_in_verify(challenge_id=started.challenge_id, code=code)
    again = services.sign_in_start(identifier="6641234567")
    SignInChallenge.objects.filter(pk=again.challenge_id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(services.SignInError, match="venció"):
        services.sign_in_verify(challenge_id=again.challenge_id, code=_code(rosa))
    with pytest.raises(services.SignInError):
        services.sign_in_verify(challenge_id="not-a-uuid", code="1")


def test_codes_are_throttled_per_identifier_whether_registered_or_not(rosa, settings):
    for identifier in ("6641234567", "6640000000"):
        for _ in range(settings.RETORNO_PORTAL_CODES_PER_IDENTIFIER):
            services.sign_in_start(identifier=identifier)
        with pytest.raises(services.SignInError, match="Demasiados intentos"):
            services.sign_in_start(identifier=identifier)


def test_folio_and_birth_date_sign_in_through_the_recorded_phone(rosa):
    from retorno.constancias.services import constancia_issue
    from retorno.testing.factories import make_point, make_user

    point = make_point("TIJ")
    event = make_event(person=rosa, point=point)
    constancia = constancia_issue(user=make_user(point=point), event=event)
    services.sign_in_start(folio=constancia.folio.lower(), birth_date=date(1990, 5, 17))
    assert OutboundMessage.objects.get().destination == "+526641234567"
    services.sign_in_start(folio=constancia.folio, birth_date=date(1991, 5, 17))  # wrong date: nothing
    assert OutboundMessage.objects.count() == 1
    with pytest.raises(ValidationError):
        services.sign_in_start(folio=constancia.folio)


def test_minors_get_no_account():
    today = timezone.localdate()
    make_person(given_names="Kevin", phone_mx="6647654321", birth_date=today.replace(year=today.year - 15))
    services.sign_in_start(identifier="6647654321")
    assert not OutboundMessage.objects.exists()


def test_the_person_updates_their_contact_and_the_old_value_is_kept(rosa):
    services.contact_update_by_person(
        person=rosa, phone_mx="664 765 0000", phone_us="", email="rosa@example.org"
    )
    entry = AuditEntry.objects.get(action="update", role="returnee")
    assert entry.detail["changes"] == {"phone_mx": ["664 123 4567", "664 765 0000"]}
    with pytest.raises(ValidationError):
        services.contact_update_by_person(person=rosa, phone_mx="abc", phone_us="", email="not-an-email")
    rosa.refresh_from_db()
    assert rosa.phone_mx == "664 765 0000"
