"""Loading the product catalogue (data/catalogue.yaml) and checking it before anything is
written: an unknown provider or client owner, or two prices of one owner that overlap,
stops the load with a Dutch message naming the entry."""

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from werkregie.accounts.models import User
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Price, Product
from werkregie.core import audit
from werkregie.core.errors import DomainError
from werkregie.organisations.models import Organisation
from werkregie.organisations.region import LoadResult, upsert, yaml_date

CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.yaml"
WHERE = "de productcatalogus"


def _organisation(orgs: dict[str, Organisation], code: str, where: str) -> Organisation:
    if code not in orgs:
        raise DomainError(f"{where}: onbekende organisatie '{code}'.")
    return orgs[code]


def _amount(value: Any, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(f"{where}: '{value}' is geen bedrag.") from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(f"{where}: een tarief is een positief bedrag in centen, niet {value}.")
    return amount


def _check_overlaps(where: str, prices: list[dict[str, Any]]) -> None:
    periods: dict[str, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for price in prices:
        start = yaml_date(price["valid_from"], where=WHERE)
        end = yaml_date(price.get("valid_to"), where=WHERE) or datetime.date.max
        assert start is not None
        if end < start:
            raise DomainError(f"{where}: tarief vanaf {start:%d-%m-%Y} eindigt vóór het begint.")
        owner = price.get("client_owner") or "standaard"
        for other_start, other_end in periods[owner]:
            if start <= other_end and other_start <= end:
                raise DomainError(
                    f"{where}: twee tarieven voor {owner} overlappen "
                    f"(vanaf {other_start:%d-%m-%Y} en vanaf {start:%d-%m-%Y})."
                )
        periods[owner].append((start, end))


@transaction.atomic
def load_catalogue(*, path: Path = CATALOGUE_FILE, actor: User | None = None) -> LoadResult:
    """Load the catalogue; idempotent. Prices no longer in the file are removed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    orgs = {o.code: o for o in Organisation.objects.all()}
    created = updated = 0
    for number, row in enumerate(data["products"], start=1):
        where = f"Product {number} ({row.get('provider')}/{row.get('code')})"
        provider = _organisation(orgs, row["provider"], where)
        if row["kind"] not in Product.Kind.values or row["unit"] not in Product.Unit.values:
            raise DomainError(f"{where}: onbekende soort of eenheid.")
        _check_overlaps(where, row.get("prices", []))
        product, new, changed = upsert(
            Product,
            {"provider": provider, "code": row["code"]},
            {
                "kind": row["kind"],
                "name": row["name"],
                "unit": row["unit"],
                "description": row.get("description", ""),
                "valid_from": yaml_date(row["valid_from"], where=WHERE),
                "valid_to": yaml_date(row.get("valid_to"), where=WHERE),
            },
        )
        created, updated = created + new, updated + changed
        kept = set()
        for price in row.get("prices", []):
            owner = price.get("client_owner")
            obj, new, changed = upsert(
                Price,
                {
                    "product": product,
                    "client_owner": _organisation(orgs, owner, where) if owner else None,
                    "valid_from": yaml_date(price["valid_from"], where=WHERE),
                },
                {
                    "amount": _amount(price["amount"], where),
                    "valid_to": yaml_date(price.get("valid_to"), where=WHERE),
                },
            )
            kept.add(obj.pk)
            created, updated = created + new, updated + changed
        removed, _ = product.prices.exclude(pk__in=kept).delete()
        updated += removed
    version = str(data["version"])
    if created or updated:
        audit.record_change(
            actor=actor,
            action=ClientDirectionEvent.CATALOGUE_LOADED,
            obj=orgs["nuo"],
            changes={"version": {"old": None, "new": version}},
        )
    return LoadResult(version=version, created=created, updated=updated)
