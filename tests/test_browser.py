"""Browser tests: Playwright for Python driving Debian's chromium against the live server."""

import os
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

from werkregie.accounts.models import User
from werkregie.client_direction.models import Order
from werkregie.client_direction.services import register_client
from werkregie.core.access import Role
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Organisation
from werkregie.people.events import PeopleEvent
from werkregie.testing import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
# Chromium as root in a sandbox-less container, with no background traffic.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} missing: scripts/test.sh installs Debian's chromium")
    # Playwright's sync API runs an event loop; Django must allow ORM calls beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL")
    tab = context.new_page()
    # Issue 16: a Content-Security-Policy without unsafe-inline; the browser reports every
    # script or style it had to refuse, and any refusal fails the test.
    refused: list[str] = []
    tab.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert not refused, refused


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _log_in(page: Page, url: str, username: str, device: TOTPDevice) -> None:
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code uit uw authenticator-app").fill(_code(device))
    page.get_by_role("button", name="Inloggen").click()


def _user(username: str, role: Role, organisation: str) -> tuple[User, TOTPDevice]:
    user = User.objects.create_user(
        username=username,
        password="geheim-wachtwoord",
        first_name=username.capitalize(),
        last_name="Test",
        role=role,
        organisation=Organisation.objects.get(code=organisation),
    )
    return user, TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_an_order_from_request_to_completion_by_both_sides(
    live_server: Any, browser: Browser, region: None
) -> None:
    director, director_device = _user("kim", Role.CLIENT_DIRECTOR, "werkplein-almelo")
    coach, coach_device = _user("joke", Role.JOB_COACH, "nuo")
    person = make_person(surname="Veldkamp", residence="GM0141")
    client = register_client(
        actor=director, person=person, kind="participatiewet", registered_on=date(2026, 1, 1)
    )
    today = timezone.localdate()

    werkplein = browser.new_context(locale="nl-NL").new_page()
    _log_in(werkplein, live_server.url + reverse("home"), "kim", director_device)
    werkplein.get_by_role("link", name="Cliënten", exact=True).click()
    werkplein.get_by_role("link", name="Veldkamp, J.").click()
    werkplein.get_by_role("link", name="Opdracht plaatsen").click()
    werkplein.get_by_label("Product").select_option(
        label="Jobcoaching — NUO (nieuwe uitvoeringsorganisatie) (per uur)"
    )
    werkplein.get_by_label("Startdatum").fill(today.isoformat())
    werkplein.get_by_label("Geplande einddatum").fill((today + timedelta(days=90)).isoformat())
    werkplein.get_by_role("button", name="Opdracht plaatsen").click()
    expect(werkplein.locator("#order-status")).to_have_text("Aangevraagd")
    order = Order.objects.get(client=client)

    provider = browser.new_context(locale="nl-NL").new_page()
    _log_in(provider, live_server.url + reverse("home"), "joke", coach_device)
    provider.get_by_role("link", name="Opdrachten", exact=True).click()
    expect(provider.get_by_role("link", name="Openstaande aanvragen (1)")).to_be_visible()
    provider.get_by_role("link", name=str(order.pk), exact=True).click()
    provider.get_by_label("Jobcoach").select_option(label="Joke Test")
    provider.get_by_role("button", name="Opdracht accepteren").click()
    expect(provider.locator("#order-status")).to_have_text("Geaccepteerd")
    provider.get_by_role("button", name="Opdracht starten").click()
    expect(provider.locator("#order-status")).to_have_text("Lopend")
    provider.get_by_label("Uren").fill("3,5")
    provider.get_by_label("Aanwezigheid (%)").fill("90")
    provider.locator("#progress_note").fill("Eerste week goed verlopen")
    provider.get_by_role("button", name="Voortgang vastleggen").click()
    expect(provider.get_by_text("Voortgang vastgelegd.")).to_be_visible()
    provider.get_by_role("button", name="Opdracht afronden").click()
    expect(provider.locator("#order-status")).to_have_text("Afgerond")

    werkplein.reload()
    expect(werkplein.locator("#order-status")).to_have_text("Afgerond")
    expect(werkplein.get_by_text("Eerste week goed verlopen")).to_be_visible()
    order.refresh_from_db()
    assert (order.status, order.jobcoach, order.result) == ("completed", coach, "as_planned")
    werkplein.context.close()
    provider.context.close()


def test_klantregisseur_logs_in_with_totp_searches_and_opens_a_resident(
    live_server: Any, page: Page, region: None
) -> None:
    user = User.objects.create_user(
        username="kim",
        password="geheim-wachtwoord",
        role=Role.CLIENT_DIRECTOR,
        organisation=Organisation.objects.get(code="werkplein-almelo"),
    )
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    make_person(surname="Öztürk", residence="GM0141", bsn="111222333")
    make_person(surname="Özdemir", residence="GM0189")

    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Gebruikersnaam").fill("kim")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code uit uw authenticator-app").fill(_code(device))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Mijn personen")).to_be_visible()

    page.get_by_role("link", name="Personen", exact=True).click()
    page.get_by_label("Zoeken op naam, BSN of personeelsnummer").press_sequentially("oz")
    results = page.locator("#results")
    expect(results).to_contain_text("1 persoon gevonden")
    expect(results).not_to_contain_text("Özdemir")  # lives in Wierden
    assert "111222333" not in page.url
    results.get_by_role("link", name="Öztürk, J.").click()
    expect(page.get_by_role("heading", name="Öztürk, J.")).to_be_visible()
    expect(page.get_by_text("111222333")).to_be_visible()
    assert AuditEvent.objects.filter(action=PeopleEvent.PERSON_VIEWED, actor=user).count() == 1


def test_employer_vacancy_candidate_and_a_sent_invoice_end_to_end(
    live_server: Any, browser: Browser, region: None
) -> None:
    from werkregie.employer_services.models import Match
    from werkregie.employer_services.tests.factories import make_profile
    from werkregie.secondments.models import Invoice
    from werkregie.testing import make_employment

    _, adviser_device = _user("wim", Role.EMPLOYER_ADVISER, "werkplein-west-twente")
    _, hr_device = _user("hanneke", Role.HR_PAYROLL, "nuo")
    candidate = make_profile(make_person(surname="Kandidaat", residence="GM0141"), shareable=True)
    worker = make_person(surname="Gedetacheerd", residence="GM0141", personnel_number="40001")
    make_employment(worker, valid_from=date(2021, 1, 1))

    adviser = browser.new_context(locale="nl-NL").new_page()
    _log_in(adviser, live_server.url + reverse("home"), "wim", adviser_device)
    adviser.get_by_role("link", name="Werkgevers", exact=True).click()
    adviser.get_by_role("link", name="Nieuwe werkgever").click()
    adviser.get_by_label("KvK-nummer").fill("12345678")
    adviser.get_by_label("Naam").fill("Twentse Metaal BV")
    adviser.get_by_label("SBI-code").fill("2562")
    adviser.get_by_label("Postcode").fill("7601 AB")
    adviser.get_by_label("Plaats").fill("Almelo")
    adviser.get_by_role("button", name="Opslaan").click()
    expect(adviser.get_by_role("heading", name="Twentse Metaal BV")).to_be_visible()
    adviser.get_by_role("link", name="Vacature vastleggen").click()
    adviser.get_by_label("Functie").fill("Productiemedewerker")
    adviser.get_by_label("Beroepsveld").select_option(label="Productie en assemblage")
    adviser.get_by_label("Uren per week").fill("32")
    adviser.get_by_label("Startdatum").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    adviser.get_by_role("button", name="Opslaan").click()
    expect(adviser.get_by_role("heading", name="Beste kandidaten")).to_be_visible()
    section = adviser.locator("section.card", has_text=candidate.reference)
    expect(section).to_contain_text("Kandidaat, J.")
    section.get_by_label("Uitkomst").select_option(label="Voorgesteld aan werkgever")
    section.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(
        adviser.get_by_text(f"{candidate.reference}: voorgesteld aan werkgever.")
    ).to_be_visible()
    assert Match.objects.get().status == "proposed"

    hr = browser.new_context(locale="nl-NL").new_page()
    _log_in(hr, live_server.url + reverse("home"), "hanneke", hr_device)
    hr.get_by_role("link", name="Detacheringen", exact=True).click()
    hr.get_by_role("link", name="Nieuw contract").click()
    hr.get_by_label("Uitlener").select_option(index=1)
    hr.get_by_label("KvK-nummer van de inlener").fill("12345678")
    hr.get_by_label("Uurtarief (excl. btw)").fill("27,50")
    hr.get_by_label("Ingangsdatum").fill("2026-01-01")
    hr.get_by_role("button", name="Vastleggen").click()
    hr.get_by_label("Personeelsnummer").fill("40001")
    hr.get_by_label("Uren per week").fill("32")
    hr.locator("#secondment_start_date").fill("2026-01-01")
    hr.get_by_role("button", name="Detacheren").click()
    expect(hr.get_by_text("is gedetacheerd onder")).to_be_visible()
    hr.goto(hr.url.split("?")[0] + "?maand=2026-10")
    hr.get_by_label("Uren van Gedetacheerd, J.").fill("120")
    hr.get_by_role("button", name="Uren vastleggen").click()
    expect(hr.get_by_text("Uren van 1 medewerker vastgelegd voor 10-2026.")).to_be_visible()
    hr.goto(live_server.url + "/facturen/?maand=2026-10")
    hr.get_by_role("button", name="Facturen maken").click()
    expect(hr.get_by_text("1 conceptfacturen voor 10-2026")).to_be_visible()
    hr.get_by_role("link", name="Verder").click()
    hr.get_by_role("button", name="Versturen").click()
    expect(hr.get_by_text("1 facturen verzonden: NUO-000001")).to_be_visible()
    hr.get_by_role("link", name="NUO-000001").click()
    expect(hr.get_by_role("link", name="E-factuur (UBL 2.1 / NLCIUS)")).to_be_visible()
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.gross_amount) == ("NUO-000001", Decimal("3993.00"))
    adviser.context.close()
    hr.context.close()


def test_controller_agrees_targets_and_reads_the_quarter_report_with_charts(
    live_server: Any, browser: Browser, region: None
) -> None:
    from werkregie.planning.models import PerformanceAgreement

    _, device = _user("carla", Role.CONTROLLER, "gemeente-wierden")
    page = browser.new_context(locale="nl-NL").new_page()
    _log_in(page, live_server.url + reverse("home"), "carla", device)
    page.get_by_role("link", name="Prestatieafspraken", exact=True).click()
    page.get_by_label("Gemeente").select_option(label="Wierden")
    page.get_by_label("Uitvoeringsorganisatie").select_option(
        label="NUO (nieuwe uitvoeringsorganisatie)"
    )
    page.get_by_label("Jaar").fill("2026")
    page.get_by_label("Financieel kader (programmabegroting)").fill("750000")
    page.get_by_role("button", name="Vastleggen").click()
    expect(
        page.get_by_role("heading", name="Prestatieafspraak 2026: Wierden – NUO")
    ).to_contain_text("Wierden")
    page.get_by_label("Indicator").select_option(label="Beschut-werkplekken (taakstelling)")
    page.get_by_label("Doel").fill("12")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Afspraak vastgelegd")).to_be_visible()
    page.get_by_role("button", name="Prestatieafspraak vaststellen").click()
    expect(page.get_by_text("De prestatieafspraak is vastgesteld.")).to_be_visible()
    page.get_by_role("link", name="Rapportage bij deze afspraak").click()
    page.get_by_role("button", name="Rapportage maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("prestatieafspraken 2026")
    expect(page.locator("figure.chart svg")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert PerformanceAgreement.objects.get().status == "agreed"
    page.context.close()
