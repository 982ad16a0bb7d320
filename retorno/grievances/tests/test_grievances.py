"""Grievances: filed in the portal (optionally anonymous) or at the desk, routed by topic,
acknowledged, answered and closed by whoever it is routed to; counted in the bulletin."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import DomainError
from retorno.grievances import services
from retorno.grievances.models import Grievance
from retorno.grievances.selectors import grievances_visible
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.selectors import Audience
from retorno.testing.factories import make_event, make_institution, make_person, make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tij, mxl = make_point("TIJ"), make_point("MXL")
    person = make_person()
    make_event(person=person, point=tij)
    return {
        "person": person,
        "tij_supervisor": make_user(Role.SUPERVISOR, point=tij),
        "mxl_supervisor": make_user(Role.SUPERVISOR, point=mxl),
        "national": make_user(Role.SUPERVISOR),
        "officer": make_user(Role.RECEPTION_OFFICER, point=tij),
    }


def test_routing_by_topic(world):
    treatment = services.grievance_file_by_person(
        person=world["person"], kind="complaint", category="treatment", text="Me gritaron en la fila."
    )
    abuse = services.grievance_file_by_person(
        person=world["person"],
        kind="complaint",
        category="rights_violation",
        text="Me quitaron mis documentos.",
    )
    assert set(grievances_visible(world["tij_supervisor"])) == {treatment}
    assert not grievances_visible(world["mxl_supervisor"]).exists()
    assert abuse not in grievances_visible(world["tij_supervisor"])  # never the point's own staff
    assert set(grievances_visible(world["national"])) == {treatment, abuse}
    assert not grievances_visible(make_user(Role.CASEWORKER, institution=make_institution("RENAPO"))).exists()


def test_an_anonymous_grievance_keeps_no_link_to_the_person(world):
    g = services.grievance_file_by_person(
        person=world["person"],
        kind="suggestion",
        category="waiting",
        text="Pongan más sillas, por favor.",
        anonymous=True,
    )
    assert g.person is None and g.anonymous and g.reception_point.code == "TIJ"
    assert not AuditEntry.objects.filter(
        object_type="grievances.grievance", person_id=world["person"].pk
    ).exists()


def test_the_steps_and_their_rules(world):
    g = services.grievance_file(
        user=world["officer"],
        kind="complaint",
        category="information",
        text="No me explicaron nada.",
        person=world["person"],
    )
    supervisor = world["tij_supervisor"]
    with pytest.raises(DomainError):
        services.grievance_step(user=supervisor, grievance=g, step="close")
    services.grievance_step(user=supervisor, grievance=g, step="acknowledge")
    with pytest.raises(ValidationError):
        services.grievance_step(user=supervisor, grievance=g, step="answer")
    g = services.grievance_step(
        user=supervisor, grievance=g, step="answer", answer="Hablamos con el personal; le llamaremos."
    )
    g = services.grievance_step(user=supervisor, grievance=g, step="close")
    assert g.status == "closed" and g.answer_by > timezone.localdate()
    with pytest.raises(Grievance.DoesNotExist):
        services.grievance_step(user=world["mxl_supervisor"], grievance=g, step="close")
    with pytest.raises(ValidationError):
        services.grievance_file(user=world["officer"], kind="complaint", category="nothing", text="x")


def test_counts_by_point_and_topic_in_the_bulletin(world, settings):
    settings.RETORNO_STATISTICS_MIN_CELL = 3
    for _ in range(3):
        services.grievance_file_by_person(
            person=world["person"],
            kind="complaint",
            category="waiting",
            text="Esperé seis horas.",
            anonymous=True,
        )
    services.grievance_file_by_person(
        person=world["person"], kind="complaint", category="treatment", text="Me trataron mal."
    )
    month = timezone.localdate().replace(day=1)
    exact = bulletin_build(month=month, audience=Audience(points=None, suppressed=False)).table("grievances")
    row = exact.cells[0]
    assert (
        exact.row_labels == ["Punto TIJ"]
        and row[exact.column_keys.index("waiting")] == 3
        and row[exact.column_keys.index("treatment")] == 1
    )
    public = bulletin_build(month=month, audience=Audience(points=None, suppressed=True)).table("grievances")
    assert public.suppression is not None and public.suppression.suppressed
