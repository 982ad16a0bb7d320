"""Demo diagnoses: an urgent unaccompanied minor, a woman victim (high priority), an adult who
needs a job and identity documents, a returnee followed up over months (see followup/demo.py) and
the walkthrough's returnee (key "referred", docs/walkthrough.md): diagnosed, then referred to three
institutions (referrals/demo.py) and followed up with two surveys (followup/demo.py).

Uses the reception app's demo persons when they exist; otherwise creates these few persons and
their arrivals at Tijuana. Idempotent: a person who already has a diagnosis is left alone.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from retorno.accounts.models import User
from retorno.diagnosis.models import Diagnosis, Questionnaire
from retorno.diagnosis.services import diagnosis_create
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.reference.models import ReceptionPoint, State

BASE = {
    "consent_given": True,
    "spanish_level": "fluent",
    "english_level": "basic",
    "needs_medical_now": False,
    "intention": "settle_origin",
}

# key -> person fields, days since arrival, arrival extras, answers
DEMO_CASES = {
    "minor": (
        dict(given_names="Kevin", first_surname="Hernández", second_surname="Cruz", sex="H", years=15),
        1,
        {"unaccompanied_minor": True, "documents": ["none"]},
        {
            **BASE,
            "education_level": "primary",
            "english_level": "fluent",
            "years_in_us": 6,
            "trade": "none",
            "work_plan": "study",
            "wants_to_study": True,
            "housing_destination": "family",
            "documents_held": ["none"],
            "children_left_in_us": "no",
        },
    ),
    "victim": (
        dict(
            given_names="María Guadalupe",
            first_surname="Sánchez",
            second_surname="Ramírez",
            sex="M",
            years=34,
        ),
        3,
        {"documents": ["ine"]},
        {
            **BASE,
            "education_level": "secondary",
            "years_in_us": 9,
            "trade": "cleaning",
            "experience_years": 7,
            "has_certificates": False,
            "work_plan": "job",
            "children_born_us": 2,
            "children_born_us_unregistered": 2,
            "children_left_in_us": "yes",
            "wants_family_contact": True,
            "housing_destination": "shelter",
            "documents_held": ["ine", "birth_certificate"],
            "sensitive_consent": "yes",
            "crime_victim": "yes",
            "crime_type": ["extortion"],
            "gender_violence": "yes",
            "forced_work": "no",
            "feels_safe_destination": "prefer_not",
            **{
                f"k6_{k}": "most"
                for k in ("nervous", "hopeless", "restless", "depressed", "effort", "worthless")
            },
        },
    ),
    "worker": (
        dict(given_names="José Luis", first_surname="Martínez", second_surname="Ortega", sex="H", years=42),
        70,
        {"documents": ["none"]},
        {
            **BASE,
            "education_level": "secondary",
            "years_in_us": 18,
            "trade": "construction",
            "experience_years": 15,
            "has_certificates": True,
            "certificates": "OSHA 10",
            "work_plan": "job",
            "dependents_mx": 3,
            "housing_destination": "family",
            "documents_held": ["consular_id"],
            "belongings_in_us": ["wages", "household_goods"],
            "sensitive_consent": "no",
        },
    ),
    "followed": (
        dict(given_names="Rosa Elena", first_surname="Castillo", second_surname="Vega", sex="M", years=28),
        200,
        {"documents": ["ine", "birth_certificate"]},
        {
            **BASE,
            "education_level": "high_school",
            "studied_in_us": True,
            "studies_to_revalidate": ["high_school"],
            "english_level": "fluent",
            "years_in_us": 20,
            "trade": "hospitality",
            "experience_years": 8,
            "has_certificates": False,
            "work_plan": "own_business",
            "housing_destination": "family",
            "documents_held": ["ine", "birth_certificate", "curp"],
            "intention": "settle_origin",
        },
    ),
    # The walkthrough's returnee: needs a job, a birth certificate (has CURP and INE) and medical
    # care for a chronic illness - one referral each, to STPS-SNE, RENAPO and Salud.
    "referred": (
        dict(
            given_names="Guadalupe",
            first_surname="Ramírez",
            second_surname="Soto",
            sex="M",
            years=38,
            phone_mx="@phone",
        ),
        120,
        {"documents": ["ine"], "origin": "@origin", "destination": "@destination", "destination_municipality": "@municipality"},
        {
            **BASE,
            "education_level": "secondary",
            "years_in_us": 14,
            "trade": "hospitality",
            "experience_years": 12,
            "has_certificates": False,
            "work_plan": "job",
            "dependents_mx": 2,
            "chronic_illness": "yes",
            "housing_destination": "family",
            "documents_held": ["ine", "curp"],
            "sensitive_consent": "no",
        },
    ),
}


def _in_pack(value):
    """DEMO_CASES speak Mexico's codes: 'curp' and 'ine' become the pack's national id and voter
    card documents (dropped where the pack has none) and '@key' the pack's `cases` values."""
    pack = demo_pack()
    if isinstance(value, list):
        documents = pack.get("documents") or {}
        mapping = {"curp": documents.get("national_id"), "ine": documents.get("voter_id")}
        mapped = [mapping.get(v, v) if v in mapping else v for v in value]
        return [v for v in mapped if v]
    if isinstance(value, str) and value.startswith("@"):
        return str((pack.get("cases") or {}).get(value[1:], ""))
    return value


def demo_person(
    key: str, log: Callable[[str], None] | None = None
) -> tuple[Person, RepatriationEvent] | None:
    """The demo person for `key` and their arrival, created at Tijuana if missing."""
    fields, days_ago, event_extra, _answers = DEMO_CASES[key]
    fields = {k: _in_pack(v) for k, v in fields.items()}
    # The pack may name its own people for the cases (demo.yaml `case_names`).
    fields.update((demo_pack().get("case_names") or {}).get(key) or {})
    event_extra = {k: _in_pack(v) for k, v in event_extra.items()}
    years = fields.pop("years")
    today = timezone.localdate()
    arrived = timezone.now() - timedelta(days=days_ago)
    birth = (
        date(today.year - years - 1, 6, 15)
        if (today.month, today.day) < (6, 15)
        else date(today.year - years, 6, 15)
    )
    person = Person.objects.filter(
        given_names=fields["given_names"], first_surname=fields["first_surname"], merged_into__isnull=True
    ).first()
    if person is None:
        person = Person.objects.create(birth_date=birth, **fields)
    event = RepatriationEvent.objects.filter(person=person).order_by("-arrived_at").first()
    if event is None:
        point = ReceptionPoint.objects.filter(code=demo_desk("point")).first() or ReceptionPoint.objects.first()
        if point is None:
            return None
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        extra = dict(event_extra)
        # State codes in DEMO_CASES; the arrival stores the rows (left empty if not loaded).
        for key_, field_ in (("origin", "origin_state"), ("destination", "destination_state")):
            if key_ in extra:
                extra[field_] = State.objects.filter(code=extra.pop(key_)).first()
        minor = age < 18
        if minor and not extra.get("accompanied_by"):
            extra["unaccompanied_minor"] = True  # no adult of its family recorded
        event = RepatriationEvent.objects.create(
            person=person, reception_point=point, arrived_at=arrived, age_at_arrival=age, minor=minor, **extra
        )
    return person, event


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username=demo_desk("officer")).first()
    if officer is None or not Questionnaire.objects.filter(code="diagnostico").exists():
        log("  diagnosis demo: skipped (no demo officer or questionnaire loaded)")
        return
    made = 0
    for key, (_fields, _days, _extra, answers) in DEMO_CASES.items():
        found = demo_person(key)
        if found is None:
            continue
        person, event = found
        if Diagnosis.objects.filter(person=person).exists():
            continue
        answers = {k: _in_pack(v) for k, v in answers.items()}
        diagnosis_create(user=officer, person=person, answers=answers, event=event)
        made += 1
    log(f"  demo diagnoses: {made} created")
