from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.reception.services import family_group_for_event
from retorno.reception.tests.factories import make_desk, register
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_person_page_lists_events_family_and_is_audited():
    point, officer = make_desk()
    first = register(officer, point, arrived_at=timezone.now() - timedelta(days=90))
    register(officer, point, existing_person_id=first.person_id)
    group = family_group_for_event(user=officer, event_id=first.pk)
    child = register(officer, point, given_names="Sofía", birth_date=date(2015, 6, 6), family_group=group)
    c = logged_in(officer)
    html = c.get(reverse("identity:person", args=[first.person_id])).content.decode()
    assert "2 llegadas" in html and child.person.full_name in html
    assert AuditEntry.objects.filter(
        action="view", object_type="identity.person", person_id=first.person_id
    ).exists()
    # The supervisor gets the link to this person's audit trail, the officer does not.
    assert "?person=" not in html
    sup = make_user(Role.SUPERVISOR, point=point)
    assert (
        f"?person={first.person_id}"
        in logged_in(sup).get(reverse("identity:person", args=[first.person_id])).content.decode()
    )


def test_person_page_of_other_point_is_404():
    point, officer = make_desk()
    other_point, other = make_desk("MXL")
    theirs = register(other, other_point)
    assert logged_in(officer).get(reverse("identity:person", args=[theirs.person_id])).status_code == 404
    assert (
        logged_in(officer)
        .post(reverse("identity:person_contact", args=[theirs.person_id]), {"phone_mx": "1"})
        .status_code
        == 404
    )


def test_person_list_search_and_scope():
    point, officer = make_desk()
    mine = register(officer, point)
    other_point, other = make_desk("MXL")
    theirs = register(other, other_point, given_names="Rosa", first_surname="Ortega")
    c = logged_in(officer)
    html = c.get(reverse("identity:person_list"), {"q": "hernandez"}).content.decode()
    assert mine.person.full_name in html
    assert (
        theirs.person.full_name
        not in c.get(reverse("identity:person_list"), {"q": "ortega"}).content.decode()
    )
    r = c.get(reverse("identity:person_list"), {"birth_date": "99/99/9999"})
    assert r.status_code == 200 and "Revise la fecha" in r.content.decode()
    assert logged_in(make_user(Role.ANALYST)).get(reverse("identity:person_list")).status_code == 403


def test_contact_form_updates_phones():
    point, officer = make_desk()
    event = register(officer, point)
    c = logged_in(officer)
    r = c.post(
        reverse("identity:person_contact", args=[event.person_id]),
        {"phone_mx": "664 555 1234", "phone_us": ""},
    )
    assert r.status_code == 302
    event.person.refresh_from_db()
    assert event.person.phone_mx == "664 555 1234"
    r = c.post(
        reverse("identity:person_contact", args=[event.person_id]),
        {"phone_mx": "no phone", "phone_us": ""},
        follow=True,
    )
    assert "Teléfono no válido" in r.content.decode()


def test_officer_corrects_a_name_on_the_person_page_and_the_history_shows_it():
    from retorno.identity.models import Person

    point, officer = make_desk()
    event = register(officer, point, given_names="Jose", birth_date=date(1990, 5, 17))
    c = logged_in(officer)
    url = reverse("identity:person", args=[event.person_id])
    page = c.get(url).content.decode()
    assert 'id="correct-person"' in page and 'value="17/05/1990"' in page
    form = {
        "given_names": "José",
        "first_surname": event.person.first_surname,
        "second_surname": event.person.second_surname,
        "sex": event.person.sex,
        "birth_date": "17/05/1990",
        "birth_state": "",
        "curp": "",
        "reason": "Acento omitido al capturar",
    }
    response = c.post(reverse("identity:person_correct", args=[event.person_id]), form, follow=True)
    html = response.content.decode()
    assert "Corrección guardada." in html and "Acento omitido al capturar" in html
    assert Person.objects.get(pk=event.person_id).given_names == "José"
    assert "Jose" in html.split('id="history"')[-1] if 'id="history"' in html else "Jose" in html
    # Without a reason nothing changes.
    again = c.post(
        reverse("identity:person_correct", args=[event.person_id]),
        {**form, "given_names": "Pepe", "reason": ""},
        follow=True,
    )
    assert (
        Person.objects.get(pk=event.person_id).given_names == "José"
        and "obligatorio" in again.content.decode()
    )
    # An analyst has no correction form (and the page itself is not theirs).
    assert (
        logged_in(make_user(Role.ANALYST))
        .post(reverse("identity:person_correct", args=[event.person_id]), form)
        .status_code
        == 403
    )
