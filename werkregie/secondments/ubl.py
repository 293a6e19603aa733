"""A sent invoice or credit note as a UBL 2.1 e-invoice under the Dutch CIUS (NLCIUS, on
EN 16931): what a municipality's or company's accounts-payable system reads.

NLCIUS asks (rule numbers of the NLCIUS rule set): the supplier's KvK number as legal
entity id with scheme 0106 (BR-NL-1), a credit note's reference to the invoice it corrects
(BR-NL-2), street, city and postcode of the supplier (BR-NL-3) and of a Dutch customer
(BR-NL-4), the customer's KvK number (BR-NL-10) and payment by credit transfer, code 30 or
58, with the IBAN (BR-NL-11, BR-NL-29). A credit note is a UBL CreditNote whose amounts are
positive: the document type says it reverses.
"""

from decimal import Decimal
from xml.etree import ElementTree as ET

from werkregie.core.params import month_bounds
from werkregie.secondments import invoicing
from werkregie.secondments.models import Invoice

NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
KVK_SCHEME = "0106"
CURRENCY = "EUR"
HOUR = "HUR"  # UN/ECE rec. 20: hour
CREDIT_TRANSFER = "30"

for prefix in ("cac", "cbc"):
    ET.register_namespace(prefix, NS[prefix])


def _cbc(parent: ET.Element, name: str, text: object, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attrs)
    element.text = str(text)
    return element


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")


def _amount(parent: ET.Element, name: str, value: Decimal) -> None:
    _cbc(parent, name, f"{value:.2f}", currencyID=CURRENCY)


def _party(
    parent: ET.Element,
    role: str,
    *,
    name: str,
    kvk: str,
    street: str,
    city: str,
    postcode: str,
    vat: str = "",
) -> None:
    party = _cac(_cac(parent, role), "Party")
    _cbc(party, "EndpointID", kvk, schemeID=KVK_SCHEME)
    _cbc(_cac(party, "PartyName"), "Name", name)
    address = _cac(party, "PostalAddress")
    if street:
        _cbc(address, "StreetName", street)
    if city:
        _cbc(address, "CityName", city)
    if postcode:
        _cbc(address, "PostalZone", postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", "NL")
    if vat:
        scheme = _cac(party, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", vat)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", name)
    _cbc(legal, "CompanyID", kvk, schemeID=KVK_SCHEME)


def _category(parent: ET.Element, name: str, rate: Decimal) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", "S" if rate > 0 else "Z")
    _cbc(category, "Percent", f"{rate:.2f}")
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def to_ubl(invoice: Invoice) -> bytes:
    """The UBL XML of a sent invoice or credit note (UTF-8)."""
    if invoice.status != Invoice.Status.SENT or invoice.issued_on is None:
        raise ValueError("Only a sent invoice has an e-invoice.")
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    sign = Decimal(-1) if credit else Decimal(1)
    document = "CreditNote" if credit else "Invoice"
    # The document element in the default namespace (ElementTree cannot combine a default
    # namespace with the unqualified attributes UBL uses, such as currencyID).
    root = ET.Element(document, {"xmlns": NS[document]})
    _cbc(root, "CustomizationID", CUSTOMIZATION)
    _cbc(root, "ProfileID", PROFILE)
    _cbc(root, "ID", invoice.number)
    _cbc(root, "IssueDate", invoice.issued_on.isoformat())
    if not credit and invoice.due_on:
        _cbc(root, "DueDate", invoice.due_on.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    if invoice.reason:
        _cbc(root, "Note", invoice.reason)
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    _cbc(root, "BuyerReference", invoice.buyer.get("kvk_number", ""))
    first, last = month_bounds(invoice.month)
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", first.isoformat())
    _cbc(period, "EndDate", last.isoformat())
    if credit and invoice.credits is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.credits.number)
        if invoice.credits.issued_on:
            _cbc(reference, "IssueDate", invoice.credits.issued_on.isoformat())
    issuer = invoice.issuer
    _party(
        root,
        "AccountingSupplierParty",
        name=issuer.organisation.name,
        kvk=issuer.kvk_number,
        street=issuer.street,
        city=issuer.city,
        postcode=issuer.postcode,
        vat=issuer.vat_number,
    )
    buyer = invoice.buyer
    _party(
        root,
        "AccountingCustomerParty",
        name=buyer["name"],
        kvk=buyer["kvk_number"],
        street=buyer.get("street", ""),
        city=buyer.get("city", ""),
        postcode=buyer.get("postcode", ""),
    )
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER)
    _cbc(means, "PaymentID", invoice.number)
    _cbc(_cac(means, "PayeeFinancialAccount"), "ID", issuer.iban)
    if not credit:
        _cbc(_cac(root, "PaymentTerms"), "Note", f"Betaling binnen {issuer.payment_days} dagen")
    lines = list(invoice.lines.all())
    sums = invoicing.totals((sign * line.amount, line.vat_rate) for line in lines)
    tax = _cac(root, "TaxTotal")
    _amount(tax, "TaxAmount", sums.vat)
    for group in sums.groups:
        subtotal = _cac(tax, "TaxSubtotal")
        _amount(subtotal, "TaxableAmount", group.taxable)
        _amount(subtotal, "TaxAmount", group.vat)
        _category(subtotal, "TaxCategory", group.rate)
    total = _cac(root, "LegalMonetaryTotal")
    _amount(total, "LineExtensionAmount", sums.net)
    _amount(total, "TaxExclusiveAmount", sums.net)
    _amount(total, "TaxInclusiveAmount", sums.gross)
    _amount(total, "PayableAmount", sums.gross)
    for number, line in enumerate(lines, start=1):
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", number)
        quantity = "CreditedQuantity" if credit else "InvoicedQuantity"
        _cbc(element, quantity, f"{sign * line.hours:.2f}", unitCode=HOUR)
        _amount(element, "LineExtensionAmount", sign * line.amount)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description[:100])
        _category(item, "ClassifiedTaxCategory", line.vat_rate)
        _amount(_cac(element, "Price"), "PriceAmount", line.rate)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml
