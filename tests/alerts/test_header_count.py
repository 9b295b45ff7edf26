"""The header's open-alert count is the number of open alerts the inbox lists (issue 19: one
query for both, not only those addressed to the user's role). Issue 24: its statement is built
once per actor shape (organisation, roles...) and re-run on every page; these tests hold it to
the inbox's "Open" list for every kind of actor, as alerts are raised and acknowledged, across
organisations, and check that it is not built again."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.principal import resolve
from accounts.roles import Role
from alerts import policy, services
from alerts import sweep as sweeping
from alerts.models import Alert, AlertKind, AlertQuerySet
from alerts.policy import inbox_alerts
from alerts.sweep import sweep
from assessments.models import AmhpServiceArea
from core.actor import acting_as, system_actor
from core.statements import actor_shape

from . import test_sweep_sql
from .conftest import detain
from .test_sweep_sql import CATCH_UP, T0

pytestmark = pytest.mark.django_db

outage = test_sweep_sql.outage  # the sweep suite's day, a fixture (used by `world`)

HEADER = re.compile(r'class="[^"]*app-alert-count"[^>]*>(\d+) open alerts?<')


def test_the_header_counts_what_the_inbox_lists(force, station, web, sergeant):
    now = timezone.now()
    detain(force, at=now - timedelta(hours=4), place=station, now=now)
    detain(force, at=now - timedelta(hours=23, minutes=30), place=station, now=now)
    sweep(now=now)
    for_role = Alert.objects.open().addressed_to(force.pk, ["custody_sergeant"]).count()
    listed = inbox_alerts(sergeant).open().count()
    assert listed > for_role > 0  # the inbox also lists alerts for other roles
    client = web.as_user(sergeant)
    assert f"{listed} open alerts" in client.get("/").content.decode()
    inbox = client.get("/alerts/").content.decode()
    assert f"{listed} open alerts" in inbox and f"{listed} alerts" in inbox


# --- Every kind of actor, two forces, built once ----------------------------------------------


@pytest.fixture
def statements():
    """The compiled statements, emptied before and after: each test starts cold."""
    policy._open_inbox_count.compiled.cache_clear()
    yield policy._open_inbox_count.compiled
    policy._open_inbox_count.compiled.cache_clear()


@pytest.fixture
def world(outage, other_force, other_station, make_user, sergeant, nurse, statements):
    """The sweep suite's day (tests/alerts/test_sweep_sql.py: detentions at custody and at a
    health-based place, one in an NPU another AMHP service covers, a referral to a partner) and
    a detention of another force, swept after every deadline passed; someone of every kind of
    organisation, a superuser, and users with no organisation or no alerts permission."""
    at_station, _at_suite, _in_npu = outage
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        elsewhere = detain(other_force, at=T0 + timedelta(minutes=10), place=other_station)
    with time_machine.travel(CATCH_UP, tick=False), acting_as(system_actor("alerts.tasks.sweep")):
        sweeping.sweep(now=CATCH_UP)
    force = sergeant.membership.organisation
    users = get_user_model().objects
    people = {
        "sergeant": sergeant,
        "officer": make_user("officer", force, Role.RESPONSE_OFFICER),  # same force, other role
        "superuser of the force": make_user("root-member", force, Role.INSPECTOR),
        "place operator": nurse,
        "amhp service": users.get(username="amhp-mid"),
        "amhp service by npu": users.get(username="amhp-west"),
        "partner": users.get(username="liaison"),
        "other force": make_user("west-sergeant", other_force, Role.CUSTODY_SERGEANT),
        "administrator": make_user("admin", force, Role.ADMINISTRATOR),  # no alerts permission
        "superuser": users.create_superuser("root", "root@example.org", "x" * 20),
        "no organisation": users.create_user("loner", "loner@example.org", "x" * 20),
    }
    root = people["superuser of the force"]
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    return {"people": people, "detentions": {"station": at_station, "elsewhere": elsewhere}}


def _fresh(user):
    """The user as the next request loads it (no principal cached on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def _expected(user) -> int:
    """The inbox's "Open" list as the ORM builds and counts it, nothing cached."""
    return inbox_alerts(_fresh(user)).open().count()


def _page(web, user):
    """(header count or None, the inbox's "Open" list total or its status code)."""
    client = web.as_user(user)
    home = client.get("/")
    assert home.status_code == 200
    found = HEADER.findall(home.content.decode())
    header = int(found[0]) if found else None
    inbox = client.get("/alerts/?state=open")
    listed = inbox.context["page"].paginator.count if inbox.status_code == 200 else None
    client.logout()
    return header, listed, inbox.status_code


def _check_everyone(web, people) -> dict:
    """Each person's header equals their inbox's Open list and the ORM's count; returns them."""
    counts = {}
    for who, user in people.items():
        header, listed, status = _page(web, user)
        if who in ("administrator", "superuser", "no organisation"):
            assert (header, status) == (None, 403), who  # no count, no inbox
            continue
        assert header == listed == _expected(user), who
        counts[who] = header
    return counts


def test_every_kind_of_actor_sees_the_count_of_its_open_list(web, world, statements):
    counts = _check_everyone(web, world["people"])
    # Not a count that happens to agree: organisations see different alerts (a statement of one
    # used for another would show), and everyone here has some.
    assert all(counts.values()), counts
    assert counts["sergeant"] == counts["officer"] == counts["superuser of the force"]
    assert len({counts[k] for k in ("sergeant", "place operator", "partner", "other force")}) > 2
    assert counts["amhp service by npu"] != counts["amhp service"]
    # One statement per actor shape: the force's three people have three sets of roles (or a
    # superuser flag), the five other organisations one each.
    assert statements.cache_info().currsize == 3 + 5


def test_raising_and_acknowledging_change_the_count_at_once(web, world, statements):
    people, detentions = world["people"], world["detentions"]
    before = _check_everyone(web, people)
    # One of the sergeant's open alerts acknowledged, and one alert raised about a detention of
    # each force: the statements built above are re-run, they hold no count.
    seen = inbox_alerts(_fresh(people["sergeant"])).open().order_by("pk").first()
    services.acknowledge(seen, by="sergeant")
    now = timezone.now()
    for detention in (detentions["station"], detentions["elsewhere"]):
        assert services.raise_now(
            AlertKind.UNLAWFUL_ACT_RECORDED, detention=detention, due_at=now, now=now
        )
    after = _check_everyone(web, people)
    assert after["sergeant"] == before["sergeant"] - 1 + 1
    assert after["other force"] == before["other force"] + 1
    assert statements.cache_info().misses == 3 + 5  # nothing built again


def test_a_statement_built_for_one_organisation_is_never_used_for_another(
    world, statements, force, other_force
):
    sergeant, west = world["people"]["sergeant"], world["people"]["other force"]
    # Built for the force first, then asked for the other one: the other force's own count.
    assert policy.open_inbox_count(_fresh(sergeant)) == _expected(sergeant)
    assert policy.open_inbox_count(_fresh(west)) == _expected(west) != _expected(sergeant)
    (_, sql_a, params_a), (_, sql_b, params_b) = (
        statements(actor_shape(resolve(_fresh(u)))) for u in (sergeant, west)
    )
    # The same text with the organisation's id as its only parameter that differs.
    assert sql_a == sql_b
    assert force.pk in _flat(params_a) and force.pk not in _flat(params_b)
    assert [_swap(p, force.pk, other_force.pk) for p in params_a] == list(params_b)


def _flat(params):
    out = []
    for p in params:
        out.extend(p if isinstance(p, list | tuple) else [p])
    return out


def _swap(p, a, b):
    if isinstance(p, list | tuple):
        return type(p)(_swap(x, a, b) for x in p)
    return b if p == a else p


def test_the_statement_is_built_once_and_rerun(world, statements, monkeypatch):
    sergeant = world["people"]["sergeant"]
    expected = _expected(sergeant)
    builds = []
    visible_to_organisation = AlertQuerySet.visible_to_organisation

    def counted(self, organisation_id):
        builds.append(organisation_id)
        return visible_to_organisation(self, organisation_id)

    monkeypatch.setattr(AlertQuerySet, "visible_to_organisation", counted)
    counts = []
    for _ in range(3):  # three requests, each with the user as a request loads it
        user = _fresh(sergeant)
        with CaptureQueriesContext(connection) as ran:
            counts.append(policy.open_inbox_count(user))
        on_alerts = [q["sql"] for q in ran.captured_queries if '"alerts_alert"' in q["sql"]]
        assert len(on_alerts) == 1 and on_alerts[0].startswith("SELECT COUNT(*) FROM (")
    assert counts == [expected] * 3
    assert builds == [sergeant.membership.organisation_id]  # built by the first request only
    # Another user of the same organisation with the same roles: the same statement.
    twin = world["people"]["other force"]
    twin.membership.organisation = sergeant.membership.organisation
    twin.membership.save()
    assert policy.open_inbox_count(_fresh(twin)) == expected
    assert len(builds) == 1 and statements.cache_info().currsize == 1


def test_building_reads_neither_the_database_nor_the_clock(world, statements):
    shape = actor_shape(resolve(_fresh(world["people"]["amhp service"])))
    with CaptureQueriesContext(connection) as ran, time_machine.travel(T0, tick=False):
        first = statements(shape)
    assert len(ran) == 0
    statements.cache_clear()
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        # New places covered, a new NPU: nothing the statement holds (they are in its SQL).
        AmhpServiceArea.objects.create(
            organisation=world["people"]["amhp service"].membership.organisation, name="More"
        )
        assert statements(shape) == first
