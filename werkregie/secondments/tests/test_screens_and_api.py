from datetime import date
from decimal import Decimal

import pytest

from werkregie.accounts.models import User
from werkregie.core.models import AuditEvent
from werkregie.secondments import services
from werkregie.secondments.models import HoursRegistration, Invoice
from werkregie.secondments.tests.factories import MONTH, employee, make_contract, nuo, second
from werkregie.testing import api_client, fingerprint_in, finished_job, login_client

pytestmark = pytest.mark.django_db


def test_hr_registers_hours_on_the_contract_page(cast: dict[str, User]) -> None:
    contract = make_contract()
    secondment = second(contract, employee("60001", surname="Uren"))
    client = login_client(cast["hr_nuo"])
    page = client.get(f"/detacheringen/{contract.pk}/?maand=2026-10").content.decode()
    assert "Uren, J." in page
    response = client.post(
        f"/detacheringen/{contract.pk}/uren/",
        {"month": "2026-10", f"uren_{secondment.pk}": "120,5", "fingerprint": fingerprint_in(page)},
        follow=True,
    )
    page = response.content.decode()
    assert "Uren van 1 medewerker vastgelegd voor 10-2026." in page
    assert HoursRegistration.objects.get().hours == Decimal("120.5")
    refused = client.post(
        f"/detacheringen/{contract.pk}/uren/",
        {"month": "2026-10", f"uren_{secondment.pk}": "veel", "fingerprint": fingerprint_in(page)},
        follow=True,
    )
    assert "veel&#x27; is geen aantal uren" in refused.content.decode()


def test_the_adviser_sees_the_contract_but_not_who_is_seconded(cast: dict[str, User]) -> None:
    contract = make_contract()
    second(contract, employee("60002", surname="Geheim"))
    page = login_client(cast["employer_adviser"]).get(f"/detacheringen/{contract.pk}/")
    assert page.status_code == 200
    assert contract.number in page.content.decode() and "Geheim" not in page.content.decode()


def test_hr_makes_sends_and_credits_invoices_on_screen(cast: dict[str, User]) -> None:
    contract = make_contract()
    secondment = second(contract, employee("60003"))
    services.register_hours(actor=None, secondment=secondment, month=MONTH, hours=Decimal(100))
    client = login_client(cast["hr_nuo"])
    made = client.post("/facturen/maand/maken/", {"month": "2026-10"}, follow=True)
    assert made.redirect_chain[0][0].startswith("/taken/")
    assert "1 conceptfacturen voor 10-2026 met 1 regels" in made.content.decode()
    sent = client.post(
        "/facturen/maand/versturen/", {"month": "2026-10", "issued_on": "2026-11-02"}, follow=True
    )
    assert "1 facturen verzonden: NUO-000001 tot en met NUO-000001." in sent.content.decode()
    invoice = Invoice.objects.get()
    pdf = client.get(f"/facturen/{invoice.pk}/?formaat=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xml = client.get(f"/facturen/{invoice.pk}/?formaat=ubl")
    assert xml["Content-Type"] == "application/xml" and b"NUO-000001" in xml.content
    credited = client.post(
        f"/facturen/{invoice.pk}/crediteren/",
        {"reason": "Verkeerde uren", "issued_on": "2026-11-05"},
        follow=True,
    )
    assert "Creditnota NUO-000002 gemaakt" in credited.content.decode()
    assert AuditEvent.objects.filter(action="invoice.viewed", object_id=str(invoice.pk)).exists()
    # The employee named on the invoice is recorded as shown, tied to the person (issue 15).
    named = AuditEvent.objects.filter(action="person.listed", object_type="secondments.invoiceline")
    assert set(named.values_list("person_id", flat=True)) == {secondment.person_id}


def test_api_runs_sends_and_reports_revenue(cast: dict[str, User]) -> None:
    contract = make_contract()
    secondment = second(contract, employee("60004", employer="gemeente-wierden"))
    client = api_client(cast["hr_nuo"])
    hours = client.post(
        f"/api/v1/secondment-contracts/{contract.pk}/hours",
        {"secondment": secondment.pk, "month": "2026-10", "hours": "80"},
        format="json",
        HTTP_IF_MATCH=client.get(f"/api/v1/secondment-contracts/{contract.pk}")["ETag"],
    )
    assert hours.status_code == 200, hours.json()
    run = finished_job(
        client, client.post("/api/v1/invoices/run", {"month": "2026-10"}, format="json")
    )
    assert run["result"]["lines"] == 1 and run["message"].endswith("samen € 2.662,00.")
    draft = run["result"]["drafts"][0]
    sent = client.post(f"/api/v1/invoices/{draft}/send", {"issuedOn": "2026-11-02"}, format="json")
    assert sent.json()["number"] == "NUO-000001"
    ubl = client.get(f"/api/v1/invoices/{draft}/ubl")
    assert ubl.status_code == 200 and ubl["Content-Type"] == "application/xml"
    controller = api_client(cast["controller_wierden"]).get("/api/v1/revenue?year=2026").json()
    assert controller == [
        {"month": "2026-10-01", "employer": "Gemeente Wierden", "amount": "2200.00"}
    ]
    bad = client.post("/api/v1/invoices/run", {"month": "oktober"}, format="json")
    assert bad.status_code == 400 and "month" in bad.json()


def test_controller_sees_only_their_own_municipalitys_revenue(cast: dict[str, User]) -> None:
    contract = make_contract()
    for n, employer in enumerate(["gemeente-almelo", "gemeente-wierden"]):
        secondment = second(contract, employee(f"6001{n}", employer=employer))
        services.register_hours(actor=None, secondment=secondment, month=MONTH, hours=Decimal(10))
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    services.send_drafts(actor=None, issuer=nuo(), month=MONTH, issued_on=date(2026, 11, 2))
    page = login_client(cast["controller_wierden"]).get("/opbrengst/?jaar=2026").content.decode()
    assert "Gemeente Wierden" in page and "Gemeente Almelo" not in page
