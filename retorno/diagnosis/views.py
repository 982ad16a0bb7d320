"""Diagnosis pages: worklist, a person's diagnosis (flags, priority, reasons, answers), the form."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, requires
from retorno.core.pagination import page_of
from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis import rules, selectors, services
from retorno.diagnosis.models import Diagnosis, Priority, Questionnaire
from retorno.reception.models import RepatriationEvent


def _person_or_404(user, person_id: int):
    try:
        return selectors.person_get_for_diagnosis(user, person_id)
    except ObjectDoesNotExist as exc:
        # Out of scope and non-existent look the same: nothing is confirmed.
        raise Http404 from exc


def _diagnosis_or_404(user, pk: int) -> Diagnosis:
    try:
        return selectors.diagnosis_get_visible(user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _reason_rows(diagnosis: Diagnosis | None, kind: str) -> list[dict]:
    if diagnosis is None:
        return []
    names = rules.code_names()
    return [
        {"code": r["code"], "name": names.get(r["code"], r["code"]), "text": qn.text(r["text"])}
        for r in diagnosis.reasons
        if r["kind"] == kind
    ]


@requires(Perm.DIAGNOSIS_USE)
def index(request):
    """Worklist: the persons in the user's scope with the priority of their latest diagnosis."""
    if not selectors.can_diagnose(request.user):
        raise Http404
    latest = Diagnosis.objects.filter(person=OuterRef("pk"), status=Diagnosis.Status.COMPLETE).order_by(
        "-created_at", "-pk"
    )
    persons = selectors.person_list_for_diagnosis(request.user).annotate(
        latest_priority=Subquery(latest.values("priority")[:1]),
        latest_at=Subquery(latest.values("created_at")[:1]),
    )
    q = request.GET.get("q", "").strip()[:80]
    if q:
        persons = persons.filter(
            Q(given_names__icontains=q) | Q(first_surname__icontains=q) | Q(curp__iexact=q)
        )
    priority = request.GET.get("priority", "")
    if priority in Priority.values:
        persons = persons.filter(latest_priority=priority)
    elif priority == "none":
        persons = persons.filter(latest_priority__isnull=True)
    # Urgent cases first, then high, normal and not yet diagnosed; newest first within each.
    rank = Case(
        When(latest_priority=Priority.URGENT, then=Value(0)),
        When(latest_priority=Priority.HIGH, then=Value(1)),
        When(latest_priority=Priority.NORMAL, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    persons = persons.annotate(rank=rank).order_by("rank", "-created_at", "-pk")
    page = page_of(request, persons)
    return render(
        request,
        "diagnosis/index.html",
        {"page": page, "q": q, "priority": priority, "priorities": Priority.choices},
    )


@requires(Perm.DIAGNOSIS_USE)
def person(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    history = list(selectors.diagnosis_list_for_person(person))
    latest = next((d for d in history if d.status == Diagnosis.Status.COMPLETE), None)
    draft = next((d for d in history if d.status == Diagnosis.Status.DRAFT), None)
    services.diagnosis_record_view(user=request.user, diagnosis=latest, person=person)
    return render(request, "diagnosis/person.html", _detail_context(person, latest, history, draft))


@requires(Perm.DIAGNOSIS_USE)
def detail(request, pk: int):
    diagnosis = _diagnosis_or_404(request.user, pk)
    services.diagnosis_record_view(user=request.user, diagnosis=diagnosis)
    history = list(selectors.diagnosis_list_for_person(diagnosis.person))
    return render(
        request, "diagnosis/person.html", _detail_context(diagnosis.person, diagnosis, history, None)
    )


def _detail_context(person, diagnosis, history, draft) -> dict:
    return {
        "person": person,
        "diagnosis": diagnosis,
        "history": history,
        "draft": draft,
        "events": RepatriationEvent.objects.filter(person=person).select_related("reception_point")[:5],
        "flag_reasons": _reason_rows(diagnosis, "flag"),
        "priority_reasons": _reason_rows(diagnosis, "priority"),
        "need_reasons": _reason_rows(diagnosis, "need"),
        "answer_sections": (
            qn.display_answers(diagnosis.questionnaire.definition, diagnosis.answers) if diagnosis else []
        ),
        "scores": _score_rows(diagnosis),
    }


def _score_rows(diagnosis) -> list[dict]:
    if diagnosis is None:
        return []
    labels = {
        s["name"]: qn.text(s.get("label")) for s in diagnosis.questionnaire.definition.get("scores", [])
    }
    return [{"label": labels.get(k, k), "value": v} for k, v in diagnosis.scores.items()]


def _hidden_ids(definition, raw, context) -> str:
    """Element ids (q-<question>, s-<section>) not relevant to the answers so far, space separated:
    static/retorno/retorno.js hides them."""
    shown = qn.relevant_names(definition, raw, context)
    hidden = [q["name"] for q in qn.questions(definition) if q["name"] not in shown]
    sections_hidden = [
        s["name"]
        for s in definition["sections"]
        if not any(q["name"] in shown for q in s.get("questions", []))
    ]
    return " ".join([f"q-{n}" for n in hidden] + [f"s-{n}" for n in sections_hidden])


def _form_page(request, person, questionnaire: Questionnaire, diagnosis: Diagnosis | None, event):
    definition = questionnaire.definition
    context = services.context_for(person, event or (diagnosis.event if diagnosis else None))
    if request.method == "POST":
        draft = request.POST.get("action") == "draft" and (diagnosis is None or diagnosis.status == "draft")
        form = qn.QuestionnaireForm(request.POST, definition=definition, draft=draft, context=context)
        if form.is_valid():
            try:
                if diagnosis is None:
                    diagnosis = services.diagnosis_create(
                        user=request.user,
                        person=person,
                        answers=form.answers,
                        event=event,
                        questionnaire=questionnaire,
                        draft=draft,
                    )
                else:
                    diagnosis = services.diagnosis_update(
                        user=request.user, diagnosis=diagnosis, answers=form.answers, draft=draft
                    )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("Borrador guardado.") if draft else _("Diagnóstico guardado."))
                if draft:
                    return redirect("diagnosis:edit", pk=diagnosis.pk)
                return redirect("diagnosis:person", person_id=person.pk)
        raw = {
            k: (request.POST.getlist(k) if len(request.POST.getlist(k)) > 1 else v)
            for k, v in request.POST.items()
        }
    else:
        if diagnosis is not None:
            initial = dict(diagnosis.answers)
        else:
            # A new diagnosis starts from what the desk recorded at the (latest) arrival.
            intake = event or person.events.order_by("-arrived_at").first()
            initial = qn.prefilled(definition, services.context_for(person, intake))
        form = qn.QuestionnaireForm(definition=definition, initial=initial, context=context)
        raw = {k: ("true" if v is True else "false" if v is False else v) for k, v in initial.items()}
    return render(
        request,
        "diagnosis/form.html",
        {
            "person": person,
            "questionnaire": questionnaire,
            "diagnosis": diagnosis,
            "event": event,
            "form": form,
            "hidden_ids": _hidden_ids(definition, raw, context),
            "description": qn.text(definition.get("description")),
        },
    )


@requires(Perm.DIAGNOSIS_USE)
def new(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    try:
        questionnaire = selectors.questionnaire_current()
    except Questionnaire.DoesNotExist as exc:
        raise Http404(_("No hay un cuestionario cargado.")) from exc
    event = None
    event_id = request.GET.get("event") or request.POST.get("event")
    if event_id:
        event = RepatriationEvent.objects.filter(
            person=person, pk=event_id if str(event_id).isdigit() else 0
        ).first()
        if event is None:
            raise Http404
    return _form_page(request, person, questionnaire, None, event)


@requires(Perm.DIAGNOSIS_USE)
def edit(request, pk: int):
    diagnosis = _diagnosis_or_404(request.user, pk)
    return _form_page(request, diagnosis.person, diagnosis.questionnaire, diagnosis, diagnosis.event)


@requires(Perm.DIAGNOSIS_USE)
@require_POST
def relevance(request, person_id: int, questionnaire_id: int):
    """htmx: which questions are not relevant to the answers typed so far (retorno.js hides them).

    The server evaluates skip logic with the same engine as validation, so the browser needs no
    copy of the rules; without JavaScript every question shows and irrelevant answers are dropped.
    """
    person = _person_or_404(request.user, person_id)
    try:
        questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    except Questionnaire.DoesNotExist as exc:
        raise Http404 from exc
    raw = {
        k: (request.POST.getlist(k) if len(request.POST.getlist(k)) > 1 else v)
        for k, v in request.POST.items()
    }
    event_id = request.POST.get("event", "")
    event = (
        RepatriationEvent.objects.filter(person=person, pk=event_id).first() if event_id.isdigit() else None
    ) or services.latest_event(person)
    hidden = _hidden_ids(questionnaire.definition, raw, services.context_for(person, event))
    return HttpResponse(format_html('<div id="relevance-data" data-hidden="{}"></div>', hidden))
