"""Smoke test of the production server over real HTTP (scripts/test.sh starts it).

Checks what only a real deployment shows: gunicorn answers, health is green, the login page
loads its CSS from the hashed, compressed static path WhiteNoise serves, the security headers
are there, and the API refuses the anonymous. With a user, password and export folder: logs
in with the second factor, runs a roster import as a job to the end while watching its
progress, and downloads a report.
"""

import base64
import hashlib
import hmac
import http.cookiejar
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE = sys.argv[1].rstrip("/")


def get(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(BASE + path, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def main() -> None:
    for _ in range(60):
        try:
            status, _, body = get("/gezondheid/")
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        sys.exit("smoke: the server did not become healthy")
    assert body == b'{"status": "ok", "database": "ok", "migrations": "ok", "worker": "ok"}', body
    status, headers, page = get("/inloggen/")
    assert status == 200, status
    assert headers.get("X-Frame-Options") == "DENY" and "X-Request-ID" in headers
    css = re.search(rb'href="(/static/core/werkregie\.[0-9a-f]{12}\.css)"', page)
    assert css, "the login page does not link the hashed CSS"
    status, headers, _ = get(css.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"].startswith("text/css"), headers
    assert headers.get("Content-Encoding") == "gzip" and "immutable" in headers["Cache-Control"]
    assert get("/api/v1/persons")[0] == 401
    print("smoke: production server healthy, hashed static files served, API closed")
    if len(sys.argv) == 5:
        browser = log_in(sys.argv[2], sys.argv[3])
        import_as_job(browser, Path(sys.argv[4]))
        download_report(browser)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 as the authenticator app computes it (django-otp: SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser:
    """Cookies, CSRF and no automatic redirects: every step is checked as it happens."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def open(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(  # noqa: S310 (loopback)
            BASE + path, data=data, headers={"Referer": BASE + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def post(self, path: str, page: bytes, fields: dict[str, str]) -> tuple[int, dict[str, str]]:
        status, headers, _ = self.open(
            path, urllib.parse.urlencode({"csrfmiddlewaretoken": csrf(page), **fields}).encode()
        )
        return status, headers


def csrf(page: bytes) -> str:
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the page"
    return token.group(1).decode()


def log_in(username: str, password: str) -> Browser:
    """Password, then the second factor: enrol the authenticator with the key the page shows
    and a code computed from it, as a new user does."""
    browser = Browser()
    _, _, page = browser.open("/inloggen/")
    status, headers = browser.post("/inloggen/", page, {"username": username, "password": password})
    assert status == 302 and headers["Location"] == "/inloggen/koppelen/", (status, headers)
    _, _, page = browser.open("/inloggen/koppelen/")
    secret = re.search(rb"Sleutel: <code>([A-Z2-7=]+)</code>", page)
    assert secret, "the enrolment page shows no key"
    status, headers = browser.post(
        "/inloggen/koppelen/", page, {"token": totp(secret.group(1).decode())}
    )
    assert status == 302 and headers["Location"] == "/", (status, headers)
    assert browser.open("/")[0] == 200
    print(f"smoke: {username} logged in with password and TOTP (second factor enrolled)")
    return browser


def multipart(fields: dict[str, str], files: list[Path]) -> tuple[bytes, str]:
    boundary = f"smoke{int(time.time() * 1000)}"
    head = f"--{boundary}\r\nContent-Disposition: form-data; name="
    parts = [f'{head}"{name}"\r\n\r\n{value}\r\n'.encode() for name, value in fields.items()]
    parts.extend(
        f'{head}"exports"; filename="{path.name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + path.read_bytes()
        + b"\r\n"
        for path in files
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def import_as_job(browser: Browser, folder: Path) -> None:
    """Upload the exports (a check only), follow the job page as htmx polls it, and see the
    progress counts move before the outcome arrives."""
    _, _, page = browser.open("/transitie/import/")
    key = re.search(rb'name="idempotency_key" value="(\w+)"', page)
    assert key, "the import form has no idempotency key"
    files = sorted(folder.glob("*.csv"))
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": csrf(page),
            "idempotency_key": key.group(1).decode(),
            "dry_run": "on",
        },
        files,
    )
    status, headers, _ = browser.open("/transitie/import/", body, {"Content-Type": content_type})
    assert status == 302 and headers["Location"].startswith("/taken/"), (status, headers)
    job = headers["Location"]
    seen: list[tuple[int, int]] = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        _, _, fragment = browser.open(job, headers={"HX-Request": "true"})
        state = re.search(rb'data-status="(\w+)"', fragment)
        assert state, fragment[:500]
        count = re.search(rb"([\d.]+) van ([\d.]+) rijen gecontroleerd", fragment)
        if count and state.group(1) == b"running":
            seen.append(tuple(int(g.replace(b".", b"")) for g in count.groups()))  # type: ignore[arg-type]
        if state.group(1) in (b"done", b"failed"):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the import job did not finish in 10 minutes")
    text = fragment.decode()
    assert state.group(1) == b"done" and "Controle geslaagd" in text, text[:2000]
    assert seen and seen[0][0] < seen[0][1], f"no progress seen while running: {seen}"
    rows = sum(path.read_bytes().count(b"\n") - 1 for path in files)
    assert seen[0][1] == rows, (seen[0], rows)
    print(
        f"smoke: roster import of {rows} rows ran as a job; progress seen "
        + ", ".join(f"{done}/{total}" for done, total in seen[:: max(1, len(seen) // 5)])
    )


def download_report(browser: Browser) -> None:
    status, headers, body = browser.open("/transitie/aansluiting/?formaat=xlsx")
    assert status == 200 and body[:2] == b"PK", (status, headers)
    assert "spreadsheetml" in headers["Content-Type"], headers
    print(f"smoke: transition report downloaded as Excel ({len(body)} bytes)")


if __name__ == "__main__":
    main()
