"""The tables a catch-up sweep writes thousands of rows into carry only the indexes a query reads
(alerts/models.py, migration 0012): each index is paid for by every alert, delivery and history
row written. The partial indexes that replaced full ones (`... WHERE column IS NOT NULL`) must
still serve the queries that read them."""

import pytest
from django.db import connection

from alerts.models import Alert, Delivery

pytestmark = pytest.mark.django_db

EXPECTED = {
    "alerts_alert": {
        "alerts_alert_pkey",
        "alert_once_per_deadline",  # the claim; also the detention's alerts (detention first)
        "alert_open_kind_det",  # the close step, handover and approvals
        "alert_unacked",  # inbox, header count, escalation, repeats
        "alert_referral",
        "alert_protocol",
        "alert_training_record",
        "alert_open_protocol",
        "alert_open_training",
    },
    "alerts_delivery": {
        "alerts_delivery_pkey",
        "delivery_once_per_level",  # also the alert's deliveries (alert first)
        "alerts_delivery_user_id_3357b9d8",  # the user foreign key (a user deleted)
        "delivery_unsent",  # the outbox's requeue
        "delivery_notify_id",  # GOV.UK Notify callbacks
    },
    "alerts_historicalalert": {
        "alerts_historicalalert_pkey",  # the seal (id ranges)
        "alerts_historicalalert_id_2b3461fd",  # the alert's timeline
        "alerts_historicalalert_history_date_747cbd27",  # the seal, audit search by date
        "alerts_historicalalert_detention_id_8f78e0be",  # the detention's timeline
        "halert_referral",
        "halert_protocol",
        "halert_training_record",
        "halert_history_user",
    },
    "alerts_historicaldelivery": {
        "alerts_historicaldelivery_pkey",
        "alerts_historicaldelivery_id_09f4f2d4",
        "alerts_historicaldelivery_history_date_76a61976",
        "alerts_historicaldelivery_alert_id_fe52f62c",  # the alert's timeline
        "hdelivery_history_user",
    },
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_only_the_indexes_a_query_reads(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name for name, c in constraints.items() if c["index"] or c["primary_key"] or c["unique"]
    }
    assert indexes == EXPECTED[table]


def test_the_foreign_keys_are_all_still_enforced():
    """Dropping an index never dropped its constraint (the migration drops indexes by name)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, a.attname
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                WHERE c.contype = 'f' AND c.condeferrable AND c.condeferred
                  AND conrelid::regclass::text IN ('alerts_alert', 'alerts_delivery',
                                                   'alerts_historicalalert',
                                                   'alerts_historicaldelivery')"""
        )
        found = set(cursor.fetchall())
    assert found == {
        ("alerts_alert", "detention_id"),
        ("alerts_alert", "referral_id"),
        ("alerts_alert", "protocol_id"),
        ("alerts_alert", "training_record_id"),
        ("alerts_delivery", "alert_id"),
        ("alerts_delivery", "user_id"),
        ("alerts_historicalalert", "history_user_id"),
        ("alerts_historicaldelivery", "history_user_id"),
    }


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Alert.history.filter(referral_id=1), "halert_referral"),
        (lambda: Alert.history.filter(protocol_id=1), "halert_protocol"),
        (lambda: Alert.history.filter(training_record_id=1), "halert_training_record"),
        (lambda: Alert.history.filter(history_user_id__in=[1, 2]), "halert_history_user"),
        (lambda: Delivery.history.filter(history_user_id=1), "hdelivery_history_user"),
        (lambda: Delivery.objects.filter(alert_id=1), "delivery_once_per_level"),
    ],
)
def test_the_partial_and_shared_indexes_serve_their_readers(queryset, index):
    assert index in _plan(queryset())
