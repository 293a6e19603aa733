"""Demo data for secondments: the contracts the transition carried over, renewed when they
ended (at a new rate, the same people); the hours of September and October 2026; September
invoiced and sent (one invoice corrected with a credit note and invoiced anew), October's
invoices as drafts."""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from werkregie.accounts.models import User
from werkregie.secondments import services
from werkregie.secondments.models import (
    HoursRegistration,
    Issuer,
    Secondment,
    SecondmentContract,
)

MONTHS = (date(2026, 9, 1), date(2026, 10, 1))


@transaction.atomic
def load_demo_secondments(*, seed: int = 2026) -> dict[str, int]:
    """A second run adds nothing."""
    if HoursRegistration.objects.exists():
        return {}
    rng = random.Random(seed)
    hr = User.objects.get(username="hr.nuo")
    issuer = Issuer.objects.get(organisation__code="nuo")
    for contract in SecondmentContract.objects.filter(issuer=issuer, end_date__lt=MONTHS[0]):
        services.renew_contract(
            actor=hr,
            contract=contract,
            hourly_rate=contract.hourly_rate + Decimal("1.50"),
            end_date=date(2027, 12, 31),
        )
    secondments = list(
        Secondment.objects.filter(contract__issuer=issuer)
        .active_in(MONTHS[0], MONTHS[-1])
        .order_by("pk")
    )
    for month in MONTHS:
        for secondment in secondments:
            weeks = Decimal("4.33")
            worked = secondment.hours_per_week * weeks * Decimal(rng.choice([90, 95, 100])) / 100
            services.register_hours(
                actor=hr, secondment=secondment, month=month, hours=worked.quantize(Decimal("0.5"))
            )
    september, october = MONTHS
    services.run_invoices(actor=hr, issuer=issuer, month=september)
    sent = services.send_drafts(
        actor=hr, issuer=issuer, month=september, issued_on=date(2026, 10, 2)
    )
    if sent:
        corrected = sent[0]
        services.credit_invoice(
            actor=hr, invoice=corrected, issued_on=date(2026, 10, 9), reason="Uren gecorrigeerd"
        )
        line = corrected.lines.first()
        if line is not None:
            services.register_hours(
                actor=hr,
                secondment=line.secondment,
                month=september,
                hours=max(line.hours - Decimal(8), Decimal(0)),
            )
        services.run_invoices(actor=hr, issuer=issuer, month=september)
        services.send_drafts(actor=hr, issuer=issuer, month=september, issued_on=date(2026, 10, 9))
    drafts = services.run_invoices(actor=hr, issuer=issuer, month=october).drafts
    return {"secondments": len(secondments), "sent": len(sent), "drafts": len(drafts)}
