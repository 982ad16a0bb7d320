"""Reception desk pages: register an arrival, the event page, DIF handover, minors' worklist.

Views parse, call a service or selector, and render; rules live in reception.services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, can, requires
from retorno.audit.services import audit_record, audit_search
from retorno.core.exceptions import DomainError
from retorno.identity.matching import MatchQuery
from retorno.identity.services import curp_feedback, person_candidates_search
from retorno.reception import selectors, services
from retorno.reception.forms import ArrivalForm, EventFilterForm, HandoverForm
from retorno.reception.models import RepatriationEvent

# Bands strong enough to ask "is this the same person?" before creating a new record.
CONFIRM_BANDS = ("certain", "probable")


def _event_or_404(user, event_id: int) -> RepatriationEvent:
    try:
        return selectors.event_get_visible(user, event_id)
    except RepatriationEvent.DoesNotExist as exc:
        raise Http404 from exc


def _audit_event_view(user, event: RepatriationEvent) -> None:
    audit_record(
        user=user,
        action="view",
        obj=event,
        person_id=event.person_id,
        reception_point_id=event.reception_point_id,
    )


def _match_query(data: dict) -> MatchQuery:
    return MatchQuery(
        given_names=data.get("given_names") or "",
        first_surname=data.get("first_surname") or "",
        second_surname=data.get("second_surname") or "",
        sex=data.get("sex") or "",
        birth_date=data.get("birth_date"),
        birth_state=data.get("birth_state") or "",
        curp=(data.get("curp") or "").replace(" ", "").upper(),
    )


def _enough_to_match(q: MatchQuery) -> bool:
    return bool(
        len(q.curp) == 18
        or (q.given_names.strip() and (q.first_surname.strip() or q.second_surname.strip()))
        or (q.birth_date and (q.first_surname.strip() or q.given_names.strip()))
    )


def _arrival_data(cd: dict) -> services.ArrivalData:
    return services.ArrivalData(
        reception_point=cd["reception_point"],
        arrived_at=cd["arrived_at"],
        given_names=cd["given_names"],
        first_surname=cd["first_surname"],
        second_surname=cd["second_surname"],
        sex=cd["sex"],
        birth_date=cd["birth_date"],
        birth_state=cd["birth_state"],
        curp=cd["curp"].replace(" ", ""),
        phone_mx=cd["phone_mx"],
        phone_us=cd["phone_us"],
        documents=list(cd["documents"]),
        destination_state=cd["destination_state"],
        destination_municipality=cd["destination_municipality"],
        mode=cd["mode"],
        unaccompanied_minor=cd["unaccompanied_minor"],
        travelling_with_family=cd["travelling_with_family"],
        notes=cd["notes"],
    )


def _add_service_errors(form, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def _family_initial(user, event_id: int) -> dict:
    """Prefill for 'registrar otro integrante de esta familia': surnames, destination, point."""
    source = _event_or_404(user, event_id)
    return {
        "first_surname": source.person.first_surname,
        "second_surname": source.person.second_surname,
        "destination_state": source.destination_state.code if source.destination_state else "",
        "destination_municipality": source.destination_municipality,
        "reception_point": source.reception_point,
        "arrived_at": source.arrived_at,
        "mode": source.mode,
        "family_from": source.pk,
        "travelling_with_family": True,
    }


@requires(Perm.ARRIVAL_REGISTER)
def desk(request):
    """GET: the arrival form. POST: register, after a confirmation step when a probable or
    certain existing person matches and the officer has not chosen yet."""
    family_source = None
    if request.method == "POST":
        form = ArrivalForm(request.POST, user=request.user)
    else:
        initial = {}
        family_from = request.GET.get("family", "")
        if family_from.isdigit():
            initial = _family_initial(request.user, int(family_from))
            family_source = initial["family_from"]
        form = ArrivalForm(initial=initial, user=request.user)
    context = {"form": form, "family_source": family_source, "confirm": None}
    if request.method != "POST" or not form.is_valid():
        if request.method == "POST":
            context["family_source"] = form.data.get("family_from") or None
        return render(request, "reception/desk.html", context, status=400 if form.errors else 200)

    cd = form.cleaned_data
    context["family_source"] = cd["family_from"]
    data = _arrival_data(cd)
    existing = cd["existing_person_id"]
    try:
        if existing is None and not cd["confirm_new"]:
            query = _match_query(cd)
            candidates = person_candidates_search(user=request.user, query=query)
            strong = [c for c in candidates if c.band in CONFIRM_BANDS]
            if strong:
                context["confirm"] = strong
                return render(request, "reception/desk.html", context)
        family_group = None
        if cd["family_from"]:
            try:
                family_group = services.family_group_for_event(user=request.user, event_id=cd["family_from"])
            except RepatriationEvent.DoesNotExist as exc:
                raise Http404 from exc
        event = services.arrival_register(
            user=request.user, data=data, existing_person_id=existing, family_group=family_group
        )
        if existing is None and cd["confirm_new"]:
            # The officer saw likely matches and said "otra persona": a supervisor double-checks.
            services.arrival_overruled_match_report(user=request.user, event=event, data=data)
    except ValidationError as exc:
        _add_service_errors(form, exc)
        return render(request, "reception/desk.html", context, status=400)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "reception/desk.html", context, status=409)
    if existing is not None:
        messages.success(request, _("Nueva llegada registrada en el registro existente de la persona."))
    else:
        messages.success(request, _("Llegada registrada."))
    if cd["travelling_with_family"]:
        # The family is received together: straight on to the next member, common data typed.
        return redirect(f"{reverse('reception:desk')}?family={event.pk}")
    return redirect("reception:event", event_id=event.pk)


@requires(Perm.PERSON_MATCH)
@require_POST
def candidates(request):
    """htmx partial: likely existing persons and CURP hints for the data typed so far."""
    form = ArrivalForm(request.POST, user=request.user)
    form.is_valid()  # partial data: use what parses, ignore the rest
    cd = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
    query = _match_query(cd)
    found = person_candidates_search(user=request.user, query=query) if _enough_to_match(query) else []
    feedback = curp_feedback(
        given_names=query.given_names,
        first_surname=query.first_surname,
        second_surname=query.second_surname,
        sex=query.sex,
        birth_date=query.birth_date,
        birth_state=query.birth_state,
        curp=(request.POST.get("curp") or "")[:24],
    )
    return render(request, "reception/_candidates.html", {"candidates": found, "curp": feedback})


@requires(Perm.PERSON_READ)
def event_detail(request, event_id: int):
    event = _event_or_404(request.user, event_id)
    _audit_event_view(request.user, event)
    context = {
        "event": event,
        "handover": getattr(event, "handover", None),
        "documents": selectors.document_labels(event.documents),
        "family": selectors.family_members(request.user, event),
        "handover_form": HandoverForm(),
        "can_act": can(request.user, Perm.ARRIVAL_HANDLE),
        "can_register": can(request.user, Perm.ARRIVAL_REGISTER),
    }
    return render(request, "reception/event.html", context)


@requires(Perm.ARRIVAL_HANDLE)
def handover(request, event_id: int):
    """Record the handover of a minor to DIF (form on the event page)."""
    event = _event_or_404(request.user, event_id)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.handover_record(
                user=request.user,
                event_id=event.pk,
                data=services.HandoverData(
                    received_by_name=cd["received_by_name"],
                    received_by_position=cd["received_by_position"],
                    agency=cd["agency"],
                    handed_over_at=cd["handed_over_at"],
                    notes=cd["notes"],
                ),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("reception:event", event_id=event.pk)
        else:
            messages.success(request, _("Entrega a protección de la infancia registrada."))
            return redirect("reception:event", event_id=event.pk)
    return render(
        request,
        "reception/handover.html",
        {"event": event, "form": form},
        status=400 if form.is_bound else 200,
    )


@requires(Perm.ARRIVAL_HANDLE)
@require_POST
def close(request, event_id: int):
    event = _event_or_404(request.user, event_id)
    try:
        services.event_close(user=request.user, event_id=event.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evento cerrado."))
    return redirect("reception:event", event_id=event.pk)


@requires(Perm.PERSON_READ)
def event_list(request):
    """Arrivals in scope, newest first, with filters."""
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.event_list_filtered(
        request.user,
        point=filters.get("point", ""),
        status=filters.get("status", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit_search(
        user=request.user,
        object_type="reception.repatriationevent",
        detail={"filters": {k: str(v) for k, v in filters.items() if v}, "shown": [e.pk for e in page]},
    )
    return render(request, "reception/event_list.html", {"page": page, "form": form})


@requires(Perm.MINORS_WORKLIST)
def minors(request):
    """Worklist of unaccompanied minors for child protection, officers and supervisors."""
    show_all = request.GET.get("all") == "1"
    events = selectors.unaccompanied_minors_worklist(request.user, pending_only=not show_all)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit_search(
        user=request.user,
        object_type="reception.repatriationevent",
        detail={"worklist": "unaccompanied_minors", "shown": [e.pk for e in page]},
    )
    return render(request, "reception/minors.html", {"page": page, "show_all": show_all})
