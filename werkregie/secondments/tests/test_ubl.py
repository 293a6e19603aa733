from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from peppol import check_rules, validate_xsd

from werkregie.secondments import services
from werkregie.secondments.models import Invoice
from werkregie.secondments.tests.factories import MONTH, employee, make_contract, nuo, second
from werkregie.secondments.ubl import NS

pytestmark = pytest.mark.django_db


def _sent_invoice() -> Invoice:
    contract = make_contract("12345678", rate=Decimal("27.33"))
    for n in range(2):
        secondment = second(contract, employee(f"7000{n}", surname=f"Werker{n}"))
        services.register_hours(
            actor=None, secondment=secondment, month=MONTH, hours=Decimal("7.5")
        )
    draft = services.run_invoices(actor=None, issuer=nuo(), month=MONTH).drafts[0]
    return services.send_invoice(actor=None, invoice=draft, issued_on=date(2026, 11, 2))


def _fatal(xml: bytes) -> list[str]:
    return [str(f) for f in check_rules(xml) if getattr(f, "flag", "fatal") == "fatal"]


def test_invoice_validates_against_the_ubl_21_schema_and_the_en16931_rules(region: None) -> None:
    invoice = _sent_invoice()
    xml = services_ubl(invoice)
    valid, errors = validate_xsd(xml)
    assert valid, errors
    assert not _fatal(xml)
    root = ET.fromstring(xml)  # noqa: S314 (our own output)
    cbc = f"{{{NS['cbc']}}}"
    assert root.findtext(f"{cbc}ID") == "NUO-000001"
    assert root.findtext(f"{cbc}CustomizationID", "").endswith("nlcius:v1.0")
    # NLCIUS BR-NL-1/BR-NL-10: both parties' KvK numbers as legal entity id, scheme 0106.
    ids = [e for e in root.iter(f"{cbc}CompanyID") if e.get("schemeID") == "0106"]
    assert [e.text for e in ids] == ["81234569", "12345678"]
    assert root.findtext(f".//{cbc}PaymentMeansCode") == "30"
    assert root.findtext(f".//{{{NS['cac']}}}LegalMonetaryTotal/{cbc}PayableAmount") == str(
        invoice.gross_amount
    )


def test_credit_note_validates_and_references_the_invoice(region: None) -> None:
    invoice = _sent_invoice()
    note = services.credit_invoice(
        actor=None, invoice=invoice, issued_on=date(2026, 11, 5), reason="Uren gecorrigeerd"
    )
    xml = services_ubl(note)
    valid, errors = validate_xsd(xml)
    assert valid, errors
    assert not _fatal(xml)
    root = ET.fromstring(xml)  # noqa: S314 (our own output)
    assert root.tag == f"{{{NS['CreditNote']}}}CreditNote"
    reference = root.find(f".//{{{NS['cac']}}}InvoiceDocumentReference/{{{NS['cbc']}}}ID")
    assert reference is not None and reference.text == invoice.number  # NLCIUS BR-NL-2
    payable = root.findtext(f".//{{{NS['cac']}}}LegalMonetaryTotal/{{{NS['cbc']}}}PayableAmount")
    assert payable == str(invoice.gross_amount)  # positive: the document type reverses


def test_a_draft_has_no_e_invoice(region: None) -> None:
    contract = make_contract()
    secondment = second(contract, employee("70009"))
    services.register_hours(actor=None, secondment=secondment, month=MONTH, hours=Decimal(8))
    draft = services.run_invoices(actor=None, issuer=nuo(), month=MONTH).drafts[0]
    with pytest.raises(ValueError):
        services_ubl(draft)


def services_ubl(invoice: Invoice) -> bytes:
    from werkregie.secondments.ubl import to_ubl

    return to_ubl(invoice)
