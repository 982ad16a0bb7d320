"""The returnee's portal: sign in with a one-time code, then their own case (constancia,
referrals, follow-ups, services where they settle, contact details). Mobile first."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import open_to_public
from retorno.audit.models import AuditEntry
from retorno.core.errors import form_add_service_errors, messages_add_service_errors
from retorno.core.net import client_ip
from retorno.portal import selectors, services
from retorno.portal.forms import CodeForm, ContactForm, ContactSignInForm, FolioSignInForm
from retorno.portal.session import CHALLENGE, portal_end, portal_person, portal_required, portal_start


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
def constancia_pdf(request, person):
    from retorno.constancias.pdf import constancia_pdf as render_pdf
    from retorno.constancias.services import verification_url

    constancia = selectors.own_constancia(person)
    if constancia is None:
        raise Http404
    services.audit_as_person(
        person.pk, AuditEntry.Action.PRINT, obj=constancia, detail={"folio": constancia.folio, "by": "portal"}
    )
    response = HttpResponse(
        render_pdf(constancia, verification_url(constancia)), content_type="application/pdf"
    )
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


@open_to_public
@require_POST
def sign_out(request):
    portal_end(request)
    messages.success(request, _("Salió de su portal."))
    return redirect("portal:sign_in")
