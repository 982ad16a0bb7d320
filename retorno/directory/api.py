"""Directory API: services with filters, institutions, and a person's eligibility with reasons."""


from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from retorno.accounts.permissions import Perm, api_requires
from retorno.directory import hsds
from retorno.directory.eligibility import Match
from retorno.directory.selectors import eligibility_for_person, institution_list, service_detail, service_list

router = Router()


class InstitutionOut(Schema):
    code: str
    name: str
    acronym: str
    order: str
    email: str
    phone: str
    website: str
    active: bool


class ServiceOut(Schema):
    code: str
    hsds_id: str
    institution: str
    name: str
    name_en: str
    description: str
    benefit: str
    status: str
    response_days: int
    outcome_days: int
    capacity: int | None
    is_health: bool
    min_age: int | None
    max_age: int | None
    sexes: list[str]
    states: list[str]
    needs: list[str]
    flags_any: list[str]
    flags_excluded: list[str]
    documents_required: list[str]
    shared_fields: list[str]

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.code

    @staticmethod
    def resolve_hsds_id(obj) -> str:
        return str(obj.hsds_id)


class LocationOut(Schema):
    name: str
    location_type: str
    address: str
    city: str
    municipality: str
    state: str | None
    url: str

    @staticmethod
    def resolve_state(obj) -> str | None:
        return obj.state.code if obj.state_id else None


# Opening hours are wall-clock times of the service's place, not instants: plain HH:MM text
# (an OpenAPI `time` would need a UTC offset that a schedule does not have).
_CLOCK = Field(None, pattern=r"^\d{2}:\d{2}$", description="Local wall-clock time, HH:MM")


class ScheduleOut(Schema):
    byday: str
    opens_at: str | None = _CLOCK
    closes_at: str | None = _CLOCK
    description: str

    @staticmethod
    def resolve_opens_at(obj):
        return obj.opens_at.strftime("%H:%M") if obj.opens_at else None

    @staticmethod
    def resolve_closes_at(obj):
        return obj.closes_at.strftime("%H:%M") if obj.closes_at else None


class ServiceDetailOut(ServiceOut):
    application_process: str
    eligibility_description: str
    url: str
    email: str
    phone: str
    locations: list[LocationOut]
    schedules: list[ScheduleOut]

    @staticmethod
    def resolve_locations(obj) -> list:
        return [sl.location for sl in obj.service_locations.all()]

    @staticmethod
    def resolve_schedules(obj) -> list:
        return list(obj.schedules.all())


class ServiceFilters(Schema):
    q: str = ""
    need: str = ""
    state: str = ""
    institution: str = ""


class EligibilityReasonOut(Schema):
    kind: str
    code: str
    text: str


class MatchOut(Schema):
    service: str
    name: str
    institution_id: int
    eligible: bool
    reasons: list[EligibilityReasonOut]
    summary: str


class ProfileOut(Schema):
    age: int | None
    sex: str | None
    origin_state: str | None
    destination_state: str | None
    needs: list[str]
    flags: list[str]
    priority: str
    documents_held: list[str]


class EligibilityOut(Schema):
    person_id: int
    profile: ProfileOut
    eligible: list[MatchOut]
    excluded: list[MatchOut]


def _match_out(m: Match) -> dict:
    return {
        "service": m.service.code,
        "name": m.service.name,
        "institution_id": m.service.institution_id,
        "eligible": m.eligible,
        "reasons": [r.as_dict() for r in m.reasons],
        "summary": m.reasons_text,
    }


@router.get(
    "/services", response=list[ServiceOut], summary="List services (filters: q, need, state, institution)"
)
@paginate
@api_requires(Perm.DIRECTORY_READ)
def services(request, filters: Query[ServiceFilters]):
    return service_list(**{k: v[:60] for k, v in filters.dict().items()})


@router.get("/services/{code}", response=ServiceDetailOut, summary="One service with locations and schedules")
@api_requires(Perm.DIRECTORY_READ)
def service(request, code: str):
    return service_detail(code[:60])


@router.get("/institutions", response=list[InstitutionOut])
@api_requires(Perm.DIRECTORY_READ)
def institutions(request):
    return list(institution_list())


@router.get(
    "/eligibility/{person_id}",
    response=EligibilityOut,
    summary="Services a person is eligible for (ranked) and excluded ones, with reasons",
)
@api_requires(Perm.REFERRAL_REFER)
def eligibility(request, person_id: int):
    person, profile, result = eligibility_for_person(user=request.user, person_id=person_id)
    return {
        "person_id": person.pk,
        "profile": {
            "age": profile.age,
            "sex": profile.sex,
            "origin_state": profile.origin_state,
            "destination_state": profile.destination_state,
            "needs": sorted(profile.needs),
            "flags": sorted(profile.flags),
            "priority": profile.priority,
            "documents_held": sorted(profile.documents_held),
        },
        "eligible": [_match_out(m) for m in result.eligible],
        "excluded": [_match_out(m) for m in result.excluded],
    }


@router.get(
    "/hsds.zip",
    response={200: None},
    summary="The whole directory as an Open Referral HSDS 3.0 CSV datapackage (zip)",
)
@api_requires(Perm.DIRECTORY_READ)
def hsds_export(request):
    response = HttpResponse(hsds.export_zip_bytes(user=request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="directorio-hsds.zip"'
    return response
