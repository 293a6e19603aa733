from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.secondments import invoicing, services
from werkregie.secondments.models import Invoice
from werkregie.secondments.tests.factories import MONTH, employee, make_contract, nuo, second

pytestmark = pytest.mark.django_db


def test_line_and_vat_arithmetic() -> None:
    assert invoicing.line_amount(Decimal("7.5"), Decimal("27.33")) == Decimal("204.98")
    sums = invoicing.totals([(Decimal("204.98"), Decimal(21)), (Decimal("10.00"), Decimal(21))])
    assert sums.net == Decimal("214.98") and sums.vat == Decimal("45.15")
    assert sums.gross == Decimal("260.13")


def _month_with_hours(region: None) -> tuple[list, list]:  # type: ignore[type-arg]
    first = make_contract("12345678")
    second_ = make_contract("23456789", rate=Decimal("31.00"))
    rows = []
    for n, (contract, employer) in enumerate(
        [(first, "gemeente-almelo"), (first, "gemeente-wierden"), (second_, "gemeente-almelo")]
    ):
        secondment = second(contract, employee(f"9000{n}", employer=employer, surname=f"Werker{n}"))
        services.register_hours(actor=None, secondment=secondment, month=MONTH, hours=Decimal(120))
        rows.append(secondment)
    return [first, second_], rows


def test_run_makes_one_draft_per_hirer_with_a_line_per_employee(region: None) -> None:
    contracts, _ = _month_with_hours(region)
    result = services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    assert len(result.drafts) == 2 and result.lines == 3
    by_hirer = {i.hirer_id: i for i in result.drafts}
    first = by_hirer[contracts[0].hirer_id]
    assert first.net_amount == Decimal("6600.00")  # 2 × 120 h × € 27,50
    assert first.vat_amount == Decimal("1386.00") and first.gross_amount == Decimal("7986.00")
    assert {line.employer.code for line in first.lines.all()} == {  # type: ignore[union-attr]
        "gemeente-almelo",
        "gemeente-wierden",
    }
    # A second run remakes the drafts, it does not add to them.
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    assert Invoice.objects.count() == 2


def test_sending_numbers_without_gaps_and_freezes(region: None) -> None:
    _month_with_hours(region)
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    sent = services.send_drafts(actor=None, issuer=nuo(), month=MONTH, issued_on=date(2026, 11, 2))
    assert [i.number for i in sent] == ["NUO-000001", "NUO-000002"]
    assert sent[0].due_on == date(2026, 12, 2)
    assert sent[0].buyer["kvk_number"] in {"12345678", "23456789"}
    with pytest.raises(DomainError, match="al verzonden"):
        services.send_invoice(actor=None, invoice=sent[0], issued_on=date(2026, 11, 3))
    # Sent invoices stand: a new run leaves them alone.
    result = services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    assert not result.drafts and len(result.already_sent) == 2
    assert AuditEvent.objects.filter(action="invoice.sent").count() == 2


def test_the_database_refuses_to_change_a_sent_invoice(region: None) -> None:
    _month_with_hours(region)
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    invoice = services.send_drafts(
        actor=None, issuer=nuo(), month=MONTH, issued_on=date(2026, 11, 2)
    )[0]
    line = invoice.lines.first()
    assert line is not None
    for sql, pk in (
        ("UPDATE secondments_invoice SET number = 'X' WHERE id = %s", invoice.pk),
        ("UPDATE secondments_invoice SET status = 'draft' WHERE id = %s", invoice.pk),
        ("UPDATE secondments_invoiceline SET amount = 0 WHERE invoice_id = %s", invoice.pk),
        (
            "INSERT INTO secondments_invoiceline (invoice_id, secondment_id, description, "
            "hours, rate, amount, vat_rate) SELECT invoice_id, secondment_id, 'extra', hours, "
            "rate, amount, vat_rate FROM secondments_invoiceline WHERE id = %s",
            line.pk,
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    invoice.refresh_from_db()
    assert invoice.number == "NUO-000001"


def test_a_correction_is_a_credit_note_and_then_a_new_invoice(region: None) -> None:
    _, secondments = _month_with_hours(region)
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    sent = services.send_drafts(actor=None, issuer=nuo(), month=MONTH, issued_on=date(2026, 11, 2))
    original = next(i for i in sent if i.lines.filter(secondment=secondments[0]).exists())
    with pytest.raises(DomainError, match="al gefactureerd"):
        services.register_hours(
            actor=None, secondment=secondments[0], month=MONTH, hours=Decimal(100)
        )
    with pytest.raises(DomainError):
        services.credit_invoice(
            actor=None, invoice=original, issued_on=date(2026, 11, 5), reason=" "
        )
    note = services.credit_invoice(
        actor=None, invoice=original, issued_on=date(2026, 11, 5), reason="Uren gecorrigeerd"
    )
    assert note.number == "NUO-000003" and note.credits == original
    assert note.gross_amount == -original.gross_amount
    assert sum(line.amount for line in note.lines.all()) == -original.net_amount
    with pytest.raises(DomainError, match="al gecrediteerd"):
        services.credit_invoice(
            actor=None, invoice=original, issued_on=date(2026, 11, 5), reason="x"
        )
    services.register_hours(actor=None, secondment=secondments[0], month=MONTH, hours=Decimal(100))
    result = services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    assert [i.hirer_id for i in result.drafts] == [original.hirer_id]
    redone = services.send_invoice(
        actor=None, invoice=result.drafts[0], issued_on=date(2026, 11, 6)
    )
    assert redone.number == "NUO-000004"
    assert redone.net_amount == Decimal("6050.00")  # (100 + 120) h × € 27,50


def test_a_draft_can_be_deleted_a_sent_invoice_cannot(region: None) -> None:
    _month_with_hours(region)
    drafts = services.run_invoices(actor=None, issuer=nuo(), month=MONTH).drafts
    services.delete_draft(actor=None, invoice=drafts[0])
    sent = services.send_invoice(actor=None, invoice=drafts[1], issued_on=date(2026, 11, 2))
    with pytest.raises(DomainError, match="crediteer"):
        services.delete_draft(actor=None, invoice=sent)


def test_revenue_goes_to_the_employing_municipality(region: None) -> None:
    _month_with_hours(region)
    services.run_invoices(actor=None, issuer=nuo(), month=MONTH)
    services.send_drafts(actor=None, issuer=nuo(), month=MONTH, issued_on=date(2026, 11, 2))
    from werkregie.secondments.models import InvoiceLine

    rows = {r.employer: r.amount for r in services.revenue(InvoiceLine.objects.all())}
    assert rows == {
        "Gemeente Almelo": Decimal("3300.00") + Decimal("3720.00"),
        "Gemeente Wierden": Decimal("3300.00"),
    }


def test_only_an_employee_can_be_seconded(region: None) -> None:
    from werkregie.testing import make_person

    contract = make_contract()
    with pytest.raises(DomainError, match="niet in dienst"):
        second(contract, make_person(surname="Zonder"))


# Operations on one issuer's invoices, in any order.
operations = st.lists(
    st.tuples(
        st.sampled_from(["hours", "run", "send", "send_all", "delete", "credit"]),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=2),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(operations)
def test_sent_numbers_have_no_gaps_and_never_change(
    region: None, steps: list[tuple[str, int, int]]
) -> None:
    from werkregie.secondments.models import InvoiceLine, Secondment, SecondmentContract

    # Hypothesis runs every example in one test transaction: start clean.
    InvoiceLine.objects.filter(invoice__status="draft").delete()
    Invoice.objects.filter(status="draft").delete()
    if not SecondmentContract.objects.exists():
        contract = make_contract("12345678")
        for n in range(3):
            second(contract, employee(f"8000{n}"))
    issuer = nuo()
    secondments = list(Secondment.objects.order_by("pk"))
    months = [date(2026, m, 1) for m in (8, 9, 10)]
    frozen: dict[str, tuple[Decimal, int]] = {}
    for op, pick, month_index in steps:
        month = months[month_index]
        try:
            if op == "hours":
                services.register_hours(
                    actor=None,
                    secondment=secondments[pick % len(secondments)],
                    month=month,
                    hours=Decimal(10 + pick),
                )
            elif op == "run":
                services.run_invoices(actor=None, issuer=issuer, month=month)
            elif op == "send_all":
                services.send_drafts(
                    actor=None, issuer=issuer, month=month, issued_on=date(2026, 11, 2)
                )
            else:
                candidates = list(Invoice.objects.order_by("pk"))
                if not candidates:
                    continue
                invoice = candidates[pick % len(candidates)]
                if op == "send":
                    services.send_invoice(actor=None, invoice=invoice, issued_on=date(2026, 11, 2))
                elif op == "delete":
                    services.delete_draft(actor=None, invoice=invoice)
                else:
                    services.credit_invoice(
                        actor=None, invoice=invoice, issued_on=date(2026, 11, 3), reason="correctie"
                    )
        except DomainError:
            pass
        for invoice in Invoice.objects.filter(status="sent"):
            state = (invoice.gross_amount, invoice.lines.count())
            assert frozen.setdefault(invoice.number, state) == state
    numbers = sorted(Invoice.objects.filter(status="sent").values_list("number", flat=True))
    issuer.refresh_from_db()
    assert numbers == [invoicing.invoice_number("NUO", n) for n in range(1, issuer.next_number)]
    # Every credit note reverses exactly one sent invoice.
    for note in Invoice.objects.filter(kind="credit_note"):
        assert note.credits is not None and note.credits.status == "sent"
        assert note.gross_amount == -note.credits.gross_amount


def test_renewing_continues_the_same_people_at_a_new_rate(region: None) -> None:
    contract = make_contract(end_date=date(2026, 6, 30))
    stays = second(contract, employee("50001", surname="Blijft"))
    services.renew_contract(
        actor=None, contract=contract, hourly_rate=Decimal("29.00"), end_date=date(2027, 6, 30)
    )
    successor = contract.hirer.contracts.exclude(pk=contract.pk).get()
    assert (successor.start_date, successor.hourly_rate) == (date(2026, 7, 1), Decimal("29.00"))
    assert [s.person for s in successor.secondments.all()] == [stays.person]
    with pytest.raises(DomainError, match="zonder einddatum"):
        services.renew_contract(
            actor=None, contract=make_contract("23456789"), hourly_rate=Decimal(1)
        )
