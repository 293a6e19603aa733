"""Smoke test of the production server over real HTTP (scripts/test.sh starts it).

Checks what only a real deployment shows: gunicorn answers, health is green, the login page
loads its CSS from the hashed, compressed static path WhiteNoise serves, the security headers
are there, and the API refuses the anonymous.
"""

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

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
    assert body == b'{"status": "ok", "database": "ok", "migrations": "ok"}', body
    status, headers, page = get("/inloggen/")
    assert status == 200, status
    assert headers.get("X-Frame-Options") == "DENY" and "X-Request-ID" in headers
    css = re.search(rb'href="(/static/core/werkregie\.[0-9a-f]{12}\.css)"', page)
    assert css, "the login page does not link the hashed CSS"
    status, headers, _ = get(css.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"].startswith("text/css"), headers
    assert headers.get("Content-Encoding") == "gzip" and "immutable" in headers["Cache-Control"]
    assert get("/api/v1/persons")[0] == 401
    if len(sys.argv) == 4:
        log_in(sys.argv[2], sys.argv[3])
    print("smoke: production server healthy, hashed static files served, API closed")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def log_in(username: str, password: str) -> None:
    """The password step over HTTP with CSRF: a good password leads to the second factor."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(BASE + "/inloggen/", timeout=10).read()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        BASE + "/inloggen/", data=body, headers={"Referer": BASE + "/inloggen/"}
    )
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 302, error.code
        assert error.headers["Location"] == "/inloggen/koppelen/", error.headers["Location"]
    else:
        raise AssertionError("a good password did not lead to the second factor")
    print(f"smoke: {username} logged in with a password and was sent to enrol the second factor")


if __name__ == "__main__":
    main()
