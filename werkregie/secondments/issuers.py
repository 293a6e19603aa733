"""Loading the invoicing organisations from issuers.yaml (versioned data)."""

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation
from werkregie.organisations.region import upsert
from werkregie.secondments.models import Issuer

ISSUERS_FILE = Path(__file__).parent / "data" / "issuers.yaml"
FIELDS = ["prefix", "kvk_number", "vat_number", "iban", "street", "postcode", "city"]


@transaction.atomic
def load_issuers(*, path: Path = ISSUERS_FILE) -> tuple[int, int]:
    """Create or update each issuer; the invoice counter is never touched. Returns
    (created, updated)."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = updated = 0
    for row in data["issuers"]:
        organisation = Organisation.objects.filter(code=row["organisation"]).first()
        if organisation is None:
            raise DomainError(f"issuers.yaml: onbekende organisatie {row['organisation']!r}.")
        values: dict[str, Any] = {name: str(row[name]) for name in FIELDS}
        values["payment_days"] = int(row.get("payment_days", 30))
        _, was_created, was_updated = upsert(Issuer, {"organisation": organisation}, values)
        created += was_created
        updated += was_updated
    return created, updated
