"""Real-browser tests of the reception desk (Playwright driving Debian's chromium)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.constancias.models import Constancia
from retorno.identity.models import Person
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


def wait_for_names_focus(page):
    """Chromium applies `autofocus` when it next renders, which can come after `goto` returns: an
    officer sees the cursor before typing, so the test waits for it too (else the first key is lost)."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_given_names'")


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
    wait_for_names_focus(page)
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


class Keys:
    """The keyboard, counting every key the officer presses (Tab and Enter included)."""

    def __init__(self, page):
        self.page, self.count, self.tabs = page, 0, 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1
        self.tabs += key == "Tab"


def test_a_new_arrival_by_keyboard_takes_at_most_45_keys(live_server, browser_page, desk_setup):
    """Issue 11: a simple new arrival (names, sex, birth date, birth state, destination) took 73
    keys, 24 of them Tab. The prefilled point, time and mode are off the Tab path, the apparent
    age leaves it once a birth date is typed, the phones come after the destination."""
    make_state("JC", "Jalisco")
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    wait_for_names_focus(page)
    keys = Keys(page)
    keys.type("juan carlos")
    keys.press("Tab")
    keys.type("perez")
    keys.press("Tab")
    keys.type("lopez")
    keys.press("Tab")
    keys.type("h")
    keys.press("Tab")
    keys.type("17051990")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_birth_state"
    keys.type("mich")
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_curp"
    keys.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_destination_state"
    keys.type("jal")
    wait_for_lookups(page)
    keys.press("Enter")
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    event = RepatriationEvent.objects.select_related("person").get()
    person = event.person
    assert (person.given_names.lower(), person.first_surname.lower(), person.sex) == ("juan carlos", "perez", "H")
    assert person.birth_date == date(1990, 5, 17) and person.birth_state.code == "MN"
    assert event.destination_state.code == "JC"
    print(f"\nkeystrokes for a new arrival: {keys.count} ({keys.tabs} Tab)")
    assert keys.count <= 45


def test_a_lone_15_year_old_is_unaccompanied_without_ticking_anything(live_server, browser_page, desk_setup):
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - timedelta(days=30)
    page.fill("#id_given_names", "Brayan")
    page.fill("#id_first_surname", "Solís")
    page.select_option("#id_sex", "H")
    page.fill("#id_birth_date", born.strftime("%d/%m/%Y"))
    assert not page.is_checked("#id_unaccompanied_minor")
    wait_for_lookups(page)
    page.click("#save")
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    # Nobody linked: not "Menor acompañado" but unaccompanied, with the handover pending.
    assert page.get_by_text("Menor no acompañado").first.is_visible()
    assert page.get_by_text("Menor acompañado", exact=True).count() == 0
    assert page.get_by_text("Entrega a DIF pendiente").is_visible()
    page.click("#close-event")
    page.wait_for_load_state()
    assert "No se puede cerrar" in page.locator(".messages").inner_text()
    assert RepatriationEvent.objects.get().status == "open"
    # The officer's home leads to the list of minors awaiting handover, this one first.
    page.goto(f"{live_server.url}/")
    page.locator("a[href*='/reception/minors/']").first.click()
    page.wait_for_url(re.compile(r".*/reception/minors/.*"))
    assert "Brayan" in page.locator("table").first.inner_text()


def test_a_child_of_unknown_age_is_presumed_a_minor(live_server, browser_page, desk_setup):
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    page.fill("#id_given_names", "Sin Nombre")
    page.fill("#id_first_surname", "Desconocido")
    page.select_option("#id_sex", "M")
    # No birth date: the apparent age stays in the Tab path and is asked.
    assert page.get_attribute("#id_estimated_age_band", "tabindex") is None
    page.select_option("#id_estimated_age_band", "12-17")
    wait_for_lookups(page)
    page.click("#save")
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    assert page.get_by_text("Entrega a DIF pendiente").is_visible()
    event = RepatriationEvent.objects.get()
    assert event.minor and event.unaccompanied_minor and event.person.birth_date is None


def test_choosing_a_candidate_keeps_the_officer_on_the_form(live_server, browser_page, desk_setup):
    point, officer = desk_setup
    first = register(
        officer,
        point,
        given_names="Rosa Elena",
        first_surname="Vega",
        second_surname="Mora",
        sex="M",
        birth_date=date(1979, 2, 11),
        arrived_at=timezone.now() - timedelta(days=90),
    )
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/reception/")
    page.fill("#id_given_names", "rosa elena")
    page.fill("#id_first_surname", "vega")
    page.fill("#id_second_surname", "mora")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_date", "11/02/1979")
    page.locator("#candidates .candidate").first.wait_for()
    wait_for_lookups(page)
    page.locator("#candidates button.choose-person").first.click()
    page.locator("#chosen-person").wait_for()
    # Still on the desk, nothing saved: the arrival section is there to fill.
    assert page.url.rstrip("/").endswith("/reception")
    assert RepatriationEvent.objects.count() == 1
    assert "Rosa Elena Vega Mora" in page.locator("#chosen-person").inner_text()
    page.select_option("#id_destination_state", "MN")
    page.check("input[name=documents][value=deportation_order]")
    page.click("#save")
    page.wait_for_url(re.compile(r".*/reception/events/\d+/$"))
    second = RepatriationEvent.objects.exclude(pk=first.pk).get()
    assert second.person_id == first.person_id
    assert second.destination_state.code == "MN" and second.documents == ["deportation_order"]
    assert Person.objects.count() == 1


def test_a_correction_keeps_its_history_on_the_person_page(live_server, browser_page, desk_setup):
    point, officer = desk_setup
    event = register(officer, point, given_names="Jose", first_surname="Nunez", birth_date=date(1990, 1, 5))
    page = browser_page
    login(page, live_server)
    page.goto(f"{live_server.url}/persons/{event.person_id}/")
    page.click("#correct-person summary")
    page.fill("#correct-person [name=given_names]", "José")
    page.fill("#correct-person [name=first_surname]", "Núñez")
    page.fill("#correct-person [name=reason]", "Acta de nacimiento a la vista")
    page.click("#correct-person button[type=submit]")
    page.wait_for_load_state()
    assert "Corrección guardada." in page.locator(".messages").inner_text()
    history = page.locator("#history").inner_text()
    assert "Jose" in history and "José" in history and "Acta de nacimiento a la vista" in history
    person = Person.objects.get(pk=event.person_id)
    assert (person.given_names, person.first_surname) == ("José", "Núñez")
    assert AuditEntry.objects.filter(action="update", person_id=person.pk).exists()


# Content cut or spilling: a card whose content is wider than it (unless the card scrolls, as
# one holding a wide table does on a phone), or anything in a card that hides its overflow;
# and a page wider than the window.
CLIPPED_JS = """() => {
  const cut = [];
  document.querySelectorAll('.card, .card *').forEach(el => {
    const overflow = getComputedStyle(el).overflowX;
    const hides = ['hidden', 'clip'].includes(overflow) || (el.classList.contains('card') && overflow === 'visible');
    if (!hides || el.offsetParent === null || el.classList.contains('visually-hidden')) return;
    if (el.scrollWidth > el.clientWidth + 1) {
      cut.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: ${el.scrollWidth} > ${el.clientWidth} "${el.innerText.slice(0, 40)}"`);
    }
  });
  // A value squeezed to a sliver (one letter per line) is as unreadable as a cut one.
  document.querySelectorAll('dl.pairs dd').forEach(dd => {
    if (dd.offsetParent !== null && dd.clientWidth < 64) cut.push(`dd squeezed to ${dd.clientWidth}px "${dd.innerText.slice(0, 20)}"`);
  });
  if (document.documentElement.scrollWidth > window.innerWidth + 1) cut.push('page wider than the window');
  return cut;
}"""


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_no_card_clips_its_content_on_the_main_pages(live_server, browser, desk_setup, viewport):
    point, officer = desk_setup
    event = register(
        officer,
        point,
        given_names="María de los Ángeles Guadalupe",
        first_surname="Hernández Villaseñor",
        second_surname="Rodríguez de la Fuente",
        birth_date=date(1984, 12, 3),
        curp="",
    )
    page = browser.new_page(locale="es-MX", viewport={"width": viewport[0], "height": viewport[1]})
    login(page, live_server)
    problems = {}
    for path in (
        "/",
        "/reception/",
        f"/reception/events/{event.pk}/",
        "/reception/events/",
        "/reception/minors/",
        f"/persons/{event.person_id}/",
        "/persons/?q=hernandez",
        f"/diagnosis/person/{event.person_id}/",
        f"/referrals/person/{event.person_id}/",
        "/followup/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        cut = page.evaluate(CLIPPED_JS)
        if cut:
            problems[path] = cut
    page.close()
    assert problems == {}, "\n".join(f"{path}: {cut}" for path, cuts in problems.items() for cut in cuts)
