"""`make bench`, over HTTP: the production server (`werkregie serve`, gunicorn with 4 workers)
on the bench's PostgreSQL with the national data set the other parts loaded, and a bounded
closed-loop load generator on 127.0.0.1 only.

Per endpoint, one user at a time: p50/p95 over real HTTP, the queries one request issues, and
the raw-SQL time of the same page: the very statements the request sent, captured in-process
and replayed on a bare cursor (in a transaction that is rolled back). Then the mix of the
list and search endpoints at 1, 4 and 16 users, each for a bounded time: requests/s, p50/p95
and errors. API calls authenticate with an API key, screens with a session that passed the
second factor, as a browser's would."""

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings

from bench.planning import PERIOD
from werkregie.accounts.models import User
from werkregie.accounts.services import create_api_token
from werkregie.client_direction.models import Order
from werkregie.core.access import Action, Role, has_permission
from werkregie.employer_services.models import Vacancy
from werkregie.organisations.models import Organisation
from werkregie.secondments.models import Invoice
from werkregie.testing import login_client

WORKERS = 4
LEVELS = (1, 4, 16)
ROUNDS = 20  # requests per endpoint at one user (after two to warm up)
MIX_SECONDS = 20.0  # per concurrency level
MIX_MAX_REQUESTS = 5000  # per level, whatever the time
REPLAYS = 5
# The throttle counts as in production (core.ApiRateCount); its rate is raised so that the
# load is measured, not refused.
SERVER_RATE = "1000000/min"


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str  # a key of the callers made by _callers
    path: str
    method: str = "GET"
    body: str = ""
    screen: bool = False  # a page with the session cookie instead of the API key
    in_mix: bool = True  # batch-sized pages are timed alone, not in the load mix
    rounds: int = ROUNDS


@dataclass
class Caller:
    user: User
    token: str
    session: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _caller(user: User) -> Caller:
    client = login_client(user)  # a confirmed TOTP device and a verified session
    _, key = create_api_token(actor=user, name="bench", valid_days=1)
    return Caller(user=user, token=key, session=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _callers() -> tuple[dict[str, Caller], dict[str, Any]]:
    """One user per role on the largest municipality's data, and the ids the pages need."""
    largest = (
        Order.objects.filter(client_owner__kind=Organisation.Kind.MUNICIPALITY)
        .values("client_owner_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert largest is not None
    owner = Organisation.objects.get(pk=largest["client_owner_id"])
    municipality = owner.municipality
    assert municipality is not None
    werkplein = Organisation.objects.filter(
        kind=Organisation.Kind.WERKPLEIN, municipality=municipality
    ).first()
    director = User.objects.create_user(
        username="http-kr", role=Role.CLIENT_DIRECTOR, organisation=werkplein or owner
    )
    adviser = User.objects.create_user(
        username="http-wga", role=Role.EMPLOYER_ADVISER, organisation=werkplein or owner
    )
    issuing = Invoice.objects.values("issuer__organisation_id").annotate(n=Count("id"))
    top = issuing.order_by("-n").first()
    assert top is not None
    invoicing = User.objects.create_user(
        username="http-facturen",
        role=Role.EMPLOYER_ADVISER,
        organisation=Organisation.objects.get(pk=top["issuer__organisation_id"]),
    )
    assert has_permission(invoicing, Action.INVOICE_VIEW)
    board = User.objects.get(username="bench-board")  # the planning part's, with agreements
    order = Order.objects.visible_to(director).order_by("-pk").first()
    vacancy = Vacancy.objects.order_by("pk").first()
    assert order is not None and vacancy is not None
    callers = {
        "klantregisseur": _caller(director),
        "werkgeversadviseur": _caller(adviser),
        "facturatie": _caller(invoicing),
        "bestuur": _caller(board),
    }
    return callers, {"order": order.pk, "vacancy": vacancy.pk, "cbs": municipality.cbs_code}


def _endpoints(ids: dict[str, Any]) -> list[Endpoint]:
    period = f"year={PERIOD.year}&quarter={PERIOD.quarter}"
    report = f"/api/v1/pc-reports?{period}&municipality={ids['cbs']}"
    return [
        Endpoint("API persons search", "klantregisseur", "/api/v1/persons/search", "POST",
                 '{"query": "bakker"}'),
        Endpoint("API clients", "klantregisseur", "/api/v1/clients"),
        Endpoint("API work queue (open requests)", "klantregisseur",
                 "/api/v1/orders?queue=aanvragen"),
        Endpoint("API work queue (no progress)", "klantregisseur",
                 "/api/v1/orders?queue=zonder-voortgang"),
        Endpoint("API order detail", "klantregisseur", f"/api/v1/orders/{ids['order']}"),
        Endpoint("screen clients", "klantregisseur", "/klantregie/clienten/", screen=True),
        Endpoint("screen work queue", "klantregisseur",
                 "/klantregie/opdrachten/?werkvoorraad=aanvragen", screen=True),
        Endpoint("screen order", "klantregisseur", f"/klantregie/opdrachten/{ids['order']}/",
                 screen=True),
        Endpoint("API employers search", "werkgeversadviseur", "/api/v1/employers?q=bouw"),
        Endpoint("screen employers search", "werkgeversadviseur", "/werkgevers/?q=bouw",
                 screen=True),
        Endpoint("API vacancy candidates", "werkgeversadviseur",
                 f"/api/v1/vacancies/{ids['vacancy']}/candidates"),
        Endpoint("API invoices", "facturatie", "/api/v1/invoices"),
        Endpoint("screen invoices", "facturatie", "/facturen/", screen=True),
        Endpoint("API quarterly report (largest municipality)", "bestuur", report,
                 in_mix=False, rounds=3),
    ]  # fmt: skip


def _headers(endpoint: Endpoint, caller: Caller) -> dict[str, str]:
    headers = {"Host": "127.0.0.1"}
    if endpoint.screen:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={caller.session}"
    else:
        headers["Accept"] = "application/json"
        headers["Authorization"] = f"Token {caller.token}"
    if endpoint.body:
        headers["Content-Type"] = "application/json"
    return headers


def _request(port: int, endpoint: Endpoint, caller: Caller) -> tuple[float, int]:
    """One request on a new connection (gunicorn's sync workers close each): ms, status."""
    start = time.perf_counter()
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(endpoint.method, endpoint.path, endpoint.body or None,
                     _headers(endpoint, caller))  # fmt: skip
        response = conn.getresponse()
        response.read()
        status = response.status
    finally:
        conn.close()
    return (time.perf_counter() - start) * 1000, status


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


@contextmanager
def _server(port: int) -> Iterator[None]:
    env = {k: v for k, v in os.environ.items() if k != "WERKREGIE_TESTING"}
    env.update(
        SECRET_KEY=settings.SECRET_KEY,  # the bench's sessions are signed with it
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        BEHIND_TLS_PROXY="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        WERKREGIE_API_RATE=SERVER_RATE,
    )
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 (our own command, loopback only)
            [os.path.join(os.path.dirname(sys.executable), "werkregie"), "serve",
             "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(240):
                try:
                    conn = HTTPConnection("127.0.0.1", port, timeout=5)
                    conn.request("GET", "/inloggen/", headers={"Host": "127.0.0.1"})
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None:
                    break
                time.sleep(0.5)
            else:
                raise RuntimeError("the server did not answer")
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError("the server stopped: " + log.read().decode()[-2000:])
            yield
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _in_process(endpoint: Endpoint, caller: Caller) -> tuple[int, float]:
    """The queries one request issues (in-process, the throttle counting as in the server),
    and the median time of replaying exactly those statements."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = caller.session
    extra: dict[str, Any] = {}
    if not endpoint.screen:
        extra["HTTP_AUTHORIZATION"] = f"Token {caller.token}"
    with (
        override_settings(WERKREGIE_API_RATE=SERVER_RATE),
        CaptureQueriesContext(connection) as captured,
    ):
        if endpoint.method == "POST":
            response = client.post(
                endpoint.path, endpoint.body, content_type="application/json", **extra
            )
        else:
            response = client.get(endpoint.path, **extra)
    assert response.status_code == 200, (endpoint.name, response.status_code)
    control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
    queries = [q for q in captured.captured_queries if not q["sql"].upper().startswith(control)]
    # A COPY's rows are not in the log: its time is the one measured in the request.
    copies = [q for q in queries if q["sql"].upper().startswith("COPY")]
    copy_ms = sum(float(q["time"]) for q in copies) * 1000
    statements = [q["sql"] for q in queries if q not in copies]
    samples = []
    for _ in range(REPLAYS):
        with transaction.atomic():
            raw = connection.cursor().cursor  # psycopg's own cursor, no Django around it
            start = time.perf_counter()
            for sql in statements:
                raw.execute(sql)
                if raw.description is not None:
                    raw.fetchall()
            samples.append((time.perf_counter() - start) * 1000 + copy_ms)
            transaction.set_rollback(True)
    return len(queries), statistics.median(samples)


@dataclass
class _Level:
    users: int
    seconds: float = 0.0
    samples: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


def _mix(port: int, endpoints: list[Endpoint], callers: dict[str, Caller], users: int) -> _Level:
    """`users` closed-loop users, each going round the mix from its own starting point,
    until the time or the request bound is reached."""
    level = _Level(users)
    lock = threading.Lock()
    stop_at = time.perf_counter() + MIX_SECONDS
    budget = iter(range(MIX_MAX_REQUESTS))

    def user(offset: int) -> None:
        n = offset
        while time.perf_counter() < stop_at:
            with lock:
                if next(budget, None) is None:
                    return
            endpoint = endpoints[n % len(endpoints)]
            n += 1
            try:
                ms, status = _request(port, endpoint, callers[endpoint.role])
            except OSError:
                ms, status = 0.0, 0
            with lock:
                level.samples.append(ms)
                level.errors += status != 200
                if status != 200:
                    level.statuses[status] += 1

    threads = [threading.Thread(target=user, args=(i * 3,)) for i in range(users)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    level.seconds = time.perf_counter() - start
    return level


def _errors(level: _Level) -> str:
    by_status = ", ".join(f"{n}× {status or 'no answer'}" for status, n in level.statuses.items())
    return f"{level.errors} ({by_status})" if level.errors else "0"


def run(scale: str = "national") -> list[str]:
    callers, ids = _callers()
    endpoints = _endpoints(ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    port = _free_port()
    rows = []
    with _server(port):
        for endpoint in endpoints:
            caller = callers[endpoint.role]
            for _ in range(2):
                _request(port, endpoint, caller)
            timed = [_request(port, endpoint, caller) for _ in range(endpoint.rounds)]
            assert all(status == 200 for _, status in timed), (endpoint.name, timed)
            p50, p95 = _percentiles([ms for ms, _ in timed])
            queries, raw_ms = _in_process(endpoint, caller)
            rows.append((endpoint, p50, p95, queries, raw_ms))
        mix = [e for e in endpoints if e.in_mix]
        levels = [_mix(port, mix, callers, users) for users in LEVELS]

    single = levels[0]
    single_rps = len(single.samples) / single.seconds
    single_p50 = statistics.median(single.samples)
    lines = [
        "",
        f"## Over HTTP (data set `{scale}`, production server with {WORKERS} workers)",
        "",
        "| endpoint (role) | p50 / p95 over HTTP | queries | raw SQL of the same page | "
        "ratio p50 / raw SQL |",
        "| --- | --- | --- | --- | --- |",
    ]
    for endpoint, p50, p95, queries, raw_ms in rows:
        lines.append(
            f"| {endpoint.name} ({endpoint.role}) | {p50:.1f} / {p95:.1f} ms | {queries} | "
            f"{raw_ms:.1f} ms | {p50 / raw_ms:.1f}× |"
        )
    lines += [
        "",
        "| users on the mix | requests | requests/s | vs 1 user | p50 / p95 | p95 vs 1-user p50 "
        "| errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level in levels:
        rps = len(level.samples) / level.seconds
        p50, p95 = _percentiles(level.samples)
        lines.append(
            f"| {level.users} | {len(level.samples):,} | {rps:.1f} | {rps / single_rps:.2f}× | "
            f"{p50:.0f} / {p95:.0f} ms | {p95 / single_p50:.1f}× | {_errors(level)} |"
        )
    lines += [
        "",
        f"Each endpoint: {ROUNDS} requests after two to warm up, one at a time, each on a new",
        "connection (gunicorn's sync workers close it), API calls with an API key and pages",
        "with a second-factor session. Queries: what the same request issues in-process, the",
        "throttle counting as in production. Raw SQL: those statements replayed",
        f"on a bare psycopg cursor, median of {REPLAYS}, rolled back (a COPY of audit rows",
        "counts with the time it took in the request, its rows not being in the log). The mix",
        f"is every endpoint above but the report, {MIX_SECONDS:.0f} s per level (at most",
        f"{MIX_MAX_REQUESTS:,} requests), each user going round it closed-loop; the load",
        "generator runs on the same two cores as the server and the database.",
    ]
    return lines
