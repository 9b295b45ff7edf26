"""Every URL of the project, requested by every persona: anonymous, each role in the owning
force, health and council partners, a partner agency user and an officer of another force.

No response may be a server error, and each must be of the expected class. Expectations are
data: `DEFAULTS` (by kind of URL and persona) then `EXPECT` (per URL name). A URL added later
is covered by the defaults; one whose path parameters cannot be filled fails (add a rule to
tests/security/urlmap.py). GET only: writes are refused without a CSRF token
(test_csrf.py) and checked by each app's own tests.
"""

import logging

import pytest
from django.test import Client

from tests.security.otp import sign_in
from tests.security.urlmap import all_routes, fill

pytestmark = pytest.mark.django_db

OK = "ok (200)"
REDIRECT = "redirect (302)"
SIGN_IN = "sign-in (302 to /sign-in/)"
ADMIN_SIGN_IN = "admin sign-in (302 to /admin/login/)"
UNAUTHORISED = "401"
DENIED = "denied (403 or 404)"
HIDDEN = "hidden (404)"
NOT_ALLOWED = "405"
ANY = "any but a server error"
HEALTH = "200 or 503 (no worker in this test)"

OWNER_ROLES = (
    "officer",
    "sergeant",
    "inspector",
    "superintendent",
    "mhlead",
    "npulead",
    "auditor",
    "admin",
)
PARTNERS = ("nurse", "doctor", "amhp", "partner")
PERSONAS = ("anonymous", *OWNER_ROLES, *PARTNERS, "outsider")

# Objects that are the owning force's records: another force must get 404 for them.
RECORDS = {"detention", "incident", "person", "person2", "referral", "alert", "retention_target"}

# Pages anyone may open: persona -> class ("*" for everyone else).
PUBLIC = {
    "login": {"anonymous": OK, "*": REDIRECT},  # signed in: sent on to the home page
    "healthz": {"*": HEALTH},
    "api-schema": {"*": OK},
    "api-docs": {"*": OK},
    "logout": {"*": NOT_ALLOWED},  # POST only
    "admin:login": {"*": ANY},
    "admin:logout": {"*": ANY},
}
ADMIN_PERSONAS = ("anonymous", "officer", "auditor", "admin")

# Per URL name: persona -> expected class (overrides the defaults).
EXPECT = {
    "home": dict.fromkeys(OWNER_ROLES + PARTNERS + ("outsider",), OK),
    "otp-setup": dict.fromkeys(OWNER_ROLES + PARTNERS + ("outsider",), OK),
    "otp-verify": dict.fromkeys(OWNER_ROLES + PARTNERS + ("outsider",), ANY),
    "detention-board": {
        **dict.fromkeys(("officer", "sergeant", "inspector", "superintendent", "nurse"), OK),
    },
    "detention-detail": {"officer": OK, "sergeant": OK, "nurse": OK, "partner": DENIED},
    "incident-detail": {"officer": OK, "nurse": DENIED, "partner": DENIED},
    "person-detail": {"officer": OK, "partner": DENIED},
    "incident-list": {"officer": OK},
    "people-search": {"officer": OK},
    "places_of_safety:board": {"officer": OK, "nurse": OK},
    "places_of_safety:detail": {"officer": OK, "nurse": OK, "outsider": ANY},
    "places_of_safety:set_status": {"outsider": DENIED, "officer": DENIED},
    "place-of-safety-detail": {"outsider": ANY},
    "referral-detail": {"officer": OK, "partner": OK, "nurse": DENIED},
    "referrals-inbox": {"partner": OK},
    "alerts:inbox": {"officer": OK},
    "audit:search": {"auditor": OK, "officer": DENIED, "nurse": DENIED, "partner": DENIED},
    "audit:access-log": {"auditor": OK, "officer": DENIED},
    "api-keys": {"admin": OK, "officer": DENIED, "auditor": ANY},
    "privacy:retention": {
        "admin": OK,
        "auditor": OK,
        **dict.fromkeys(("officer", "sergeant", "mhlead", "nurse", "partner", "outsider"), DENIED),
    },
    "privacy:subject-access": {
        "admin": OK,
        "auditor": OK,
        **dict.fromkeys(("officer", "sergeant", "mhlead", "nurse", "partner", "outsider"), DENIED),
    },
    "admin:index": {"admin": OK},
    # R1: the force mental health lead's review list.
    "unlawful-acts": {
        "mhlead": OK,
        **dict.fromkeys(
            ("officer", "sergeant", "inspector", "npulead", "nurse", "partner", "outsider"),
            DENIED,
        ),
    },
}


def default(route, persona, filled_with_record):
    if route.name in PUBLIC:
        return PUBLIC[route.name].get(persona) or PUBLIC[route.name]["*"]
    if persona == "anonymous":
        return {"admin": ADMIN_SIGN_IN, "api": UNAUTHORISED, "page": SIGN_IN}[route.kind]
    if route.kind == "admin":
        if persona != "admin":
            return ADMIN_SIGN_IN
        # Lists must open; add pages of read-only models answer 403 by design.
        return OK if route.name.endswith(("_changelist", ":index")) else ANY
    if persona == "outsider" and filled_with_record:
        return HIDDEN
    if persona in PARTNERS and filled_with_record and route.kind == "page":
        return ANY  # partners see records shared with them; the app tests pin which
    return ANY


def matches(expected, response, absent_status=None) -> bool:
    """`absent_status`: the status of the same request with ids that do not exist. A refusal
    that does not depend on the record (405 for a POST-only URL, 403 for a role that may not
    use the page at all) reveals nothing, so it counts as hidden when it matches."""
    status = response.status_code
    if status >= 500 and not (expected == HEALTH and status == 503):
        return False
    location = response.get("Location", "")
    return {
        OK: status == 200,
        REDIRECT: status == 302,
        # GET of a POST-only URL answers 405 before anything else: nothing is revealed.
        SIGN_IN: (status == 302 and location.startswith("/sign-in/")) or status == 405,
        ADMIN_SIGN_IN: status == 302 and location.startswith("/admin/login/"),
        UNAUTHORISED: status == 401 or status == 405,
        DENIED: status in (403, 404, 405),
        HIDDEN: status == 404 or (status in (403, 405) and status == absent_status),
        NOT_ALLOWED: status == 405,
        HEALTH: status in (200, 503),
        ANY: True,
    }[expected]


def test_every_url_for_every_persona(world, caplog):
    # 403s and 404s are expected here by the hundred: keep their warnings out of the output
    # (server errors are still logged, and fail the test).
    caplog.set_level(logging.ERROR, logger="django.request")
    # A server error is recorded as a 500 (and fails the test) instead of stopping the run.
    clients = {"anonymous": Client(raise_request_exception=False)}
    for persona in PERSONAS[1:]:
        clients[persona] = sign_in(Client(raise_request_exception=False), world.users[persona])

    routes = all_routes()
    problems = []
    checked = 0
    for route in routes:
        path = fill(route, world)
        if not path:
            continue
        record_ids = {getattr(world, n).pk for n in RECORDS if getattr(world, n, None) is not None}
        filled_with_record = bool(route.params) and any(
            str(i) in path.split("/") for i in record_ids
        )
        for persona, client in clients.items():
            if route.kind == "admin" and persona not in ADMIN_PERSONAS:
                continue
            expected = EXPECT.get(route.name, {}).get(persona) or default(
                route, persona, filled_with_record
            )
            response = client.get(path, HTTP_ACCEPT="text/html,application/json")
            checked += 1
            absent_status = None
            if expected == HIDDEN and response.status_code != 404:
                absent_status = client.get(fill(route, world, absent=True)).status_code
            if not matches(expected, response, absent_status):
                problems.append(
                    f"{route.name:<40} {path:<55} {persona:<15} "
                    f"got {response.status_code} {response.get('Location', '')} "
                    f"expected {expected}"
                )
    assert checked > 500
    assert not problems, f"{len(problems)} unexpected responses:\n" + "\n".join(problems)


def test_every_expectation_names_a_real_url():
    names = {r.name for r in all_routes()}
    unknown = (set(EXPECT) | set(PUBLIC)) - names
    # privacy pages are added by the privacy app; everything else must exist.
    assert not unknown, unknown
