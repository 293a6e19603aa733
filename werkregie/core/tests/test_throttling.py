"""API throttling per key (issue 16): one key's burst does not slow another key down."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from werkregie.accounts.models import User
from werkregie.core.api import PerCallerRateThrottle
from werkregie.core.models import ApiRateCount
from werkregie.testing import api_key


def _status(key: str) -> int:
    return Client().get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Token {key}").status_code


class _Clock:
    """The throttle's clock, set by the test: no test straddles a window by chance."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0 + 5  # five seconds into a minute

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fixed = _Clock()
    monkeypatch.setattr(PerCallerRateThrottle, "timer", staticmethod(fixed))
    return fixed


@override_settings(WERKREGIE_API_RATE="3/min")
def test_a_key_over_its_rate_gets_429_in_dutch_and_other_keys_go_on(
    cast: dict[str, User],
) -> None:
    first, second = api_key(cast["hr_nuo"]), api_key(cast["jobcoach_nuo"])
    assert [_status(first) for _ in range(3)] == [200, 200, 200]
    refused = Client().get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Token {first}")
    assert refused.status_code == 429 and int(refused["Retry-After"]) == 55
    assert refused.json()["detail"].startswith("Te veel verzoeken")
    assert _status(second) == 200


@override_settings(WERKREGIE_API_RATE="2/min")
def test_the_next_window_counts_afresh_in_one_row_per_key(
    cast: dict[str, User], clock: _Clock
) -> None:
    key = api_key(cast["hr_nuo"])
    assert [_status(key) for _ in range(3)] == [200, 200, 429]
    clock.now += 60
    assert [_status(key) for _ in range(3)] == [200, 200, 429]
    assert ApiRateCount.objects.count() == 1
    assert ApiRateCount.objects.get().count == 3  # refused requests count too


def test_counting_costs_one_query(cast: dict[str, User]) -> None:
    key = api_key(cast["hr_nuo"])
    _status(key)  # the key's use is recorded once a minute: not in the count below
    with override_settings(WERKREGIE_API_RATE=None), CaptureQueriesContext(connection) as free:
        _status(key)
    with (
        override_settings(WERKREGIE_API_RATE="100/min"),
        CaptureQueriesContext(connection) as counted,
    ):
        _status(key)
    assert len(counted) == len(free) + 1


def test_without_a_rate_nothing_is_throttled(cast: dict[str, User]) -> None:
    key = api_key(cast["hr_nuo"])
    assert {_status(key) for _ in range(20)} == {200}
