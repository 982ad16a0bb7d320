"""A small, complete deployment for whole-application tests (permission matrix, Schemathesis).

Two reception points, A (Tijuana) and B (Mexicali), each with its staff and one record of every
kind, built through the real services: an adult and an unaccompanied minor with their arrivals,
the minor's handover, a constancia, a diagnosis, consent and a referral to the employment service,
a contact attempt and a reintegration survey, the adult in the job bank (employment), a manifest, a possible duplicate in the review
queue and a merge. Plus the institutions' caseworkers, an analyst, a national supervisor, an
administrator and a progress report. `World.ids(scope, role)` names the records a role reaches
(scope "in") or must not reach (scope "out").
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from retorno.accounts.models import ApiToken, Role, User
from retorno.constancias.services import constancia_issue
from retorno.diagnosis.demo import DEMO_CASES
from retorno.diagnosis.services import diagnosis_create
from retorno.directory.models import Institution, Service
from retorno.followup.demo import FIRST_SURVEY
from retorno.followup.models import FollowUp
from retorno.followup.selectors import survey_questionnaire_current
from retorno.followup.services import contact_attempt_record, survey_submit
from retorno.identity.models import Person
from retorno.linkage.services import person_merge, review_pair_record
from retorno.manifests.services import manifest_import
from retorno.policy.services import progress_report_file
from retorno.reception.services import ArrivalData, HandoverData, arrival_register, handover_record
from retorno.reference.models import ReceptionPoint
from retorno.referrals.services import consent_record, referral_create

EMPLOYMENT = "STPS-SNE"
OTHER_INSTITUTION = "RENAPO"
MANIFEST = (
    "nombre,primer_apellido,segundo_apellido,sexo,fecha_nacimiento,entidad_nacimiento,curp,llegada_esperada,observaciones\n"
    "Esperanza,Villa,Rey,M,12/04/1979,JC,,,\n"
)


@dataclass
class PointRecords:
    point: ReceptionPoint
    officer: User
    supervisor: User
    child_protection: User
    ids: dict[str, object] = field(default_factory=dict)


@dataclass
class World:
    a: PointRecords
    b: PointRecords
    caseworker: User  # employment service: receives A's and B's referrals
    other_caseworker: User  # civil registry: receives none
    analyst: User
    admin: User
    national_supervisor: User

    def user(self, role: str) -> User:
        return {
            Role.RECEPTION_OFFICER: self.a.officer,
            Role.SUPERVISOR: self.a.supervisor,
            Role.CHILD_PROTECTION: self.a.child_protection,
            Role.CASEWORKER: self.caseworker,
            Role.ANALYST: self.analyst,
            Role.ADMIN: self.admin,
        }[role]

    def ids(self, scope: str, role: str) -> dict[str, object]:
        """Values for URL parameters: the records `role` reaches (scope 'in') or not ('out').
        Child protection reaches minors only; a caseworker, referrals to its institution."""
        records = self.a if scope == "in" else self.b
        ids = dict(records.ids)
        if role == Role.CHILD_PROTECTION:
            ids.update(records.ids["minor"])
        if role == Role.CASEWORKER and scope == "out":
            ids["referral_id"] = self.b.ids["other_referral_id"]
        return ids


def _arrival(point, **kw) -> ArrivalData:
    values = dict(
        reception_point=point,
        arrived_at=timezone.now() - timedelta(hours=3),
        sex="M",
        birth_state="MN",
        documents=["ine"],
        destination_state="MN",
    )
    values.update(kw)
    return ArrivalData(**values)


def _survey_link(followup) -> str:
    """A follow-up survey link (portal.outreach) of the adult's first contact."""
    import secrets

    from retorno.portal.models import SurveyInvitation
    from retorno.portal.outreach import token_hash

    token = secrets.token_urlsafe(24)
    now = timezone.now()
    SurveyInvitation.objects.create(
        followup=followup, person=followup.person, token_hash=token_hash(token), channel="sms",
        sent_at=now, last_sent_at=now, expires_at=now + timedelta(days=21),
    )  # fmt: skip
    return token


def _employment_records(officer: User, adult: Person, tag: str) -> dict[str, int]:
    """The adult in the job bank: consent, work profile, an application to the shared vacancy,
    a support application, a self-employment enrolment and a certification request. At point B
    the consent is then withdrawn: the job bank no longer reaches B's records."""
    from retorno.employment import services as employment
    from retorno.employment.models import CompetencyStandard, Vacancy

    bank = User.objects.filter(role=Role.CASEWORKER, institution__code=EMPLOYMENT).first() or User.objects.create_user(
        "gestor.empleo", role=Role.CASEWORKER, institution=Institution.objects.get(code=EMPLOYMENT)
    )
    consent = consent_record(
        user=officer, person=adult, institution=bank.institution, purpose="job_matching", method="signed"
    )
    vacancy = Vacancy.objects.filter(identifier="world-vacancy").first() or employment.vacancy_save(
        user=bank,
        data={
            "identifier": "world-vacancy",
            "title": "Ayudante general",
            "occupation": "9211",
            "state": "BC",
            "municipality": "Tijuana",
            "employer": EMPLOYMENT,
            "valid_through": timezone.localdate() + timedelta(days=30),
        },
    )
    employment.work_profile_save(
        user=officer,
        person=adult,
        data={"trade": "construction", "occupation": "9211", "preferred_state": "BC", "looking_for_work": True, "willing_to_relocate": True},
    )
    application = employment.application_create(user=bank, person=adult, vacancy=vacancy)
    support = employment.support_apply(user=officer, person=adult)
    enrolment = employment.self_employment_enrol(user=officer, person=adult)
    certification = employment.certification_request(
        user=officer, person=adult, standard=CompetencyStandard.objects.order_by("code").first()
    )
    if tag == "b":
        from retorno.referrals.services import consent_withdraw

        consent_withdraw(user=officer, consent=consent, reason="Ya no quiere la bolsa de trabajo")
    return {
        "vacancy_id": vacancy.pk,
        "application_id": application.pk,
        "support_id": support.pk,
        "enrolment_id": enrolment.pk,
        "certification_id": certification.pk,
    }


def _point_records(point: ReceptionPoint, tag: str, world_users: dict) -> PointRecords:
    officer = User.objects.create_user(f"oficial.{tag}", role=Role.RECEPTION_OFFICER, reception_point=point)
    supervisor = User.objects.create_user(f"supervisor.{tag}", role=Role.SUPERVISOR, reception_point=point)
    protection = User.objects.create_user(f"proteccion.{tag}", role=Role.CHILD_PROTECTION, reception_point=point)
    adult_event = arrival_register(
        user=officer,
        data=_arrival(
            point,
            given_names=f"Zacarías {tag.title()}",
            first_surname="Quintanilla",
            second_surname="Yáñez",
            sex="H",
            birth_date=date(1987, 7, 23),
            phone_mx="6649876543",
        ),
    )
    adult = adult_event.person
    today = timezone.localdate()
    minor_event = arrival_register(
        user=officer,
        data=_arrival(
            point,
            given_names=f"Kevin {tag.title()}",
            first_surname="Quintanilla",
            second_surname="Yáñez",
            sex="H",
            birth_date=today.replace(year=today.year - 14) - timedelta(days=30),
            unaccompanied_minor=True,
        ),
    )
    handover = handover_record(
        user=officer,
        event_id=minor_event.pk,
        data=HandoverData(received_by_name="Lic. Treviño", handed_over_at=timezone.now() - timedelta(hours=1)),
    )
    constancia = constancia_issue(user=officer, event=adult_event)
    minor_constancia = constancia_issue(user=officer, event=minor_event)
    answers = DEMO_CASES["referred"][3] if "referred" in DEMO_CASES else next(iter(DEMO_CASES.values()))[3]
    diagnosis = diagnosis_create(user=officer, person=adult, answers=answers, event=adult_event)
    minor_diagnosis = diagnosis_create(
        user=officer, person=minor_event.person, answers=DEMO_CASES["minor"][3], event=minor_event
    )
    employment = Institution.objects.get(code=EMPLOYMENT)
    consent = consent_record(
        user=officer,
        person=adult,
        institution=employment,
        purpose="referral",
        method="signed",
        document=SimpleUploadedFile("consentimiento.pdf", b"%PDF-1.4 firmado", content_type="application/pdf"),
    )
    service = Service.objects.filter(institution=employment, status="active").order_by("code").first()
    referral = referral_create(user=officer, person=adult, service=service, send=True)
    minor_consent = consent_record(
        user=officer,
        person=minor_event.person,
        institution=employment,
        purpose="referral",
        method="signed",
        document=SimpleUploadedFile("consentimiento.pdf", b"%PDF-1.4 tutor", content_type="application/pdf"),
    )
    minor_referral = referral_create(user=officer, person=minor_event.person, service=service, send=True)
    other = Institution.objects.get(code=OTHER_INSTITUTION)
    consent_record(user=officer, person=adult, institution=other, purpose="referral", method="signed")
    other_service = Service.objects.filter(institution=other, status="active").order_by("code").first()
    other_referral = referral_create(user=officer, person=adult, service=other_service, send=True)
    followup = FollowUp.objects.filter(event=adult_event).order_by("months").first()
    minor_followup = FollowUp.objects.filter(event=minor_event).order_by("months").first()
    contact_attempt_record(user=officer, followup=followup, channel="phone", reached=True)
    survey = survey_submit(
        user=officer, person=adult, answers=FIRST_SURVEY, followup=followup, questionnaire=survey_questionnaire_current()
    )
    minor_survey = survey_submit(
        user=officer,
        person=minor_event.person,
        answers=FIRST_SURVEY,
        followup=minor_followup,
        questionnaire=survey_questionnaire_current(),
    )
    job = _employment_records(officer, adult, tag)
    from retorno.grievances.services import grievance_file
    from retorno.rights.services import request_file

    rights_request = request_file(user=officer, person_id=adult.pk, kind="access")
    from retorno.rights.services import request_decide

    request_decide(user=supervisor, request=rights_request, grant=True)  # its record to download
    grievance = grievance_file(user=officer, kind="complaint", category="waiting", text="Esperé muchas horas.", person=adult)
    manifest = manifest_import(user=officer, point=point, content=MANIFEST.encode(), filename="lista.csv")
    row = manifest.rows.first()
    # A possible duplicate of the adult in the review queue, and a merged-away record.
    twin = arrival_register(
        user=officer,
        data=_arrival(
            point, given_names="Zacarias", first_surname="Quintanila", second_surname="Yanez", sex="H",
            birth_date=date(1987, 7, 23),
        ),  # fmt: skip
    ).person
    pair = review_pair_record(person_ids=(adult.pk, twin.pk), probability=0.8, source="desk", user=officer)
    dup = arrival_register(
        user=officer,
        data=_arrival(point, given_names="Zacarías", first_surname="Quintanilla", sex="H", birth_date=date(1987, 7, 23)),
    ).person
    merge = person_merge(user=supervisor, survivor=adult, merged=dup, reason="misma persona", check_scope=False)
    return PointRecords(
        point=point,
        officer=officer,
        supervisor=supervisor,
        child_protection=protection,
        ids={
            "person_id": adult.pk,
            "event_id": adult_event.pk,
            "folio": constancia.folio,
            "token": constancia.token,
            "diagnosis_id": diagnosis.pk,
            "consent_id": consent.pk,
            "referral_id": referral.pk,
            "other_referral_id": other_referral.pk,
            "followup_id": followup.pk,
            "survey_id": survey.pk,
            "manifest_id": manifest.pk,
            "row_id": row.pk,
            "pair_id": pair.pk,
            "merge_id": merge.pk,
            "handover_id": handover.pk,
            "service_code": service.code,
            **job,
            "request_id": rights_request.pk,
            "link": _survey_link(followup),
            "grievance_id": grievance.pk,
            "minor_id": minor_event.person_id,
            "minor": {
                "person_id": minor_event.person_id,
                "event_id": minor_event.pk,
                "folio": minor_constancia.folio,
                "diagnosis_id": minor_diagnosis.pk,
                "followup_id": minor_followup.pk,
                "survey_id": minor_survey.pk,
                "consent_id": minor_consent.pk,
                "referral_id": minor_referral.pk,
            },
        },
    )


def world_build() -> World:
    """Build the world in the current test database (reference data loaded first)."""
    call_command("load_reference", verbosity=0)
    tij = ReceptionPoint.objects.get(code="TIJ")
    mxl = ReceptionPoint.objects.get(code="MXL")
    users = {}
    a = _point_records(tij, "a", users)
    b = _point_records(mxl, "b", users)
    caseworker = User.objects.get(username="gestor.empleo")  # created with the job bank's records
    other = User.objects.create_user(
        "gestor.renapo", role=Role.CASEWORKER, institution=Institution.objects.get(code=OTHER_INSTITUTION)
    )
    analyst = User.objects.create_user("analista", role=Role.ANALYST)
    admin = User.objects.create_user("admin", role=Role.ADMIN, is_staff=True, is_superuser=True)
    national = User.objects.create_user("supervisor.nacional", role=Role.SUPERVISOR)
    report = progress_report_file(
        user=caseworker,
        line_code="4.4.3",
        institution_id=caseworker.institution_id,
        period="2026-S2",
        status="in_progress",
        narrative="Bolsa de empleo para personas repatriadas.",
        evidence_files=[SimpleUploadedFile("evidencia.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    for records in (a, b):
        records.ids["report_id"] = report.pk
        records.ids["evidence_id"] = report.evidence_files.first().pk
        records.ids["questionnaire_id"] = survey_questionnaire_current().pk
    return World(a, b, caseworker, other, analyst, admin, national)


def token_for(user: User) -> str:
    return ApiToken.issue(user, "world")[1]


__all__ = ["Person", "World", "token_for", "world_build"]
