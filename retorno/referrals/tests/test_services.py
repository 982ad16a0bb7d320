"""Consent blocking and withdrawal; every referral transition and the forbidden ones; deadlines."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.directory.tests.factories import make_service
from retorno.referrals import services
from retorno.referrals.models import Consent, Referral, Status
from retorno.referrals.selectors import referral_list_filtered, referral_list_pending_for_user
from retorno.referrals.tests.factories import make_consent, make_person_at, make_referral
from retorno.testing.factories import make_institution, make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    inst = make_institution("SNE")
    caseworker = make_user(Role.CASEWORKER, institution=inst)
    service = make_service(
        inst, code="empleo", response_days=5, outcome_days=30, shared_fields=["full_name", "phone"]
    )
    person = make_person_at(point, phone_mx="6641234567")
    return dict(
        point=point, officer=officer, inst=inst, caseworker=caseworker, service=service, person=person
    )


def _draft(w):
    return services.referral_create(user=w["officer"], person=w["person"], service=w["service"])


def test_sending_without_consent_is_refused_and_changes_nothing(world):
    referral = _draft(world)
    with pytest.raises(DomainError) as exc:
        services.referral_transition(user=world["officer"], referral=referral, to_status=Status.SENT)
    assert exc.value.code == "no_consent"
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT and referral.sent_at is None and referral.shared_data == {}


def test_consent_for_another_institution_or_purpose_does_not_count(world):
    make_consent(world["person"], make_institution("OTRA"))
    make_consent(world["person"], world["inst"], purpose=Consent.Purpose.DATA_SHARING)
    with pytest.raises(DomainError):
        services.referral_create(
            user=world["officer"], person=world["person"], service=world["service"], send=True
        )
    assert not Referral.objects.exists()


def test_expired_consent_does_not_count(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    make_consent(
        world["person"], world["inst"], given_on=yesterday - timedelta(days=30), valid_until=yesterday
    )
    with pytest.raises(DomainError):
        services.referral_create(
            user=world["officer"], person=world["person"], service=world["service"], send=True
        )


def test_send_with_consent_snapshots_only_the_services_fields_and_sets_the_deadline(world):
    services.consent_record(
        user=world["officer"],
        person=world["person"],
        institution=world["inst"],
        purpose="referral",
        method="signed",
    )
    referral = services.referral_create(
        user=world["officer"], person=world["person"], service=world["service"], send=True
    )
    assert referral.status == Status.SENT
    assert referral.shared_data == {"full_name": "Juan Pérez López", "phone": "6641234567"}
    assert referral.response_due_at - referral.sent_at == timedelta(days=5)
    assert [t.to_status for t in referral.transitions.all()] == [Status.DRAFT, Status.SENT]
    assert referral.transitions.last().by == world["officer"]


def test_health_fields_are_never_shared_with_a_non_health_service(world):
    world["service"].shared_fields = ["full_name", "health_conditions"]
    world["service"].save()
    make_consent(world["person"], world["inst"])
    referral = services.referral_create(
        user=world["officer"], person=world["person"], service=world["service"], send=True
    )
    assert "health_conditions" not in referral.shared_data


def test_withdrawn_consent_blocks_new_sends_and_is_audited(world):
    consent = services.consent_record(
        user=world["officer"],
        person=world["person"],
        institution=world["inst"],
        purpose="referral",
        method="verbal",
    )
    services.consent_withdraw(user=world["officer"], consent=consent, reason="La persona lo pidió")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world["officer"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REVOKE, object_id=str(consent.pk)).exists()
    with pytest.raises(DomainError):
        services.referral_create(
            user=world["officer"], person=world["person"], service=world["service"], send=True
        )
    with pytest.raises(DomainError):
        services.consent_withdraw(user=world["officer"], consent=consent, reason="otra vez")


def test_withdrawal_needs_a_reason(world):
    consent = make_consent(world["person"], world["inst"])
    with pytest.raises(ValidationError):
        services.consent_withdraw(user=world["officer"], consent=consent, reason="  ")


def test_consent_bad_input_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            user=world["officer"],
            person=world["person"],
            institution=world["inst"],
            purpose="nope",
            method="telepathy",
            given_on=timezone.localdate() + timedelta(days=2),
        )
    assert set(exc.value.message_dict) == {"purpose", "method", "given_on"}
    assert not Consent.objects.exists()


def test_caseworker_cannot_record_consent(world):
    with pytest.raises(AccessDenied):
        services.consent_record(
            user=world["caseworker"],
            person=world["person"],
            institution=world["inst"],
            purpose="referral",
            method="verbal",
        )


def test_full_loop_accept_in_progress_complete(world):
    referral = make_referral(world["person"], world["service"], status=Status.SENT, point=world["point"])
    cw = world["caseworker"]
    referral = services.referral_transition(user=cw, referral=referral, to_status=Status.ACCEPTED)
    assert referral.outcome_due_at - referral.responded_at == timedelta(days=30)
    referral = services.referral_transition(user=cw, referral=referral, to_status=Status.IN_PROGRESS)
    referral = services.referral_transition(
        user=cw, referral=referral, to_status=Status.COMPLETED, outcome="Colocado"
    )
    assert referral.status == Status.COMPLETED and referral.outcome == "Colocado" and referral.closed_at
    steps = [(t.from_status, t.to_status, t.by_username) for t in referral.transitions.all()][1:]
    assert steps == [
        (Status.SENT, Status.ACCEPTED, cw.username),
        (Status.ACCEPTED, Status.IN_PROGRESS, cw.username),
        (Status.IN_PROGRESS, Status.COMPLETED, cw.username),
    ]


@pytest.mark.parametrize(
    "start,to,kw",
    [
        (Status.SENT, Status.REJECTED, {"reason": "Sin cupo"}),
        (Status.ACCEPTED, Status.COMPLETED, {"outcome": "Atendida"}),
        (Status.ACCEPTED, Status.NO_SHOW, {}),
        (Status.IN_PROGRESS, Status.NO_SHOW, {}),
    ],
)
def test_institution_steps(world, start, to, kw):
    referral = make_referral(world["person"], world["service"], status=start, point=world["point"])
    referral = services.referral_transition(user=world["caseworker"], referral=referral, to_status=to, **kw)
    assert referral.status == to and referral.closed_at is not None


@pytest.mark.parametrize("start", [Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS])
def test_referrer_can_cancel_open_referrals(world, start):
    referral = make_referral(world["person"], world["service"], status=start, point=world["point"])
    referral = services.referral_transition(
        user=world["officer"], referral=referral, to_status=Status.CANCELLED
    )
    assert referral.status == Status.CANCELLED


@pytest.mark.parametrize(
    "start,to",
    [
        (Status.DRAFT, Status.ACCEPTED),
        (Status.DRAFT, Status.COMPLETED),
        (Status.SENT, Status.COMPLETED),
        (Status.SENT, Status.IN_PROGRESS),
        (Status.REJECTED, Status.ACCEPTED),
        (Status.COMPLETED, Status.IN_PROGRESS),
        (Status.COMPLETED, Status.CANCELLED),
        (Status.CANCELLED, Status.SENT),
        (Status.NO_SHOW, Status.COMPLETED),
        (Status.SENT, "bogus"),
    ],
)
def test_forbidden_transitions_raise_a_clear_domain_error(world, start, to):
    referral = make_referral(world["person"], world["service"], status=start, point=world["point"])
    with pytest.raises(DomainError) as exc:
        services.referral_transition(
            user=world["caseworker"], referral=referral, to_status=to, outcome="x", reason="x"
        )
    assert exc.value.code == "forbidden_transition"
    assert "No se puede pasar una canalización de" in str(exc.value.message)
    referral.refresh_from_db()
    assert referral.status == start


def test_rejection_requires_a_reason_and_completion_an_outcome(world):
    sent = make_referral(world["person"], world["service"], status=Status.SENT, point=world["point"])
    with pytest.raises(ValidationError) as exc:
        services.referral_transition(user=world["caseworker"], referral=sent, to_status=Status.REJECTED)
    assert exc.value.message_dict == {"reason": [str(services.MSG_REASON_REQUIRED)]}
    accepted = make_referral(
        make_person_at(world["point"]), world["service"], status=Status.ACCEPTED, point=world["point"]
    )
    with pytest.raises(ValidationError):
        services.referral_transition(
            user=world["caseworker"], referral=accepted, to_status=Status.COMPLETED, outcome=" "
        )


def test_each_side_takes_only_its_own_steps(world):
    sent = make_referral(world["person"], world["service"], status=Status.SENT, point=world["point"])
    with pytest.raises(AccessDenied):
        services.referral_transition(user=world["officer"], referral=sent, to_status=Status.ACCEPTED)
    with pytest.raises(AccessDenied):
        services.referral_transition(user=world["caseworker"], referral=sent, to_status=Status.CANCELLED)
    other_cw = make_user(Role.CASEWORKER, institution=make_institution("OTRA"))
    with pytest.raises(AccessDenied):
        services.referral_transition(user=other_cw, referral=sent, to_status=Status.ACCEPTED)
    other_officer = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    with pytest.raises(AccessDenied):
        services.referral_transition(user=other_officer, referral=sent, to_status=Status.CANCELLED)
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_duplicate_open_referral_to_the_same_service_is_refused(world):
    _draft(world)
    with pytest.raises(DomainError):
        _draft(world)


def test_overdue_flags(world):
    past = timezone.now() - timedelta(days=1)
    future = timezone.now() + timedelta(days=1)
    p = world["point"]
    late_answer = make_referral(service=world["service"], status=Status.SENT, point=p, response_due_at=past)
    on_time = make_referral(service=world["service"], status=Status.SENT, point=p, response_due_at=future)
    late_outcome = make_referral(
        service=world["service"], status=Status.IN_PROGRESS, point=p, outcome_due_at=past
    )
    late_accepted = make_referral(
        service=world["service"], status=Status.ACCEPTED, point=p, outcome_due_at=past
    )
    closed = make_referral(service=world["service"], status=Status.COMPLETED, point=p, outcome_due_at=past)
    overdue_ids = set(referral_list_filtered(world["officer"], overdue=True).values_list("pk", flat=True))
    assert overdue_ids == {late_answer.pk, late_outcome.pk, late_accepted.pk}
    assert late_answer.is_overdue and not on_time.is_overdue and not closed.is_overdue
    annotated = {r.pk: r.overdue for r in referral_list_filtered(world["officer"])}
    assert annotated[late_answer.pk] and not annotated[on_time.pk]


def test_pending_for_caseworker_and_officer(world):
    p = world["point"]
    sent = make_referral(service=world["service"], status=Status.SENT, point=p)
    draft = make_referral(service=world["service"], status=Status.DRAFT, point=p)
    done = make_referral(service=world["service"], status=Status.COMPLETED, point=p)
    progress = make_referral(service=world["service"], status=Status.IN_PROGRESS, point=p)
    elsewhere = make_referral(service=world["service"], status=Status.SENT, point=make_point("MXL"))
    other_inst = make_referral(status=Status.SENT, point=p)
    cw_ids = set(referral_list_pending_for_user(world["caseworker"]).values_list("pk", flat=True))
    assert cw_ids == {sent.pk, progress.pk, elsewhere.pk}
    officer_ids = set(referral_list_pending_for_user(world["officer"]).values_list("pk", flat=True))
    assert officer_ids == {sent.pk, progress.pk, other_inst.pk}
    assert draft.pk not in cw_ids | officer_ids and done.pk not in cw_ids | officer_ids
    assert not referral_list_pending_for_user(make_user(Role.ANALYST)).exists()


def test_referral_keeps_the_eligibility_reasons_computed_on_the_server(world):
    world["service"].needs = ["identity_documents"]
    world["service"].save()
    referral = _draft(world)  # the person arrived without documents: needs identity documents
    assert referral.reasons == ["necesita recuperación de documentos de identidad"]
    other = services.referral_create(
        user=world["officer"],
        person=world["person"],
        service=make_service(world["inst"], needs=["employment"]),
    )
    assert other.reasons == ["No cumple: no se identificó necesidad de empleo"]


def test_places_taken_this_month_counts_accepted_referrals_of_this_month_only(world):
    from retorno.referrals.selectors import service_places_taken_this_month

    svc = world["service"]
    make_referral(service=svc, status=Status.ACCEPTED, point=world["point"])
    make_referral(service=svc, status=Status.COMPLETED, point=world["point"])
    make_referral(service=svc, status=Status.SENT, point=world["point"])
    make_referral(service=svc, status=Status.REJECTED, point=world["point"], responded_at=timezone.now())
    make_referral(
        service=svc,
        status=Status.COMPLETED,
        point=world["point"],
        responded_at=timezone.now() - timedelta(days=40),
    )
    assert service_places_taken_this_month([svc.pk]) == {svc.pk: 2}
