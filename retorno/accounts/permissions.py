"""The permission table: which role may do what. One place; services, views, the API and the
templates ask it, and tests/test_permission_matrix.py checks every URL and API operation against it.

*What* a role may do is here. *Which records* it reaches is its scope (accounts.access): a point
(officers; supervisors and child-protection officers of a point), a state, the nation (supervisors
and child-protection officers without a point or state), an institution (caseworkers), minors
only (child-protection officers), aggregates only (analysts). Administrators may do everything.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required

from retorno.accounts.models import Role
from retorno.core.exceptions import AccessDenied


class Perm(StrEnum):
    # Persons and arrivals (scope: point, state or nation; child protection: minors only)
    PERSON_READ = "person.read"
    PERSON_MATCH = "person.match"  # match-before-create across every point (minimal data)
    PERSON_CONTACT = "person.contact"
    PERSON_CORRECT = "person.correct"
    ARRIVAL_REGISTER = "arrival.register"
    ARRIVAL_HANDLE = "arrival.handle"  # close an arrival, record the handover to child protection
    ARRIVAL_CORRECT = "arrival.correct"  # correct an open arrival
    ARRIVAL_CORRECT_CLOSED = "arrival.correct_closed"
    MINORS_WORKLIST = "minors.worklist"
    CONSTANCIA_READ = "constancia.read"
    CONSTANCIA_ISSUE = "constancia.issue"  # issue and reprint
    CONSTANCIA_REVOKE = "constancia.revoke"
    MANIFEST_USE = "manifest.use"
    # Needs, referrals, follow-up
    DIAGNOSIS_USE = "diagnosis.use"
    REFERRAL_READ = "referral.read"  # the inbox: own points' referrals, or own institution's
    REFERRAL_REFER = "referral.refer"  # consent, refer, send, cancel (the referring side)
    REFERRAL_RESPOND = "referral.respond"  # accept, reject, start, close (the institution)
    FOLLOWUP_USE = "followup.use"
    # Employment (scope: the person's point, or the job bank's consenting returnees)
    EMPLOYMENT_READ = "employment.read"  # the vacancies (no personal data)
    EMPLOYMENT_PERSON = "employment.person"  # a person's work profile, matches, support, programmes
    EMPLOYMENT_MANAGE = "employment.manage"  # publish vacancies; applications, payments (job bank)
    # The person's rights over their data (ARCO)
    RIGHTS_FILE = "rights.file"  # file a request on the person's behalf
    RIGHTS_REVIEW = "rights.review"  # the queue and the decisions
    # Grievances about the attention received
    GRIEVANCE_FILE = "grievance.file"  # at the desk, on the person's behalf
    GRIEVANCE_HANDLE = "grievance.handle"  # acknowledge, answer, close (routed by category)
    # Oversight
    LINKAGE_REVIEW = "linkage.review"
    AUDIT_READ = "audit.read"
    ACCESS_REVIEW = "audit.access_review"  # review other-point accesses of the point's officers
    # Aggregates and policy
    STATISTICS_READ = "statistics.read"
    STATISTICS_REFRESH = "statistics.refresh"
    POLICY_READ = "policy.read"
    POLICY_FILE = "policy.file"  # file progress reports for one's institution
    POLICY_REVIEW = "policy.review"  # national supervisors
    DIRECTORY_READ = "directory.read"
    DIRECTORY_MANAGE = "directory.manage"
    # One's own account
    ACCOUNT_SELF = "account.self"
    JOB_OWN = "job.own"  # follow and download the background jobs one asked for


R = Role
_DESK = frozenset({R.RECEPTION_OFFICER, R.SUPERVISOR})
_CASE = frozenset({R.RECEPTION_OFFICER, R.SUPERVISOR, R.CHILD_PROTECTION})
_EVERYONE = frozenset(Role) - {R.ADMIN}

TABLE: dict[Perm, frozenset[Role]] = {
    Perm.PERSON_READ: _CASE,
    Perm.PERSON_MATCH: _DESK,
    Perm.PERSON_CONTACT: _CASE,
    Perm.PERSON_CORRECT: _DESK,
    Perm.ARRIVAL_REGISTER: _DESK,
    Perm.ARRIVAL_HANDLE: _CASE,
    Perm.ARRIVAL_CORRECT: _DESK,
    Perm.ARRIVAL_CORRECT_CLOSED: frozenset({R.SUPERVISOR}),
    Perm.MINORS_WORKLIST: _CASE,
    Perm.CONSTANCIA_READ: _CASE,
    Perm.CONSTANCIA_ISSUE: _DESK,
    Perm.CONSTANCIA_REVOKE: frozenset({R.SUPERVISOR}),
    Perm.MANIFEST_USE: _DESK,
    Perm.DIAGNOSIS_USE: _CASE,
    Perm.REFERRAL_READ: _CASE | {R.CASEWORKER},
    Perm.REFERRAL_REFER: _CASE,
    Perm.REFERRAL_RESPOND: frozenset({R.CASEWORKER}),
    Perm.FOLLOWUP_USE: _CASE,
    Perm.EMPLOYMENT_READ: _EVERYONE,
    # Adults' livelihoods: minors' training goes through referrals and child protection.
    Perm.EMPLOYMENT_PERSON: _DESK | {R.CASEWORKER},
    Perm.EMPLOYMENT_MANAGE: frozenset({R.CASEWORKER}),  # and of the job bank: employment.access
    Perm.RIGHTS_FILE: _DESK,
    Perm.RIGHTS_REVIEW: frozenset({R.SUPERVISOR}),
    Perm.GRIEVANCE_FILE: _DESK,
    Perm.GRIEVANCE_HANDLE: frozenset({R.SUPERVISOR}),  # human-rights matters: national supervisors
    Perm.LINKAGE_REVIEW: frozenset({R.SUPERVISOR}),
    Perm.AUDIT_READ: frozenset({R.SUPERVISOR}),
    Perm.ACCESS_REVIEW: frozenset({R.SUPERVISOR}),
    Perm.STATISTICS_READ: frozenset({R.ANALYST, R.SUPERVISOR}),
    Perm.STATISTICS_REFRESH: frozenset({R.ANALYST, R.SUPERVISOR}),
    Perm.POLICY_READ: frozenset({R.SUPERVISOR, R.ANALYST, R.CASEWORKER}),
    Perm.POLICY_FILE: frozenset({R.CASEWORKER}),
    Perm.POLICY_REVIEW: frozenset({R.SUPERVISOR}),  # and national: policy.access.can_review
    Perm.DIRECTORY_READ: _EVERYONE,
    Perm.DIRECTORY_MANAGE: frozenset(),
    Perm.ACCOUNT_SELF: _EVERYONE,
    Perm.JOB_OWN: _EVERYONE,
}


def can(user, perm: Perm) -> bool:
    """True when the user's role may do `perm` (administrators: always). Scope is separate."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin_role:
        return True
    return user.role in TABLE[perm]


def require(user, perm: Perm) -> None:
    """Raise AccessDenied (403) unless the user's role may do `perm`."""
    if not can(user, perm):
        raise AccessDenied


def roles_with(perm: Perm) -> frozenset[str]:
    return frozenset(TABLE[perm]) | {Role.ADMIN}


def requires(perm: Perm) -> Callable:
    """View decorator: login required, then `perm` (403 otherwise). The permission is recorded on
    the view (`retorno_permission`) for the permission matrix test and the OpenAPI document."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, perm)
            return view(request, *args, **kwargs)

        guarded = login_required(wrapped)
        guarded.retorno_permission = perm
        return guarded

    return decorate


def api_requires(perm: Perm) -> Callable:
    """The same for an API operation (authentication is the router's)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.auth, perm)
            return view(request, *args, **kwargs)

        wrapped.retorno_permission = perm
        return wrapped

    return decorate


def open_to_public(view):
    """Mark a view or operation that anyone may call (verification, open data, health)."""
    view.retorno_permission = None
    return view


class PermissionView:
    """Template access: {% if can.arrival_register %} (names of Perm members, lower case)."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, name: str) -> bool:
        try:
            return can(self._user, Perm[name.upper()])
        except KeyError:
            return False

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]
