import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis import services
from retorno.diagnosis.models import Diagnosis
from retorno.diagnosis.tests.factories import REAL_FILE, VALID_ANSWERS, make_questionnaire, real_definition
from retorno.testing.factories import make_event, make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    make_questionnaire()
    tij, mxl = make_point("TIJ"), make_point("MXL")
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    event = make_event(point=tij)
    return {"officer": officer, "other": make_user(Role.RECEPTION_OFFICER, point=mxl), "person": event.person}


def _login(client, user):
    client.force_login(user)
    return client


def test_officer_fills_the_form_and_sees_flags_priority_and_reasons(client, world):
    c = _login(client, world["officer"])
    url = reverse("diagnosis:new", args=[world["person"].pk])
    assert c.get(url).status_code == 200
    resp = c.post(url, {**VALID_ANSWERS, "action": "submit"})
    assert resp.status_code == 302
    page = c.get(reverse("diagnosis:person", args=[world["person"].pk])).content.decode()
    assert "Busca empleo." in page and "Le falta acta de nacimiento o CURP." in page
    assert AuditEntry.objects.filter(action="view", object_type="diagnosis.diagnosis").exists()


def test_a_new_diagnosis_starts_from_the_documents_recorded_at_the_desk(client, world):
    latest = real_definition(REAL_FILE.with_name("diagnostico_v2.yaml"))
    make_questionnaire(latest)
    event = make_event(point=world["person"].events.get().reception_point, documents=["ine", "deportation_order"])
    c = _login(client, world["officer"])
    form = c.get(reverse("diagnosis:new", args=[event.person.pk])).context["form"]
    # The INE is a choice of the question; the deportation order is not, so it is left out.
    assert form.initial["documents_held"] == ["ine"]
    assert qn.prefilled(latest, {"event.documents": ["none"]}) == {"documents_held": ["none"]}
    assert qn.prefilled(latest, {}) == {}


def test_invalid_post_shows_errors_and_saves_nothing(client, world):
    c = _login(client, world["officer"])
    resp = c.post(
        reverse("diagnosis:new", args=[world["person"].pk]), {**VALID_ANSWERS, "years_in_us": "abc"}
    )
    assert resp.status_code == 200
    assert "Escriba un número entero." in resp.content.decode()
    assert not Diagnosis.objects.exists()


def test_draft_is_saved_without_required_answers(client, world):
    c = _login(client, world["officer"])
    resp = c.post(
        reverse("diagnosis:new", args=[world["person"].pk]), {"consent_given": "true", "action": "draft"}
    )
    assert resp.status_code == 302
    assert Diagnosis.objects.get().status == Diagnosis.Status.DRAFT


def test_officer_of_another_point_gets_404_on_read_and_write(client, world):
    officer = world["officer"]
    d = services.diagnosis_create(user=officer, person=world["person"], answers=VALID_ANSWERS)
    c = _login(client, world["other"])
    for url in (
        reverse("diagnosis:person", args=[world["person"].pk]),
        reverse("diagnosis:detail", args=[d.pk]),
        reverse("diagnosis:edit", args=[d.pk]),
        reverse("diagnosis:new", args=[world["person"].pk]),
    ):
        assert c.get(url).status_code == 404
    assert c.post(reverse("diagnosis:edit", args=[d.pk]), VALID_ANSWERS).status_code == 404
    assert Diagnosis.objects.count() == 1


def test_caseworker_and_analyst_never_see_answers(client, world):
    d = services.diagnosis_create(user=world["officer"], person=world["person"], answers=VALID_ANSWERS)
    for role in (Role.CASEWORKER, Role.ANALYST):
        c = _login(client, make_user(role))
        assert c.get(reverse("diagnosis:index")).status_code == 403
        assert c.get(reverse("diagnosis:person", args=[world["person"].pk])).status_code == 403
        assert c.get(reverse("diagnosis:detail", args=[d.pk])).status_code == 403


def test_worklist_filters_by_priority(client, world):
    services.diagnosis_create(user=world["officer"], person=world["person"], answers=VALID_ANSWERS)
    c = _login(client, world["officer"])
    assert (
        world["person"].full_name in c.get(reverse("diagnosis:index") + "?priority=normal").content.decode()
    )
    assert (
        world["person"].full_name
        not in c.get(reverse("diagnosis:index") + "?priority=urgent").content.decode()
    )


def test_skip_logic_endpoint_hides_irrelevant_questions(client, world):
    c = _login(client, world["officer"])
    q = make_questionnaire()
    url = reverse("diagnosis:relevance", args=[world["person"].pk, q.pk])
    import re

    def hidden(data):
        body = c.post(url, data).content.decode()
        return set(re.search(r'data-hidden="([^"]*)"', body).group(1).split())

    first = hidden({"consent_given": "true", "trade": "none"})
    assert {"q-experience_years", "q-trade_other"} <= first and "q-education_level" not in first
    assert "q-trade_other" not in hidden({"consent_given": "true", "trade": "other"})


def test_old_diagnosis_renders_with_its_own_version_labels(client, world):
    old = services.diagnosis_create(user=world["officer"], person=world["person"], answers=VALID_ANSWERS)
    definition = real_definition()
    definition["version"] = 2
    definition["sections"][1]["questions"][0]["label"] = {"es": "Escolaridad nueva", "en": "New schooling"}
    make_questionnaire(definition)
    c = _login(client, world["officer"])
    page = c.get(reverse("diagnosis:detail", args=[old.pk])).content.decode()
    assert "Último nivel de estudios terminado" in page and "Escolaridad nueva" not in page
    assert "Escolaridad nueva" in c.get(reverse("diagnosis:new", args=[world["person"].pk])).content.decode()


def test_page_in_english_uses_english_labels(client, world):
    c = _login(client, world["officer"])
    c.cookies["django_language"] = "en"
    page = c.get(reverse("diagnosis:new", args=[world["person"].pk])).content.decode()
    assert "Highest level of education completed" in page


def test_child_protection_officer_reaches_minors_but_not_adults(client, world):
    from datetime import date

    from retorno.testing.factories import make_person

    point = world["officer"].reception_point
    minor = make_event(
        person=make_person(birth_date=date(2012, 1, 1)), point=point, unaccompanied_minor=True
    ).person
    cp = make_user(Role.CHILD_PROTECTION, point=point)
    c = _login(client, cp)
    assert c.get(reverse("diagnosis:person", args=[minor.pk])).status_code == 200
    assert c.get(reverse("diagnosis:person", args=[world["person"].pk])).status_code == 404
    resp = c.post(reverse("diagnosis:new", args=[minor.pk]), {**VALID_ANSWERS, "action": "submit"})
    assert resp.status_code == 302
    assert Diagnosis.objects.get(person=minor).priority == "urgent"


def test_state_supervisor_reads_diagnoses_of_points_in_the_state(client, world):
    d = services.diagnosis_create(user=world["officer"], person=world["person"], answers=VALID_ANSWERS)
    sup = make_user(Role.SUPERVISOR, state=world["officer"].reception_point.state)
    assert _login(client, sup).get(reverse("diagnosis:detail", args=[d.pk])).status_code == 200


def test_odd_inputs_never_give_a_server_error(client, world):
    c = _login(client, world["officer"])
    pid = world["person"].pk
    assert c.get(reverse("diagnosis:new", args=[pid]) + "?event=abc").status_code == 404
    assert c.get(reverse("diagnosis:new", args=[pid]) + "?event=999999").status_code == 404
    assert c.get(reverse("diagnosis:index") + "?page=zzz&priority=<x>&q=" + "a" * 5000).status_code == 200
    assert c.get(reverse("diagnosis:person", args=[999999])).status_code == 404
    resp = c.post(
        reverse("diagnosis:new", args=[pid]), {"years_in_us": "9" * 400, "documents_held": ["x"] * 50}
    )
    assert resp.status_code == 200 and not Diagnosis.objects.exists()
    assert c.post(reverse("diagnosis:relevance", args=[pid, 999999]), {}).status_code == 404
    assert (
        c.post(
            reverse("diagnosis:relevance", args=[pid, make_questionnaire().pk]), {"trade": ["a", "b"]}
        ).status_code
        == 200
    )


def test_worklist_lists_urgent_cases_first(client, world):
    from datetime import date

    from retorno.testing.factories import make_person

    point = world["officer"].reception_point
    minor = make_event(
        person=make_person(given_names="Zacarías", birth_date=date(2012, 1, 1)),
        point=point,
        unaccompanied_minor=True,
    ).person
    services.diagnosis_create(user=world["officer"], person=minor, answers=VALID_ANSWERS)
    adult = make_event(person=make_person(given_names="Adolfo"), point=point).person  # newer, normal
    services.diagnosis_create(user=world["officer"], person=adult, answers=VALID_ANSWERS)
    page = _login(client, world["officer"]).get(reverse("diagnosis:index")).content.decode()
    assert page.index("Zacarías") < page.index("Adolfo")
