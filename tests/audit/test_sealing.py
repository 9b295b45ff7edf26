"""The hash chain: seals cover every new history and access-log row once; `verify_audit` names
the first row altered, deleted or inserted out of order."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from audit import sealing
from audit.models import AccessLog, AuditSeal
from places_of_safety.models import PlaceOfSafety


def _later():
    return timezone.now() + dt.timedelta(seconds=60)


def _verify():
    try:
        call_command("verify_audit")
    except CommandError as e:
        return str(e)
    return None


@pytest.mark.django_db
def test_a_seal_covers_every_new_row_once_and_the_chain_verifies(arrived, capsys):
    made = sealing.seal_pending(now=_later())
    assert len(made) == 1
    seal = made[0]
    assert seal.sequence == 1 and seal.previous_hash == sealing.GENESIS
    assert "incidents_historicaldetention" in seal.rows
    assert "places_of_safety_historicalplaceofsafety" in seal.rows
    # Nothing new: no second seal (idempotent).
    assert sealing.seal_pending(now=_later()) == []
    assert _verify() is None
    out = capsys.readouterr().out
    assert "Audit chain intact: 1 seals" in out

    # New rows go into the next seal, chained to the first.
    place = PlaceOfSafety.objects.first()
    place.capacity = 3
    place.save()
    (second,) = sealing.seal_pending(now=_later())
    assert (second.sequence, second.previous_hash) == (2, seal.hash)
    assert list(second.rows) == ["places_of_safety_historicalplaceofsafety"]
    assert [i for i, _digest in second.rows["places_of_safety_historicalplaceofsafety"]] == [
        place.history.latest().history_id
    ]
    assert _verify() is None


@pytest.mark.django_db
def test_rows_inside_the_settle_window_wait_for_the_next_seal(detention):
    now = timezone.now()
    assert sealing.seal_pending(now=now) == []  # everything was written < 5 s ago
    assert AuditSeal.objects.count() == 0
    (seal,) = sealing.seal_pending(now=now + dt.timedelta(seconds=10))
    assert seal.row_count > 0


@pytest.mark.django_db
def test_verify_names_a_row_altered_directly_in_the_database(arrived):
    sealing.seal_pending(now=_later())
    row = arrived.history.order_by("history_id").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_historicaldetention SET location_description = %s "
            "WHERE history_id = %s",
            ["somewhere else", row.history_id],
        )
    message = _verify()
    assert message is not None
    assert f"ALTERED: table incidents_historicaldetention, id {row.history_id}, seal 1" in message


@pytest.mark.django_db
def test_verify_names_a_deleted_row(arrived):
    sealing.seal_pending(now=_later())
    row = arrived.history.order_by("history_id").last()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM incidents_historicaldetention WHERE history_id = %s", [row.history_id]
        )
    message = _verify()
    assert f"DELETED: table incidents_historicaldetention, id {row.history_id}, seal 1" in message


@pytest.mark.django_db
def test_verify_names_a_row_inserted_out_of_order(arrived, place):
    hist = PlaceOfSafety.history.model
    skipped = hist.objects.order_by("-history_id").first().history_id + 1
    with connection.cursor() as cursor:  # an id taken by a transaction that never commits
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'history_id'), %s)",
            ["places_of_safety_historicalplaceofsafety", skipped],
        )
    place.capacity = 5
    place.save()
    sealing.seal_pending(now=_later())
    # Long after the skipped id stopped being looked for, a row appears in it.
    sealing.seal_pending(now=_later() + dt.timedelta(hours=1))
    forged = hist.objects.get(history_id=skipped + 1)
    forged.history_id, forged.capacity = skipped, 9
    forged.save(force_insert=True)
    message = _verify()
    assert message is not None
    assert (
        f"INSERTED: table places_of_safety_historicalplaceofsafety, id {skipped}, seal 1" in message
    )


@pytest.mark.django_db
def test_verify_names_a_forged_row_below_the_first_sealed_id(arrived):
    sealing.seal_pending(now=_later())
    top = arrived.history.order_by("history_id").last().history_id
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE forged AS SELECT * FROM incidents_historicaldetention "
            "WHERE history_id = %s",
            [top],
        )
        cursor.execute("UPDATE forged SET history_id = 0, location_description = 'forged'")
        cursor.execute("INSERT INTO incidents_historicaldetention SELECT * FROM forged")
    message = _verify()
    assert message is not None
    assert "INSERTED: table incidents_historicaldetention, id 0, seal 1" in message


@pytest.mark.django_db
def test_verify_detects_an_edited_seal_and_a_deleted_access_log_row(arrived, officer):
    AccessLog.objects.create(
        actor_kind="user",
        actor_label="officer",
        user=officer,
        record_model="incidents.detention",
        record_id=str(arrived.pk),
        channel="page",
        method="GET",
        path="/x/",
        status_code=200,
        at=timezone.now() - dt.timedelta(minutes=5),
    )
    sealing.seal_pending(now=_later())
    log = AccessLog.objects.get()
    seal = AuditSeal.objects.get()
    assert "audit_accesslog" in seal.rows
    AccessLog.objects.filter(pk=log.pk).delete()
    message = _verify()
    assert f"DELETED: table audit_accesslog, id {log.pk}, seal 1" in message


@pytest.mark.django_db
def test_a_skipped_id_committed_later_is_sealed_by_a_later_seal(arrived, place):
    # Simulate a transaction that took an id earlier but committed after the next seal:
    # the id is skipped (pending) and sealed when it appears.
    hist = PlaceOfSafety.history.model
    last = hist.objects.order_by("-history_id").first()
    late_id = last.history_id + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'history_id'), %s)",
            ["places_of_safety_historicalplaceofsafety", late_id],
        )
    place.capacity = 5
    place.save()  # takes late_id + 1
    (first,) = sealing.seal_pending(now=_later())
    assert first.pending["places_of_safety_historicalplaceofsafety"][0][:2] == [late_id, late_id]
    # The late row commits now (same instant as the rows around it).
    row = hist.objects.get(history_id=late_id + 1)
    row.pk = None
    row.history_id = late_id
    row.capacity = 4
    row.save()
    (second,) = sealing.seal_pending(now=_later())
    assert second.rows["places_of_safety_historicalplaceofsafety"][0][0] == late_id
    assert "places_of_safety_historicalplaceofsafety" not in second.pending
    assert _verify() is None


@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_make_one_chain_with_no_duplicate_coverage(arrived):
    later = _later()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(sealing.seal_pending(now=later))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 1]
    assert list(AuditSeal.objects.values_list("sequence", flat=True)) == [1]
    assert _verify() is None
