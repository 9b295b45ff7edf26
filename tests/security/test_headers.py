"""Security headers on every response, and a content security policy the pages keep: no
inline <script> blocks and no on*= event-handler attributes in any page the roles can open."""

import logging
import re

import pytest
from django.test import Client

from tests.security.otp import sign_in
from tests.security.urlmap import all_routes, fill

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'"
)


def test_the_sign_in_page_sends_every_security_header(client):
    r = client.get("/sign-in/")
    assert r["Content-Security-Policy"] == CSP
    assert "camera=()" in r["Permissions-Policy"]
    assert r["Cross-Origin-Opener-Policy"] == "same-origin"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert not INLINE_SCRIPT.search(r.content.decode())
    assert '<script src="/static/js/js-enabled.js"></script>' in r.content.decode()


def test_the_api_sends_the_policy_too(client):
    r = client.get("/api/v1/detentions/")
    assert r.status_code == 401
    assert r["Content-Security-Policy"] == CSP


def test_no_page_has_an_inline_script_or_event_handler(world, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    pages = [r for r in all_routes() if r.kind == "page"]
    problems, checked = [], 0
    for persona in ("officer", "nurse", "auditor", "admin", "partner"):
        client = sign_in(Client(raise_request_exception=False), world.users[persona])
        for route in pages:
            path = fill(route, world)
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            body = response.content.decode()
            if response.get("Content-Security-Policy") != CSP:
                problems.append(f"{path} ({persona}): no or another CSP")
            for m in INLINE_SCRIPT.finditer(body):
                problems.append(f"{path} ({persona}): inline script {m.group(0)!r}")
            for m in EVENT_HANDLER.finditer(body):
                problems.append(f"{path} ({persona}): event handler {m.group(0)[:80]!r}")
    assert checked > 40
    assert not problems, "\n".join(sorted(set(problems)))
