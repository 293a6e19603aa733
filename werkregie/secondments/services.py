"""Secondments' write API: contracts, secondments, hours, and invoicing (run, send, credit).
Transition rule 4: existing secondments continue; they arrive here from the old company's
contracts (`take_over_contracts`)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum

from werkregie.accounts.models import User
from werkregie.core import audit
from werkregie.core.db import filter_in, insert_rows
from werkregie.core.errors import DomainError
from werkregie.core.params import month_bounds
from werkregie.core.progress import NO_PROGRESS, Progress
from werkregie.employer_services.models import Employer
from werkregie.people.models import Employment, Person
from werkregie.secondments import invoicing
from werkregie.secondments.events import SecondmentsEvent
from werkregie.secondments.models import (
    HoursRegistration,
    Invoice,
    InvoiceLine,
    Issuer,
    Secondment,
    SecondmentContract,
)


def _check_period(start: datetime.date, end: datetime.date | None, field_: str) -> None:
    if end is not None and end < start:
        raise DomainError("De einddatum ligt vóór de begindatum.", field=field_)


@transaction.atomic
def create_contract(
    *,
    actor: User | None,
    issuer: Issuer,
    hirer: Employer,
    hourly_rate: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    vat_rate: Decimal = Decimal(21),
    legacy_reference: str = "",
) -> SecondmentContract:
    """A secondment agreement with a hirer, numbered in the issuer's contract series."""
    _check_period(start_date, end_date, "end_date")
    if hirer.merged_into_id:
        raise DomainError(f"{hirer} is samengevoegd met {hirer.merged_into}.", field="hirer")
    issuer = Issuer.objects.select_for_update().get(pk=issuer.pk)
    sequence = SecondmentContract.objects.filter(issuer=issuer).count() + 1
    contract = SecondmentContract(
        number=f"{issuer.prefix}-D{sequence:05d}",
        issuer=issuer,
        hirer=hirer,
        hourly_rate=hourly_rate,
        vat_rate=vat_rate,
        start_date=start_date,
        end_date=end_date,
        legacy_reference=legacy_reference,
    )
    contract.full_clean()
    contract.save()
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.CONTRACT_SAVED,
        obj=contract,
        changes=audit.diff(
            {}, audit.snapshot(contract, ["hirer", "hourly_rate", "start_date", "end_date"])
        ),
    )
    return contract


@transaction.atomic
def end_contract(
    *, actor: User | None, contract: SecondmentContract, end_date: datetime.date
) -> SecondmentContract:
    """End the contract, and every secondment under it that runs longer."""
    _check_period(contract.start_date, end_date, "end_date")
    old = contract.end_date
    contract.end_date = end_date
    contract.save(update_fields=["end_date"])
    for secondment in contract.secondments.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end_date)
    ):
        end_secondment(
            actor=actor, secondment=secondment, end_date=max(end_date, secondment.start_date)
        )
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.CONTRACT_SAVED,
        obj=contract,
        changes={"end_date": {"old": audit.json_value(old), "new": end_date.isoformat()}},
    )
    return contract


@transaction.atomic
def renew_contract(
    *,
    actor: User | None,
    contract: SecondmentContract,
    hourly_rate: Decimal,
    end_date: datetime.date | None = None,
) -> SecondmentContract:
    """Continue an ended (or ending) contract with the same hirer from the day after its end:
    a new contract at the new rate, with everyone seconded on its last day who is still
    employed then, for the same hours (rule 4: secondments continue)."""
    if contract.end_date is None:
        raise DomainError("Dit contract loopt zonder einddatum; verlengen is niet nodig.")
    start = contract.end_date + datetime.timedelta(days=1)
    successor = create_contract(
        actor=actor,
        issuer=contract.issuer,
        hirer=contract.hirer,
        hourly_rate=hourly_rate,
        vat_rate=contract.vat_rate,
        start_date=start,
        end_date=end_date,
    )
    employed = set(
        Employment.objects.active_on(start)
        .values_list("person_id", flat=True)
        .filter(person_id__in=contract.secondments.values("person_id"))
    )
    for secondment in contract.secondments.active_in(contract.end_date, contract.end_date):
        if secondment.person_id in employed:
            add_secondment(
                actor=actor,
                contract=successor,
                person=secondment.person,
                hours_per_week=secondment.hours_per_week,
                start_date=start,
                end_date=end_date,
            )
    return successor


@transaction.atomic
def add_secondment(
    *,
    actor: User | None,
    contract: SecondmentContract,
    person: Person,
    hours_per_week: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> Secondment:
    """Second an employee under the contract; only someone employed on the start date."""
    _check_period(start_date, end_date, "end_date")
    if start_date < contract.start_date or (
        contract.end_date is not None and start_date > contract.end_date
    ):
        raise DomainError(
            "De detachering valt buiten de looptijd van het contract.", field="start_date"
        )
    if not Employment.objects.active_on(start_date).filter(person=person).exists():
        raise DomainError(
            f"{person} is op {start_date:%d-%m-%Y} niet in dienst; alleen medewerkers worden "
            "gedetacheerd.",
            field="person",
        )
    secondment = Secondment(
        contract=contract,
        person=person,
        hours_per_week=hours_per_week,
        start_date=start_date,
        end_date=end_date if end_date is not None else contract.end_date,
    )
    secondment.full_clean()
    secondment.save()
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.SECONDMENT_SAVED,
        obj=secondment,
        changes=audit.diff(
            {}, audit.snapshot(secondment, ["contract", "hours_per_week", "start_date", "end_date"])
        ),
    )
    return secondment


@transaction.atomic
def end_secondment(
    *, actor: User | None, secondment: Secondment, end_date: datetime.date
) -> Secondment:
    """End a running secondment; the employee's employment is untouched (transition rule 5)."""
    _check_period(secondment.start_date, end_date, "end_date")
    old = secondment.end_date
    secondment.end_date = end_date
    secondment.save(update_fields=["end_date"])
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.SECONDMENT_SAVED,
        obj=secondment,
        changes={"end_date": {"old": audit.json_value(old), "new": end_date.isoformat()}},
    )
    return secondment


def invoiced(secondment: Secondment, month: datetime.date) -> Invoice | None:
    """The sent invoice (not credited) that bills this secondment's month, if any."""
    line = (
        InvoiceLine.objects.filter(
            secondment=secondment,
            invoice__month=month,
            invoice__kind=Invoice.Kind.INVOICE,
            invoice__status=Invoice.Status.SENT,
            invoice__credit_note__isnull=True,
        )
        .select_related("invoice")
        .first()
    )
    return line.invoice if line else None


@transaction.atomic
def register_hours(
    *, actor: User | None, secondment: Secondment, month: datetime.date, hours: Decimal
) -> HoursRegistration:
    """The hours worked at the hirer in a month. Once that month is invoiced and sent, the
    hours stand: a correction starts with a credit note of that invoice."""
    first, last = month_bounds(month)
    if secondment.start_date > last or (secondment.end_date and secondment.end_date < first):
        raise DomainError(f"De detachering loopt niet in {first:%m-%Y}.", field="month")
    sent = invoiced(secondment, first)
    if sent is not None:
        raise DomainError(
            f"{first:%m-%Y} is al gefactureerd ({sent.number}); crediteer die factuur eerst.",
            field="hours",
        )
    registration = HoursRegistration.objects.filter(secondment=secondment, month=first).first()
    old = {"hours": audit.json_value(registration.hours)} if registration else {}
    if registration is None:
        registration = HoursRegistration(secondment=secondment, month=first)
    registration.hours, registration.registered_by = hours, actor
    registration.full_clean()
    registration.save()
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.HOURS_REGISTERED,
        obj=registration,
        changes=audit.diff(old, {"month": first.isoformat(), "hours": str(hours)}),
    )
    return registration


# -- invoicing ---------------------------------------------------------------------------


@dataclass
class RunResult:
    month: datetime.date
    drafts: list[Invoice] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)  # hirer names
    lines: int = 0
    total: Decimal = Decimal(0)


def _employers_on(person_ids: list[int], day: datetime.date) -> dict[int, int]:
    """Person → the organisation that employs them on `day` (for the revenue split)."""
    employments = (
        Employment.objects.active_on(day)
        .order_by("valid_from")
        .values_list("person_id", "employer_id")
    )
    return dict(filter_in(employments, "person_id", person_ids))


@transaction.atomic
def run_invoices(
    *, actor: User | None, issuer: Issuer, month: datetime.date, progress: Progress = NO_PROGRESS
) -> RunResult:
    """The month's invoices of an issuer: one draft per hirer with a line per employee's
    registered hours. Drafts are made anew (so hours changed since count); a hirer whose
    invoice for the month was sent is left alone (correct it with a credit note)."""
    first, last = month_bounds(month)
    result = RunResult(month=first)
    issuer = Issuer.objects.select_for_update().get(pk=issuer.pk)
    existing = Invoice.objects.filter(issuer=issuer, month=first, kind=Invoice.Kind.INVOICE)
    stale = list(existing.filter(status=Invoice.Status.DRAFT))
    InvoiceLine.objects.filter(invoice__in=stale).delete()
    Invoice.objects.filter(pk__in=[i.pk for i in stale]).delete()
    sent_hirers = set(
        existing.filter(status=Invoice.Status.SENT, credit_note__isnull=True).values_list(
            "hirer_id", flat=True
        )
    )
    # Value rows, not instances: the national run has tens of thousands of lines.
    contract = "secondment__contract__"
    person = "secondment__person__"
    rows = list(
        HoursRegistration.objects.filter(
            month=first, hours__gt=0, secondment__contract__issuer=issuer
        )
        .order_by(
            f"{contract}hirer__search_name",
            f"{contract}number",
            f"{person}search_name",
            "secondment_id",
        )
        .values_list(
            "secondment_id",
            "hours",
            "secondment__person_id",
            f"{contract}hirer_id",
            f"{contract}hirer__name",
            f"{contract}number",
            f"{contract}hourly_rate",
            f"{contract}vat_rate",
            *(f"{person}{name}" for name in Person.NAME_FIELDS),
        )
    )
    employers = _employers_on(sorted({r[2] for r in rows}), last)
    by_hirer: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_hirer.setdefault(row[3], []).append(row)
    invoices, lines_per_invoice = [], []
    progress.phase("inleners gefactureerd", len(by_hirer))
    for hirer_id, registrations in by_hirer.items():
        progress.advance()
        if hirer_id in sent_hirers:
            result.already_sent.append(registrations[0][4])
            continue
        lines = [
            (
                secondment_id,
                f"Detachering {Person.format_name(*name)}, contract {number}, {first:%m-%Y}",
                employers.get(person_id),
                hours,
                rate,
                invoicing.line_amount(hours, rate),
                vat_rate,
            )
            for secondment_id, hours, person_id, _, _, number, rate, vat_rate, *name in (
                registrations
            )
        ]
        sums = invoicing.totals((line[5], line[6]) for line in lines)
        invoices.append((issuer.pk, hirer_id, first, sums.net, sums.vat, sums.gross))
        lines_per_invoice.append(lines)
    ids = insert_rows(
        Invoice,
        ["issuer_id", "hirer_id", "month", "net_amount", "vat_amount", "gross_amount"],
        invoices,
    )
    insert_rows(
        InvoiceLine,
        ["invoice_id", "secondment_id", "description", "employer_id", "hours", "rate", "amount",
         "vat_rate"],
        [(pk, *line) for pk, lines in zip(ids, lines_per_invoice, strict=True) for line in lines],
        return_ids=False,
    )  # fmt: skip
    result.drafts = list(Invoice.objects.filter(pk__in=ids).select_related("hirer").order_by("pk"))
    result.lines = sum(len(lines) for lines in lines_per_invoice)
    result.total = sum((row[5] for row in invoices), Decimal(0))
    audit.record_changes(
        actor=actor,
        action=SecondmentsEvent.INVOICE_DRAFTED,
        changes=(
            (
                i,
                {
                    "month": {"old": None, "new": first.isoformat()},
                    "gross": {"old": None, "new": str(i.gross_amount)},
                },
            )
            for i in result.drafts
        ),
    )
    return result


def buyer_of(hirer: Employer) -> dict[str, str]:
    return {
        "name": hirer.name,
        "kvk_number": hirer.kvk_number,
        "street": f"{hirer.street} {hirer.house_number}".strip(),
        "postcode": hirer.postcode,
        "city": hirer.city,
    }


def _number(invoice: Invoice, issued_on: datetime.date) -> None:
    """Give the next number of the issuer's series, under a row lock on the issuer, so two
    sends never take the same number and a number is only taken by an invoice that is sent:
    no gaps."""
    issuer = Issuer.objects.select_for_update().get(pk=invoice.issuer_id)
    invoice.number = invoicing.invoice_number(issuer.prefix, issuer.next_number)
    issuer.next_number += 1
    issuer.save(update_fields=["next_number"])
    invoice.status = Invoice.Status.SENT
    invoice.issued_on = issued_on
    invoice.due_on = issued_on + datetime.timedelta(days=issuer.payment_days)


@transaction.atomic
def send_invoice(*, actor: User | None, invoice: Invoice, issued_on: datetime.date) -> Invoice:
    """Number and freeze a draft: from now on it never changes."""
    invoice = Invoice.objects.select_for_update().select_related("hirer").get(pk=invoice.pk)
    if invoice.status != Invoice.Status.DRAFT:
        raise DomainError(f"{invoice} is al verzonden.")
    invoice.buyer = buyer_of(invoice.hirer)
    _number(invoice, issued_on)
    invoice.full_clean()
    invoice.save()
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.INVOICE_SENT,
        obj=invoice,
        changes={
            "number": {"old": "", "new": invoice.number},
            "gross": {"old": None, "new": str(invoice.gross_amount)},
        },
    )
    return invoice


def send_drafts(
    *, actor: User | None, issuer: Issuer, month: datetime.date, issued_on: datetime.date
) -> list[Invoice]:
    """Send every draft of the month, in hirer order."""
    with transaction.atomic():
        drafts = list(
            Invoice.objects.filter(
                issuer=issuer, month=month.replace(day=1), status="draft"
            ).order_by("hirer__search_name", "id")
        )
        return [send_invoice(actor=actor, invoice=d, issued_on=issued_on) for d in drafts]


@transaction.atomic
def delete_draft(*, actor: User | None, invoice: Invoice) -> None:
    if invoice.status != Invoice.Status.DRAFT:
        raise DomainError("Een verzonden factuur wordt niet verwijderd; crediteer haar.")
    audit.record_change(
        actor=actor, action=SecondmentsEvent.INVOICE_DELETED, obj=invoice, changes={}
    )
    invoice.lines.all().delete()
    invoice.delete()


@transaction.atomic
def credit_invoice(
    *, actor: User | None, invoice: Invoice, issued_on: datetime.date, reason: str
) -> Invoice:
    """Reverse a sent invoice in full with a credit note (its own number in the same
    series); the month can then be invoiced anew."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE or invoice.status != Invoice.Status.SENT:
        raise DomainError("Alleen een verzonden factuur kan worden gecrediteerd.")
    if Invoice.objects.filter(credits=invoice).exists():
        raise DomainError(f"{invoice.number} is al gecrediteerd.")
    if not reason.strip():
        raise DomainError("Geef de reden van de creditnota.", field="reason")
    note = Invoice.objects.create(
        issuer_id=invoice.issuer_id,
        hirer_id=invoice.hirer_id,
        month=invoice.month,
        kind=Invoice.Kind.CREDIT_NOTE,
        credits=invoice,
        reason=reason.strip(),
        buyer=invoice.buyer,
        net_amount=-invoice.net_amount,
        vat_amount=-invoice.vat_amount,
        gross_amount=-invoice.gross_amount,
    )
    # Lines first, then the number: the database refuses lines on a sent document.
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=note,
                secondment_id=line.secondment_id,
                description=line.description,
                employer_id=line.employer_id,
                hours=-line.hours,
                rate=line.rate,
                amount=-line.amount,
                vat_rate=line.vat_rate,
            )
            for line in invoice.lines.all()
        ]
    )
    _number(note, issued_on)
    note.full_clean()
    note.save()
    audit.record_change(
        actor=actor,
        action=SecondmentsEvent.INVOICE_CREDITED,
        obj=invoice,
        changes={
            "credit_note": {"old": None, "new": note.number},
            "reason": {"old": None, "new": note.reason},
        },
    )
    return note


@dataclass(frozen=True)
class RevenueRow:
    month: datetime.date
    employer_id: int | None
    employer: str
    amount: Decimal


def revenue(lines: QuerySet[InvoiceLine]) -> list[RevenueRow]:
    """The revenue (excl. VAT) of sent invoices and credit notes, per month and per
    organisation that employs the seconded employees."""
    rows = (
        lines.filter(invoice__status=Invoice.Status.SENT)
        .values("invoice__month", "employer_id", "employer__name")
        .annotate(amount=Sum("amount"))
        .order_by("invoice__month", "employer__name")
    )
    return [
        RevenueRow(
            r["invoice__month"], r["employer_id"], r["employer__name"] or "onbekend", r["amount"]
        )
        for r in rows
    ]


# -- transition --------------------------------------------------------------------------


@dataclass(frozen=True)
class LegacySecondmentContract:
    """A running secondment contract of the old company as the transition hands it over."""

    number: str
    hirer_kvk: str
    hirer_name: str
    hourly_rate: Decimal
    end_date: datetime.date | None
    # person id (in the registry) → hours per week
    employees: dict[int, Decimal]


@transaction.atomic
def take_over_contracts(
    *,
    actor: User | None,
    issuer: Issuer,
    effective_date: datetime.date,
    contracts: list[LegacySecondmentContract],
) -> int:
    """Transition rule 4: existing secondments continue. Each contract becomes a contract of
    the issuer (once: keyed on its old number) from the effective date, its hirer a shared
    employer record (found by KvK number or made), every employee on it a secondment."""
    done = set(
        SecondmentContract.objects.filter(
            legacy_reference__in=[c.number for c in contracts]
        ).values_list("legacy_reference", flat=True)
    )
    todo = [c for c in contracts if c.number not in done]
    if not todo:
        return 0
    from werkregie.employer_services.services import create_employer

    hirers = {
        e.kvk_number: e
        for e in Employer.objects.current().filter(kvk_number__in={c.hirer_kvk for c in todo})
    }
    for legacy in sorted(todo, key=lambda c: c.number):
        if legacy.hirer_kvk not in hirers:
            hirers[legacy.hirer_kvk] = create_employer(
                actor=actor,
                confirmed=True,
                kvk_number=legacy.hirer_kvk,
                name=legacy.hirer_name,
                postcode="7600AA",
                city="onbekend",
            )
        contract = create_contract(
            actor=actor,
            issuer=issuer,
            hirer=hirers[legacy.hirer_kvk],
            hourly_rate=legacy.hourly_rate,
            start_date=effective_date,
            end_date=legacy.end_date,
            legacy_reference=legacy.number,
        )
        rows = [
            Secondment(
                contract=contract,
                person_id=person_id,
                hours_per_week=hours,
                start_date=effective_date,
                end_date=legacy.end_date,
            )
            for person_id, hours in sorted(legacy.employees.items())
        ]
        Secondment.objects.bulk_create(rows)
        audit.record_changes(
            actor=actor,
            action=SecondmentsEvent.SECONDMENT_SAVED,
            changes=(
                (
                    s,
                    {
                        "contract": {"old": None, "new": contract.number},
                        "legacy": {"old": None, "new": legacy.number},
                    },
                )
                for s in rows
            ),
        )
    return len(todo)
