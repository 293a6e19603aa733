import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from werkregie.accounts.models import User
from werkregie.client_direction import services, statements
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Client, Order
from werkregie.client_direction.tests.factories import make_order, product, running
from werkregie.core.models import AuditEvent
from werkregie.testing import (
    api_client,
    finished_job,
    job_file_from_form,
    login_client,
    make_person,
)

MARCH = date(2026, 3, 1)
FILE = "/klantregie/maandoverzicht/bestand/"


@pytest.fixture
def delivered(cast: dict[str, User]) -> dict[str, Order]:
    coach = cast["jobcoach_nuo"]
    sheltered = running(
        make_order(
            product_=product("nuo", "beschut-werkplek"),
            start=date(2026, 2, 10),
            end=date(2026, 4, 15),
            requested=date(2026, 1, 20),
        ),
        coach,
    )
    hourly = running(
        make_order(start=date(2026, 1, 1), end=date(2026, 6, 30), requested=date(2025, 12, 1)),
        coach,
    )
    for day, hours in (
        (date(2026, 2, 27), "9"),
        (date(2026, 3, 5), "1.5"),
        (date(2026, 3, 19), "2"),
    ):
        services.report_progress(
            actor=coach, order=hourly, reported_on=day, hours=Decimal(hours), note="Coaching"
        )
    training = running(
        make_order(
            product_=product("nuo", "training"),
            start=date(2026, 3, 1),
            end=date(2026, 5, 30),
            requested=date(2026, 2, 1),
        ),
        coach,
    )
    training = services.end_order(
        actor=coach, order=training, ended_on=date(2026, 3, 31), result="illness"
    )
    uwv_client = services.register_client(
        actor=None,
        person=make_person(residence="GM0141"),
        kind=Client.Kind.UWV,
        registered_on=date(2025, 1, 1),
    )
    uwv = running(
        make_order(
            uwv_client,
            product("nuo", "beschut-werkplek"),
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            requested=date(2025, 12, 1),
        ),
        coach,
    )
    # Requested and refused orders are not delivered: never on a statement.
    make_order(
        product_=product("nuo", "beschut-werkplek"),
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        requested=date(2026, 2, 1),
    )
    return {"sheltered": sheltered, "hourly": hourly, "training": training, "uwv": uwv}


def test_statement_amounts_per_unit(cast: dict[str, User], delivered: dict[str, Order]) -> None:
    orders = statements.billable_to(cast["client_director_almelo"])
    [almelo] = statements.statements_for(orders, MARCH)
    amounts = {s.order_id: s.line.amount for s in almelo.lines}
    assert amounts == {
        delivered["sheltered"].pk: Decimal("1525.00"),  # the whole month
        delivered["hourly"].pk: Decimal("288.75"),  # 3.5 hours × € 82.50
        delivered["training"].pk: Decimal("613.19"),  # € 1,800 × 31 of 91 planned days
    }
    assert almelo.total == Decimal("2426.94")
    [feb] = statements.statements_for(orders, date(2026, 2, 1))
    feb_amounts = {s.order_id: s.line.amount for s in feb.lines}
    assert feb_amounts[delivered["sheltered"].pk] == Decimal("1034.82")  # 19 of 28 days
    assert feb_amounts[delivered["hourly"].pk] == Decimal("742.50")  # 9 hours
    [april] = statements.statements_for(orders, date(2026, 4, 1))
    assert {s.order_id: s.line.amount for s in april.lines}[delivered["sheltered"].pk] == Decimal(
        "762.50"
    )  # 15 of 30 days


def test_each_side_gets_its_own_statements(
    cast: dict[str, User], delivered: dict[str, Order]
) -> None:
    provider = statements.statements_for(statements.billable_to(cast["jobcoach_nuo"]), MARCH)
    assert [(s.client_owner.code, s.total) for s in provider] == [
        ("gemeente-almelo", Decimal("2426.94")),
        ("uwv", Decimal("1610.00")),  # UWV's own price
    ]
    assert not statements.statements_for(
        statements.billable_to(cast["client_director_wierden"]), MARCH
    )
    for role in ("hr_nuo", "controller_wierden", "board_nuo"):
        assert not statements.billable_to(cast[role]).exists()


def test_statement_screen_excel_pdf_and_api(
    cast: dict[str, User], delivered: dict[str, Order]
) -> None:
    client = login_client(cast["client_director_almelo"])
    page = client.get("/klantregie/maandoverzicht/", {"maand": "2026-03"})
    html = page.content.decode()
    assert "Maandoverzicht maart 2026" in html and "€ 2.426,94" in html
    assert AuditEvent.objects.filter(action=ClientDirectionEvent.STATEMENT_VIEWED).count() == 3
    xlsx = job_file_from_form(client, FILE, {"maand": "2026-03", "formaat": "xlsx"})
    # The file is a job's: every fetch of it records the lines it shows.
    assert (
        AuditEvent.objects.filter(action=ClientDirectionEvent.STATEMENT_VIEWED).count() == 3 + 3 + 3
    )
    sheet = load_workbook(io.BytesIO(xlsx.content))["Totalen"]
    counts, total = sheet[3][2].value, sheet[3][3].value
    assert counts == 3 and total == pytest.approx(2426.94)
    lines = load_workbook(io.BytesIO(xlsx.content))["Regels"]
    assert [c.value for c in lines[2]][:2] == ["Opdracht", "Cliënt"]
    pdf = job_file_from_form(client, FILE, {"maand": "2026-03", "formaat": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    api = api_client(cast["jobcoach_nuo"])
    data = api.get("/api/v1/statements", {"month": "2026-03", "clientOwner": "uwv"}).json()
    assert [(s["clientOwner"], s["total"]) for s in data] == [("uwv", "1610.00")]
    assert data[0]["lines"][0]["days"] == 31
    assert api.get("/api/v1/statements", {"month": "maart"}).status_code == 400
    assert api.get("/api/v1/statements").status_code == 400
    made = finished_job(
        api,
        api.post(
            "/api/v1/statements/files",
            {"month": "2026-03", "format": "xlsx", "clientOwner": "uwv"},
            content_type="application/json",
        ),
    )
    sheet = load_workbook(io.BytesIO(api.get(made["files"][0]["url"]).content))["Totalen"]
    assert sheet[3][3].value == pytest.approx(1610.00)
    refused = api.post(
        "/api/v1/statements/files", {"month": "2026-03"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "format" in refused.content.decode()
    # A client owner the caller has no orders with: as if it did not exist.
    wierden = api_client(cast["client_director_wierden"])
    assert (
        wierden.get(
            "/api/v1/statements", {"month": "2026-03", "clientOwner": "gemeente-almelo"}
        ).status_code
        == 404
    )
    assert wierden.get("/api/v1/statements", {"month": "2026-03"}).json() == []
    leaked = job_file_from_form(
        login_client(cast["client_director_wierden"]), FILE, {"maand": "2026-03", "formaat": "xlsx"}
    )
    assert "Almelo" not in str(
        [
            c.value
            for row in load_workbook(io.BytesIO(leaked.content))["Regels"].iter_rows()
            for c in row
        ]
    )
