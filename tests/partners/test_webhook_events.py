"""Domain events as webhooks (issue 21): every detention state change is one event, sent to each
organisation that subscribed to it and may see the detention (and nobody else), with the
record as the API shows it to that organisation, in a versioned body; a rolled-back change
sends nothing; a subscription gets only the event types it chose."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from accounts.roles import OrganisationKind
from accounts.services import ensure_organisation
from alerts.sweep import sweep
from assessments.models import AmhpServiceArea
from core import events
from detentions import services as svc
from partners import services, webhooks
from partners.models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEvent
from places_of_safety.models import PlaceOfSafety
from tests import factories
from tests.api import helpers as h
from tests.contract import schema as contract

from .test_webhooks import Receiver

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ARRIVED = T0 + timedelta(minutes=20)
EXPIRES = ARRIVED + timedelta(hours=24)
MINUTE = timedelta(minutes=1)
DETENTION_EVENTS = [n for n in SUBSCRIBABLE_EVENTS if n.startswith("detention.")]


@pytest.fixture
def suite(health_trust):
    return PlaceOfSafety.objects.create(
        name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=5
    )


@pytest.fixture
def ed(acute_trust):
    return PlaceOfSafety.objects.create(
        name="Midshire ED", kind="emergency_department", organisation=acute_trust, capacity=5
    )


@pytest.fixture
def amhp_area(local_authority, suite):
    area = AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire")
    area.places.add(suite)
    return area


@pytest.fixture
def outsider(db):
    org, _ = ensure_organisation(
        "harbourside-mind", "Harbourside Mind", OrganisationKind.VOLUNTARY_SECTOR
    )
    return org


def subscribe(org, events=DETENTION_EVENTS, url="https://hooks.example.org/harbour"):
    sub, _ = webhooks.create_subscription(org, name=f"{org.slug} hook", url=url, events=events)
    return sub


def sent(event=None):
    """(organisation slug, event) of every delivery written, in order."""
    rows = WebhookDelivery.objects.order_by("id")
    if event:
        rows = rows.filter(event=event)
    return [(d.subscription.organisation.slug, d.event) for d in rows]


def assert_bodies_match_the_schema():
    """Every body written matches its event's `x-webhooks` entry in the OpenAPI schema."""
    import jsonschema

    hooks = contract.openapi_document()["x-webhooks"]
    for delivery in WebhookDelivery.objects.all():
        body = hooks[delivery.event]["post"]["requestBody"]["content"]["application/json"]
        validator = jsonschema.Draft202012Validator(
            contract._to_json_schema(body["schema"]), registry=contract._registry()
        )
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(delivery.payload)
        ]
        assert not errors, (delivery.event, errors[:5])


def orgs_told(event):
    return sorted(slug for slug, e in sent() if e == event)


@pytest.fixture
def everyone(force, health_trust, acute_trust, local_authority, outsider, amhp_area):
    """Every organisation subscribed to every detention event; only some may see it."""
    for org in (force, health_trust, acute_trust, local_authority, outsider):
        subscribe(org)


def test_each_state_change_is_one_event_to_each_organisation_that_may_see_it(
    everyone, force, suite, ed
):
    d = factories.detention(force, detained_at=T0, now=T0 + MINUTE)
    # Started on the street: only the force sees it.
    assert sent() == [("midshire-police", "detention.started")]

    svc.record_arrival(d, place_of_safety=suite, arrived_at=ARRIVED, now=ARRIVED + MINUTE)
    # The suite's trust and the council whose AMHP service covers the suite now see it.
    assert orgs_told("detention.arrived") == [
        "midshire-council",
        "midshire-mh-trust",
        "midshire-police",
    ]

    out = ARRIVED + timedelta(hours=3)
    transfer = svc.record_transfer(
        d, to_place_of_safety=ed, departed_at=out, reason="Injury", now=out + MINUTE
    )
    # The destination's operator sees it from the moment it is on its way.
    assert orgs_told("detention.transferred") == [
        "midshire-council",
        "midshire-hospitals",
        "midshire-mh-trust",
        "midshire-police",
    ]
    svc.record_transfer_arrival(
        transfer, arrived_at=out + timedelta(hours=1), now=out + timedelta(hours=1) + MINUTE
    )
    svc.record_extension(
        d,
        authorised_at=EXPIRES - timedelta(hours=2),
        hours=6,
        doctor_name="Dr Patel",
        doctor_gmc_number="7012345",
        ground="intoxication",
        ground_detail="Too intoxicated to assess",
        now=EXPIRES - timedelta(hours=2) + MINUTE,
    )
    end = EXPIRES + timedelta(hours=1)
    svc.end_detention(d, ended_at=end, outcome="discharged_no_follow_up", now=end + MINUTE)

    involved = ["midshire-council", "midshire-hospitals", "midshire-mh-trust", "midshire-police"]
    assert orgs_told("detention.arrived") == sorted(
        ["midshire-council", "midshire-mh-trust", "midshire-police", *involved]
    )  # the first place, then the second: one event each time, to each organisation
    assert orgs_told("detention.extended") == involved
    assert orgs_told("detention.ended") == involved
    assert not [slug for slug, _ in sent() if slug == "harbourside-mind"]  # never involved
    # Each event's own facts, the same for everyone who may see it.
    arrived = WebhookDelivery.objects.filter(event="detention.arrived").order_by("id")
    assert [p.payload["data"]["transfer"] for p in arrived][-1] == transfer.pk
    assert arrived.last().payload["data"]["place_of_safety"] == ed.pk
    ended = WebhookDelivery.objects.filter(event="detention.ended").first().payload["data"]
    assert ended["outcome"] == "discharged_no_follow_up"
    assert ended["ended_at"] == end.isoformat().replace("+00:00", "Z")
    assert ended["detention"]["ended_at"] == ended["ended_at"]  # read after the change
    assert_bodies_match_the_schema()


def test_a_refused_or_rolled_back_change_sends_nothing(everyone, force, suite):
    d = factories.detention(force, detained_at=T0, now=T0 + MINUTE)
    WebhookDelivery.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.record_arrival(d, place_of_safety=suite, arrived_at=ARRIVED, now=ARRIVED + MINUTE)
        assert len(sent("detention.arrived")) == 3
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()
    with pytest.raises(svc.RuleViolation):  # before the detention: refused, nothing sent
        svc.record_arrival(d, place_of_safety=suite, arrived_at=T0 - MINUTE, now=ARRIVED)
    assert not WebhookDelivery.objects.exists()


def test_a_subscription_gets_only_the_event_types_it_chose(force, suite):
    ends_only = subscribe(force, ["detention.ended"])
    d = factories.detention(
        force, detained_at=T0, now=ARRIVED + MINUTE, place=suite, arrived_at=ARRIVED
    )
    assert not WebhookDelivery.objects.exists()
    svc.end_detention(
        d, ended_at=ARRIVED + MINUTE, outcome="discharged_no_follow_up", now=ARRIVED + 2 * MINUTE
    )
    assert [(x.subscription, x.event) for x in WebhookDelivery.objects.all()] == [
        (ends_only, "detention.ended")
    ]


def test_r1_an_unlawful_act_recorded_as_it_happened_is_its_own_event_once(force, health_trust):
    station = PlaceOfSafety.objects.create(
        name="Castleford custody", kind="police_station", organisation=force, capacity=5
    )
    subscribe(force)
    child = factories.person(force, date_of_birth=date(2010, 1, 1))
    d = factories.detention(force, child, detained_at=T0, now=T0 + MINUTE)
    with svc.confirmed_as_happened("Violent and injured; the only cell free."):
        svc.record_arrival(
            d,
            place_of_safety=station,
            arrived_at=ARRIVED,
            police_station_decision=h.POLICE_STATION_DECISION,
            now=ARRIVED + MINUTE,
        )
    assert [e for _, e in sent()] == [
        "detention.started",
        "detention.arrived",
        "detention.unlawful_act_recorded",
    ]
    data = WebhookDelivery.objects.get(event="detention.unlawful_act_recorded").payload["data"]
    assert ("PS1", "child_police_station") in {(r["rule"], r["code"]) for r in data["rules"]}
    assert data["happened_at"] == ARRIVED.isoformat().replace("+00:00", "Z")
    assert data["detention"]["unlawful"][0]["rule"] == "PS1"
    assert data["detention"]["at_police_station"] is True  # read after the clock was recomputed
    assert_bodies_match_the_schema()


def sweep_at(t):
    with time_machine.travel(t, tick=False):
        return sweep(now=t)


def test_breached_once_per_detention_when_the_limit_passes_while_detained(everyone, force, suite):
    with time_machine.travel(ARRIVED + MINUTE, tick=False):
        d = factories.detention(
            force, detained_at=T0, now=ARRIVED + MINUTE, place=suite, arrived_at=ARRIVED
        )
        in_time = factories.detention(
            force, detained_at=T0, now=ARRIVED + MINUTE, place=suite, arrived_at=ARRIVED
        )
    # Ended within its period, but recorded only after it expired: the catch-up sweep raises
    # (and then closes) an `expired` alert for it; no breach.
    svc.end_detention(
        in_time, ended_at=EXPIRES - MINUTE, outcome="discharged_no_follow_up", now=EXPIRES
    )
    sweep_at(EXPIRES - MINUTE)
    assert not sent("detention.breached")
    sweep_at(EXPIRES + timedelta(seconds=10))  # the sweep after the expiry
    sweep_at(EXPIRES + MINUTE)  # again, and again later: still once
    sweep_at(EXPIRES + timedelta(hours=2))
    assert orgs_told("detention.breached") == [
        "midshire-council",
        "midshire-mh-trust",
        "midshire-police",
    ]
    data = WebhookDelivery.objects.filter(event="detention.breached").first().payload["data"]
    assert data["detention"]["id"] == d.pk and data["detention"]["breach"] is True
    assert data["expired_at"] == EXPIRES.isoformat().replace("+00:00", "Z")
    assert_bodies_match_the_schema()


def test_handover_events_from_another_service_are_sent_as_the_detention(everyone, force, suite):
    d = factories.detention(
        force, detained_at=T0, now=ARRIVED + MINUTE, place=suite, arrived_at=ARRIVED
    )
    WebhookDelivery.objects.all().delete()
    with transaction.atomic():
        events.publish("detention.handover_requested", d, now=ARRIVED + MINUTE)
        handover = svc.record_handover(
            d,
            handed_over_at=ARRIVED + 2 * MINUTE,
            received_by="Nurse Ray",
            now=ARRIVED + 3 * MINUTE,
        )
        # A record that belongs to a detention (here a Handover) goes as its detention.
        events.publish("detention.handover_accepted", handover, now=ARRIVED + 3 * MINUTE)
    assert orgs_told("detention.handover_requested") == [
        "midshire-council",
        "midshire-mh-trust",
        "midshire-police",
    ]
    accepted = WebhookDelivery.objects.filter(event="detention.handover_accepted").first()
    assert accepted.payload["data"]["handover"] == {"id": handover.pk}
    assert accepted.payload["data"]["detention"]["handover"]["received_by"] == "Nurse Ray"
    assert_bodies_match_the_schema()


# --- The body, per organisation, versioned --------------------------------------------------


@time_machine.travel(h.NOW, tick=False)
def test_the_payload_is_the_record_as_the_api_shows_that_organisation(
    force, health_trust, outsider, api_for
):
    suite = h.place(health_trust, "health_based", name="Willow Suite")
    for org in (health_trust, outsider):
        subscribe(org, ["detention.arrived"])
    d = h.detention(force)
    force_api = api_for(force, "detentions:read", "detentions:write", name="force-cad")
    r = force_api.post(
        h.url(d, "arrival"),
        {"place_of_safety": suite.pk, "arrived_at": h.iso(h.T0 + timedelta(minutes=30))},
        format="json",
    )
    assert r.status_code == 201, r.content
    delivery = WebhookDelivery.objects.get()  # the trust, once; the outsider nothing
    assert delivery.subscription.organisation == health_trust
    body = delivery.payload
    assert set(body) == {"version", "event", "id", "created_at", "organisation", "data"}
    assert body["version"] == webhooks.PAYLOAD_VERSION == "2026-12-01"
    assert (body["event"], body["organisation"]) == ("detention.arrived", "midshire-mh-trust")
    assert body["id"] == str(delivery.event_id)
    assert body["created_at"] == h.NOW.isoformat().replace("+00:00", "Z")
    trust_api = api_for(health_trust, "detentions:read", name="trust-epr")
    shown = trust_api.get(f"/api/v1/detentions/{d.pk}/")
    assert shown.status_code == 200
    assert body["data"]["detention"] == shown.json()
    assert set(body["data"]) == {"detention", "place_of_safety", "arrived_at", "transfer"}


def test_referral_events_go_through_the_same_path_each_side_seeing_its_own(
    send, force, partner_org, outsider
):
    for org in (force, partner_org, outsider):
        subscribe(org, ["referral.created", "referral.updated"])
    referral = send()
    services.change_status(referral, to_status="acknowledged", organisation=partner_org)
    services.change_status(
        referral, to_status="accepted", organisation=partner_org, note="Seen today"
    )
    assert sent() == [
        ("midshire-police", "referral.created"),
        ("midshire-liaison", "referral.created"),
        ("midshire-police", "referral.updated"),
        ("midshire-liaison", "referral.updated"),
        ("midshire-police", "referral.updated"),
        ("midshire-liaison", "referral.updated"),
    ]  # each status change its own event; the outsider nothing
    last = WebhookDelivery.objects.filter(subscription__organisation=partner_org).latest("id")
    data = last.payload["data"]
    assert (data["from_status"], data["to_status"]) == ("acknowledged", "accepted")
    assert "nhs_number" not in data["referral"]["person_summary"]  # the receiver sees less
    sender = WebhookDelivery.objects.filter(subscription__organisation=force).latest("id")
    assert sender.payload["data"]["referral"]["person_summary"]["nhs_number"] == "9434765919"
    assert_bodies_match_the_schema()


@pytest.mark.django_db
def test_the_choices_are_every_domain_event_and_the_test_event():
    assert list(SUBSCRIBABLE_EVENTS) == list(events.NAMES)
    assert WebhookEvent.values == [*events.NAMES, "webhook.test"]
    with pytest.raises(Exception, match="known event"):
        webhooks.create_subscription(
            ensure_organisation("x-org", "X", OrganisationKind.VOLUNTARY_SECTOR)[0],
            name="x",
            url="https://hooks.example.org/x",
            events=["webhook.test"],
        )


def test_subscription_page_offers_every_event_none_chosen(web, make_user, partner_org):
    admin = make_user("liaison-admin", partner_org, "administrator")
    client = web.as_user(admin)
    page = client.get("/organisation/webhooks/new/").content.decode()
    for name in events.NAMES:
        assert f'value="{name}"' in page
    assert 'value="webhook.test"' not in page
    assert " checked" not in page
    r = client.post(
        "/organisation/webhooks/new/",
        {
            "name": "Case system",
            "url": "https://partner.example.org/hook",
            "events": ["detention.breached", "detention.ended"],
        },
    )
    assert r.status_code == 302
    sub = partner_org.webhook_subscriptions.get()
    assert sub.events == ["detention.breached", "detention.ended"]


def test_a_detention_event_reaches_a_real_receiver_signed_and_versioned(force, suite):
    with Receiver() as receiver:
        sub, secret = webhooks.create_subscription(
            force, name="cad", url=receiver.url, events=["detention.started"]
        )
        factories.detention(force, detained_at=T0, now=T0 + MINUTE)
        delivery = WebhookDelivery.objects.get()
        at = T0 + 2 * MINUTE
        assert webhooks.deliver(delivery.pk, now=at).status == "delivered"
    headers, raw = receiver.requests[0]
    assert webhooks.verify(secret, raw, headers["X-Harbour-Signature"], now=int(at.timestamp()))
    assert headers["webhook-signature"] == webhooks.sign_standard(
        secret, headers["webhook-id"], int(headers["webhook-timestamp"]), raw
    )
    assert headers["X-Harbour-Webhook-Version"] == "2026-12-01"
    body = json.loads(raw)
    assert (body["version"], body["event"]) == ("2026-12-01", "detention.started")
    assert body["data"]["detention"]["organisation"] == "midshire-police"
    assert sub.pk == delivery.subscription_id


@pytest.mark.django_db
def test_the_schema_documents_every_event_body():
    doc = contract.openapi_document()
    assert list(doc["x-webhooks"]) == [*events.NAMES, "webhook.test"]
    schemas = doc["components"]["schemas"]
    assert schemas["WebhookPayloadVersionEnum"]["enum"] == ["2026-12-01"]
    arrived = schemas["DetentionArrivedWebhook"]
    assert set(arrived["required"]) == {
        "version",
        "event",
        "id",
        "created_at",
        "organisation",
        "data",
    }
    data = schemas[arrived["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
    assert data["properties"]["detention"]["allOf"] == [
        {"$ref": "#/components/schemas/DetentionDetail"}
    ]
    assert schemas["AlertRaisedWebhook"]["properties"]["data"]["properties"]["alert"] == {
        "$ref": "#/components/schemas/Alert"
    }
    assert not doc.get("webhooks")  # OpenAPI 3.0.3: the 3.1 key would make it invalid


def test_alert_raised_goes_to_the_organisations_it_is_addressed_to(force, health_trust, suite):
    for org in (force, health_trust):
        subscribe(org, ["alert.raised"])
    with time_machine.travel(ARRIVED + MINUTE, tick=False):
        d = factories.detention(
            force, detained_at=T0, now=ARRIVED + MINUTE, place=suite, arrived_at=ARRIVED
        )
    sweep_at(EXPIRES - timedelta(hours=1))  # expiry warnings
    sweep_at(EXPIRES - timedelta(hours=1) + MINUTE)  # nothing new: nothing sent again
    from alerts.models import Alert

    raised = list(Alert.objects.filter(detention=d).order_by("pk"))
    assert raised
    told = WebhookDelivery.objects.filter(event="alert.raised")
    expected = sorted(
        (org.slug, alert.pk)
        for alert in raised
        for org in (force, health_trust)
        if org.pk in alert.organisations
    )
    assert expected  # the alerts are addressed to the force (and the place when it applies)
    assert (
        sorted((x.subscription.organisation.slug, x.payload["data"]["alert"]["id"]) for x in told)
        == expected
    )
    assert {x.payload["data"]["alert"]["kind"] for x in told} == {a.kind for a in raised}
    assert_bodies_match_the_schema()


def test_a_change_through_the_pages_is_one_event_too(
    web, officer, force, health_trust, acute_trust
):
    from django.utils import timezone

    from tests.pages.helpers import at_suite, local, make_person, make_places

    suite = make_places(force, health_trust, acute_trust)[1]
    d = at_suite(officer, make_person(force), suite)
    subscribe(force)
    subscribe(health_trust)
    response = web.as_user(officer).post(
        f"/detentions/{d.pk}/end/",
        {**local("ended_at", timezone.now()), "outcome": "no_mental_disorder"},
    )
    assert response.status_code == 302, response.content.decode()
    assert sorted(sent()) == [
        ("midshire-mh-trust", "detention.ended"),
        ("midshire-police", "detention.ended"),
    ]
    body = WebhookDelivery.objects.filter(subscription__organisation=force).get().payload
    assert body["data"]["outcome"] == "no_mental_disorder"
    assert body["data"]["detention"]["recorded_by"]  # the officer's record, as the API shows it


@time_machine.travel(h.NOW, tick=False)
def test_started_kept_at_a_place_through_the_api_is_started_and_arrived(
    force, acute_trust, outsider, api_for
):
    ed = h.place(acute_trust, "emergency_department", name="Midshire ED")
    for org in (force, acute_trust, outsider):
        subscribe(org)
    force_api = api_for(force, "detentions:read", "detentions:write", name="force-cad")
    r = force_api.post(
        "/api/v1/detentions/",
        {
            "person": h.person(force).pk,
            "power": "s136",
            "detained_at": h.iso(h.T0),
            "location_kind": "health_setting",
            "mode": "kept",
            "place_of_safety": ed.pk,
            "consultation": {
                "consulted_at": h.iso(h.T0 - timedelta(minutes=5)),
                "profession": "nurse",
                "name": "Nurse Joy",
                "advice": "Keep here",
            },
            "conveyance_mode": "none",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert sent() == [
        ("midshire-police", "detention.started"),
        ("midshire-hospitals", "detention.started"),
        ("midshire-police", "detention.arrived"),
        ("midshire-hospitals", "detention.arrived"),
    ]
    arrived = WebhookDelivery.objects.filter(event="detention.arrived").first().payload["data"]
    assert (arrived["place_of_safety"], arrived["transfer"]) == (ed.pk, None)
    assert arrived["detention"]["id"] == r.json()["id"]
    assert_bodies_match_the_schema()
