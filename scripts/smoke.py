"""Smoke test of the production server over real HTTP (scripts/test.sh starts it).

Checks what only a real deployment shows: gunicorn answers, health is green, the login page
loads its CSS from the hashed, compressed static path WhiteNoise serves, the security headers
are there, and the API refuses the anonymous.
"""

import re
import sys
import time
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")


def get(path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(BASE + path, headers=headers)
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
    print("smoke: production server healthy, hashed static files served, API closed")


if __name__ == "__main__":
    main()
