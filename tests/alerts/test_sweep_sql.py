"""The sweep raises detention and referral alerts set-based in SQL (`alerts.sweep._RAISE`: find,
address, insert and history in one statement; `_deliver_raised`: the deliveries and their
history in one more). Each part must write what the Python it replaced writes: the addressing of
`alerts.addressing`, the deliveries of `_plan_deliveries`, and the history rows simple-history's
own `bulk_history_create` writes, stamped with the worker as the one who made them."""

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction

from accounts.models import NPU
from accounts.roles import Role
from alerts import addressing
from alerts import sweep as sweeping
from alerts.models import Alert, AlertKind, Delivery
from assessments.models import AmhpServiceArea
from core.actor import acting_as, system_actor
from core.history import actor_attrs

from .conftest import detain, refer

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
CATCH_UP = T0 + timedelta(hours=30)  # after an outage: every deadline of the day has passed


def test_sql_addressing_equals_the_python_addressing_for_every_kind():
    grid = itertools.product(
        addressing.LEVELS,
        [None, 11],  # force
        [None, 11, 12],  # operator of the place
        [None, 13],  # referral to
        [None, 14, 11],  # referral from
        [(), (15,), (12, 15)],  # AMHP services (sorted, as amhp_services_covering gives them)
    )
    keys = [
        {
            "i": i,
            "kind": str(kind),
            "force": force,
            "place_org": place_org,
            "ref_to": ref_to,
            "ref_from": ref_from,
            "amhp": list(amhp),
        }
        for i, (kind, force, place_org, ref_to, ref_from, amhp) in enumerate(grid)
    ]
    sql = (
        "WITH keys AS (SELECT * FROM jsonb_to_recordset(%(keys)s::jsonb) AS k(i int, kind text, "
        "force bigint, place_org bigint, ref_to bigint, ref_from bigint, amhp bigint[])), "
        + sweeping._ADDRESSED
        + " SELECT i, orgs, roles FROM addressed"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"keys": json.dumps(keys), "rules": sweeping._rules()})
        got = {i: (orgs, roles) for i, orgs, roles in cursor.fetchall()}
    assert len(got) == len(keys)
    for key in keys:
        subject = addressing.Subject(
            force_id=key["force"],
            place_org_id=key["place_org"],
            referral_to_id=key["ref_to"],
            referral_from_id=key["ref_from"],
            amhp_ids=tuple(key["amhp"]),
        )
        # The same organisations and roles, in the same order.
        assert got[key["i"]] == addressing.addressees(key["kind"], 0, subject), key


@pytest.fixture
def outage(
    force,
    station,
    suite,
    staffed,
    make_user,
    local_authority,
    other_local_authority,
    partner_org,
):
    """Detentions at a custody suite and at a health-based place (one in an NPU covered by
    another AMHP service), a referral, and someone in every role told, as at the start of a
    day whose deadlines all pass before the next sweep runs."""
    npu = NPU.objects.create(force=force, code="NPU-X", name="North")
    AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire").places.add(suite)
    AmhpServiceArea.objects.create(organisation=other_local_authority, name="Westshire").npus.add(
        npu
    )
    AmhpServiceArea.objects.create(
        organisation=other_local_authority, name="Westshire (closed)", active=False
    ).places.add(suite)
    for username, org, role in [
        ("amhp-mid", local_authority, Role.AMHP),
        ("amhp-west", other_local_authority, Role.AMHP),
        ("liaison", partner_org, Role.PARTNER_USER),
    ]:
        user = make_user(username, org, role)
        user.email = f"{username}@example.org"
        user.save()
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        at_station = detain(force, at=T0, place=station)
        at_suite = detain(force, at=T0, place=suite)
        in_npu = detain(force, at=T0 + timedelta(minutes=5), place=suite)
        in_npu.npu = npu
        in_npu.save(update_fields=["npu"])
        refer(force, partner_org, at_suite)
    return [at_station, at_suite, in_npu]


def catch_up():
    with time_machine.travel(CATCH_UP, tick=False), acting_as(system_actor("alerts.tasks.sweep")):
        return sweeping.sweep(now=CATCH_UP)


def test_the_catch_up_addresses_each_alert_as_the_python_addressing_does(outage):
    result = catch_up()
    raised = list(Alert.objects.filter(pk__in=result.raised))
    assert len(raised) == len(result.raised) > 10
    assert {a.kind for a in raised} >= {
        AlertKind.EXPIRED,
        AlertKind.EXPIRY_WARNING,
        AlertKind.WELFARE_CHECK_OVERDUE,
        AlertKind.ASSESSMENT_TARGET_MISSED,
        AlertKind.REFERRAL_OVERDUE,
    }
    covering = addressing.amhp_services_covering(
        (d.pk, d.current_place_of_safety_id, d.npu_id) for d in outage
    )
    assert sorted(len(x) for x in covering.values()) == [0, 1, 2]
    for alert in raised:
        if alert.detention_id is not None:
            d = alert.detention
            subject = addressing.Subject(
                force_id=d.organisation_id,
                place_org_id=d.current_place_of_safety.organisation_id,
                amhp_ids=tuple(covering[d.pk]),
            )
        else:
            subject = addressing.Subject(
                referral_to_id=alert.referral.to_organisation_id,
                referral_from_id=alert.referral.from_organisation_id,
            )
        expected = addressing.addressees(alert.kind, 0, subject)
        assert (alert.organisations, alert.roles) == expected, alert.kind


def test_the_catch_up_writes_the_deliveries_the_per_alert_plan_would(outage):
    result = catch_up()
    open_alerts = Alert.objects.filter(pk__in=result.raised, closed_at__isnull=True)
    planned = sweeping._plan_deliveries({a.pk: (a.organisations, a.roles) for a in open_alerts}, {})
    fields = ["alert_id", "channel", "user_id", "address", "escalation_level", "repeat"]
    written = list(Delivery.objects.values_list(*fields, "status", "attempts", "error"))
    assert len(written) == len(planned) == len(result.deliveries) > 10
    assert sorted(written) == sorted(
        (p.alert_id, p.channel, p.user_id, p.address, p.escalation_level, p.repeat)
        + (Delivery.Status.PENDING, 0, "")
        for p in planned
    )
    assert sorted(result.deliveries) == sorted(Delivery.objects.values_list("pk", flat=True))


def _history(model, ids) -> dict:
    rows = model.history.filter(id__in=ids).values()
    out = {}
    for row in rows:
        row.pop("history_id")
        assert row["id"] not in out, "one history row per row written"
        out[row["id"]] = row
    return out


def _what_simple_history_writes(model, objs, *, reason, date_of) -> dict:
    """The history rows simple-history's bulk_history_create writes for `objs` as the worker,
    read back and rolled back."""
    with transaction.atomic():
        model.history.all().delete()
        with acting_as(system_actor("alerts.tasks.sweep")):
            for obj in objs:
                model.history.bulk_history_create(
                    [obj],
                    default_change_reason=reason,
                    default_date=date_of(obj),
                    custom_historical_attrs=actor_attrs(),
                )
        expected = _history(model, [o.pk for o in objs])
        transaction.set_rollback(True)
    return expected


def test_the_history_rows_written_in_sql_are_what_simple_history_writes(outage):
    result = catch_up()
    alerts = list(Alert.objects.filter(pk__in=result.raised))
    deliveries = list(Delivery.objects.filter(pk__in=result.deliveries))
    assert alerts and deliveries

    got = _history(Alert, result.raised)
    expected = _what_simple_history_writes(
        Alert, alerts, reason="raised by the sweep", date_of=lambda _a: CATCH_UP
    )
    assert got == expected
    assert {(r["history_type"], r["changed_by"], r["actor_kind"]) for r in got.values()} == {
        ("+", "system:alerts.tasks.sweep", "system")
    }

    got = _history(Delivery, result.deliveries)
    expected = _what_simple_history_writes(
        Delivery, deliveries, reason=None, date_of=lambda d: d.created_at
    )
    assert got == expected
    assert {r["changed_by"] for r in got.values()} == {"system:alerts.tasks.sweep"}


def test_a_second_catch_up_raises_and_writes_nothing_more(outage):
    first = catch_up()
    counts = (
        Alert.objects.count(),
        Alert.history.count(),
        Delivery.objects.count(),
        Delivery.history.count(),
    )
    second = catch_up()
    assert first.raised and not second.raised and not second.deliveries
    assert counts == (
        Alert.objects.count(),
        Alert.history.count(),
        Delivery.objects.count(),
        Delivery.history.count(),
    )
