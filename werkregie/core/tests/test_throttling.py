"""API throttling per key (issue 16): one key's burst does not slow another key down."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from werkregie.accounts.models import User
from werkregie.testing import api_key


def _status(key: str) -> int:
    return Client().get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Token {key}").status_code


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@override_settings(WERKREGIE_API_RATE="3/min")
def test_a_key_over_its_rate_gets_429_in_dutch_and_other_keys_go_on(
    cast: dict[str, User],
) -> None:
    first, second = api_key(cast["hr_nuo"]), api_key(cast["jobcoach_nuo"])
    assert [_status(first) for _ in range(3)] == [200, 200, 200]
    refused = Client().get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Token {first}")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Te veel verzoeken")
    assert _status(second) == 200


def test_without_a_rate_nothing_is_throttled(cast: dict[str, User]) -> None:
    key = api_key(cast["hr_nuo"])
    assert {_status(key) for _ in range(20)} == {200}
