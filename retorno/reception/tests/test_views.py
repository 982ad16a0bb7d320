from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reception.tests.factories import make_desk, register, register_minor
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form(point, **kw):
    data = {
        "given_names": "Pedro",
        "first_surname": "González",
        "second_surname": "Pérez",
        "sex": "H",
        "birth_date": "05/11/1995",
        "birth_state": "MN",
        "curp": "",
        "reception_point": point.pk,
        "arrived_at": (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "land",
        "destination_state": "MN",
        "destination_municipality": "Morelia",
    }
    data.update(kw)
    return data


def test_desk_page_defaults_to_officers_point_and_autofocuses_names():
    point, officer = make_desk()
    r = logged_in(officer).get(reverse("reception:desk"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="given_names"' in html and "autofocus" in html.split('name="given_names"')[1].split(">")[0]
    assert f'<option value="{point.pk}" selected>' in html
    # The folded point, time and mode say where, when and how in words, not the point's id.
    summary = html.split('<details class="prefilled"')[1].split("</summary>")[0]
    assert f"{point.name} · " in summary and "Terrestre" in summary
    assert 'data-skip-when-filled="id_birth_date"' in html and "data-enter-submits" in html


def test_desk_registers_new_person_and_redirects_to_event():
    point, officer = make_desk()
    r = logged_in(officer).post(reverse("reception:desk"), form(point))
    event = RepatriationEvent.objects.get()
    assert r.status_code == 302 and r.url == reverse("reception:event", args=[event.pk])
    assert event.person.birth_date == date(1995, 11, 5) and event.destination_municipality == "Morelia"


def test_desk_shows_errors_and_saves_nothing():
    point, officer = make_desk()
    r = logged_in(officer).post(
        reverse("reception:desk"),
        form(point, given_names="", birth_date="31/02/1990", first_surname="", second_surname=""),
    )
    assert r.status_code == 400
    assert not Person.objects.exists()
    assert "errorlist" in r.content.decode()


def test_desk_asks_for_confirmation_when_a_probable_match_exists():
    point, officer = make_desk()
    first = register(officer, point, arrived_at=timezone.now() - timedelta(days=30))
    c = logged_in(officer)
    data = form(
        point,
        given_names="maria guadalupe",
        first_surname="HERNANDEZ",
        second_surname="lopez",
        sex="M",
        birth_date="09/03/1988",
    )
    r = c.post(reverse("reception:desk"), data)
    html = r.content.decode()
    assert r.status_code == 200 and "Es la misma persona" in html and "Es otra persona" in html
    assert RepatriationEvent.objects.count() == 1
    r = c.post(reverse("reception:desk"), {**data, "existing_person_id": first.person_id})
    assert r.status_code == 302
    assert Person.objects.count() == 1 and first.person.events.count() == 2


def test_desk_creates_separate_person_when_officer_says_other_person():
    point, officer = make_desk()
    register(officer, point, arrived_at=timezone.now() - timedelta(days=30))
    data = form(
        point,
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date="09/03/1988",
    )
    r = logged_in(officer).post(reverse("reception:desk"), {**data, "confirm_new": "1"})
    assert r.status_code == 302 and Person.objects.count() == 2
    # The overruled match goes to the supervisors' review queue.
    from retorno.linkage.models import ReviewPair

    pair = ReviewPair.objects.get()
    assert set(Person.objects.values_list("pk", flat=True)) == {pair.person_a_id, pair.person_b_id}


def test_desk_reports_double_entry():
    point, officer = make_desk()
    first = register(officer, point)
    data = form(
        point,
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date="09/03/1988",
    )
    r = logged_in(officer).post(reverse("reception:desk"), {**data, "existing_person_id": first.person_id})
    assert r.status_code == 409 and "doble registro" in r.content.decode()
    assert RepatriationEvent.objects.count() == 1


def test_family_member_is_prefilled_and_joins_group():
    point, officer = make_desk()
    first = register(officer, point, destination_municipality="Morelia", destination_state="MN")
    c = logged_in(officer)
    r = c.get(reverse("reception:desk") + f"?family={first.pk}")
    html = r.content.decode()
    assert 'value="Hernández"' in html and 'value="Morelia"' in html and f'value="{first.pk}"' in html
    r = c.post(
        reverse("reception:desk"),
        form(
            point,
            given_names="Sofía",
            first_surname="Hernández",
            second_surname="López",
            sex="M",
            birth_date="06/06/2015",
            family_from=first.pk,
            confirm_new="1",
        ),
    )
    assert r.status_code == 302
    first.refresh_from_db()
    assert (
        first.family_group_id
        and RepatriationEvent.objects.filter(family_group=first.family_group).count() == 2
    )


def test_travelling_with_family_opens_a_group_and_the_next_members_form():
    point, officer = make_desk()
    c = logged_in(officer)
    r = c.post(reverse("reception:desk"), form(point, travelling_with_family="on"))
    mother = RepatriationEvent.objects.get()
    assert mother.family_group_id is not None
    assert r.status_code == 302 and r.url == reverse("reception:desk") + f"?family={mother.pk}"
    html = c.get(r.url).content.decode()
    # Surnames and destination are carried over, and the box stays ticked for the next member.
    assert 'value="González"' in html and 'value="Morelia"' in html
    assert 'name="travelling_with_family" id="id_travelling_with_family" checked' in html
    son = form(point, given_names="Emilio", birth_date="02/02/2012", family_from=mother.pk, confirm_new="1")
    r = c.post(reverse("reception:desk"), son)  # the last member: box unticked
    child = RepatriationEvent.objects.exclude(pk=mother.pk).get()
    assert r.status_code == 302 and r.url == reverse("reception:event", args=[child.pk])
    assert child.family_group_id == mother.family_group_id


def test_travelling_alone_opens_no_group():
    point, officer = make_desk()
    logged_in(officer).post(reverse("reception:desk"), form(point))
    assert RepatriationEvent.objects.get().family_group_id is None


def test_family_of_other_point_is_not_found():
    point, officer = make_desk()
    other_point, other = make_desk("MXL")
    theirs = register(other, other_point)
    assert logged_in(officer).get(reverse("reception:desk") + f"?family={theirs.pk}").status_code == 404


def test_candidates_partial_lists_match_and_curp_hint():
    point, officer = make_desk()
    register(officer, point)
    r = logged_in(officer).post(
        reverse("reception:candidates"),
        {
            "given_names": "Maria Guadalupe",
            "first_surname": "hernandez",
            "birth_date": "9/3/1988",
            "sex": "M",
            "birth_state": "MN",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "María Guadalupe Hernández López" in html
    assert "HEXG880309MMNRXD" in html  # computed stem hint (second surname missing -> X)
    assert AuditEntry.objects.filter(action="search", user=officer).exists()


def test_candidates_partial_warns_on_disagreeing_curp():
    point, officer = make_desk()
    from retorno.reception.demo import demo_national_id

    curp = demo_national_id("Pedro", "González", "Pérez", "H", date(1995, 11, 5), "MN")
    r = logged_in(officer).post(
        reverse("reception:candidates"),
        {
            "given_names": "Pedro",
            "first_surname": "González",
            "second_surname": "Pérez",
            "birth_date": "05/11/1996",
            "sex": "H",
            "birth_state": "MN",
            "curp": curp,
        },
    )
    assert "la fecha de nacimiento" in r.content.decode()


def test_event_page_shows_handover_form_and_close_is_refused_until_handover():
    point, officer = make_desk()
    event = register_minor(officer, point)
    c = logged_in(officer)
    html = c.get(reverse("reception:event", args=[event.pk])).content.decode()
    assert "Entrega a DIF pendiente" in html and "record-handover" in html
    r = c.post(reverse("reception:close", args=[event.pk]), follow=True)
    assert "No se puede cerrar" in r.content.decode()
    event.refresh_from_db()
    assert event.status == "open"
    r = c.post(
        reverse("reception:handover", args=[event.pk]),
        {
            "received_by_name": "Lic. Treviño",
            "agency": "DIF",
            "handed_over_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert r.status_code == 302
    c.post(reverse("reception:close", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == "closed"
    assert AuditEntry.objects.filter(action="view", object_id=str(event.pk)).exists()


def test_handover_form_errors_are_shown():
    point, officer = make_desk()
    event = register_minor(officer, point)
    r = logged_in(officer).post(
        reverse("reception:handover", args=[event.pk]),
        {"received_by_name": "", "agency": "DIF", "handed_over_at": "yesterday"},
    )
    assert r.status_code == 400 and "errorlist" in r.content.decode()


def test_minors_worklist_for_child_protection_of_the_point_only():
    point, officer = make_desk()
    event = register_minor(officer, point)
    opi = make_user(Role.CHILD_PROTECTION, point=point)
    html = logged_in(opi).get(reverse("reception:minors")).content.decode()
    assert event.person.full_name in html
    other_opi = make_user(Role.CHILD_PROTECTION, point=make_point("MXL"))
    assert (
        event.person.full_name not in logged_in(other_opi).get(reverse("reception:minors")).content.decode()
    )
    # Officers of the point see their minors awaiting handover too (from the link on home).
    assert event.person.full_name in logged_in(officer).get(reverse("reception:minors")).content.decode()


def test_analyst_cannot_open_desk_or_events():
    point, officer = make_desk()
    event = register(officer, point)
    c = logged_in(make_user(Role.ANALYST))
    assert c.get(reverse("reception:desk")).status_code == 403
    assert c.get(reverse("reception:event", args=[event.pk])).status_code == 403
    assert c.get(reverse("reception:event_list")).status_code == 403


def test_event_list_is_scoped():
    point, officer = make_desk()
    mine = register(officer, point)
    other_point, other = make_desk("MXL")
    theirs = register(other, other_point, given_names="Rosa", first_surname="Ortega")
    html = logged_in(officer).get(reverse("reception:event_list")).content.decode()
    assert mine.person.full_name in html and theirs.person.full_name not in html


def test_desk_speaks_english_when_chosen():
    """Needs compiled catalogs (`retorno compile_translations`, run by `make test`)."""
    point, officer = make_desk()
    c = logged_in(officer)
    c.cookies["django_language"] = "en"
    html = c.get(reverse("reception:desk")).content.decode()
    assert "Register arrival" in html and "Given name(s)" in html and "Registrar llegada" not in html
