"""Pages of the referral loop: the person's canalización page, the inbox and a referral's detail."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.models import Role
from retorno.accounts.permissions import Perm, requires
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.errors import messages_add_form_errors, messages_add_service_errors
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.core.pagination import page_of
from retorno.diagnosis.selectors import diagnosis_latest
from retorno.directory import catalogs
from retorno.directory.models import Institution, Service
from retorno.directory.selectors import eligibility_for_person
from retorno.identity.selectors import person_get_visible
from retorno.referrals import services
from retorno.referrals.forms import ConsentForm, InboxFilterForm, ReferForm, TransitionForm, WithdrawForm
from retorno.referrals.models import Consent
from retorno.referrals.selectors import (
    consent_list_for_person,
    consent_status_by_institution,
    contact_gaps,
    open_referrals_by_service,
    referral_list_filtered,
    referral_read,
    service_places_taken_this_month,
)
from retorno.referrals.sharing import labelled


def _person_or_404(user, person_id):
    try:
        return person_get_visible(user, person_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@requires(Perm.REFERRAL_REFER)
def person(request, person_id: int):
    try:
        person, profile, result = eligibility_for_person(user=request.user, person_id=person_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    consents = consent_status_by_institution(person.pk)
    institution_ids = {m.service.institution_id for m in result.eligible} | set(consents)
    institutions = {i.pk: i for i in Institution.objects.filter(pk__in=institution_ids)}
    consent_rows = [
        {
            "institution": inst,
            "referral": consents.get(pk, {}).get(Consent.Purpose.REFERRAL),
            "data_sharing": consents.get(pk, {}).get(Consent.Purpose.DATA_SHARING),
        }
        for pk, inst in sorted(institutions.items(), key=lambda kv: kv[1].name)
    ]
    taken = service_places_taken_this_month([m.service.id for m in result.eligible])
    open_by_service = open_referrals_by_service(person.pk)
    eligible = [
        {
            "taken": taken.get(m.service.id, 0),
            "match": m,
            "service": m.service.obj,
            "institution": institutions.get(m.service.institution_id),
            "consent": consents.get(m.service.institution_id, {}).get(Consent.Purpose.REFERRAL),
            "open_referral": open_by_service.get(m.service.id),
        }
        for m in result.eligible
    ]
    referrals = referral_list_filtered(request.user, person_id=person.pk)
    return render(
        request,
        "referrals/person.html",
        {
            "person": person,
            "profile": profile,
            # (code, label, why) - the why comes from the diagnosis rules when there is one.
            "needs": [(c, catalogs.need_label(c), profile.reasons.get(c, "")) for c in sorted(profile.needs)],
            "flags": [(c, catalogs.flag_label(c), profile.reasons.get(c, "")) for c in sorted(profile.flags)],
            "has_diagnosis": diagnosis_latest(person) is not None,
            "eligible": eligible,
            "excluded": result.excluded,
            "consent_rows": consent_rows,
            "consent_history": consent_list_for_person(person.pk),
            "consent_form": ConsentForm(initial={"institution": request.GET.get("institution", "")}),
            "referrals": referrals,
            "contact_gaps": contact_gaps(person),
        },
    )


@requires(Perm.REFERRAL_REFER)
@require_POST
def consent_add(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    form = ConsentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages_add_form_errors(request, form)
    else:
        try:
            services.consent_record(user=request.user, person=person, **form.cleaned_data)
            messages.success(request, _("Consentimiento registrado."))
        except (ValidationError, DomainError) as exc:
            messages_add_service_errors(request, exc)
    return redirect("referrals:person", person_id=person.pk)


@requires(Perm.REFERRAL_REFER)
def consent_document(request, consent_id: int):
    """The scanned consent, only to users who may read the person; audited."""
    consent = Consent.objects.filter(pk=consent_id).exclude(document="").first()
    if consent is None:
        raise Http404
    _person_or_404(request.user, consent.person_id)
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        obj=consent,
        person_id=consent.person_id,
        reception_point_id=consent.reception_point_id,
        detail={"what": "consent_document"},
    )
    return FileResponse(consent.document.open("rb"), filename=consent.document.name.rsplit("/", 1)[-1])


@requires(Perm.REFERRAL_REFER)
@require_POST
def consent_withdraw(request, consent_id: int):
    consent = Consent.objects.filter(pk=consent_id).select_related("person").first()
    if consent is None:
        raise Http404
    _person_or_404(request.user, consent.person_id)
    form = WithdrawForm(request.POST)
    try:
        services.consent_withdraw(
            user=request.user, consent=consent, reason=form.data.get("reason", "")[:2000]
        )
        messages.success(request, _("Consentimiento retirado."))
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    return redirect("referrals:person", person_id=consent.person_id)


@requires(Perm.REFERRAL_REFER)
@require_POST
def refer(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    form = ReferForm(request.POST)
    service = None
    if form.is_valid():
        service = (
            Service.objects.filter(code=form.cleaned_data["service"]).select_related("institution").first()
        )
    if service is None:
        messages.error(request, _("Elija un servicio de la lista para canalizar."))
        return redirect("referrals:person", person_id=person.pk)
    # Warned only about a referral that could go: without consent the service refuses it anyway.
    consented = (
        consent_status_by_institution(person.pk).get(service.institution_id, {}).get(Consent.Purpose.REFERRAL)
    )
    gaps = contact_gaps(person) if consented else []
    if form.cleaned_data["send"] and gaps and not form.cleaned_data["without_contact"]:
        messages.error(
            request,
            _("No se envió: %(gaps)s. Registre el contacto o confirme que la envía sin él.")
            % {"gaps": ", ".join(gaps)},
        )
        return redirect("referrals:person", person_id=person.pk)
    try:
        referral = services.referral_create(
            user=request.user,
            person=person,
            service=service,
            note=form.cleaned_data["note"],
            send=form.cleaned_data["send"],
        )
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
        return redirect("referrals:person", person_id=person.pk)
    return redirect("referrals:detail", referral_id=referral.pk)


@requires(Perm.REFERRAL_READ)
def inbox(request):
    form = InboxFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    overdue = {"1": True, "0": False}.get(params.get("overdue", ""))
    referrals = referral_list_filtered(
        request.user,
        status=params.get("status", ""),
        overdue=overdue,
        institution=params.get("institution", ""),
    )
    # Names shown come from the referrals (shared data for caseworkers): a read, audited.
    page = page_of(request, referrals)
    is_caseworker = request.user.role == Role.CASEWORKER and not request.user.is_admin_role
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "form": form, "is_caseworker": is_caseworker},
    )


@requires(Perm.REFERRAL_READ)
def detail(request, referral_id: int):
    try:
        referral = referral_read(request.user, referral_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    is_caseworker = request.user.role == Role.CASEWORKER and not request.user.is_admin_role
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "shared": labelled(referral.shared_data),
            "transitions": referral.transitions.all(),
            "next_steps": services.allowed_next(referral, request.user),
            "is_caseworker": is_caseworker,
        },
    )


@requires(Perm.REFERRAL_READ)
@require_POST
def transition(request, referral_id: int):
    try:
        referral = referral_read(request.user, referral_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("referrals:detail", referral_id=referral.pk)
    try:
        services.referral_transition(user=request.user, referral=referral, **form.cleaned_data)
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    except AccessDenied as exc:
        messages.error(request, str(exc) or services.MSG_NOT_YOUR_STEP)
    return redirect(reverse("referrals:detail", args=[referral.pk]))
