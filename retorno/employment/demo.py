"""Demo employment: about 30 vacancies in border cities and the main states of origin (the pack's
employment/demo_vacancies.jsonld, imported through the JSON-LD importer with its dates moved to
today), and returnees in the job bank: one hired through it with a Repatriados Trabajando payment,
one with open matches and a certification request, one in Retorno Digno, and the walkthrough's
returnee with an application under way. Idempotent."""

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from retorno.accounts.models import User
from retorno.core.reference_loading import deployment_file
from retorno.diagnosis.demo import demo_person
from retorno.directory.models import Institution
from retorno.employment import jsonld, selectors, services
from retorno.employment.models import Application, CompetencyStandard, SelfEmployment, SupportBudget, Vacancy
from retorno.employment.rules import programmes
from retorno.identity.models import Person
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.referrals.models import Consent
from retorno.referrals.services import consent_record

VACANCIES_FILE = "employment/demo_vacancies.jsonld"
# The reception demo person hired through the job bank (demo.yaml people), and her profile.
HIRED = {"given_names": "Ana Laura", "first_surname": "Rodríguez"}
HIRED_PROFILE = {
    "trade": "commerce",
    "occupation": "3111",
    "english_level": "fluent",
    "education": "high_school",
    "experience_years": 3,
    "years_in_us": 16,
    "skills": ["atención a clientes", "computación"],
    "preferred_state": "BC",
    "preferred_municipality": "Tijuana",
    "looking_for_work": True,
}
HIRED_VACANCY = "demo-vacante-003"
WALKTHROUGH_VACANCY = "demo-vacante-013"


def _shifted(content: bytes) -> bytes:
    """The demo file with every date moved by (today - its `retorno:asOf`)."""
    document = json.loads(content)
    shift = timezone.localdate() - date.fromisoformat(
        document.get("retorno:asOf") or timezone.localdate().isoformat()
    )
    for posting in document["@graph"]:
        for key in ("datePosted", "validThrough"):
            posting[key] = (date.fromisoformat(posting[key]) + shift).isoformat()
    return json.dumps(document).encode()


def _join(officer: User, person: Person, job_bank: Institution, profile: dict | None = None) -> None:
    """Consent to the job bank and a work profile (from the diagnosis unless given)."""
    if not Consent.objects.filter(
        person=person, institution=job_bank, purpose=Consent.Purpose.JOB_MATCHING
    ).exists():
        consent_record(
            user=officer,
            person=person,
            institution=job_bank,
            purpose=Consent.Purpose.JOB_MATCHING,
            method=Consent.Method.SIGNED,
        )
    if selectors.work_profile_of(person) is None:
        data = profile or {
            k: getattr(v, "code", v)
            for k, v in selectors.work_profile_suggested(person).items()
            if k != "source_diagnosis"
        }
        services.work_profile_save(user=officer, person=person, data=data)


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username=demo_desk("officer")).first()
    job_bank = Institution.objects.filter(code=programmes().job_bank_institution).first()
    caseworker = User.objects.filter(role="caseworker", institution=job_bank).first() if job_bank else None
    path = deployment_file(VACANCIES_FILE)
    if officer is None or caseworker is None or not path.exists() or not demo_pack():
        log("  employment demo: skipped (no demo users, job bank caseworker or demo vacancies)")
        return
    report = jsonld.import_postings(user=caseworker, content=_shifted(path.read_bytes()))
    Vacancy.objects.filter(identifier="demo-vacante-030").update(status=Vacancy.Status.CLOSED)
    log(f"  employment demo: vacancies {report.summary()}")

    found = demo_person("worker")
    if found:
        worker = found[0]
        _join(officer, worker, job_bank)
        standard = CompetencyStandard.objects.filter(trade="construction").order_by("code").first()
        if standard and not worker.certifications.exists():
            services.certification_request(
                user=officer, person=worker, standard=standard, started_abroad=True
            )
    found = demo_person("followed")
    if found:
        owner = found[0]
        _join(officer, owner, job_bank)
        if not SelfEmployment.objects.filter(person=owner).exists():
            enrolment = services.self_employment_enrol(
                user=officer,
                person=owner,
                activity="Fonda de comida típica",
                on=timezone.localdate() - timedelta(days=60),
            )
            services.self_employment_advance(
                user=officer,
                enrolment=enrolment,
                outcome="Concluyó el taller de 40 horas.",
                on=timezone.localdate() - timedelta(days=30),
            )
            services.self_employment_advance(
                user=officer, enrolment=enrolment, outcome="Mentoría de 4 sesiones."
            )
    found = demo_person("referred")
    walkthrough_vacancy = Vacancy.objects.filter(identifier=WALKTHROUGH_VACANCY).first()
    if found and walkthrough_vacancy:
        returnee = found[0]
        _join(officer, returnee, job_bank)
        if not Application.objects.filter(person=returnee).exists():
            services.application_create(user=caseworker, person=returnee, vacancy=walkthrough_vacancy)

    hired = Person.objects.filter(merged_into__isnull=True, **HIRED).first()
    vacancy = Vacancy.objects.filter(identifier=HIRED_VACANCY).first()
    if hired is None or vacancy is None:
        log("  employment demo: the hired returnee or her vacancy is missing, skipped")
        return
    _join(officer, hired, job_bank, HIRED_PROFILE)
    if not Application.objects.filter(person=hired).exists():
        application = services.application_create(user=caseworker, person=hired, vacancy=vacancy)
        services.application_transition(user=caseworker, application=application, to_status="interview")
        services.application_transition(
            user=caseworker,
            application=application,
            to_status="hired",
            answer="Contratada como agente bilingüe; empieza el lunes con contrato por tiempo indeterminado.",
        )
    support = programmes().support
    event = selectors.latest_event(hired)
    if support and event and not hired.support_applications.exists():
        month = timezone.localdate().replace(day=1)
        if not SupportBudget.objects.filter(
            programme=support.code, period=month, reception_point=event.reception_point
        ).exists():
            services.budget_set(
                user=caseworker, point=event.reception_point, month=month, amount=Decimal("150000")
            )
        application = services.support_apply(user=officer, person=hired)
        services.support_decide(user=caseworker, application=application, approve=True)
        for concept in support.concepts:
            services.support_pay(
                user=caseworker,
                application=application,
                concept=concept.code,
                amount=concept.cap,
                reference=f"DEMO-{concept.code}",
            )
    log(
        f"  employment demo: {hired.full_name} hired through the job bank with {support.name if support else 'no'} support"
    )
