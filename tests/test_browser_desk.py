"""Real-browser tests of the reception desk (Playwright driving Debian's chromium)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from retorno.accounts.models import Role
from retorno.constancias.models import Constancia
from retorno.reception.models import RepatriationEvent
from retorno.reception.tests.factories import register
from retorno.reference.models import DocumentType
from retorno.testing.factories import make_point, make_state, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(browser):
    page = browser.new_page(locale="es-MX")
    page.set_default_timeout(15000)
    return page


@pytest.fixture
def desk_setup():
    make_state("MN", "Michoacán")
    point = make_point("TIJ", state=make_state("BC", "Baja California"), name="Tijuana")
    DocumentType.objects.get_or_create(code="deportation_order", defaults={"name": "Orden de deportación"})
    officer = make_user(
        Role.RECEPTION_OFFICER, point=point, username="oficial.tijuana", password="retorno-demo"
    )
    return point, officer


def wait_for_lookups(page):
    """Let the debounced match lookups finish before saving. With SQLite in memory the live server
    threads share one database connection, so two requests at once can collide (a file or
    PostgreSQL database queues them)."""
    page.wait_for_timeout(600)  # past the 400 ms debounce
    page.wait_for_function("!document.querySelector('.htmx-request')")


def login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "oficial.tijuana")
    page.fill("#id_password", "retorno-demo")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")


def test_repeat_returnee_is_recognised_and_gets_a_second_event(live_server, browser_page, desk_setup):
    point, officer = desk_setup
    first = register(
        officer,
        point,
        given_names="José Ramón",
        first_surname="Núñez",
        second_surname="Ibáñez",
        sex="H",
        birth_date=date(1987, 7, 23),
        arrived_at=timezone.now() - timedelta(days=120),
    )
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    # Keyboard only: the names field has the focus; Tab moves through the form in order.
    assert page.evaluate("document.activeElement.id") == "id_given_names"
    page.keyboard.type("jose ramon")
    page.keyboard.press("Tab")
    page.keyboard.type("NUNEZ")
    page.keyboard.press("Tab")
    page.keyboard.type("ibanez")
    page.keyboard.press("Tab")
    page.keyboard.type("H")  # selects "Hombre" in the focused select
    page.keyboard.press("Tab")
    page.keyboard.type("23071987")  # the focus stays here: Enter below submits from this field
    candidate = page.locator("#candidates .candidate").first
    candidate.wait_for()  # the live match, while typing
    assert "José Ramón Núñez Ibáñez" in candidate.inner_text()
    # Let the debounced lookups finish (the test database, SQLite in memory, does not queue writers).
    wait_for_lookups(page)
    # Enter saves; with a probable match the desk asks first, focus on "misma persona".
    page.keyboard.press("Enter")
    page.locator("#confirm").wait_for()
    focused = page.evaluate("document.activeElement.textContent")
    assert "Es la misma persona" in focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    assert "Nueva llegada registrada" in page.content()
    event_url = page.url

    # Proof of reception for the new arrival: issue it and fetch the printable PDF.
    page.click("#print-constancia")
    page.click("#issue-button")
    page.wait_for_selector("#current")
    folio = page.get_attribute("#current", "data-folio")
    pdf = page.request.get(page.locator("#pdf-link").evaluate("a => a.href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert folio in text and "Núñez" in text
    assert Constancia.objects.get(folio=folio).event.person_id == first.person_id

    page.goto(event_url)
    page.get_by_role("link", name="Ver expediente de la persona").click()
    page.wait_for_url(re.compile(rf".*/persons/{first.person_id}/$"))
    assert page.locator("#event-count").inner_text() == "2 llegadas"
    assert page.locator("#events tbody tr").count() == 2
    assert RepatriationEvent.objects.filter(person_id=first.person_id).count() == 2


def test_unaccompanied_minor_cannot_be_closed_until_handed_over(live_server, browser_page, desk_setup):
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - timedelta(days=30)
    page.fill("#id_given_names", "Daniela")
    page.fill("#id_first_surname", "Ríos")
    page.fill("#id_second_surname", "Campos")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", born.strftime("%d/%m/%Y"))
    page.check("#id_unaccompanied_minor")
    wait_for_lookups(page)
    page.press("#id_birth_date", "Enter")  # Enter submits the whole form
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    assert page.get_by_text("Entrega a DIF pendiente").is_visible()
    page.click("#close-event")
    page.wait_for_load_state()
    assert "No se puede cerrar" in page.locator(".messages").inner_text()
    assert page.locator("#event-status").inner_text() == "Abierto"
    page.fill("#id_received_by_name", "Lic. Mónica Treviño")
    page.fill("#id_received_by_position", "Trabajadora social, DIF")
    page.click("#record-handover")
    page.wait_for_load_state()
    assert "Entrega a protección de la infancia registrada" in page.locator(".messages").inner_text()
    page.click("#close-event")
    page.wait_for_load_state()
    assert page.locator("#event-status").inner_text() == "Cerrado"
    event = RepatriationEvent.objects.get(person__given_names="Daniela")
    assert event.status == "closed" and event.handover.received_by_name == "Lic. Mónica Treviño"
