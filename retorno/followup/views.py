"""Follow-up pages: dashboard (overdue and upcoming contacts, pending referrals), a person's
follow-up tab (schedule, attempts, surveys and the score chart), the survey form."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.models import Role
from retorno.accounts.permissions import Perm, requires
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exceptions import DomainError
from retorno.core.pagination import page_of
from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis.selectors import can_diagnose, person_get_for_diagnosis
from retorno.followup import chart, config, selectors, services
from retorno.followup.forms import ContactAttemptForm
from retorno.followup.models import FollowUp
from retorno.reception.models import RepatriationEvent
from retorno.referrals.selectors import referral_list_pending_for_user

DASHBOARD_PAGE = 25
DASHBOARD_COUNT_CAP = 500  # "más de 500" (ten pages): enough to say how far behind, without counting it all


def _person_or_404(user, person_id):
    try:
        return person_get_for_diagnosis(user, person_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@requires(Perm.REFERRAL_READ)
def dashboard(request):
    """What needs chasing, most urgent first: pending referrals (overdue on top), then overdue and
    upcoming follow-up contacts in the user's scope. Each list is a page of its own."""
    user, today = request.user, timezone.localdate()
    referrals = referral_list_pending_for_user(user).select_related(
        "person", "service", "institution", "reception_point"
    )
    context = {
        "pending_referrals": page_of(
            request,
            referrals.order_by("-overdue", "sent_at", "pk"),
            per_page=DASHBOARD_PAGE,
            param="rpage",
            count_cap=DASHBOARD_COUNT_CAP,
        ),
        "is_caseworker": user.role == Role.CASEWORKER,
        "today": today,
    }
    if can_diagnose(user):
        related = ("person", "event__reception_point")
        overdue = page_of(
            request,
            selectors.followup_list_overdue(user, today=today).select_related(*related),
            per_page=DASHBOARD_PAGE,
            param="page",
            count_cap=DASHBOARD_COUNT_CAP,
        )
        for f in selectors.with_attempt_counts(overdue.object_list):
            f.days_overdue = (today - f.due_date).days
        context["overdue"] = overdue
        context["upcoming"] = page_of(
            request,
            selectors.followup_list_upcoming(user, today=today).select_related(*related),
            per_page=DASHBOARD_PAGE,
            param="upage",
            count_cap=DASHBOARD_COUNT_CAP,
        )
        selectors.with_attempt_counts(context["upcoming"].object_list)
    return render(request, "followup/dashboard.html", context)


def _dimension_labels(definition) -> dict[str, str]:
    return {k: qn.text(v.get("label"), None) or k for k, v in definition.get("dimensions", {}).items()}


def _person_context(person, attempt_form=None, attempt_for=None) -> dict:
    followups = list(selectors.followup_list_for_person(person))
    channels = {v: qn.text(label) for v, label in config.channel_choices()}
    for f in followups:
        for a in f.attempts.all():
            a.channel_label = channels.get(a.channel, a.channel)
    surveys = list(selectors.survey_list_for_person(person))
    svg = None
    rows = []
    if surveys:
        labels = _dimension_labels(surveys[-1].questionnaire.definition)
        series = [(label, [s.dimension_scores.get(dim) for s in surveys]) for dim, label in labels.items()]
        series.append((_("Compuesto"), [s.composite for s in surveys]))
        svg = chart.line_chart(
            [s.taken_on.isoformat() for s in surveys],
            series,
            title=_("Puntajes de reintegración en el tiempo"),
        )
        rows = [
            {
                "survey": s,
                "scores": [s.dimension_scores.get(dim) for dim in labels],
            }
            for s in surveys
        ]
        dim_labels = list(labels.values())
    else:
        dim_labels = []
    return {
        "person": person,
        "followups": followups,
        "surveys": rows,
        "dimension_labels": dim_labels,
        "chart": svg,
        "attempt_form": attempt_form or ContactAttemptForm(),
        "attempt_for": attempt_for,
        "unscheduled": RepatriationEvent.objects.filter(person=person, followups__isnull=True).exists(),
        "today": timezone.localdate(),
    }


@requires(Perm.FOLLOWUP_USE)
def person(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        object_type="identity.person",
        detail={"section": "followup"},
        object_id=person.pk,
        person_id=person.pk,
    )
    return render(request, "followup/person.html", _person_context(person))


@requires(Perm.FOLLOWUP_USE)
@require_POST
def schedule(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    for event in RepatriationEvent.objects.filter(person=person).order_by("arrived_at"):
        services.followup_schedule_for_event(event)
    messages.success(request, _("Calendario de seguimiento generado."))
    return redirect("followup:person", person_id=person.pk)


@requires(Perm.FOLLOWUP_USE)
@require_POST
def attempt(request, followup_id: int):
    try:
        followup = selectors.followup_get_visible(request.user, followup_id)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
    form = ContactAttemptForm(request.POST)
    if form.is_valid():
        try:
            services.contact_attempt_record(
                user=request.user,
                followup=followup,
                channel=form.cleaned_data["channel"],
                reached=form.cleaned_data["reached"],
                notes=form.cleaned_data["notes"],
                attempted_at=form.cleaned_data["attempted_at"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Intento de contacto registrado."))
            return redirect("followup:person", person_id=followup.person_id)
    return render(
        request, "followup/person.html", _person_context(followup.person, form, followup.pk), status=400
    )


@requires(Perm.FOLLOWUP_USE)
def survey_new(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    try:
        questionnaire = selectors.survey_questionnaire_current()
    except ObjectDoesNotExist as exc:
        raise Http404(_("No hay una encuesta de reintegración cargada.")) from exc
    followup = None
    fid = request.GET.get("followup") or request.POST.get("followup")
    if fid:
        followup = FollowUp.objects.filter(person=person, pk=fid if str(fid).isdigit() else 0).first()
        if followup is None:
            raise Http404
    form = qn.QuestionnaireForm(request.POST or None, definition=questionnaire.definition)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_submit(
                user=request.user,
                person=person,
                answers=form.answers,
                followup=followup,
                questionnaire=questionnaire,
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(
                request,
                _("Encuesta registrada. Índice compuesto: %(c)s")
                % {"c": "—" if survey.composite is None else f"{survey.composite:.2f}"},
            )
            return redirect("followup:person", person_id=person.pk)
    return render(
        request,
        "followup/survey_form.html",
        {
            "person": person,
            "questionnaire": questionnaire,
            "form": form,
            "followup": followup,
            "description": qn.text(questionnaire.definition.get("description")),
        },
    )


@requires(Perm.FOLLOWUP_USE)
def survey_detail(request, pk: int):
    try:
        survey = selectors.survey_get_visible(request.user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    audit_record(user=request.user, action=AuditEntry.Action.VIEW, obj=survey, person_id=survey.person_id)
    definition = survey.questionnaire.definition
    labels = _dimension_labels(definition)
    return render(
        request,
        "followup/survey_detail.html",
        {
            "survey": survey,
            "person": survey.person,
            "sections": qn.display_answers(definition, survey.answers),
            "dimensions": [(labels[d], survey.dimension_scores.get(d)) for d in labels],
        },
    )
