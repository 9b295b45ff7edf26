"""The machinery of the permission matrix (test_permission_matrix.py): personas, the owning
force's and another force's records, the outcome classes and the rules that turn a table row
into the expected class of one request. The expectations themselves are in the test module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from drf_spectacular.generators import SchemaGenerator

from accounts.roles import SCOPES, Role
from alerts.models import Alert
from core.actor import acting_as, user_actor
from people.models import Person
from tests import factories
from tests.incidents.helpers import make_incident
from tests.security.urlmap import ABSENT

# --- Outcome classes ----------------------------------------------------------------------------
OK = "200"
REDIRECT = "302 (not to sign in)"
SIGN_IN = "302 to /sign-in/"
ADMIN_SIGN_IN = "302 to /admin/login/"
BAD = "400"
UNAUTHORISED = "401"
FORBIDDEN = "403"
HIDDEN = "404"
NOT_ALLOWED = "405"
HEALTH = "200 or 503 (no worker here)"
PAST = "past the policy (2xx, or 400/409 for the body)"  # unsafe API operations
ANY = "any but a server error"

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
SIGNED_IN = (*OWNER_ROLES, *PARTNERS, "outsider")
PERSONAS = ("anonymous", *SIGNED_IN)
POLICE = ("officer", "sergeant", "inspector", "superintendent", "mhlead")  # record detentions
ADMIN_PERSONAS = ("anonymous", "officer", "auditor", "admin")

# Keys (all scopes) of: the owning force, the owning force without a scope, another force, the
# trust running the place the detention is at, the council covering it, the referral's partner.
KEYS = ("force", "force-noscope", "other-force", "trust", "council", "partner")


def classify(response, *, unsafe_api: bool = False) -> str:
    status = response.status_code
    if status >= 500 and status != 503:
        return f"server error {status}"
    if unsafe_api and (200 <= status < 300 or status in (400, 409)):
        return PAST
    if status == 302:
        location = response.get("Location", "")
        if location.startswith("/sign-in/"):
            return SIGN_IN
        if location.startswith("/admin/login/"):
            return ADMIN_SIGN_IN
        return REDIRECT
    return {
        200: OK,
        400: BAD,
        401: UNAUTHORISED,
        403: FORBIDDEN,
        404: HIDDEN,
        405: NOT_ALLOWED,
    }.get(status, str(status))


def matches(expected: str, actual: str) -> bool:
    if actual.startswith("server error"):
        return False
    if expected == ANY:
        return True
    if expected == HEALTH:
        return actual in (OK, "503")
    return expected == actual


# --- Table rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """The expected class per persona for a record of the owning force (Midshire).

    `default` holds for every signed-in persona not named in `who`; `anonymous` defaults to the
    sign-in redirect (pages) or 401 (API). For a record of another force (Westshire), `foreign`
    names exceptions; otherwise the rule in `foreign_expected` applies. `keys`: API operations
    only, the class per key (`KEYS`) for the owning force's record."""

    default: str
    who: dict[str, str] = field(default_factory=dict)
    anonymous: str | None = None
    foreign: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


def row(default: str, *, anonymous=None, foreign=None, keys=None, **who) -> Row:
    """`row(FORBIDDEN, officer=OK, police=OK)`: a group name (`police`, `owner`, `partners`,
    `signed_in`) sets each of its personas; a persona named after it wins."""
    groups = {
        "police": POLICE,
        "owner": OWNER_ROLES,
        "partners": PARTNERS,
        "signed_in": SIGNED_IN,
    }
    expanded: dict[str, str] = {}
    for name, value in who.items():
        if name in groups:
            for persona in groups[name]:
                expanded.setdefault(persona, value)
    for name, value in who.items():
        if name not in groups:
            assert name in SIGNED_IN or name.startswith("key:"), f"unknown persona {name}"
            expanded[name] = value
    return Row(default, expanded, anonymous, foreign or {}, keys or {})


PAST_POLICY = {OK, REDIRECT, BAD, PAST, ANY, HEALTH}


def own_expected(r: Row, persona: str, kind: str) -> str:
    if persona == "anonymous":
        return r.anonymous or (UNAUTHORISED if kind == "api" else SIGN_IN)
    return r.who.get(persona, r.default)


def foreign_expected(r: Row, persona: str, kind: str) -> str:
    """Another force's record: the outsider (its officer) gets what the owning force's officer
    gets for its own; anyone else who would get past the policy gets 404 (it exists only for
    its force); a refusal that does not depend on the record stays what it was."""
    if persona in r.foreign:
        return r.foreign[persona]
    if persona == "outsider":
        return own_expected(r, "officer", kind)
    own = own_expected(r, persona, kind)
    return HIDDEN if own in PAST_POLICY else own


def key_expected(r: Row, key: str, foreign: bool) -> str:
    if not foreign:
        return r.keys[key]
    if f"key:{key}" in r.foreign:
        return r.foreign[f"key:{key}"]
    if key == "other-force":
        return r.keys["force"]
    own = r.keys[key]
    return HIDDEN if own in PAST_POLICY else own


# --- Another force's records ----------------------------------------------------------------------

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
# Attributes of the world that are records owned by a force: replaced by Westshire's.
OWNED = ("detention", "incident", "person", "person2", "alert", "retention_target", "officer")


def foreign_world(world, other_force, outsider):
    """The same world, with Westshire's records in place of Midshire's."""
    with acting_as(user_actor(outsider)):
        person = Person.objects.create(
            organisation=other_force,
            given_name="Wes",
            family_name="Tern",
            date_of_birth=dt.date(1991, 1, 1),
        )
        person2 = Person.objects.create(
            organisation=other_force,
            given_name="Wesley",
            family_name="Tern",
            date_of_birth=dt.date(1991, 1, 2),
        )
        incident = make_incident(other_force, people=[person], user=outsider)
        detention = factories.detention(
            other_force,
            person,
            detained_at=T0,
            nurse="W. Nurse",
            advice="Take to a suite",
            incident=incident,
        )
        alert = Alert.objects.create(
            kind=Alert._meta.get_field("kind").choices[0][0],
            detention=detention,
            due_at=T0 + dt.timedelta(hours=20),
            raised_at=T0 + dt.timedelta(hours=20),
            organisations=[other_force.pk],
            roles=[Role.RESPONSE_OFFICER],
        )
    values = {
        "detention": detention,
        "incident": incident,
        "person": person,
        "person2": person2,
        "alert": alert,
        "retention_target": detention,
        "officer": outsider,
    }
    return SimpleNamespace(**{**vars(world), **values})


# --- The API's operations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str  # with {id} etc.

    @property
    def unsafe(self) -> bool:
        return self.method not in ("get", "head", "options")

    @property
    def regex(self) -> re.Pattern:
        return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", self.path) + "$")


def operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        Operation(op["operationId"], method, path)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


# Which object fills an operation's {id}: by the path's first segment.
RESOURCES = {
    "detentions": "detention",
    "incidents": "incident",
    "people": "person",
    "places-of-safety": "place",
    "referrals": "referral",
    "alerts": "alert",
    "response-plans": "plan",
}


def operation_path(op: Operation, world) -> str:
    resource = op.path.removeprefix("/api/v1/").split("/")[0]
    path = op.path
    if op.id == "audit_history_list":  # the history of the owning force's person
        return f"{path}?model=incidents.person&id={world.person.pk}"
    if resource == "webhooks":  # no subscription in the world: an id nothing has
        return path.replace("{id}", str(ABSENT))
    if resource == "approvals":  # no approval in the world: an id nothing has
        return path.replace("{id}", str(ABSENT))
    if "{id}" in path:
        path = path.replace("{id}", str(getattr(world, RESOURCES[resource]).pk))
    return path.replace("{transfer_id}", str(ABSENT))


def all_scopes():
    return list(SCOPES)
