"""Reading the service directory (public to signed-in users) and matching a person against it."""

import threading

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from retorno.accounts.models import User
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.diagnosis.profile import Profile, profile_for_person
from retorno.directory.eligibility import CompiledService, MatchResult, compile_service, match
from retorno.directory.models import Institution, Schedule, Service, ServiceAtLocation


def service_list(
    *,
    q: str = "",
    need: str = "",
    state: str = "",
    institution: str = "",
    include_inactive: bool = False,
) -> QuerySet[Service]:
    """Services, filtered by free text, a need code, a state code (services offered there or
    everywhere) and an institution code."""
    services = Service.objects.select_related("institution", "program")
    if not include_inactive:
        services = services.filter(status=Service.Status.ACTIVE, institution__active=True)
    if q:
        services = services.filter(
            Q(name__icontains=q)
            | Q(description__icontains=q)
            | Q(institution__name__icontains=q)
            | Q(institution__acronym__icontains=q)
        )
    if institution:
        services = services.filter(institution__code=institution)
    services = services.order_by("institution__name", "name")
    if need or state:
        # JSON list membership filtered in Python: portable across SQLite and PostgreSQL, and the
        # directory is small (hundreds of rows).
        ids = [
            pk
            for pk, needs, states in services.values_list("pk", "needs", "states")
            if (not need or need in needs) and (not state or not states or state in states)
        ]
        services = services.filter(pk__in=ids)
    return services


def service_detail(code: str) -> Service:
    """The service with its locations and schedules; raises Service.DoesNotExist."""
    return (
        Service.objects.select_related("institution", "program")
        .prefetch_related(
            Prefetch(
                "service_locations",
                queryset=ServiceAtLocation.objects.select_related("location", "location__state"),
            ),
            Prefetch("schedules", queryset=Schedule.objects.all()),
        )
        .get(code=code)
    )


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.annotate(service_count=Count("services")).order_by("name")


_cache_lock = threading.Lock()
_cache: dict = {"stamp": None, "services": []}


def compiled_directory() -> list[CompiledService]:
    """Every service compiled into rules, recompiled only when the directory changed."""
    stamp = tuple(Service.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
    stamp += tuple(Institution.objects.aggregate(n=Count("id", filter=Q(active=True))).values())
    with _cache_lock:
        if _cache["stamp"] != stamp:
            _cache["services"] = [compile_service(s) for s in Service.objects.select_related("institution")]
            _cache["stamp"] = stamp
        return _cache["services"]


def eligibility_for_profile(profile: Profile) -> MatchResult:
    return match(profile, compiled_directory())


def eligibility_for_person(*, user: User, person_id: int) -> tuple[object, Profile, MatchResult]:
    """(person, profile, matches) for a person the user may read; raises Person.DoesNotExist
    when out of scope. Audited as a read of the person's data."""
    from retorno.identity.selectors import person_get_visible

    person = person_get_visible(user, person_id)
    profile = profile_for_person(person)
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=person,
        person_id=person.pk,
        detail={"what": "eligibility"},
    )
    return person, profile, eligibility_for_profile(profile)
