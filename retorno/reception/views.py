"""Reception desk pages: register an arrival, the event page (corrections, DIF handover), the
minors' worklist.

Views parse, call one service (reception.intake for the desk) or selector, and render; rules
live in reception.services.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from retorno.accounts.permissions import Perm, can, requires
from retorno.audit.selectors import change_history
from retorno.audit.services import audit_record
from retorno.core.errors import (
    form_add_service_errors,
    messages_after_correction,
)
from retorno.core.exceptions import DomainError
from retorno.core.idempotency import idempotency_store, idempotent_result
from retorno.core.pagination import page_of
from retorno.identity.national_ids import national_id_scheme
from retorno.identity.national_ids.messages import national_id_invalid
from retorno.identity.services import curp_feedback, person_candidates_search
from retorno.identity.tickets import match_ticket_read
from retorno.reception import selectors, services
from retorno.reception.forms import ArrivalForm, EventCorrectionForm, EventFilterForm, HandoverForm
from retorno.reception.intake import IntakeRequest, intake_register, match_query_for

DESK_FORM_SCOPE = "desk"


def _audit_event_view(user, event) -> None:
    audit_record(
        user=user,
        action="view",
        obj=event,
        person_id=event.person_id,
        reception_point_id=event.reception_point_id,
    )


def _enough_to_match(q) -> bool:
    return bool(
        national_id_scheme().is_valid(q.curp)
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
        estimated_age_band=cd["estimated_age_band"],
        accompanied_by_event_id=cd["accompanied_by_event_id"],
        accompanied_relationship=cd["accompanied_relationship"],
        travelling_with_family=cd["travelling_with_family"],
        notes=cd["notes"],
    )


def _family_initial(user, event_id: int) -> dict:
    """Prefill for 'registrar otro integrante de esta familia': surnames, destination, point."""
    source = selectors.event_get_visible(user, event_id)
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


def _companions(user, family_from) -> list:
    """Adults a minor of this family may be accompanied by: the family's adult arrivals."""
    if not family_from:
        return []
    return list(selectors.family_adults(user, family_from))


def _chosen(user, form_data, person_id: int | None, ticket: str):
    """What the desk shows about the person the officer chose: the candidate as the match search
    describes it (None when nothing is chosen)."""
    if person_id is None:
        return None
    info = match_ticket_read(ticket, user=user, person_id=person_id)
    query = match_query_for(_partial_arrival(form_data))
    for candidate in (
        person_candidates_search(user=user, query=query, limit=10) if _enough_to_match(query) else []
    ):
        if candidate.person_id == person_id:
            return candidate
    return {
        "person_id": person_id,
        "full_name": _("Persona #%(id)s") % {"id": person_id},
        "in_scope": bool(info and info.in_scope),
    }


def _partial_arrival(cleaned: dict) -> services.ArrivalData:
    """The typed identity data, whatever else is missing (for matching only)."""
    return services.ArrivalData(
        reception_point=None,
        arrived_at=None,
        given_names=cleaned.get("given_names") or "",
        first_surname=cleaned.get("first_surname") or "",
        second_surname=cleaned.get("second_surname") or "",
        sex=cleaned.get("sex") or "",
        birth_date=cleaned.get("birth_date"),
        birth_state=cleaned.get("birth_state") or "",
        curp=cleaned.get("curp") or "",
    )


def _split_choice(value: str) -> tuple[int | None, str]:
    """'<person id>|<match ticket>' from a candidate's button."""
    person, _sep, ticket = (value or "").partition("|")
    return (int(person), ticket[:200]) if person.isdigit() and len(person) < 19 else (None, "")


@requires(Perm.ARRIVAL_REGISTER)
def desk(request):
    """GET: the arrival form. POST: choose a candidate (stays on the form), or save: after a
    confirmation step when a probable or certain existing person matches and nobody chose."""
    user = request.user
    if request.method != "POST":
        initial = {"form_token": uuid.uuid4().hex}
        family_from = request.GET.get("family", "")
        if family_from.isdigit() and len(family_from) < 19:
            initial.update(_family_initial(user, int(family_from)))
        form = ArrivalForm(
            initial=initial, user=user, companions=_companions(user, initial.get("family_from"))
        )
        return render(
            request, "reception/desk.html", {"form": form, "family_source": initial.get("family_from")}
        )

    data = request.POST.copy()
    choose = request.POST.get("choose_person") or request.POST.get("save_as_person")
    if choose:
        data["existing_person_id"], data["match_ticket"] = (
            str(v) if v is not None else "" for v in _split_choice(choose)
        )
    if request.POST.get("unchoose"):
        data["existing_person_id"] = data["match_ticket"] = ""
    family_from = data.get("family_from", "")
    family_from = int(family_from) if family_from.isdigit() and len(family_from) < 19 else None
    form = ArrivalForm(data, user=user, companions=_companions(user, family_from))
    valid = form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    person_id = cleaned.get("existing_person_id")
    context = {
        "form": form,
        "family_source": family_from,
        "confirm": None,
        "chosen": _chosen(user, cleaned, person_id, cleaned.get("match_ticket", "")),
    }
    if request.POST.get("choose_person") or request.POST.get("unchoose"):
        form.errors.clear()  # choosing is not saving: no errors for fields not typed yet
        return render(request, "reception/desk.html", context)
    if not valid:
        return render(request, "reception/desk.html", context, status=400)

    token = cleaned["form_token"]
    if token and (done := idempotent_result(user=user, scope=DESK_FORM_SCOPE, key=token)):
        messages.info(request, _("Esta llegada ya estaba registrada (el formulario se envió dos veces)."))
        return redirect("reception:event", event_id=done.response["event_id"])
    arrival = _arrival_data(cleaned)
    try:
        result = intake_register(
            user=user,
            request=IntakeRequest(
                data=arrival,
                existing_person_id=person_id,
                match_ticket=cleaned["match_ticket"],
                access_reason=cleaned["access_reason"],
                confirm_new=cleaned["confirm_new"],
                family_with_event_id=cleaned["family_from"],
            ),
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return render(request, "reception/desk.html", context, status=400)
    except DomainError as exc:
        form.add_error(None, exc.message)
        context["existing_event_id"] = exc.extra.get("event_id")
        return render(request, "reception/desk.html", context, status=409)
    if result.needs_choice:
        context["confirm"] = result.candidates
        return render(request, "reception/desk.html", context)
    event = result.event
    if token:
        idempotency_store(
            user=user, scope=DESK_FORM_SCOPE, key=token, status_code=201, body={"event_id": event.pk}
        )
    if person_id is not None:
        messages.success(request, _("Nueva llegada registrada en el registro existente de la persona."))
    else:
        messages.success(request, _("Llegada registrada."))
    if cleaned["travelling_with_family"]:
        # The family is received together: straight on to the next member, common data typed.
        return redirect(f"{reverse('reception:desk')}?family={event.pk}")
    return redirect("reception:event", event_id=event.pk)


@requires(Perm.PERSON_MATCH)
@require_POST
def candidates(request):
    """htmx partial: likely existing persons and CURP hints for the data typed so far. A valid
    CURP also tells the birth date, sex and birth state it encodes (the page fills empty fields)."""
    form = ArrivalForm(request.POST, user=request.user)
    form.is_valid()  # partial data: use what parses, ignore the rest
    cd = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in (None, "")}
    query = match_query_for(_partial_arrival(cd))
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
    return render(
        request,
        "reception/_candidates.html",
        {
            "candidates": found,
            "curp": feedback,
            "curp_facts": services.national_id_facts(request.POST.get("curp", "")),
            "national_id_derivable": national_id_scheme().derivable,
            "national_id_problem": national_id_invalid(feedback.invalid_reason) if feedback.valid is False else "",
        },
    )


@requires(Perm.PERSON_READ)
@require_GET
def event_detail(request, event_id: int):
    event = selectors.event_get_visible(request.user, event_id)
    _audit_event_view(request.user, event)
    may_correct = can(request.user, Perm.ARRIVAL_CORRECT) and (
        event.status == event.Status.OPEN or can(request.user, Perm.ARRIVAL_CORRECT_CLOSED)
    )
    context = {
        "event": event,
        "handover": getattr(event, "handover", None),
        "documents": selectors.document_labels(event.documents),
        "family": selectors.family_members(request.user, event),
        "handover_form": HandoverForm(),
        "can_act": can(request.user, Perm.ARRIVAL_HANDLE),
        "can_register": can(request.user, Perm.ARRIVAL_REGISTER),
        "can_correct": may_correct,
        "correction_form": EventCorrectionForm.for_event(event, request.user) if may_correct else None,
        "history": change_history(object_type="reception.repatriationevent", object_id=event.pk)[:50],
    }
    return render(request, "reception/event.html", context)


@requires(Perm.ARRIVAL_CORRECT)
@require_POST
def event_correct(request, event_id: int):
    """Correct an arrival from its page; the change shows in its history."""
    event = selectors.event_get_visible(request.user, event_id)
    messages_after_correction(
        request,
        EventCorrectionForm.for_event(event, request.user, data=request.POST),
        lambda changes, reason: services.event_correct(
            user=request.user, event_id=event.pk, changes=changes, reason=reason
        ),
    )
    return redirect("reception:event", event_id=event.pk)


@requires(Perm.ARRIVAL_HANDLE)
def handover(request, event_id: int):
    """Record the handover of a minor to the child-protection agency (form on the event page)."""
    event = selectors.event_get_visible(request.user, event_id)
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
            form_add_service_errors(form, exc)
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
    event = selectors.event_get_visible(request.user, event_id)
    try:
        services.event_close(user=request.user, event_id=event.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evento cerrado."))
    return redirect("reception:event", event_id=event.pk)


@requires(Perm.PERSON_READ)
@require_GET
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
    page = page_of(request, events, detail={"filters": {k: str(v) for k, v in filters.items() if v}})
    return render(request, "reception/event_list.html", {"page": page, "form": form})


@requires(Perm.MINORS_WORKLIST)
@require_GET
def minors(request):
    """Unaccompanied minors of the user's scope: those awaiting handover first, the one waiting
    longest at the top; `?all=1` adds those already handed over (newest first)."""
    show_all = request.GET.get("all") == "1"
    events = selectors.unaccompanied_minors_worklist(request.user, pending_only=not show_all)
    page = page_of(request, events, detail={"worklist": "unaccompanied_minors"})
    return render(request, "reception/minors.html", {"page": page, "show_all": show_all})
