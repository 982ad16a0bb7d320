"""A person's profile for eligibility matching: what the service directory's rules look at.

`profile_for_person` builds it from the latest repatriation event and, once a diagnosis exists,
from the diagnosis answers and vulnerability rules. Codes of needs and flags are those of
data/reference/<country>/needs.csv and vulnerability_flags.csv.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Profile:
    person_id: int | None
    age: int | None = None
    sex: str | None = None  # 'H' / 'M'
    origin_state: str | None = None  # state code
    destination_state: str | None = None  # state code
    needs: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)  # vulnerability flags
    priority: str = "normal"  # 'urgent' | 'high' | 'normal'
    documents_held: set[str] = field(default_factory=set)  # document type codes
    languages: set[str] = field(default_factory=set)  # 'es', 'en', or an indigenous language name
    reasons: dict[str, str] = field(default_factory=dict)  # flag or need -> why (for display)


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def profile_for_person(person) -> Profile:
    """Profile from reception data (latest event), enriched with the latest complete diagnosis:
    its flags, needs, priority (the higher of reception and diagnosis), documents and languages."""
    from retorno.reception.models import RepatriationEvent

    event = (
        RepatriationEvent.objects.filter(person=person)
        .select_related("origin_state", "destination_state")
        .order_by("-arrived_at")
        .first()
    )
    today = date.today()
    profile = Profile(
        person_id=person.pk,
        age=_age(person.birth_date, today),
        sex=person.sex,
        origin_state=(
            event.origin_state.code
            if event and event.origin_state
            else (person.birth_state.code if person.birth_state_id else None)
        ),
        destination_state=event.destination_state.code if event and event.destination_state else None,
        documents_held=set(event.documents) - {"none"} if event else set(),
    )
    if profile.age is not None and profile.age < 18:
        profile.flags.add(
            "unaccompanied_minor" if event and event.unaccompanied_minor else "accompanied_minor"
        )
    if person.sex == "M":
        profile.flags.add("woman")
    if profile.age is not None and profile.age >= 60:
        profile.flags.add("older_adult")
    if person.indigenous:
        profile.flags.add("indigenous")
    if not profile.documents_held:
        profile.flags.add("no_documents")
        profile.needs.add("identity_documents")
    if person.indigenous_language:
        profile.languages.add(person.indigenous_language)
    _merge_diagnosis(profile, person, event)
    if "unaccompanied_minor" in profile.flags:
        profile.priority = "urgent"
    return profile


# Answers that say a person speaks a language well enough to be served in it.
_SPEAKS = {"fluent", "basic"}


def _merge_diagnosis(profile: Profile, person, event) -> None:
    """Fold the latest complete diagnosis in: rules re-run with today's facts (so a rules-file
    change applies at once), documents and languages from the answers."""
    from retorno.diagnosis import rules
    from retorno.diagnosis.selectors import diagnosis_latest
    from retorno.diagnosis.services import facts_for

    diagnosis = diagnosis_latest(person)
    if diagnosis is None:
        return
    answers = diagnosis.answers
    result = rules.assess(
        facts_for(person, diagnosis.event or event, diagnosis.questionnaire.definition, answers)
    )
    profile.flags |= result.flags
    profile.needs |= result.needs
    if rules.PRIORITY_ORDER[result.priority] > rules.PRIORITY_ORDER[profile.priority]:
        profile.priority = result.priority
    for reason in result.reasons:
        if reason.kind != "priority":
            profile.reasons.setdefault(reason.code, reason.label())
    held = answers.get("documents_held")
    if isinstance(held, list):
        profile.documents_held |= set(held) - {"none"}
        if profile.documents_held:
            # The diagnosis knows of documents held in Mexico that the person did not carry.
            profile.flags.discard("no_documents")
        if "identity_documents" not in result.needs:
            profile.needs.discard("identity_documents")
    if answers.get("spanish_level") in _SPEAKS:
        profile.languages.add("es")
    if answers.get("english_level") in _SPEAKS:
        profile.languages.add("en")
    if answers.get("indigenous_language"):
        profile.languages.add(answers["indigenous_language"])
