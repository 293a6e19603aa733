"""Production pieces that run in-process: health, request logs, security headers."""

import json
import logging
import sys

import pytest
from django.test import Client

from werkregie.accounts.models import User
from werkregie.core.logs import JsonFormatter
from werkregie.testing import login_client


def test_health_says_ok_and_nothing_more(db: None) -> None:
    response = Client().get("/gezondheid/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_every_request_is_one_json_line_without_the_query_string(
    cast: dict[str, User], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="werkregie.request")
    client = login_client(cast["hr_nuo"])
    response = client.get("/personen/?zoek=geheim", headers={"X-Request-ID": "abc123"})
    assert response["X-Request-ID"] == "abc123"
    record = next(r for r in caplog.records if r.name == "werkregie.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123" and line["user_id"] == cast["hr_nuo"].pk
    assert line["path"] == "/personen/" and line["status"] == response.status_code
    assert "geheim" not in json.dumps(line) and line["duration_ms"] >= 0


def test_errors_are_logged_with_their_traceback() -> None:
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "fout", (), exc_info=sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and "ValueError: kapot" in line["traceback"]


def test_security_headers(cast: dict[str, User]) -> None:
    response = login_client(cast["hr_nuo"]).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_a_nul_character_in_a_query_parameter_is_a_dutch_400(cast: dict[str, User]) -> None:
    from werkregie.testing import api_client

    api = api_client(cast["controller_wierden"])
    refused = api.post("/api/v1/pc-reports?municipality=GM%00", {"year": 2026, "quarter": 1})
    assert refused.status_code == 400 and "NUL-teken" in refused.json()["nonFieldErrors"][0]
    screen = login_client(cast["controller_wierden"]).get("/rapportage/?gemeente=%00")
    assert screen.status_code == 400 and "NUL-teken" in screen.content.decode()
