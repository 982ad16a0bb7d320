"""The returnee's portal: sign in with a one-time code, then their own case (constancia,
referrals, follow-ups, services where they settle, contact details). Mobile first."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, open_to_public, requires
from retorno.audit.models import AuditEntry
from retorno.core.errors import form_add_service_errors, messages_add_form_errors, messages_add_service_errors
from retorno.core.exceptions import DomainError
from retorno.core.net import client_ip
from retorno.portal import outreach, selectors, services
from retorno.portal.config import template
from retorno.portal.forms import CodeForm, ContactForm, ContactSignInForm, FolioSignInForm
from retorno.portal.session import CHALLENGE, portal_end, portal_person, portal_required, portal_start
from retorno.portal.survey import self_questions
from retorno.portal.webhooks import twilio_signature_valid


@open_to_public
def sign_in(request):
    if portal_person(request) is not None:
        return redirect("portal:home")
    by_contact = ContactSignInForm(request.POST if request.POST.get("by") == "contact" else None)
    by_folio = FolioSignInForm(request.POST if request.POST.get("by") == "folio" else None, prefix="f")
    form = (
        by_contact
        if request.POST.get("by") == "contact"
        else by_folio
        if request.POST.get("by") == "folio"
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            started = services.sign_in_start(**form.cleaned_data, ip=client_ip(request))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        except services.SignInError as exc:
            messages.error(request, exc.message)
        else:
            request.session[CHALLENGE] = started.challenge_id
            return redirect("portal:code")
    return render(request, "portal/sign_in.html", {"by_contact": by_contact, "by_folio": by_folio})


@open_to_public
def code(request):
    challenge = request.session.get(CHALLENGE)
    if not challenge:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.sign_in_verify(challenge_id=challenge, code=form.cleaned_data["code"])
        except services.SignInError as exc:
            form.add_error("code", exc.message)
        else:
            portal_start(request, person)
            return redirect("portal:home")
    return render(request, "portal/code.html", {"form": form})


@portal_required
def home(request, person):
    case = selectors.own_case(person)
    services.audit_as_person(person.pk, AuditEntry.Action.VIEW, obj=person, detail={"what": "portal_home"})
    form = ContactForm(
        initial={"phone_mx": person.phone_mx, "phone_us": person.phone_us, "email": person.email}
    )
    return render(request, "portal/home.html", {"case": case, "contact_form": form})


@portal_required
def constancia_pdf(request, person, minor_id: int | None = None):
    if minor_id is not None:  # a minor in the person's care (guardian)
        person = next((m for m in selectors.minors_in_care(person) if m.pk == minor_id), None)
        if person is None:
            raise Http404
    found = services.own_constancia_pdf(person, by="portal")
    if found is None:
        raise Http404
    constancia, content = found
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="constancia-{constancia.folio}.pdf"'
    return response


@portal_required
@require_POST
def contact(request, person):
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_update_by_person(person=person, **form.cleaned_data)
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
        else:
            messages.success(request, _("Sus datos de contacto se guardaron."))
    else:
        messages.error(request, _("Revise sus datos de contacto."))
    return redirect("portal:home")


@portal_required
@require_POST
def stop_messages(request, person):
    outreach.opt_out(person, source="portal")
    messages.success(request, _("Listo: no le enviaremos más mensajes."))
    return redirect("portal:home")


# ---- data rights (ARCO) -----------------------------------------------------------------------


@portal_required
def rights(request, person):
    from retorno.rights.forms import RequestForm
    from retorno.rights.services import request_file_by_person

    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                filed = request_file_by_person(person=person, **form.service_kwargs())
            except (ValidationError, DomainError) as exc:
                messages_add_service_errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Recibimos su solicitud #%(n)s; le responderemos a más tardar el %(d)s.")
                    % {"n": filed.pk, "d": filed.due_on.strftime("%d/%m/%Y")},
                )
                return redirect("portal:rights")
        else:
            messages_add_form_errors(request, form)
    own = person.rights_requests.order_by("-filed_at")
    return render(request, "portal/rights.html", {"form": form, "requests": own})


@portal_required
def rights_package(request, person, request_id: int, fmt: str):
    from retorno.rights.views import package_response

    found = person.rights_requests.filter(pk=request_id, status="granted").first()
    content = (
        (found.package_pdf if fmt == "pdf" else found.package_json if fmt == "json" else None)
        if found
        else None
    )
    if not content:
        raise Http404
    services.audit_as_person(person.pk, AuditEntry.Action.EXPORT, obj=found, detail={"format": fmt})
    return package_response(found, fmt, bytes(content))


@portal_required
def grievance(request, person):
    from retorno.grievances.forms import GrievanceForm
    from retorno.grievances.services import grievance_file_by_person

    form = GrievanceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                filed = grievance_file_by_person(person=person, **form.cleaned_data)
            except ValidationError as exc:
                messages_add_service_errors(request, exc)
            else:
                messages.success(
                    request, _("Recibimos su mensaje con el folio %(code)s. Gracias.") % {"code": filed.code}
                )
                return redirect("portal:grievance")
        else:
            messages_add_form_errors(request, form)
    return render(
        request,
        "portal/grievance.html",
        {"form": form, "grievances": person.grievances.order_by("-filed_at")},
    )


# ---- follow-up by message -------------------------------------------------------------------


@open_to_public
def survey(request, link: str):
    """The self-completed follow-up survey of a message link (the token is the credential)."""
    invitation = outreach.invitation_for_token(link[:64])
    if invitation is None:
        return render(request, "portal/survey_closed.html", {"why": "unknown"}, status=404)
    if invitation.answered_at is not None:
        return render(request, "portal/survey_closed.html", {"why": "answered"})
    if invitation.expires_at < timezone.now():
        return render(request, "portal/survey_closed.html", {"why": "expired"})
    person = invitation.person
    with translation.override(person.preferred_language or translation.get_language()):
        _questionnaire, questions = self_questions()
        errors = {}
        if request.method == "POST":
            answers = {
                q["name"]: request.POST.get(q["name"], "")[:60]
                for q in questions
                if request.POST.get(q["name"])
            }
            try:
                outreach.survey_answer(invitation=invitation, answers=answers)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            else:
                return render(request, "portal/survey_closed.html", {"why": "thanks"})
        else:
            services.audit_as_person(
                person.pk, AuditEntry.Action.VIEW, obj=invitation, detail={"what": "survey_link"}
            )
        for q in questions:
            q["given"] = request.POST.get(q["name"], "")
        return render(
            request,
            "portal/survey.html",
            {"questions": questions, "errors": errors, "followup": invitation.followup},
        )


@open_to_public
@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not twilio_signature_valid(request):
        return HttpResponse(status=400)  # not signed by the configured account: refused, nothing read
    stopped = outreach.inbound_reply(
        sender=request.POST.get("From", "")[:40], body=request.POST.get("Body", "")[:300]
    )
    reply = template("stopped", "es") if stopped else ""
    twiml = f'<?xml version="1.0" encoding="UTF-8"?><Response>{f"<Message>{escape(reply)}</Message>" if reply else ""}</Response>'
    return HttpResponse(twiml, content_type="text/xml")


@open_to_public
@csrf_exempt
@require_POST
def twilio_status(request):
    if not twilio_signature_valid(request):
        return HttpResponse(status=400)  # not signed by the configured account: refused, nothing read
    outreach.delivery_update(
        gateway_ref=request.POST.get("MessageSid", ""), status=request.POST.get("MessageStatus", "")[:20]
    )
    return HttpResponse(status=204)


@requires(Perm.FOLLOWUP_USE)
def reach(request):
    """Per cohort (month due x months after arrival): invited, delivered, answered, opted out."""
    return render(request, "portal/reach.html", {"rows": outreach.reach_by_cohort(request.user)})


@open_to_public
@require_POST
def sign_out(request):
    portal_end(request)
    messages.success(request, _("Salió de su portal."))
    return redirect("portal:sign_in")
