"""Person pages: search within scope, the person's record (data, events, family, contact)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, can, requires
from retorno.audit.selectors import change_history
from retorno.audit.services import audit_record
from retorno.core.errors import messages_after_correction
from retorno.core.pagination import page_of
from retorno.identity.forms import ContactForm, PersonCorrectionForm, PersonSearchForm
from retorno.identity.models import Person
from retorno.identity.selectors import person_get_visible, person_search
from retorno.identity.services import person_correct as identity_person_correct
from retorno.identity.services import person_update_contact


def _person_or_404(user, person_id: int) -> Person:
    try:
        return person_get_visible(user, person_id)
    except Person.DoesNotExist as exc:
        raise Http404 from exc


# A search that matches more than this says "more than 100" (two pages) and asks for more words or a birth
# date: counting every Hernández of a national register is work nobody reads.
SEARCH_COUNT_CAP = 100


@requires(Perm.PERSON_READ)
def person_list(request):
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    persons = person_search(request.user, text=filters.get("q", ""), birth_date=filters.get("birth_date"))
    page = page_of(
        request,
        persons.select_related("birth_state"),
        detail={"query": {"q": filters.get("q", "")}},
        count_cap=SEARCH_COUNT_CAP,
    )
    return render(request, "identity/person_list.html", {"form": form, "page": page})


@requires(Perm.PERSON_READ)
def person_detail(request, person_id: int):
    from retorno.reception.selectors import event_list_filtered

    person = _person_or_404(request.user, person_id)
    events = list(event_list_filtered(request.user, person_id=person.pk).select_related("handover"))
    audit_record(
        user=request.user,
        action="view",
        obj=person,
        person_id=person.pk,
        reception_point_id=events[0].reception_point_id if events else None,
    )
    family = _family_of(request.user, events)
    context = {
        "person": person,
        "events": events,
        "family": family,
        "contact_form": ContactForm(
            initial={
                "phone_mx": person.phone_mx,
                "phone_us": person.phone_us,
                "email": person.email,
                "contact_by_message": person.contact_by_message,
            }
        ),
        "correction_form": PersonCorrectionForm.for_person(person)
        if can(request.user, Perm.PERSON_CORRECT)
        else None,
        "history": change_history(object_type="identity.person", object_id=person.pk)[:50],
    }
    return render(request, "identity/person_detail.html", context)


def _family_of(user, events) -> list:
    from retorno.reception.selectors import event_list_visible

    groups = {e.family_group_id for e in events if e.family_group_id}
    if not groups:
        return []
    own = {e.pk for e in events}
    return list(event_list_visible(user).filter(family_group_id__in=groups).exclude(pk__in=own))


@requires(Perm.PERSON_CORRECT)
@require_POST
def person_correct(request, person_id: int):
    """Correct identity data from the person's page; the change shows in its history."""
    person = _person_or_404(request.user, person_id)
    messages_after_correction(
        request,
        PersonCorrectionForm.for_person(person, data=request.POST),
        lambda changes, reason: identity_person_correct(
            user=request.user, person_id=person.pk, changes=changes, reason=reason
        ),
    )
    return redirect("identity:person", person_id=person.pk)


@requires(Perm.PERSON_CONTACT)
@require_POST
def person_contact(request, person_id: int):
    person = _person_or_404(request.user, person_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            person_update_contact(user=request.user, person_id=person.pk, **form.cleaned_data)
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                for m in msgs:
                    messages.error(request, m)
        else:
            messages.success(request, _("Datos de contacto actualizados."))
    else:
        messages.error(request, _("Teléfono demasiado largo (máximo 20 caracteres)."))
    return redirect("identity:person", person_id=person.pk)
