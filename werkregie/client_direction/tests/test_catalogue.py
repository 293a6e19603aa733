from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from werkregie.accounts.models import User
from werkregie.client_direction.catalogue import CATALOGUE_FILE, load_catalogue
from werkregie.client_direction.events import ClientDirectionEvent
from werkregie.client_direction.models import Price, Product
from werkregie.core.errors import DomainError
from werkregie.core.models import AuditEvent
from werkregie.organisations.models import Organisation
from werkregie.testing import api_client


def _product(provider: str = "nuo", code: str = "beschut-werkplek") -> Product:
    return Product.objects.get(provider__code=provider, code=code)


def test_loading_again_changes_nothing(region: None) -> None:
    before = (Product.objects.count(), Price.objects.count(), AuditEvent.objects.count())
    result = load_catalogue()
    assert (result.created, result.updated) == (0, 0)
    assert (Product.objects.count(), Price.objects.count(), AuditEvent.objects.count()) == before
    assert Product.objects.count() == len(yaml.safe_load(CATALOGUE_FILE.read_text())["products"])


@pytest.mark.parametrize(
    ("day", "owner", "amount"),
    [
        (date(2021, 1, 1), None, "1450.00"),
        (date(2025, 12, 31), None, "1450.00"),  # last day of the old price
        (date(2026, 1, 1), None, "1525.00"),  # first day of the new one
        (date(2026, 1, 1), "uwv", "1610.00"),  # a third party's own price
        (date(2026, 1, 1), "gemeente-dinkelland", "1575.00"),
        (date(2026, 1, 1), "gemeente-almelo", "1525.00"),  # no own price: the standard
    ],
)
def test_price_on_a_day_for_a_client_owner(
    region: None, day: date, owner: str | None, amount: str
) -> None:
    client_owner = Organisation.objects.get(code=owner) if owner else None
    price = _product().price_on(day, client_owner)
    assert price is not None and price.amount == Decimal(amount)


def test_no_price_before_the_product_exists(region: None) -> None:
    assert _product().price_on(date(2020, 12, 31)) is None


def _write(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["products"][0].update(change)
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"provider": "bestaat-niet"}, "onbekende organisatie 'bestaat-niet'"),
        (
            {
                "prices": [
                    {"amount": "1", "valid_from": date(2021, 1, 1)},
                    {"amount": "2", "valid_from": date(2022, 1, 1)},
                ]
            },
            "twee tarieven voor standaard overlappen",
        ),
        ({"prices": [{"amount": "-5", "valid_from": date(2021, 1, 1)}]}, "positief bedrag"),
        ({"prices": [{"amount": "veel", "valid_from": date(2021, 1, 1)}]}, "geen bedrag"),
        ({"kind": "onzin"}, "onbekende soort"),
    ],
)
def test_a_bad_catalogue_is_refused_and_changes_nothing(
    region: None, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    before = list(Price.objects.values_list("pk", "amount", "valid_to"))
    with pytest.raises(DomainError, match=message) as error:
        load_catalogue(path=_write(tmp_path, change))
    assert "Product 1" in error.value.message
    assert list(Price.objects.values_list("pk", "amount", "valid_to")) == before
    with pytest.raises(CommandError, match=message):
        call_command("load_catalogue", "--file", str(_write(tmp_path, change)))


def test_a_changed_price_is_updated_and_audited(region: None, tmp_path: Path) -> None:
    prices = [
        {"amount": "1450.00", "valid_from": date(2021, 1, 1), "valid_to": date(2025, 12, 31)},
        {"amount": "1540.00", "valid_from": date(2026, 1, 1)},
    ]
    result = load_catalogue(path=_write(tmp_path, {"prices": prices}))
    # The new amount, and the two third-party prices no longer in the file are removed.
    assert result.updated == 3
    assert _product().price_on(date(2026, 6, 1)).amount == Decimal("1540.00")  # type: ignore[union-attr]
    assert _product().prices.count() == 2
    assert AuditEvent.objects.filter(action=ClientDirectionEvent.CATALOGUE_LOADED).exists()


def test_catalogue_screen_shows_prices_of_the_chosen_day(cast: dict[str, User]) -> None:
    from werkregie.testing import login_client

    client: Client = login_client(cast["client_director_almelo"])
    html = client.get("/klantregie/producten/?datum=2025-06-01").content.decode()
    assert "Beschut werkplek" in html and "€ 1.450,00" in html and "UWV: € 1.610,00" in html
    assert "€ 1.525,00" not in html
    later = client.get("/klantregie/producten/?datum=2026-06-01").content.decode()
    assert "€ 1.525,00" in later
    assert (
        "geen producten" in client.get("/klantregie/producten/?datum=2020-06-01").content.decode()
    )


def test_products_api_filters_by_day_and_provider(cast: dict[str, User]) -> None:
    client = api_client(cast["controller_wierden"])
    body = client.get("/api/v1/products?activeOn=2026-01-01&provider__code=nuo").json()
    workplace = next(p for p in body["results"] if p["code"] == "beschut-werkplek")
    assert {(p["clientOwner"], p["amount"]) for p in workplace["prices"]} == {
        (None, "1525.00"),
        ("uwv", "1610.00"),
        ("gemeente-dinkelland", "1575.00"),
    }
    assert {p["provider"] for p in body["results"]} == {"nuo"}
    every = client.get(f"/api/v1/products/{workplace['id']}").json()
    assert len(every["prices"]) == 4  # every period, not only the day's
    bad = client.get("/api/v1/products?activeOn=morgen")
    assert bad.status_code == 400 and "JJJJ-MM-DD" in bad.json()["activeOn"][0]
