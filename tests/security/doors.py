"""A shared world for the door tests (test_door_equivalence.py): organisations, one user per
persona, a key per organisation with every scope, places of safety and a detention at each stage
of a case. Built once per module inside an outer transaction that is rolled back at the end; each
test runs in a savepoint inside it (pytest-django's `db`), and each door in a savepoint of its own
that is rolled back, so every door meets the same detention in the same state.

The people and places (issue 16's story): Midshire Police records a detention; the person is
taken to Midshire MH Trust's suite, then transferred to Midshire Hospitals' emergency department.
Midshire Council's AMHP service covers the suite. Westshire Police, an unrelated trust and a
voluntary-sector partner have nothing to do with it.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

import time_machine
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import SCOPES, OrganisationKind, Role
from accounts.services import ensure_organisation, ensure_user, issue_api_key
from assessments.models import AmhpServiceArea
from core.actor import acting_as, command_actor
from detentions import services
from detentions.models import Detention, Transfer
from tests import factories
from tests.api import helpers as h
from tests.security.otp import sign_in

UTC = dt.UTC
# Winter: UK local time is UTC, so page forms and API bodies name the same instants.
NOW = dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
DETAINED = NOW - dt.timedelta(hours=3)
ARRIVED = DETAINED + dt.timedelta(minutes=30)
MOVED = NOW - dt.timedelta(hours=1)  # departed for the next place
EVENT_AT = NOW - dt.timedelta(minutes=10)  # when every action under test happened

ORGANISATIONS = {
    # name: (slug, display name, kind, NPUs)
    "midshire": (
        "midshire-police",
        "Midshire Police",
        OrganisationKind.POLICE_FORCE,
        [("NPU-N", "Northbridge"), ("NPU-C", "Castleford Central")],
    ),
    "westshire": (
        "westshire-police",
        "Westshire Police",
        OrganisationKind.POLICE_FORCE,
        [("W1", "West One")],
    ),
    "mh_trust": (
        "midshire-mh-trust",
        "Midshire MH Trust",
        OrganisationKind.MENTAL_HEALTH_TRUST,
        [],
    ),
    "acute": ("midshire-hospitals", "Midshire Hospitals", OrganisationKind.ACUTE_TRUST, []),
    "other_trust": (
        "eastshire-mh-trust",
        "Eastshire MH Trust",
        OrganisationKind.MENTAL_HEALTH_TRUST,
        [],
    ),
    "council": ("midshire-council", "Midshire Council", OrganisationKind.LOCAL_AUTHORITY, []),
    "voluntary": (
        "midshire-crisis-cafe",
        "Midshire Crisis Cafe",
        OrganisationKind.VOLUNTARY_SECTOR,
        [],
    ),
}

POLICE_ROLES = {
    "officer": (Role.RESPONSE_OFFICER, "constable"),
    "sergeant": (Role.CUSTODY_SERGEANT, "sergeant"),
    "inspector": (Role.INSPECTOR, "inspector"),
    "superintendent": (Role.SUPERINTENDENT, "superintendent"),
    "mhlead": (Role.MH_TACTICAL_ADVISER, "sergeant"),
    "npulead": (Role.NPU_LEAD, "inspector"),
    "auditor": (Role.AUDITOR, ""),
    "admin": (Role.ADMINISTRATOR, ""),
}

# persona -> (organisation, role, rank)
PERSONAS: dict[str, tuple[str, str, str]] = {
    **{f"midshire-{n}": ("midshire", r, rank) for n, (r, rank) in POLICE_ROLES.items()},
    **{f"westshire-{n}": ("westshire", r, rank) for n, (r, rank) in POLICE_ROLES.items()},
    "suite-nurse": ("mh_trust", Role.PLACE_OF_SAFETY_STAFF, ""),
    "suite-doctor": ("mh_trust", Role.DOCTOR, ""),
    "ed-nurse": ("acute", Role.PLACE_OF_SAFETY_STAFF, ""),
    "ed-doctor": ("acute", Role.DOCTOR, ""),
    "unrelated-nurse": ("other_trust", Role.PLACE_OF_SAFETY_STAFF, ""),
    "amhp": ("council", Role.AMHP, ""),
    "partner": ("voluntary", Role.PARTNER_USER, ""),
}

# Stages of a case: which places the detention has been at (for visibility), in order.
STAGES = {
    "detained": "detained, not yet at a place of safety",
    "at_suite": "at the MH trust's suite",
    "in_transfer": "leaving the suite for the acute trust's ED (not arrived)",
    "at_ed": "transferred from the suite to the ED, arrived (issue 16's story)",
    "at_station": "at Midshire's custody suite (a police station)",
    "absent": "escaped from the suite",
    "ended": "ended at the suite",
}


@dataclass
class World:
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # persona -> signed-in django Client
    apis: dict = field(default_factory=dict)  # persona -> signed-in APIClient
    keys: dict = field(default_factory=dict)  # organisation -> APIClient with a key (all scopes)
    places: dict = field(default_factory=dict)
    detentions: dict = field(default_factory=dict)  # stage -> Detention
    open_transfer: dict = field(default_factory=dict)  # stage -> Transfer under way
    people: dict = field(default_factory=dict)  # force -> a person of its own (to detain)


def _detain(world: World, n: int) -> Detention:
    force = world.orgs["midshire"]
    who = h.person(force, given_name=f"Case{n}", family_name="Example")
    return factories.detention(
        force,
        who,
        detained_at=DETAINED,
        consulted_at=DETAINED - dt.timedelta(minutes=10),
        advice="Detain",
        now=None,
        location_description="High Street",
        npu=force.npus.get(code="NPU-C"),
    )


def _build_stages(world: World) -> None:
    suite, ed, station = world.places["suite"], world.places["ed"], world.places["station"]
    with acting_as(command_actor("tests")):
        for n, stage in enumerate(STAGES):
            d = _detain(world, n)
            if stage == "at_station":
                services.record_arrival(
                    d,
                    place_of_safety=station,
                    arrived_at=ARRIVED,
                    police_station_decision=dict(h.POLICE_STATION_DECISION),
                )
            elif stage != "detained":
                services.record_arrival(d, place_of_safety=suite, arrived_at=ARRIVED)
            if stage in ("in_transfer", "at_ed"):
                t = services.record_transfer(
                    d, to_place_of_safety=ed, departed_at=MOVED, reason="Physical injury"
                )
                if stage == "at_ed":
                    services.record_transfer_arrival(t, arrived_at=MOVED + dt.timedelta(minutes=15))
                else:
                    world.open_transfer[stage] = t
            if stage == "absent":
                services.record_escape(d, escaped_at=MOVED)
            if stage == "ended":
                services.end_detention(d, ended_at=MOVED, outcome="discharged_no_follow_up")
            world.detentions[stage] = Detention.objects.get(pk=d.pk)


def build_world() -> World:
    world = World()
    for name, (slug, title, kind, npus) in ORGANISATIONS.items():
        world.orgs[name], _ = ensure_organisation(slug, title, kind, npus)
    for persona, (org, role, rank) in PERSONAS.items():
        user = ensure_user(
            persona,
            organisation=world.orgs[org],
            roles=[role],
            password="correct-horse-battery-staple",
            display_name=persona.replace("-", " ").title(),
            rank=rank,
        )
        world.users[persona] = user
        world.pages[persona] = sign_in(Client(), user)
        world.apis[persona] = sign_in(APIClient(), user)
    for org_name, org in world.orgs.items():
        _key, secret = issue_api_key(org, f"{org_name}-all-scopes", list(SCOPES))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
        world.keys[org_name] = client
    world.places = {
        "suite": h.place(world.orgs["mh_trust"], "health_based", name="Willow Suite"),
        "ed": h.place(world.orgs["acute"], "emergency_department", name="Midshire ED"),
        "station": h.place(
            world.orgs["midshire"],
            "police_station",
            name="Castleford Custody",
            accepts_under_18=False,
        ),
        "other_suite": h.place(world.orgs["other_trust"], "health_based", name="Eastshire Suite"),
    }
    area = AmhpServiceArea.objects.create(organisation=world.orgs["council"], name="Midshire")
    area.places.add(world.places["suite"])
    _build_stages(world)
    for force in ("midshire", "westshire"):
        world.people[force] = h.person(world.orgs[force], given_name="Sam", family_name="Start")
    return world


@contextmanager
def shared_world(django_db_blocker):
    """Builds the world in an outer transaction at the frozen instant NOW; rolls it all back."""
    traveller = time_machine.travel(NOW, tick=False)
    traveller.start()
    try:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build_world()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        traveller.stop()


@contextmanager
def rolled_back():
    """A savepoint undone afterwards: the next door meets the same state."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def open_transfer(detention: Detention) -> Transfer | None:
    return Transfer.objects.filter(detention=detention, arrived_at__isnull=True).first()
