"""Review queue pages: list with bulk decisions, side-by-side comparison, merges and unmerge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from retorno.accounts.access import is_national
from retorno.accounts.permissions import Perm, requires
from retorno.audit.services import audit_record
from retorno.core.exceptions import DomainError
from retorno.core.pagination import page_of
from retorno.identity import names
from retorno.jobs.services import job_start
from retorno.jobs.views import job_redirect
from retorno.linkage.evidence import evidence_phrases
from retorno.linkage.models import PersonMerge, ReviewPair
from retorno.linkage.selectors import (
    merge_get_visible,
    merge_list_visible,
    review_pair_get_visible,
    review_pair_list_visible,
)
from retorno.linkage.services import person_unmerge, review_pairs_decide
from retorno.reference.country import country_label, national_id_name

PAGE_SIZE = 50
# Fields shown side by side, in order.
COMPARED_FIELDS = [
    ("given_names", gettext_lazy("Nombre(s)")),
    ("first_surname", gettext_lazy("Primer apellido")),
    ("second_surname", gettext_lazy("Segundo apellido")),
    ("sex", gettext_lazy("Sexo")),
    ("birth_date", gettext_lazy("Fecha de nacimiento")),
    ("birth_state", lazy(lambda: country_label("birth_division", _("Entidad de nacimiento")), str)()),
    ("curp", lazy(national_id_name, str)()),
]


def _status_filter(request) -> str | None:
    status = request.GET.get("status", ReviewPair.Status.PENDING)
    if status == "all":
        return None
    return status if status in ReviewPair.Status.values else ReviewPair.Status.PENDING


@requires(Perm.LINKAGE_REVIEW)
def queue(request):
    pairs = review_pair_list_visible(request.user, status=_status_filter(request))
    page = page_of(request, pairs, per_page=PAGE_SIZE)
    return render(
        request,
        "linkage/queue.html",
        {
            "page": page,
            "status": request.GET.get("status", ReviewPair.Status.PENDING),
            "can_run": is_national(request.user),
            "statuses": [
                ("pending", _("Pendientes")),
                ("skipped", _("Omitidos")),
                ("same", _("Misma persona")),
                ("different", _("Distintas")),
                ("all", _("Todos")),
            ],
        },
    )


@requires(Perm.LINKAGE_REVIEW)
@require_POST
def run(request):
    """Link the whole database in the background (national supervisors)."""
    job = job_start(user=request.user, kind="linkage_run")
    return job_redirect(request, job)


@requires(Perm.LINKAGE_REVIEW)
@require_POST
def decide(request):
    decision = request.POST.get("decision", "")
    ids = []
    for raw in request.POST.getlist("pair"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    # Back to the page the decision came from (only local paths), else the queue.
    nxt = request.POST.get("next", "")
    nxt = nxt if nxt.startswith("/") and not nxt.startswith("//") else "linkage:queue"
    try:
        pairs = review_pairs_decide(user=request.user, pair_ids=ids, decision=decision)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return redirect(nxt)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(nxt)
    messages.success(
        request,
        ngettext("Decisión registrada en %(n)d par.", "Decisión registrada en %(n)d pares.", len(pairs))
        % {"n": len(pairs)},
    )
    return redirect("linkage:queue")


def _side(person):
    return {
        "given_names": person.given_names,
        "first_surname": person.first_surname,
        "second_surname": person.second_surname,
        "sex": person.get_sex_display(),
        "birth_date": date_format(person.birth_date, "SHORT_DATE_FORMAT") if person.birth_date else "",
        "birth_state": str(person.birth_state) if person.birth_state_id else "",
        "curp": person.curp,
    }


@requires(Perm.LINKAGE_REVIEW)
def pair_detail(request, pair_id: int):
    try:
        pair = review_pair_get_visible(request.user, pair_id)
    except ReviewPair.DoesNotExist as exc:
        raise Http404 from exc
    from retorno.reception.models import RepatriationEvent

    a, b = pair.person_a, pair.person_b
    events = {
        p.pk: list(
            RepatriationEvent.objects.filter(person=p)
            .select_related("reception_point")
            .order_by("arrived_at")
        )
        for p in (a, b)
    }
    left, right = _side(a), _side(b)
    rows = []
    for name, label in COMPARED_FIELDS:
        exact = left[name] == right[name]
        # Accents, case and spacing are how the name was typed, not a different name.
        alike = exact or names.normalize(left[name]) == names.normalize(right[name])
        rows.append(
            {
                "label": label,
                "a": left[name],
                "b": right[name],
                "same": alike,
                "accents_only": alike and not exact,
            }
        )
    for person in (a, b):
        audit_record(user=request.user, action="view", obj=pair, person_id=person.pk)
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "a": a,
            "b": b,
            "rows": rows,
            "events_a": events[a.pk],
            "events_b": events[b.pk],
            "evidence": evidence_phrases(pair.levels),
        },
    )


@requires(Perm.LINKAGE_REVIEW)
def merge_list(request):
    merges = merge_list_visible(request.user)
    page = page_of(request, merges, per_page=PAGE_SIZE)
    return render(request, "linkage/merges.html", {"page": page})


@requires(Perm.LINKAGE_REVIEW)
@require_POST
def unmerge(request, merge_id: int):
    try:
        merge = merge_get_visible(request.user, merge_id)
    except PersonMerge.DoesNotExist as exc:
        raise Http404 from exc
    try:
        person_unmerge(user=request.user, merge=merge)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Fusión deshecha: los registros volvieron a la persona %(id)d.") % {"id": merge.merged_id},
        )
    return redirect("linkage:merges")
