"""The HTTP half of scripts/container-smoke.sh (standard library only: runs with the host's python3).

Against a running stack on http://127.0.0.1:PORT, as the TLS proxy in front of it would send
them (X-Forwarded-Proto: https): wait for /healthz, sign in as the demo NPU lead, record a person
and an s136 detention through the API with the key given, request a detentions export and
download it, and check the detention is in it. Prints one line per step with its time.

  python3 scripts/container_smoke.py PORT API_KEY
  python3 scripts/container_smoke.py PORT API_KEY --due N   (the scale check: N detentions whose
      expiry warnings and assessment target fall due at once; container-smoke.sh, WORKERS > 1)
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
import urllib.parse
from datetime import UTC, datetime, timedelta

DEMO_USER, DEMO_PASSWORD = "npulead", "harbour-demo-2026"  # core/management/commands/seed_demo.py
STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[smoke {time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


class Client:
    """Keeps cookies itself: the production settings mark them Secure, and the proxy that would
    terminate TLS here is this client, so they are sent back over the loopback's plain HTTP."""

    def __init__(self, port: int):
        self.port = port
        self.host = f"localhost:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Host": self.host, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data

    def form(self, path, fields: dict, referer: str):
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        )
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{self.host}{referer}",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
            },
        )


def fail(message: str) -> None:
    step(f"FAILED: {message}")
    sys.exit(1)


def wait_for_health(client: Client, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, _, body = client.request("GET", "/healthz", timeout=5)
            last = (status, body[:300])
            if status == 200:
                step(f"/healthz 200: {body.decode()}")
                return
        except OSError as exc:
            last = exc
        time.sleep(2)
    fail(f"/healthz not 200 within {timeout:.0f} s (last: {last})")


def api_headers(api_key: str) -> dict:
    return {"Authorization": f"Api-Key {api_key}", "Content-Type": "application/json"}


def record_detention(client: Client, api: dict, detained_at: datetime) -> dict:
    status, _, body = client.request(
        "POST",
        "/api/v1/people/",
        json.dumps({"given_name": "Sam", "family_name": "Smoke", "date_of_birth": "1990-04-01"}),
        api,
    )
    if status != 201:
        fail(f"POST /api/v1/people/: {status} {body[:500]!r}")
    detention = {
        "person": json.loads(body)["id"],
        "power": "s136",
        "detained_at": detained_at.isoformat(),
        "location_kind": "public_place",
        "mode": "removed",
        "consultation": {
            "consulted_at": (detained_at - timedelta(minutes=5)).isoformat(),
            "profession": "nurse",
            "name": "Nurse Smoke",
            "advice": "Take to a place of safety",
        },
        "conveyance_mode": "ambulance",
    }
    status, headers, body = client.request(
        "POST", "/api/v1/detentions/", json.dumps(detention), api
    )
    if status != 201:
        fail(f"POST /api/v1/detentions/: {status} {body[:500]!r}")
    return json.loads(body)


def record_due(port: int, api_key: str, count: int) -> None:
    """`count` detentions that arrived at a health-based place of safety 23 h 10 min ago: their
    expiry warnings (6 h, 2 h and 1 h before) and the assessment target are due at once."""
    client, api = Client(port), api_headers(api_key)
    status, _, body = client.request("GET", "/api/v1/places-of-safety/?page_size=100", None, api)
    places = json.loads(body)["results"] if status == 200 else []
    suite = next((p for p in places if p["kind"] == "health_based"), None)
    if suite is None:
        fail(f"no health-based place of safety: {status} {body[:300]!r}")
    now = datetime.now(UTC).replace(microsecond=0)
    arrived = now - timedelta(hours=23, minutes=10)
    for _ in range(count):
        detention = record_detention(client, api, arrived - timedelta(minutes=20))
        status, _, body = client.request(
            "POST",
            f"/api/v1/detentions/{detention['id']}/arrival/",
            json.dumps({"place_of_safety": suite["id"], "arrived_at": arrived.isoformat()}),
            api,
        )
        if status not in (200, 201):
            fail(f"arrival: {status} {body[:500]!r}")
    step(f"{count} detentions at {suite['name']} with alerts due now")


def main(port: int, api_key: str) -> None:
    client = Client(port)
    wait_for_health(client)
    for path in ("/livez", "/readyz"):
        status, headers, _ = client.request("GET", path)
        if status != 200:
            fail(f"{path} answered {status}")
    status, _, _ = client.request("GET", "/metrics")
    if status != 403:
        fail(f"/metrics without the token answered {status}, not 403")

    # Sign in (the demo NPU lead: no second factor for that role).
    status, _, page = client.request("GET", "/sign-in/")
    if status != 200 or "csrftoken" not in client.cookies:
        fail(f"sign-in page: {status}")
    status, headers, _ = client.form(
        "/sign-in/", {"username": DEMO_USER, "password": DEMO_PASSWORD}, "/sign-in/"
    )
    if status != 302 or "sessionid" not in client.cookies:
        fail(f"sign-in: {status} {headers.get('Location')}")
    status, _, page = client.request("GET", "/")
    if status != 200:
        fail(f"home page after sign-in: {status}")
    css = re.search(rb'href="(/static/harbour\.[0-9a-f]{12}\.css)"', page)
    if not css:
        fail("the home page does not link the hashed stylesheet")
    status, headers, _ = client.request("GET", css.group(1).decode())
    if status != 200 or "max-age=315360000" not in headers.get("Cache-Control", ""):
        fail(f"hashed stylesheet: {status} {headers.get('Cache-Control')}")
    step(f"signed in as {DEMO_USER}; hashed stylesheet {css.group(1).decode()} cached for 10 years")

    # A person and a detention through the API, with the key.
    api = api_headers(api_key)
    now = datetime.now(UTC).replace(microsecond=0)
    reference = record_detention(client, api, now - timedelta(minutes=30))["reference"]
    step(f"detention {reference} recorded through the API with the key")

    # Export this month's detentions and download the file (written by a worker, served by web).
    today = now.date()
    status, headers, _ = client.form(
        "/reports/exports/",
        {
            "kind": "detentions",
            "date_from": (today - timedelta(days=1)).isoformat(),
            "date_to": today.isoformat(),
        },
        "/reports/",
    )
    location = headers.get("Location", "")
    found = re.search(r"/reports/exports/(\d+)/", location)
    if status != 302 or not found:
        fail(f"export request: {status} {location}")
    export_id = found.group(1)
    deadline = time.monotonic() + 180
    while True:
        status, _, body = client.request("GET", f"/reports/exports/{export_id}/status/")
        state = json.loads(body) if status == 200 else {}
        if state.get("download_url"):
            break
        if state.get("status") == "failed" or time.monotonic() > deadline:
            fail(f"export {export_id}: {status} {body[:300]!r}")
        time.sleep(1)
    status, headers, body = client.request("GET", state["download_url"])
    if status != 200:
        fail(f"download: {status} {body[:300]!r}")
    text = body.decode()
    if reference not in text:
        fail(f"the export does not list {reference}: {text[:300]!r}")
    step(
        f"export {export_id} downloaded: {len(text.splitlines()) - 1} row(s), "
        f"{len(body)} bytes, {reference} in it"
    )
    step("PASSED")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[3] == "--due":
        record_due(int(sys.argv[1]), sys.argv[2], int(sys.argv[4]))
    else:
        main(int(sys.argv[1]), sys.argv[2])
