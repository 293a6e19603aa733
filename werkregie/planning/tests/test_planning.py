import base64
import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from werkregie.accounts.models import User
from werkregie.client_direction import services as orders
from werkregie.client_direction.models import Order
from werkregie.client_direction.statements import OrderTerms, line_for
from werkregie.client_direction.tests.factories import make_client, make_order, product, running
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.employer_services.tests.factories import make_employer
from werkregie.organisations.models import Municipality, Organisation, Site
from werkregie.people.models import Employment
from werkregie.planning import outlook, real_estate, report_files, services
from werkregie.planning.events import PlanningEvent
from werkregie.planning.models import AgreementTarget, PerformanceAgreement, Scenario
from werkregie.planning.realisation import (
    Period,
    outflow_regular_work,
    product_delivery,
    secondment_revenue,
    sheltered_places,
    wsw_work_years,
)
from werkregie.secondments.models import InvoiceLine
from werkregie.secondments.tests.factories import employee, make_sent_invoice
from werkregie.testing import (
    api_client,
    fingerprint_in,
    finished_job,
    login_client,
    make_employment,
    make_person,
)

Indicator = AgreementTarget.Indicator
Q3 = Period(2026, 3)


def _almelo() -> Municipality:
    return Municipality.objects.get(cbs_code="GM0141")


def _nuo() -> Organisation:
    return Organisation.objects.get(code="nuo")


@pytest.fixture
def delivered(cast: dict[str, User]) -> dict[str, Order]:
    coach = cast["jobcoach_nuo"]
    sheltered = running(
        make_order(
            product_=product("nuo", "beschut-werkplek"),
            start=date(2026, 2, 10),
            end=date(2026, 11, 15),
            requested=date(2026, 1, 20),
        ),
        coach,
    )
    second = running(
        make_order(
            product_=product("nuo", "beschut-werkplek"),
            start=date(2025, 6, 1),
            end=date(2026, 3, 15),
            requested=date(2025, 5, 1),
        ),
        coach,
    )
    outflow = running(
        make_order(
            product_=product("nuo", "training"),
            start=date(2026, 3, 1),
            end=date(2026, 8, 30),
            requested=date(2026, 2, 1),
        ),
        coach,
    )
    outflow = orders.end_order(
        actor=coach, order=outflow, ended_on=date(2026, 6, 30), result="regular_work"
    )
    # Wierden's order: another municipality, never in Almelo's figures.
    running(
        make_order(
            make_client(residence="GM0189"),
            product("nuo", "beschut-werkplek"),
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            requested=date(2025, 12, 1),
        ),
        coach,
    )
    return {"sheltered": sheltered, "second": second, "outflow": outflow}


def _agreement(cast: dict[str, User], municipality: str = "GM0141") -> PerformanceAgreement:
    agreement = services.save_agreement(
        actor=cast["controller_wierden"],
        municipality=Municipality.objects.get(cbs_code=municipality),
        provider=_nuo(),
        year=2026,
        budget=Decimal("1000000"),
        mandate="Volgens programmabegroting.",
        status=PerformanceAgreement.Status.DRAFT,
    )
    return agreement


# --- Realisation equals the source records, one test per indicator --------------------------


@pytest.mark.django_db
def test_product_realisation_equals_the_orders_and_their_statement_lines(
    delivered: dict[str, Order],
) -> None:
    beschut = product("nuo", "beschut-werkplek")
    count, amount = product_delivery(_almelo(), _nuo(), beschut.pk, Q3)
    # Directly: the billed Almelo orders of the product overlapping January-September,
    # each month's line by the statement arithmetic.
    owner = Organisation.objects.get(code="gemeente-almelo")
    direct_orders = [
        o
        for o in Order.objects.filter(product=beschut, client_owner=owner)
        if o.status in ("running", "completed", "stopped")
        and o.start_date <= Q3.last
        and (o.ended_on or o.end_date) >= Q3.first
    ]
    direct = Decimal(0)
    for order in direct_orders:
        for month in range(1, 10):
            first = date(2026, month, 1)
            price = beschut.price_on(max(order.start_date, first), owner)
            assert price is not None
            terms = OrderTerms(
                order.pk,
                beschut.unit,
                order.start_date,
                order.end_date,
                order.ended_on,
                price.amount,
            )
            line = line_for(terms, first)
            direct += line.amount if line else Decimal(0)
    assert count == len(direct_orders) == 2
    assert amount == direct > 0


@pytest.mark.django_db
def test_outflow_equals_orders_ended_with_regular_work(delivered: dict[str, Order]) -> None:
    found = outflow_regular_work(_almelo(), _nuo(), Q3)
    direct = {
        o.client.person_id
        for o in Order.objects.filter(result="regular_work")
        if o.client_owner.municipality_id == _almelo().pk and Q3.first <= o.ended_on <= Q3.last  # type: ignore[operator]
    }
    assert found == len(direct) == 1
    assert outflow_regular_work(_almelo(), _nuo(), Period(2026, 1)) == 0


@pytest.mark.django_db
def test_sheltered_places_equal_beschut_werk_employments_of_residents(region: None) -> None:
    for number, residence, start in (
        ("1", "GM0141", date(2026, 2, 1)),
        ("2", "GM0141", date(2026, 10, 1)),
        ("3", "GM0189", date(2026, 1, 1)),
    ):
        make_employment(
            make_person(personnel_number=f"B{number}", residence=residence),
            kind=Employment.Kind.SHELTERED_WORK,
            indication="",
            valid_from=start,
        )
    found = sheltered_places(_almelo(), Q3.last)
    direct = [
        e
        for e in Employment.objects.filter(kind="sheltered_work")
        if e.person.residence_municipality_id == _almelo().pk and e.valid_from <= Q3.last
    ]
    assert found == len(direct) == 1


@pytest.mark.django_db
def test_wsw_work_years_equal_hours_over_36_averaged_over_the_days(region: None) -> None:
    full = make_employment(make_person(personnel_number="W1"), valid_from=date(2021, 1, 1))
    half = make_employment(
        make_person(personnel_number="W2"),
        hours_per_week=Decimal(18),
        valid_from=date(2026, 4, 1),
        valid_to=date(2026, 6, 30),
    )
    make_employment(make_person(personnel_number="W3", residence="GM0189"))
    found = wsw_work_years(_almelo(), Q3.first, Q3.last)
    days = (Q3.last - Q3.first).days + 1
    direct = Decimal(0)
    for e in (full, half):
        start = max(e.valid_from, Q3.first)
        end = min(e.valid_to or Q3.last, Q3.last)
        direct += e.hours_per_week / 36 * ((end - start).days + 1) / days
    assert found == direct.quantize(Decimal("0.0001"))
    assert Decimal("1.16") < found < Decimal("1.18")


@pytest.mark.django_db
def test_secondment_revenue_equals_the_sent_invoice_lines(region: None) -> None:
    worker = employee("S1")
    invoice = make_sent_invoice(make_employer(kvk="11112222", name="Inlener"), worker)
    found = secondment_revenue(_almelo(), Period(2026, 4))
    direct = sum((line.amount for line in InvoiceLine.objects.filter(invoice=invoice)), Decimal(0))
    assert found == direct > 0
    assert secondment_revenue(_almelo(), Q3) == 0  # the October invoice is in quarter 4


# --- Agreements, reports and files ----------------------------------------------------------


@pytest.mark.django_db
def test_agreement_targets_report_pdf_and_excel_with_charts(
    cast: dict[str, User], delivered: dict[str, Order]
) -> None:
    agreement = _agreement(cast)
    services.save_target(
        actor=cast["controller_wierden"],
        agreement=agreement,
        indicator=Indicator.PRODUCT_VOLUME,
        product=product("nuo", "beschut-werkplek"),
        target=Decimal(3),
        budget=Decimal(20000),
    )
    for indicator, target in ((Indicator.OUTFLOW_REGULAR_WORK, 4), (Indicator.WSW_WORK_YEARS, 2)):
        services.save_target(
            actor=cast["controller_wierden"],
            agreement=agreement,
            indicator=indicator,
            product=None,
            target=Decimal(target),
        )
    report = outlook.pc_report(cast["board_nuo"], [_almelo()], Q3, "Almelo")
    section = report.sections[0]
    titles = [b.table.title for b in section.blocks]
    assert titles == ["Producten", "Resultaten in personen", "Wsw-arbeidsjaren"]
    products = section.blocks[0].table.rows[0]
    assert products["realised"] == 2 and products["target"] == 3
    assert products["forecast"] == (products["spent"] / Q3.share).quantize(Decimal("0.01"))
    outflow = section.blocks[1].table.rows[0]
    assert outflow["realised"] == 1 and int(outflow["forecast"]) == 1  # 1 / 0.75 → 1
    assert all(b.svg.startswith("<svg") for b in section.blocks)

    pdf = PdfReader(io.BytesIO(report_files.report_pdf(report)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Tussenrapportage" in text and "Producten" in text
    assert any("/XObject" in str(page.get("/Resources", {})) for page in pdf.pages)

    content = report_files.report_xlsx(report)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    assert "Almelo" in sheet.title
    first_column = [row[0] for row in sheet.values]
    assert "Producten" in first_column and "Wsw-arbeidsjaren" in first_column
    charts = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if "charts/chart" in n]
    assert len(charts) == 3


@pytest.mark.django_db
def test_an_agreed_agreement_does_not_change(cast: dict[str, User]) -> None:
    agreement = _agreement(cast, "GM0189")
    actor = cast["controller_wierden"]
    services.save_agreement(
        actor=actor, agreement=agreement, status=PerformanceAgreement.Status.AGREED
    )
    with pytest.raises(DomainError):
        services.save_target(
            actor=actor,
            agreement=agreement,
            indicator=Indicator.SHELTERED_PLACES,
            product=None,
            target=Decimal(3),
        )
    with pytest.raises(DomainError):
        services.save_agreement(actor=actor, agreement=agreement, budget=Decimal(1))
    with pytest.raises(DomainError, match="al een prestatieafspraak"):
        _agreement(cast, "GM0189")
    assert AuditEvent.objects.filter(action=PlanningEvent.AGREEMENT_SAVED).count() == 2


@pytest.mark.django_db
def test_a_product_of_another_provider_is_refused(cast: dict[str, User]) -> None:
    agreement = _agreement(cast, "GM0189")
    other = product("multipack-nijverdal", "beschut-werkplek")
    with pytest.raises(DomainError, match="geen product van"):
        services.save_target(
            actor=cast["controller_wierden"],
            agreement=agreement,
            indicator=Indicator.PRODUCT_VOLUME,
            product=other,
            target=Decimal(1),
        )


@pytest.mark.django_db
def test_controller_records_an_agreement_end_to_end_in_the_screens(cast: dict[str, User]) -> None:
    client = login_client(cast["controller_wierden"])
    wierden = Municipality.objects.get(cbs_code="GM0189")
    response = client.post(
        "/prestatieafspraken/",
        {
            "municipality": wierden.pk,
            "provider": _nuo().pk,
            "year": 2026,
            "budget": "500000",
            "mandate": "Breed mandaat",
        },
    )
    agreement = PerformanceAgreement.objects.get(municipality=wierden)
    assert response.status_code == 302
    url = f"/prestatieafspraken/{agreement.pk}/"
    response = client.post(
        url,
        {
            "indicator": "sheltered_places",
            "target": "12",
            "fingerprint": fingerprint_in(client.get(url).content.decode()),
        },
    )
    assert response.status_code == 302 and agreement.targets.count() == 1
    # Almelo is not the controller's municipality: not offered, refused.
    response = client.post(
        "/prestatieafspraken/",
        {"municipality": _almelo().pk, "provider": _nuo().pk, "year": 2026, "budget": "1"},
    )
    assert response.status_code == 200 and "geldige keuze" in response.content.decode()
    made = client.post("/rapportage/", {"jaar": "2026", "kwartaal": "2"}, follow=True)
    page = made.content.decode()
    assert made.redirect_chain[0][0].startswith("/taken/")
    assert "Beschut-werkplekken" in page and "<svg" in page and "t/m kwartaal 2" in page
    pdf = re.search(r'href="(/taken/[^"]+/bestanden/1/)"', page)
    assert pdf is not None
    assert client.get(pdf.group(1))["Content-Type"] == "application/pdf"
    assert client.get("/rapportage/?gemeente=GM0141").status_code == 404
    assert client.post("/rapportage/", {"gemeente": "GM0141"}).status_code == 404
    client.post(
        f"/prestatieafspraken/{agreement.pk}/vaststellen/",
        {"fingerprint": fingerprint_in(client.get(url).content.decode())},
    )
    agreement.refresh_from_db()
    assert agreement.status == PerformanceAgreement.Status.AGREED


@pytest.mark.django_db
def test_agreements_and_report_in_the_api(cast: dict[str, User]) -> None:
    api = api_client(cast["controller_wierden"])
    response = api.post(
        "/api/v1/performance-agreements",
        {"municipality": "GM0189", "provider": "nuo", "year": 2026, "budget": "250000.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(
        f"/api/v1/performance-agreements/{pk}/targets",
        {
            "indicator": "product_volume",
            "product": product("nuo", "jobcoaching").pk,
            "target": "10",
            "budget": "5000",
        },
        format="json",
        HTTP_IF_MATCH=api.get(f"/api/v1/performance-agreements/{pk}")["ETag"],
    )
    assert response.status_code == 201, response.content
    response = api.post(
        f"/api/v1/performance-agreements/{pk}/targets",
        {"indicator": "product_volume", "target": "10"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 400 and "product" in response.json()
    report = api.get("/api/v1/pc-reports?year=2026&quarter=2").json()
    assert report["sections"][0]["tables"][0]["title"] == "Producten"
    assert api.get("/api/v1/pc-reports?year=2026&municipality=GM0141").status_code == 404
    board = api_client(cast["board_nuo"])
    assert (
        board.post(
            "/api/v1/performance-agreements",
            {"municipality": "GM0189", "provider": "nuo", "year": 2027, "budget": "1"},
            format="json",
        ).status_code
        == 403
    )
    overview = board.get("/api/v1/pc-reports?year=2026").json()
    assert overview["sections"][0]["title"] == "Overzicht voor het bestuur"


# --- Forecast from the records ----------------------------------------------------------------


@pytest.mark.django_db
def test_forecast_from_the_records_screen_excel_and_api(cast: dict[str, User]) -> None:
    for number, birth in (("F1", date(1962, 3, 1)), ("F2", date(1971, 8, 9))):
        make_employment(make_person(personnel_number=number, birth_date=birth))
    result = outlook.forecast([_almelo()], "Almelo", date(2026, 11, 23))
    rows = result.table.rows
    assert rows[0]["year"] == "2026" and rows[-1]["year"] == "2040"
    assert int(rows[0]["persons"]) <= 2 and int(rows[-1]["persons"]) == 0  # both retired
    client = login_client(cast["controller_wierden"])
    assert "Prognose maken" in client.get("/prognose/").content.decode()
    made = client.post("/prognose/", {}, follow=True)
    page = made.content.decode()
    assert "Prognose Wsw tot en met 2040 – Wierden" in page and "Terugtoets" in page
    excel = re.search(r'href="(/taken/[^"]+/bestanden/1/)"', page)
    assert excel is not None
    content = client.get(excel.group(1)).content
    assert any("charts/chart" in n for n in zipfile.ZipFile(io.BytesIO(content)).namelist())
    board = api_client(cast["board_nuo"])
    data = board.get("/api/v1/forecast?municipality=GM0141").json()
    assert data["forecast"]["rows"][0]["year"] == "2026"
    assert data["forecast"]["rows"][0]["persons"] == 2
    # The same as a job: its result holds the same data, its file the Excel.
    job = finished_job(board, board.post("/api/v1/forecast?municipality=GM0141"))
    assert job["result"]["data"]["forecast"] == data["forecast"]
    (excel,) = job["files"]
    assert excel["title"] == "Excel" and board.get(excel["url"]).content.startswith(b"PK")
    report = finished_job(
        board, board.post("/api/v1/pc-reports?municipality=GM0141", {"year": 2026, "quarter": 3})
    )
    assert report["result"]["data"]["quarter"] == 3
    assert [f["title"] for f in report["files"]] == ["PDF", "Excel"]


# --- Scenarios, real estate, roadmap ---------------------------------------------------------


@pytest.mark.django_db
def test_scenarios_saved_and_compared(cast: dict[str, User]) -> None:
    make_employment(
        make_person(personnel_number="C1", residence="GM0163"), employer="gemeente-hellendoorn"
    )
    make_employment(make_person(personnel_number="C2"))
    actor = cast["board_nuo"]
    common: dict[str, Any] = {
        "until_year": 2030,
        "indexation_pct": Decimal(2),
        "contribution_growth_pct": Decimal(1),
        "overhead_per_work_year": Decimal(5000),
        "hazard_factor": Decimal(1),
        "fixed_costs_per_organisation": Decimal(600000),
        "description": "",
    }
    split = services.save_scenario(actor=actor, name="Split", execution_model="split", **common)
    joint = services.save_scenario(actor=actor, name="Joint", execution_model="joint", **common)
    with pytest.raises(DomainError):
        services.save_scenario(actor=actor, name="Joint", execution_model="joint", **common)
    client = login_client(actor)
    page = client.get(f"/scenarios/?a={split.pk}&b={joint.pk}&gemeente=GM0163").content.decode()
    assert "Netto kosten Hellendoorn" in page and "<svg" in page
    data = (
        api_client(actor)
        .get(f"/api/v1/scenarios/compare?first={split.pk}&second={joint.pk}&municipality=GM0163")
        .json()
    )
    rows = data["table"]["rows"]
    assert [r["year"] for r in rows] == ["2026", "2027", "2028", "2029", "2030"]
    # Hellendoorn carries its own local organisation under the split, a share of one under
    # the joint model: the split costs it more.
    assert all(Decimal(r["first"]) > Decimal(r["second"]) for r in rows)
    controller = api_client(cast["controller_wierden"])
    etag = controller.get(f"/api/v1/scenarios/{joint.pk}")["ETag"]
    response = controller.patch(
        f"/api/v1/scenarios/{joint.pk}", {"hazardFactor": "1.50"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert Scenario.objects.get(pk=joint.pk).hazard_factor == Decimal("1.5")


@pytest.mark.django_db
def test_real_estate_need_surplus_and_sale(cast: dict[str, User]) -> None:
    site = Site.objects.get(code="almelo-hoofdlocatie")
    for number in range(3):
        make_employment(make_person(personnel_number=f"R{number}"), site=site)
    services.save_site_cost(
        actor=cast["board_nuo"],
        site=site,
        yearly_cost=Decimal(100000),
        book_value=Decimal(900000),
        m2_per_workplace=Decimal(30),
        note="",
    )
    needs = {n.site.code: n for n in real_estate.needs_on(date(2026, 11, 23))}
    assert needs["almelo-hoofdlocatie"].employees == 3
    assert needs["almelo-hoofdlocatie"].need_m2 == needs["almelo-hoofdlocatie"].workplaces * 30
    assert any(n.for_sale for n in needs.values())
    page = login_client(cast["board_nuo"]).get("/vastgoed/").content.decode()
    assert "Ruimtebehoefte per locatie" in page and "verkopen" in page
    data = api_client(cast["transition_manager"]).get("/api/v1/real-estate").json()
    assert data["needs"]["rows"][0]["site"]
    response = api_client(cast["controller_wierden"]).post(
        "/api/v1/site-costs",
        {"site": "vriezenveen", "yearlyCost": "1", "bookValue": "1"},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_roadmap_loads_the_seeds_once_and_keeps_documents(cast: dict[str, User]) -> None:
    first = services.load_roadmap()
    assert first["activities"] == 10 and first["decisions"] >= 7
    assert services.load_roadmap() == {"activities": 0, "decisions": 0}
    client = login_client(cast["transition_manager"])
    page = client.get("/roadmap/").content.decode()
    assert "Regulier AB Soweco" in page and "Ondernemingsraad" in page
    decision = services.save_decision(
        actor=cast["transition_manager"],
        body="or",
        municipality=None,
        kind="advice",
        subject="Advies OR transitieplan",
        date=date(2026, 9, 1),
        outcome="pending",
        activity=None,
        note="",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/roadmap/besluit/{decision.pk}/",
        {"document": SimpleUploadedFile("advies.pdf", b"%PDF-1.4 advies")},
    )
    assert response.status_code == 302
    document = decision.documents.get()
    assert client.get(f"/roadmap/document/{document.pk}/").content == b"%PDF-1.4 advies"
    refused = client.post(
        f"/roadmap/besluit/{decision.pk}/",
        {"document": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert "alleen" in refused.content.decode() and decision.documents.count() == 1
    api = api_client(cast["transition_manager"])
    uploaded = api.post(
        f"/api/v1/decisions/{decision.pk}/documents",
        {"name": "notulen.txt", "content": base64.b64encode(b"notulen").decode()},
        format="json",
    )
    assert uploaded.status_code == 201 and uploaded.json()["size"] == 7
    with pytest.raises(DomainError, match="gemeente"):
        services.save_decision(
            actor=None,
            body="raad",
            municipality=None,
            kind="decision",
            subject="x",
            date=date(2026, 1, 1),
            outcome="pending",
            activity=None,
            note="",
        )
    assert AuditEvent.objects.filter(action=PlanningEvent.DOCUMENT_ATTACHED).count() == 2
