"""Issue 16 item 3: the same answer at every door.

For every detention action that exists both as a page (a POST form under /detentions/ or
/assessments/) and as an API operation (/api/v1/detentions/{id}/...), every persona and each
relevant stage of a case, the action is performed (1) through the page with the user's session,
(2) through the API with the same user's session and (3) with an API key of the user's
organisation holding every scope, each time on the same detention in the same state (every door
runs in a savepoint that is rolled back). The outcome classes must agree: `changed`, `refused`
(by a rule: the page shows the form again, the API answers 400/409), `403` or `404`.

The answer the doors must give is the partner API's detention policy (issue 16: it is the right
one, and pages must follow it), written out below as data, never read from the code under test:

- visible to the recording force, the operators of every place the detention has been at or is
  going to, and the local authority whose AMHP service covers one of those places (`VISIBLE`);
  anyone else: 404;
- written by the recording force and the operator of the current place or of the transfer
  destination (`WRITERS`); an earlier place, or the local authority, may only read: 403; the
  assessment actions may also be written by the covering local authority;
- a user also needs a role permission of the action (`Action.perms`; the assessment is for
  health and social care staff, the extension for the doctor or the superintendent); a key has
  no role and every scope here;
- only police forces start detentions (`/detentions/start/all/` and `POST /api/v1/detentions/`).

Assessment pages with no API operation (take, AMHP arrived, bed, delays, outcome) are not here:
the permission matrix covers them.

Before the one policy (issue 16), 84 of these cases failed: the pages checked role and
visibility only, not the organisation's relation, and asked other role permissions than the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.permissions import ROLE_PERMISSIONS, Perm
from detentions.models import Detention
from tests.security import doors
from tests.security.doors import EVENT_AT, PERSONAS, STAGES, rolled_back

pytestmark = pytest.mark.django_db

CHANGED, REFUSED, FORBIDDEN, HIDDEN = "changed", "refused", "403", "404"
ALLOWED = "allowed (changed or refused by a rule)"

# --- The intended policy (data) -----------------------------------------------------------------

# Which organisations see the detention at each stage (recording force, places' operators, the
# local authority covering a place it has been at or is going to).
VISIBLE = {
    "detained": {"midshire"},
    "at_suite": {"midshire", "mh_trust", "council"},
    "in_transfer": {"midshire", "mh_trust", "acute", "council"},
    "at_ed": {"midshire", "mh_trust", "acute", "council"},
    "at_station": {"midshire"},
    "absent": {"midshire", "mh_trust", "council"},
    "ended": {"midshire", "mh_trust", "council"},
}
# Which may record events: the recording force, the current place's operator, the destination's.
WRITERS = {
    "detained": {"midshire"},
    "at_suite": {"midshire", "mh_trust"},
    "in_transfer": {"midshire", "acute"},  # on the way: the suite is behind them
    "at_ed": {"midshire", "acute"},  # the suite is an earlier place: read only
    "at_station": {"midshire"},
    "absent": {"midshire", "mh_trust"},  # escaped from the suite, which is still their place
    "ended": {"midshire", "mh_trust"},
}
ASSESSMENT_WRITERS = {"council"}  # the local authority whose AMHP service covers the case


def _local(name: str, at: dt.datetime) -> dict:
    """A detention page's date-and-time field (UK local; NOW is in winter, so UTC)."""
    return {
        f"{name}-day": str(at.day),
        f"{name}-month": str(at.month),
        f"{name}-year": str(at.year),
        f"{name}-time": at.strftime("%H:%M"),
    }


def _iso(at: dt.datetime) -> str:
    return at.isoformat()


@dataclass(frozen=True)
class Action:
    page: str  # path under /detentions/<pk>/ or /assessments/detentions/<pk>/
    api: str  # path under /api/v1/detentions/<pk>/
    perms: tuple[Perm, ...]  # a user needs one of these (the partner API's USER_PERMS)
    stages: tuple[str, ...]
    page_data: Callable[[doors.World, Detention], dict]
    api_body: Callable[[doors.World, Detention], dict]
    assessment: bool = False  # the covering local authority may write it too
    method: str = "post"
    # Who may write it at each stage, where it is not `WRITERS` (A4 as a request and its
    # answer: only the detaining force asks, only the current place's operator answers).
    writers: dict | None = None


RECORD = (Perm.RECORD_DETENTIONS,)
CUSTODY = (Perm.RECORD_CUSTODY_CARE,)
ASSESS = (Perm.RECORD_ASSESSMENT,)  # health and social care staff, not the police


def _next_place(w, d):
    return w.places["suite" if d.current_place_of_safety_id == w.places["ed"].pk else "ed"]


def _correction_page(w, d):
    data = {
        "target": f"detention:{d.pk}",
        "kind": "other",
        "reason": "Street name misspelt",
        **_local("detained_at", d.detained_at),
        "location_kind": d.location_kind,
        "location_description": "High Street, by the station",
        "conveyance_mode": d.conveyance_mode,
        "conveyance_reason": d.conveyance_reason,
    }
    if d.ended_at:
        data |= {**_local("ended_at", d.ended_at), "outcome": d.outcome}
    return data


def _transfer_id(w, d):
    return doors.open_transfer(d).pk


ACTIONS: dict[str, Action] = {
    "arrival": Action(
        "detentions/{pk}/arrival/",
        "arrival/",
        RECORD,
        ("detained", "at_suite"),
        lambda w, d: {"place_of_safety": w.places["suite"].pk, **_local("arrived_at", EVENT_AT)},
        lambda w, d: {"place_of_safety": w.places["suite"].pk, "arrived_at": _iso(EVENT_AT)},
    ),
    "transfer": Action(
        "detentions/{pk}/transfer/",
        "transfers/",
        RECORD,
        ("at_suite", "at_ed"),
        lambda w, d: {
            "to_place_of_safety": _next_place(w, d).pk,
            **_local("departed_at", EVENT_AT),
            "reason": "Needs a bed",
        },
        lambda w, d: {
            "to_place_of_safety": _next_place(w, d).pk,
            "departed_at": _iso(EVENT_AT),
            "reason": "Needs a bed",
        },
    ),
    "transfer_arrival": Action(
        "detentions/{pk}/transfer/arrival/",
        "transfers/{transfer}/",
        RECORD,
        ("in_transfer",),
        lambda w, d: _local("arrived_at", EVENT_AT),
        lambda w, d: {"arrived_at": _iso(EVENT_AT)},
        method="patch",
    ),
    "welfare_check": Action(
        "detentions/{pk}/welfare-check/",
        "welfare-checks/",
        CUSTODY,
        ("at_station",),
        lambda w, d: {
            **_local("checked_at", EVENT_AT),
            "professional_name": "Nurse Joy",
            "profession": "nurse",
            "risk_requires_waking": "yes",
        },
        lambda w, d: {
            "checked_at": _iso(EVENT_AT),
            "professional_name": "Nurse Joy",
            "profession": "nurse",
            "risk_requires_waking": True,
        },
    ),
    "review": Action(
        "detentions/{pk}/review/",
        "reviews/",
        CUSTODY,
        ("at_station",),
        lambda w, d: {
            **_local("reviewed_at", EVENT_AT),
            "conditions_met": "yes",
            "hcp_available": "yes",
            "asleep": "no",
            "reviewer_name": "Sgt Stone",
        },
        lambda w, d: {
            "reviewed_at": _iso(EVENT_AT),
            "conditions_met": True,
            "hcp_available": True,
            "asleep": False,
            "reviewer_name": "Sgt Stone",
        },
    ),
    "transfer_exception": Action(
        "detentions/{pk}/transfer-exception/",
        "transfer-exception/",
        CUSTODY,
        ("at_station",),
        lambda w, d: {**_local("recorded_for", EVENT_AT), "reason": "Assessment sooner here"},
        lambda w, d: {"decided_at": _iso(EVENT_AT), "reason": "Assessment sooner here"},
    ),
    "extension": Action(
        "detentions/{pk}/extension/",
        "extension/",
        (Perm.AUTHORISE_EXTENSION, Perm.APPROVE_EXTENSION),
        ("at_suite", "at_ed"),
        lambda w, d: {
            **_local("authorised_at", EVENT_AT),
            "doctor_name": "Dr Grey",
            "doctor_gmc_number": "1234567",
            "hours": "6",
            "ground": "intoxication",
        },
        lambda w, d: {
            "authorised_at": _iso(EVENT_AT),
            "doctor_name": "Dr Grey",
            "doctor_gmc_number": "1234567",
            "hours": 6,
            "ground": "intoxication",
        },
    ),
    "handover": Action(
        "detentions/{pk}/handover/",
        "handover/",
        RECORD,
        ("at_suite", "at_ed"),
        lambda w, d: {**_local("handed_over_at", EVENT_AT), "received_by": "Charge nurse"},
        lambda w, d: {"handed_over_at": _iso(EVENT_AT), "received_by": "Charge nurse"},
    ),
    # A4 as a request and its answer (detentions/handover.py, docs/handover.md). Accepting
    # with no request waiting is refused by the rules (409 / the form again) at every door.
    "handover_request": Action(
        "detentions/{pk}/handover/request/",
        "handover-request/",
        RECORD,
        ("at_suite", "at_ed"),
        lambda w, d: {"note": "Calm now"},
        lambda w, d: {"note": "Calm now"},
        writers={"at_suite": {"midshire"}, "at_ed": {"midshire"}},
    ),
    "handover_accept": Action(
        "detentions/{pk}/handover/answer/",
        "handover-request/accept/",
        ASSESS,
        ("at_suite", "at_ed"),
        lambda w, d: {
            "decision": "accept",
            "received_by": "Charge nurse",
            "police_must_stay": "no",
        },
        lambda w, d: {"received_by": "Charge nurse", "police_must_stay": False},
        writers={"at_suite": {"mh_trust"}, "at_ed": {"acute"}},
    ),
    "escape": Action(
        "detentions/{pk}/escape/",
        "escape/",
        RECORD,
        ("at_suite", "at_ed"),
        lambda w, d: _local("escaped_at", EVENT_AT),
        lambda w, d: {"escaped_at": _iso(EVENT_AT)},
    ),
    "return": Action(
        "detentions/{pk}/return/",
        "return/",
        RECORD,
        ("absent",),
        lambda w, d: _local("returned_at", EVENT_AT),
        lambda w, d: {"returned_at": _iso(EVENT_AT)},
    ),
    "end": Action(
        "detentions/{pk}/end/",
        "end/",
        RECORD,
        ("at_suite", "in_transfer", "at_ed", "ended"),
        lambda w, d: {**_local("ended_at", EVENT_AT), "outcome": "discharged_no_follow_up"},
        lambda w, d: {"ended_at": _iso(EVENT_AT), "outcome": "discharged_no_follow_up"},
    ),
    # Force, search and restraint (use_of_force/): recorded like the detention's events.
    "use_of_force": Action(
        "detentions/{pk}/use-of-force/new/",
        "use-of-force/",
        RECORD,
        ("at_suite", "in_transfer", "at_ed"),
        lambda w, d: {
            "officer_name": "PC Amber",
            "location": "street",
            "tactic": "handcuffs",
            **_local("used_at", EVENT_AT),
            "reasons": ["protect_self"],
            "person_injured": "no",
            "officer_injured": "no",
        },
        lambda w, d: {
            "officer_name": "PC Amber",
            "location": "street",
            "tactic": "handcuffs",
            "used_at": _iso(EVENT_AT),
            "reasons": ["protect_self"],
            "person_injured": False,
            "officer_injured": False,
        },
    ),
    "protective_search": Action(
        "detentions/{pk}/searches/new/",
        "searches/",
        RECORD,
        ("at_suite", "in_transfer", "at_ed"),
        lambda w, d: {
            "officer_name": "PC Amber",
            "location": "street",
            **_local("searched_at", EVENT_AT),
            "grounds": "Reached into a pocket while threatening self-harm",
            "items_found": "no",
        },
        lambda w, d: {
            "officer_name": "PC Amber",
            "location": "street",
            "searched_at": _iso(EVENT_AT),
            "grounds": "Reached into a pocket while threatening self-harm",
            "items_found": False,
        },
    ),
    "correction": Action(
        "detentions/{pk}/correct/",
        "corrections/",
        (Perm.CORRECT_RECORDS,),
        ("at_suite", "at_ed", "ended"),
        _correction_page,
        lambda w, d: {
            "target": "detention",
            "kind": "other",
            "reason": "Street name misspelt",
            "changes": {"location_description": "High Street, by the station"},
        },
    ),
    "assessment_steps": Action(
        "assessments/detentions/{pk}/amhp/",
        "assessment/",
        ASSESS,
        ("at_suite", "at_ed"),
        lambda w, d: _local("amhp_requested_at", EVENT_AT),
        lambda w, d: {"amhp_requested_at": _iso(EVENT_AT)},
        assessment=True,
    ),
    # The doctor's finding of no mental disorder (A3): on the API it is the assessment.
    "no_mental_disorder": Action(
        "assessments/detentions/{pk}/no-mental-disorder/",
        "assessment/",
        ASSESS,
        ("at_suite", "at_ed", "ended"),
        lambda w, d: {**_local("found_at", EVENT_AT), "doctor_name": "Dr Grey"},
        lambda w, d: {
            "doctor_requested_at": _iso(EVENT_AT),
            "doctor_arrived_at": _iso(EVENT_AT),
            "doctor_name": "Dr Grey",
        },
        assessment=True,
    ),
}


def role_may(persona: str, action: Action) -> bool:
    _org, role, _rank = PERSONAS[persona]
    return bool(ROLE_PERMISSIONS[role] & set(action.perms))


def organisation_answer(org: str, action: Action, stage: str) -> str:
    if org not in VISIBLE[stage]:
        return HIDDEN
    writers = action.writers[stage] if action.writers is not None else WRITERS[stage]
    if org in writers or (action.assessment and org in ASSESSMENT_WRITERS):
        return ALLOWED
    return FORBIDDEN


def intended(persona: str, name: str, stage: str) -> str:
    action = ACTIONS[name]
    if not role_may(persona, action):
        return FORBIDDEN
    return organisation_answer(PERSONAS[persona][0], action, stage)


def agrees(expected: str, outcome: str) -> bool:
    return outcome in (CHANGED, REFUSED) if expected == ALLOWED else outcome == expected


# --- Doors ----------------------------------------------------------------------------------------


def page_outcome(response) -> str:
    status = response.status_code
    if status == 302:
        assert not response["Location"].startswith("/sign-in/"), response["Location"]
        return CHANGED
    if status == 200:
        return REFUSED  # the form again, with the rule's (or the field's) message
    assert status in (403, 404), f"page answered {status}"
    return str(status)


def api_outcome(response) -> str:
    status = response.status_code
    if status in (200, 201):
        return CHANGED
    if status in (400, 409):
        return REFUSED
    assert status in (403, 404), f"API answered {status}: {response.content[:300]!r}"
    return str(status)


def through_page(world, persona, name, d) -> str:
    action = ACTIONS[name]
    with rolled_back():
        response = world.pages[persona].post(
            "/" + action.page.format(pk=d.pk), action.page_data(world, d)
        )
        return page_outcome(response)


def _api_path(world, name, d) -> str:
    action = ACTIONS[name]
    path = action.api
    if "{transfer}" in path:
        path = path.format(transfer=_transfer_id(world, d))
    return f"/api/v1/detentions/{d.pk}/{path}"


def through_api(client, world, name, d) -> str:
    action = ACTIONS[name]
    with rolled_back():
        send = getattr(client, action.method)
        response = send(_api_path(world, name, d), action.api_body(world, d), format="json")
        return api_outcome(response)


_KEY_OUTCOMES: dict[tuple[str, str, str], str] = {}


def through_key(world, org, name, stage) -> str:
    """Keys act for the organisation whoever holds them: one request per organisation."""
    key = (org, name, stage)
    if key not in _KEY_OUTCOMES:
        d = world.detentions[stage]
        _KEY_OUTCOMES[key] = through_api(world.keys[org], world, name, d)
    return _KEY_OUTCOMES[key]


def _cases():
    for name, action in ACTIONS.items():
        for stage in action.stages:
            for persona in PERSONAS:
                yield pytest.param(persona, name, stage, id=f"{name}-{stage}-{persona}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    _KEY_OUTCOMES.clear()
    with doors.shared_world(django_db_blocker) as w:
        yield w


@pytest.mark.parametrize(("persona", "name", "stage"), list(_cases()))
def test_same_answer_at_every_door(world, persona, name, stage):
    d = world.detentions[stage]
    org = PERSONAS[persona][0]
    expected = intended(persona, name, stage)
    api = through_api(world.apis[persona], world, name, d)
    page = through_page(world, persona, name, d)
    by_key = through_key(world, org, name, stage)
    # The partner API is the reference: it already gives the intended answer.
    assert agrees(expected, api), f"API as {persona}: {api}, intended {expected}"
    assert agrees(organisation_answer(org, ACTIONS[name], stage), by_key), f"{org}'s key: {by_key}"
    if role_may(persona, ACTIONS[name]):
        assert by_key == api, f"{org}'s key: {by_key}; {persona}'s session: {api}"
    assert page == api, f"page as {persona}: {page}; API: {api} ({STAGES[stage]})"


# --- The two findings of issue 16, as they were reported --------------------------------------------


def test_earlier_trusts_nurse_cannot_end_after_transfer_to_the_acute_trust(world):
    d = world.detentions["at_ed"]
    with rolled_back():
        api = world.apis["suite-nurse"].post(
            f"/api/v1/detentions/{d.pk}/end/", ACTIONS["end"].api_body(world, d), format="json"
        )
        assert api.status_code == 403
        page = world.pages["suite-nurse"].post(
            f"/detentions/{d.pk}/end/", ACTIONS["end"].page_data(world, d)
        )
        assert page.status_code == 403
        assert Detention.objects.get(pk=d.pk).ended_at is None


def test_earlier_trusts_doctor_cannot_end_through_no_mental_disorder(world):
    d = world.detentions["at_ed"]
    with rolled_back():
        api = world.apis["suite-doctor"].post(
            f"/api/v1/detentions/{d.pk}/assessment/",
            ACTIONS["no_mental_disorder"].api_body(world, d),
            format="json",
        )
        assert api.status_code == 403
        page = world.pages["suite-doctor"].post(
            f"/assessments/detentions/{d.pk}/no-mental-disorder/",
            ACTIONS["no_mental_disorder"].page_data(world, d),
        )
        assert page.status_code == 403
        assert Detention.objects.get(pk=d.pk).ended_at is None


# --- The doors' forms and bodies are valid: the recording force changes the record -------------------

# (action, stage) where the recording force's officer with the permission changes the detention
# through every door (so a `refused` elsewhere is a rule, not a form this test filled in wrong).
CHANGES = {
    ("arrival", "detained"): "midshire-officer",
    ("transfer", "at_suite"): "midshire-officer",
    ("transfer", "at_ed"): "midshire-officer",
    ("transfer_arrival", "in_transfer"): "midshire-officer",
    ("welfare_check", "at_station"): "midshire-sergeant",
    ("review", "at_station"): "midshire-sergeant",
    ("extension", "at_suite"): "midshire-superintendent",
    ("handover", "at_suite"): "midshire-officer",
    ("escape", "at_suite"): "midshire-officer",
    ("return", "absent"): "midshire-officer",
    ("end", "at_suite"): "midshire-officer",
    ("end", "at_ed"): "midshire-officer",
    ("correction", "at_suite"): "midshire-inspector",
    ("correction", "ended"): "midshire-inspector",
    ("assessment_steps", "at_suite"): "suite-nurse",
    ("no_mental_disorder", "at_suite"): "suite-doctor",
    ("use_of_force", "at_suite"): "midshire-officer",
    ("use_of_force", "at_ed"): "ed-nurse",
    ("protective_search", "at_suite"): "midshire-officer",
}


@pytest.mark.parametrize(("name", "stage"), list(CHANGES), ids=[f"{a}-{s}" for a, s in CHANGES])
def test_the_forms_and_bodies_change_the_record(world, name, stage):
    persona = CHANGES[(name, stage)]
    d = world.detentions[stage]
    assert through_page(world, persona, name, d) == CHANGED
    assert through_api(world.apis[persona], world, name, d) == CHANGED
    assert through_key(world, PERSONAS[persona][0], name, stage) == CHANGED


# --- Starting a detention: only police forces, and the officers who record detentions ---------------


def _start_page_data():
    return {
        "person": "new",
        "given_name": "Sam",
        "family_name": "Start",
        "date_of_birth-day": "1",
        "date_of_birth-month": "5",
        "date_of_birth-year": "1980",
        "gender": "not_known",  # the page chooses no answer for the officer (issue 19)
        "ethnicity": "NS",
        "power": "s136",
        **_local("detained_at", EVENT_AT),
        "location_kind": "public_place",
        "mode": "removed",
        "consulted": "yes",
        "consultation_profession": "nurse",
        "consultation_name": "N. Nurse",
        **_local("consulted_at", EVENT_AT - dt.timedelta(minutes=5)),
        "consultation_advice": "Detain",
        "conveyance_mode": "ambulance",
    }


def _start_api_body(world, org):
    person = world.people.get(org, world.people["midshire"])
    return {
        "person": person.pk,
        "power": "s136",
        "detained_at": _iso(EVENT_AT),
        "location_kind": "public_place",
        "mode": "removed",
        "consultation": {
            "consulted_at": _iso(EVENT_AT - dt.timedelta(minutes=5)),
            "profession": "nurse",
            "name": "N. Nurse",
            "advice": "Detain",
        },
        "conveyance_mode": "ambulance",
    }


POLICE_FORCES = {"midshire", "westshire"}

#: The question pages (detentions/start_flow.py): which answers each page takes.
START_STEPS = {
    "person": ("person",),
    "details": ("given_name", "family_name", "date_of_birth", "gender", "ethnicity"),
    "power": ("power", "detained_at", "location_kind"),
    "consultation": ("consulted", "consultation_", "consulted_at"),
    "conveyance": ("conveyance_mode", "mode"),
}


def through_question_pages(client, data):
    """Starts a detention through the question pages; the answer of the last request (the
    start's refusal, or the confirmation's)."""
    response = client.get("/detentions/start/")
    if response.status_code != 302:
        return response
    draft = response["Location"].split("/")[3]
    for step, prefixes in START_STEPS.items():
        answers = {k: v for k, v in data.items() if k.startswith(prefixes)}
        response = client.post(f"/detentions/start/{draft}/{step}/", answers)
        assert response.status_code == 302, (step, response.status_code)
    return client.post(f"/detentions/start/{draft}/check/")


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_starting_a_detention_gives_the_same_answer_at_every_door(world, persona):
    org, role, _rank = PERSONAS[persona]
    may = Perm.RECORD_DETENTIONS in ROLE_PERMISSIONS[role]
    expected = CHANGED if may and org in POLICE_FORCES else FORBIDDEN
    with rolled_back():
        page = page_outcome(world.pages[persona].post("/detentions/start/all/", _start_page_data()))
    with rolled_back():
        pages = page_outcome(through_question_pages(world.pages[persona], _start_page_data()))
    with rolled_back():
        api = api_outcome(
            world.apis[persona].post(
                "/api/v1/detentions/", _start_api_body(world, org), format="json"
            )
        )
    with rolled_back():
        by_key = api_outcome(
            world.keys[org].post("/api/v1/detentions/", _start_api_body(world, org), format="json")
        )
    assert api == expected
    assert page == api
    assert pages == api  # the question pages: the same answer
    assert by_key == (CHANGED if org in POLICE_FORCES else FORBIDDEN)


# --- A late entry (R2): the permission of late entries at both doors ------------------------------


@pytest.mark.parametrize("persona", ["midshire-mhlead", "midshire-inspector", "midshire-sergeant"])
def test_a_late_welfare_check_gets_the_same_answer_at_the_page_and_the_api(world, persona):
    """After the end the event's own form is the audited late path, asked with the permission
    of late entries (CORRECT_RECORDS), as `late-entries/` is: the force lead, who records no
    welfare check on a running detention, may enter one late; a sergeant may not."""
    d = world.detentions["ended"]
    action = ACTIONS["welfare_check"]
    with rolled_back():
        page = page_outcome(
            world.pages[persona].post(
                f"/detentions/{d.pk}/welfare-check/",
                {**action.page_data(world, d), "late_reason": "Paper record found"},
            )
        )
    with rolled_back():
        api = api_outcome(
            world.apis[persona].post(
                f"/api/v1/detentions/{d.pk}/late-entries/",
                {
                    "event": "welfare-checks",
                    "reason": "Paper record found",
                    **action.api_body(world, d),
                },
                format="json",
            )
        )
    if persona == "midshire-sergeant":
        assert api == "403"  # a sergeant's page is the ordinary form: refused, detention ended
        assert page == REFUSED
    else:
        assert page == api
        assert page != "403"
