"""The sweep: raise what fell due, close what no longer applies, escalate what nobody acted on.

Deadlines are columns on the detention (recomputed by the services in the same transaction as
every change), so the sweep only asks "which indexed deadlines are <= now?". It is idempotent and
safe to run concurrently:

- raising is one `INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING id` against the unique
  constraint (detention, kind, threshold, due_at): two sweeps at once raise each alert once, and
  history, addressing and deliveries are written only for the rows this sweep actually inserted,
  in the same transaction;
- closing and escalating are conditional `UPDATE ... WHERE ... RETURNING` statements: a row is
  claimed by exactly one sweep (PostgreSQL re-checks the WHERE clause after waiting on a lock);
- repeating a legal deadline alert nobody acknowledged is an `INSERT ... ON CONFLICT DO
  NOTHING` on (alert, repeat number): each repeat once, however many sweeps run;
- a sweep that runs after an outage finds every deadline that passed meanwhile, and stamps each
  alert with the instant it fell due (`due_at`, from the deadline column) and the instant it was
  raised (`raised_at`).

Records typed in late raise only what still applies: only running detentions raise, an expiry
warning is raised for a threshold passed before the record existed only when it is the most
pressing one still ahead of expiry, and an event recorded late moves the deadline column so the
alert about the old deadline is closed with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core import events
from core.actor import current_actor
from core.history import actor_attrs
from core.outbox import Outbox
from core.queue import enqueue_on_commit
from detentions.models import Detention
from protocols.reminders import due_reminders as protocol_reminders
from training.reminders import due_reminders as training_reminders

from . import addressing, notify
from .models import (
    DEFAULT_CHANNELS,
    LEGAL_DEADLINE_KINDS,
    Alert,
    AlertKind,
    AlertRepeat,
    Channel,
    ChannelPreference,
    Delivery,
)
from .webhooks import publish_raised

# The task that sends one delivery (alerts.tasks registers under this name; this module queues
# it by name and never imports the task module).
DELIVER_TASK = "alerts.tasks.deliver"
# Many deliveries at once (a catch-up sweep) are queued as messages of up to DELIVER_BATCH ids,
# each fanned out by a worker to one `deliver` per id: one broker round trip per delivery would
# make publishing most of the sweep's time. A few are queued one message each, as ever.
DELIVER_BATCH_TASK = "alerts.tasks.deliver_batch"
DELIVER_BATCH = 500


def config() -> dict:
    return settings.ALERTS


def thresholds() -> list[int]:
    return sorted({int(m) for m in config()["EXPIRY_WARNING_MINUTES"]}, reverse=True)


@dataclass
class SweepResult:
    raised: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)  # AlertRepeat ids
    deliveries: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "raised": len(self.raised),
            "closed": len(self.closed),
            "escalated": len(self.escalated),
            "repeated": len(self.repeated),
            "deliveries": len(self.deliveries),
        }


# --- Raising -------------------------------------------------------------------------------

_DETENTION_CANDIDATES = """
    SELECT d.id AS detention_id, 'expiry_warning' AS kind, t.m AS threshold_minutes,
           d.expires_at - make_interval(mins => t.m) AS due_at
      FROM incidents_detention d
      CROSS JOIN unnest(%(thresholds)s::int[]) AS t(m)
     WHERE d.ended_at IS NULL
       AND d.expires_at <= %(now)s + make_interval(mins => %(max_threshold)s)
       AND d.expires_at - make_interval(mins => t.m) <= %(now)s
       AND (d.created_at <= d.expires_at - make_interval(mins => t.m)
            OR (d.expires_at > %(now)s
                AND t.m = (SELECT min(x) FROM unnest(%(thresholds)s::int[]) AS x
                            WHERE d.expires_at - make_interval(mins => x) <= %(now)s)))
    UNION ALL
    SELECT d.id, 'expired', NULL, d.expires_at
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.expires_at <= %(now)s
    UNION ALL
    SELECT d.id, 'welfare_check_overdue', NULL, d.next_welfare_check_due_at
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.next_welfare_check_due_at <= %(now)s
    UNION ALL
    SELECT d.id, 'review_overdue', NULL, d.next_review_due_at
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.next_review_due_at <= %(now)s
    UNION ALL
    SELECT d.id, 'transfer_required', NULL, d.transfer_required_since
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.transfer_required_since IS NOT NULL
    UNION ALL
    SELECT d.id, 'assessment_target_missed', NULL, d.assessment_due_at
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.assessment_due_at <= %(now)s
       AND NOT EXISTS (SELECT 1 FROM incidents_assessment a
                        WHERE a.detention_id = d.id AND a.started_at IS NOT NULL)
    UNION ALL
    SELECT d.id, 'handover_target_missed', NULL, d.handover_due_at
      FROM incidents_detention d
     WHERE d.ended_at IS NULL AND d.handover_due_at <= %(now)s
       AND NOT EXISTS (SELECT 1 FROM incidents_handover h WHERE h.detention_id = d.id)
"""

# Deadlines that passed while no sweep ran and were met (or moved) before the next one: a version
# of the detention (its history) written before the deadline, still in force when it passed, and
# replaced afterwards. The live sweep would have raised an alert; the catch-up sweep raises it
# now, closed at once as `satisfied_late` with the instant the check or review was made (so the
# lateness leaves a trace), or open when nothing satisfied it (the close step gives the reason).
# Only versions replaced within the look-back (ALERTS["LATE_LOOKBACK_HOURS"]) are read.
_LAPSED_CANDIDATES = """
    SELECT v.detention_id, k.kind, NULL::int AS threshold_minutes, k.due_at,
           CASE k.kind
             WHEN 'welfare_check_overdue' THEN
               (SELECT min(w.checked_at) FROM incidents_welfarecheck w
                 WHERE w.detention_id = v.detention_id AND w.checked_at > k.due_at)
             WHEN 'review_overdue' THEN
               (SELECT min(r.reviewed_at) FROM incidents_review r
                 WHERE r.detention_id = v.detention_id AND r.reviewed_at > k.due_at)
           END AS satisfied_at,
           1 AS late
      FROM (SELECT h.id AS detention_id, h.history_date, h.ended_at, h.expires_at,
                   h.next_welfare_check_due_at, h.next_review_due_at,
                   lead(h.history_date) OVER (PARTITION BY h.id
                                              ORDER BY h.history_date, h.history_id) AS replaced_at
              FROM incidents_historicaldetention h
             WHERE h.id IN (SELECT x.id FROM incidents_historicaldetention x
                             WHERE x.history_date > %(since)s)) v
      CROSS JOIN LATERAL (VALUES ('expired', v.expires_at),
                                 ('welfare_check_overdue', v.next_welfare_check_due_at),
                                 ('review_overdue', v.next_review_due_at)) AS k(kind, due_at)
     WHERE v.ended_at IS NULL AND v.replaced_at > %(since)s
       AND v.history_date <= k.due_at AND k.due_at < v.replaced_at AND k.due_at <= %(now)s
"""

# What fell due and was not raised yet: detention deadlines (current and lapsed) and overdue
# referrals, with what addressing reads (the organisations involved, the place and NPU for the
# AMHP services covering them). A CTE of `_RAISE`.
_FOUND = f"""
current_deadlines AS ({_DETENTION_CANDIDATES}),
candidates AS (
  SELECT DISTINCT ON (detention_id, kind, threshold_minutes, due_at) *
    FROM (SELECT c.*, NULL::timestamptz AS satisfied_at, 0 AS late FROM current_deadlines c
          UNION ALL {_LAPSED_CANDIDATES}) u
   ORDER BY detention_id, kind, threshold_minutes, due_at, late
),
found AS (
  SELECT c.kind, c.detention_id, NULL::bigint AS referral_id, c.threshold_minutes, c.due_at,
         c.satisfied_at, d.organisation_id AS force, p.organisation_id AS place_org,
         NULL::bigint AS ref_to, NULL::bigint AS ref_from,
         d.current_place_of_safety_id AS place_id, d.npu_id
    FROM candidates c
    JOIN incidents_detention d ON d.id = c.detention_id
    LEFT JOIN places_of_safety_placeofsafety p ON p.id = d.current_place_of_safety_id
   WHERE NOT EXISTS (
          SELECT 1 FROM alerts_alert a
           WHERE a.detention_id = c.detention_id AND a.kind = c.kind
             AND a.threshold_minutes IS NOT DISTINCT FROM c.threshold_minutes
             AND a.due_at = c.due_at)
  UNION ALL
  SELECT 'referral_overdue', NULL, r.id, NULL, r.due_by, NULL, NULL, NULL,
         r.to_organisation_id, r.from_organisation_id, NULL, NULL
    FROM partners_referral r
   WHERE r.due_by <= %(now)s AND r.status = 'sent' AND r.acknowledged_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM alerts_alert a
                      WHERE a.detention_id IS NULL AND a.referral_id = r.id
                        AND a.kind = 'referral_overdue' AND a.due_at = r.due_by)
)"""

# Addressing in SQL, exactly as `addressing.addressees(kind, 0, subject)` does in Python (tested
# against it): for each key `k` (kind, force, place_org, ref_to, ref_from, amhp) of `keys`, the
# organisations of every level-0 entry of `addressing.LEVELS` (`rules`: kind, pos, place, roles)
# in order, each once, and the roles of every entry that found an organisation, each once.
# Worked out once per distinct key: a catch-up repeats the same few thousandfold.
_RULE_ORGS = """(CASE l.place WHEN 'station' THEN ARRAY[k.place_org]
                           WHEN 'place' THEN ARRAY[k.place_org]
                           WHEN 'force' THEN ARRAY[k.force]
                           WHEN 'amhp' THEN k.amhp
                           WHEN 'referral_to' THEN ARRAY[k.ref_to]
                           WHEN 'referral_from' THEN ARRAY[k.ref_from] END)::bigint[]"""
_RULE_PLACES = {"station", "place", "force", "amhp", "referral_to", "referral_from"}

_ADDRESSED = f"""
rules AS (
  SELECT * FROM jsonb_to_recordset(%(rules)s::jsonb)
                AS l(kind text, pos int, place text, roles text[])
),
addressed AS MATERIALIZED (  -- once per key, not per row found
  SELECT k.*, COALESCE(o.orgs, '{{}}'::bigint[]) AS orgs, COALESCE(r.roles, '{{}}'::text[]) AS roles
    FROM keys k
    CROSS JOIN LATERAL (
      SELECT array_agg(x.o ORDER BY x.first) AS orgs
        FROM (SELECT f.o, min(l.pos * 1000000 + f.n) AS first
                FROM rules l CROSS JOIN LATERAL unnest({_RULE_ORGS}) WITH ORDINALITY AS f(o, n)
               WHERE l.kind = k.kind AND f.o IS NOT NULL
               GROUP BY f.o) x) o
    CROSS JOIN LATERAL (
      SELECT array_agg(x.role ORDER BY x.first) AS roles
        FROM (SELECT g.role, min(l.pos * 1000000 + g.n) AS first
                FROM rules l CROSS JOIN LATERAL unnest(l.roles) WITH ORDINALITY AS g(role, n)
               WHERE l.kind = k.kind
                 AND EXISTS (SELECT 1 FROM unnest({_RULE_ORGS}) AS f(o) WHERE f.o IS NOT NULL)
               GROUP BY g.role) x) r
)"""


def _rules() -> str:
    """Level 0 of `addressing.LEVELS` as the `rules` parameter of `_ADDRESSED`."""
    rules = []
    for kind, levels in addressing.LEVELS.items():
        for pos, (where, roles) in enumerate(levels[0]):
            if where not in _RULE_PLACES:  # pragma: no cover - a typo in LEVELS
                raise ValueError(where)
            rules.append(
                {"kind": str(kind), "pos": pos, "place": where, "roles": [str(r) for r in roles]}
            )
    return json.dumps(rules)


# The AMHP services (local authorities) whose active service area covers a detention's place
# of safety or its NPU, as `addressing.amhp_services_covering` (tested against it); `keyed` is
# `found` with them (for the kinds addressed to AMHPs; none for the others).
_COVER = """
cover AS (
  SELECT u.place_id, u.npu_id,
         ARRAY(SELECT s.la
                 FROM (SELECT a.organisation_id
                         FROM assessments_amhpservicearea_places ap
                         JOIN assessments_amhpservicearea a ON a.id = ap.amhpservicearea_id
                        WHERE a.active AND ap.placeofsafety_id = u.place_id
                       UNION
                       SELECT a.organisation_id
                         FROM assessments_amhpservicearea_npus an
                         JOIN assessments_amhpservicearea a ON a.id = an.amhpservicearea_id
                        WHERE a.active AND an.npu_id = u.npu_id) AS s(la)
                ORDER BY s.la)::bigint[] AS amhp
    FROM (SELECT DISTINCT place_id, npu_id FROM found
           WHERE detention_id IS NOT NULL AND kind = ANY(%(amhp_kinds)s::text[])) u
),
keyed AS (
  SELECT f.*, COALESCE(c.amhp, '{}'::bigint[]) AS amhp
    FROM found f
    LEFT JOIN cover c
      ON f.detention_id IS NOT NULL AND f.kind = ANY(%(amhp_kinds)s::text[])
     AND COALESCE(c.place_id, 0) = COALESCE(f.place_id, 0)
     AND COALESCE(c.npu_id, 0) = COALESCE(f.npu_id, 0)
),
keys AS (SELECT DISTINCT kind, force, place_org, ref_to, ref_from, amhp FROM keyed)"""

# Raising, in one statement: find (`_FOUND`), address (`_ADDRESSED`), insert, and write the
# inserted rows' history from what the insert returned (`{history}`). The claim is the insert's
# `ON CONFLICT DO NOTHING` on `alert_once_per_deadline`: only rows this statement inserts come
# back, so history (here), addressing and deliveries are written only for them, in the same
# transaction. The ORDER BY is also a barrier: the sort reads every row found before the first
# is inserted, so the NOT EXISTS probes of `_FOUND` never walk rows this statement inserts
# (quadratic, 35 s for a catch-up, when the planner believes the table small). Returns the
# inserted ids by addressees (organisations and roles NULL for alerts raised closed: met late,
# nobody to tell), as array literals, with the `expired` ones apart (breaches).
_RAISE = f"""
WITH {_FOUND},
{_COVER},
{_ADDRESSED},
ins AS (
  INSERT INTO alerts_alert (detention_id, referral_id, kind, threshold_minutes, due_at,
                            raised_at, organisations, roles, escalation_level, acknowledged_by,
                            closed_at, closed_reason, satisfied_at)
  SELECT f.detention_id, f.referral_id, f.kind, f.threshold_minutes, f.due_at, %(now)s,
         a.orgs, a.roles, 0, '',
         CASE WHEN f.satisfied_at IS NOT NULL THEN %(now)s::timestamptz END,
         CASE WHEN f.satisfied_at IS NOT NULL THEN 'satisfied_late' ELSE '' END, f.satisfied_at
    FROM keyed f
    JOIN addressed a
      ON a.kind = f.kind AND a.amhp = f.amhp
     AND COALESCE(a.force, 0) = COALESCE(f.force, 0)
     AND COALESCE(a.place_org, 0) = COALESCE(f.place_org, 0)
     AND COALESCE(a.ref_to, 0) = COALESCE(f.ref_to, 0)
     AND COALESCE(a.ref_from, 0) = COALESCE(f.ref_from, 0)
   ORDER BY f.detention_id, f.referral_id, f.kind, f.threshold_minutes, f.due_at
  ON CONFLICT DO NOTHING
  RETURNING *
),
history AS ({{history}})
SELECT CASE WHEN ins.closed_at IS NULL THEN ins.organisations END,
       CASE WHEN ins.closed_at IS NULL THEN ins.roles END,
       array_agg(ins.id ORDER BY ins.id)::text,
       (array_agg(ins.id ORDER BY ins.id) FILTER (WHERE ins.kind = 'expired'))::text
  FROM ins
 GROUP BY 1, 2
"""

# The claim: only rows this statement actually inserts come back; a row another sweep inserted
# first (same detention or referral, kind, threshold, due_at) is skipped by the constraint.
# A deadline met late while no sweep ran (`satisfied_at` set) is raised closed: `satisfied_late`.
# (No NOT EXISTS against alerts_alert here: the constraint is the check, and when the planner
# believes the table small it re-scans the rows this very statement inserts, once per row:
# quadratic, 35 s for a 19,000-alert catch-up.)
_INSERT_ALERTS = """
INSERT INTO alerts_alert ({subject}, kind, threshold_minutes, due_at, raised_at,
                          organisations, roles, escalation_level, acknowledged_by,
                          closed_at, closed_reason, satisfied_at)
SELECT v.subject, v.kind, v.threshold_minutes, v.due_at, %(now)s, a.orgs, a.roles, 0, '',
       CASE WHEN v.satisfied_at IS NOT NULL THEN %(now)s::timestamptz END,
       CASE WHEN v.satisfied_at IS NOT NULL THEN 'satisfied_late' ELSE '' END, v.satisfied_at
  FROM unnest(%(subjects)s::bigint[], %(kinds)s::text[], %(thresholds)s::int[],
              %(due)s::timestamptz[], %(satisfied)s::timestamptz[],
              %(addressees)s::int[])
       AS v(subject, kind, threshold_minutes, due_at, satisfied_at, addressees)
  JOIN (SELECT x.n - 1 AS i,
               ARRAY(SELECT jsonb_array_elements_text(x.e -> 0))::bigint[] AS orgs,
               ARRAY(SELECT jsonb_array_elements_text(x.e -> 1))::text[] AS roles
          FROM jsonb_array_elements(%(sets)s::jsonb) WITH ORDINALITY AS x(e, n)) a
    ON a.i = v.addressees
ON CONFLICT DO NOTHING
RETURNING id, organisations, roles, {subject}, closed_at IS NOT NULL, kind
"""


class _AlertRows:
    """The alerts to insert for one subject column, a list per column (sent as arrays: cheaper
    to build and to parse than an object per alert) and each alert's addressees as an index into
    the few distinct (organisations, roles) pairs of the sweep."""

    def __init__(self):
        self.columns: tuple[list, ...] = ([], [], [], [], [], [])
        self.sets: dict[tuple, int] = {}

    def index_of(self, orgs, roles) -> int:
        key = (tuple(orgs), tuple(roles))
        index = self.sets.get(key)
        if index is None:
            index = self.sets[key] = len(self.sets)
        return index

    def add(self, subject, kind, threshold, due_at, satisfied_at, orgs, roles):
        self.append(subject, kind, threshold, due_at, satisfied_at, self.index_of(orgs, roles))

    def append(self, subject, kind, threshold, due_at, satisfied_at, index):
        subjects, kinds, thresholds, due, satisfied, addressees = self.columns
        subjects.append(subject)
        kinds.append(kind)
        thresholds.append(threshold)
        due.append(due_at)
        satisfied.append(satisfied_at)
        addressees.append(index)

    def __bool__(self):
        return bool(self.columns[0])

    def params(self, now) -> dict:
        subjects, kinds, thresholds, due, satisfied, addressees = self.columns
        return {
            "now": now,
            "subjects": _pg_array(subjects),
            "kinds": _pg_array(kinds),
            "thresholds": _pg_array(thresholds),
            "due": _pg_array(due),
            "satisfied": _pg_array(satisfied),
            "addressees": _pg_array(addressees),
            "sets": json.dumps([[list(orgs), list(roles)] for orgs, roles in self.sets]),
        }


_AMHP_KINDS = {
    kind
    for kind, levels in addressing.LEVELS.items()
    if any(where == "amhp" for level in levels for where, _ in level)
}


def _raise_alerts(now, expired: list[int] | None = None) -> tuple[list[int], list[tuple]]:
    """Finds the detention and referral alerts that fell due, addresses them, inserts them and
    writes their history: one statement (`_RAISE`), whatever the number. Returns the ids it
    inserted and, for those with someone to tell, [(organisations, roles, ids as an array
    literal)], one per distinct addressees; the `expired` ids go to `expired`."""
    ths = thresholds()
    params = {
        "now": now,
        "thresholds": ths,
        "max_threshold": max(ths) if ths else 0,
        "since": now - timedelta(hours=config().get("LATE_LOOKBACK_HOURS", 48)),
        "rules": _rules(),
        "amhp_kinds": sorted(str(k) for k in _AMHP_KINDS),
        **_history_params(now, update=False, reason="raised by the sweep"),
    }
    statement = _RAISE.replace("{history}", _history_insert(Alert, "ins", params))
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        groups = cursor.fetchall()
    ids: list[int] = []
    addressed = []
    for orgs, roles, id_literal, expired_literal in groups:
        ids += _parse_ids(id_literal)
        if expired is not None and expired_literal:
            expired += _parse_ids(expired_literal)
        # Raised closed (met late): a trace in the inbox and history, nobody to tell.
        if orgs:
            addressed.append((orgs, roles or [], id_literal))
    ids.sort()
    return ids, addressed


def _parse_ids(literal: str | None) -> list[int]:
    """The ids of a PostgreSQL bigint[] literal ("{1,2,3}")."""
    if not literal or literal == "{}":
        return []
    return list(map(int, literal[1:-1].split(",")))


def _raise_reminders(now) -> tuple[dict[int, tuple[list[int], list[str]]], dict]:
    """Inserts the reminders that are due (protocol reviews, training refreshers: from Python
    sources, a few a day) and their history; returns ({id: (orgs, roles)}, {id: (user ids
    addressed in person)}) for the rows this sweep inserted."""
    rows_by_column, officers = _reminder_rows(now)
    raised: dict[int, tuple[list[int], list[str]]] = {}
    personal: dict[int, tuple[int, ...]] = {}
    with connection.cursor() as cursor:
        for column, rows in rows_by_column.items():
            if not rows:
                continue
            cursor.execute(_INSERT_ALERTS.format(subject=column), rows.params(now))
            for pk, orgs, roles, subject_id, closed, _kind in cursor.fetchall():
                raised[pk] = ([], []) if closed else (orgs, roles)
                if column == "training_record_id" and officers.get(subject_id):
                    personal[pk] = officers[subject_id]
    _write_history(list(raised), now, update=False, reason="raised by the sweep")
    return raised, personal


# An `expired` alert raised for a detention still running (or ended after its expiry) is its
# breach: a legal time limit passed while the person was detained (C6/C8). It is told once per
# detention: not again for a later `expired` alert of the same detention, unless every earlier one
# turned out to be no breach (closed because the detention had ended within its period, recorded
# late, or because its expiry moved).
_FIRST_BREACHES = """
SELECT a.detention_id, a.due_at
  FROM alerts_alert a
  JOIN incidents_detention d ON d.id = a.detention_id
 WHERE a.id = ANY(%(ids)s::bigint[]) AND a.kind = 'expired'
   AND (d.ended_at IS NULL OR d.ended_at > d.expires_at)
   AND NOT EXISTS (SELECT 1 FROM alerts_alert b
                    WHERE b.detention_id = a.detention_id AND b.kind = 'expired' AND b.id < a.id
                      AND b.closed_reason NOT IN ('ended_within_period', 'expiry_changed'))
 ORDER BY a.id
"""


def _publish_breaches(expired_ids, now) -> list[int]:
    """`detention.breached` (core.events) for each detention whose first `expired` alert this
    sweep raised (`expired_ids`: the `expired` alerts it inserted), in the sweep's transaction:
    exactly once per detention, as the alert is (the alert's unique constraint decides which
    sweep raised it). No query when it raised none."""
    if not expired_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_FIRST_BREACHES, {"ids": _id_array(expired_ids)})
        found = cursor.fetchall()
    if not found:
        return []
    detentions = Detention.objects.in_bulk([detention_id for detention_id, _ in found])
    for detention_id, due_at in found:
        events.publish(
            "detention.breached",
            detentions[detention_id],
            now=now,
            expired_at=due_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        )
    return [detention_id for detention_id, _ in found]


# --- Reminders (protocol reviews, training refreshers) ----------------------------------------

MINUTES_PER_DAY = 1440

_REMINDER_SUBJECTS = {
    "protocols.protocol": "protocol_id",
    "training.trainingrecord": "training_record_id",
}


def _reminder_sources():
    """The `due_reminders(now)` functions of protocols and training (pure, read-only,
    idempotent)."""
    return [protocol_reminders, training_reminders]


def reminders_every() -> int:
    """Seconds between two readings of the reminder sources (ALERTS["REMINDERS_EVERY_SECONDS"],
    default 60; 0 reads them on every sweep). Reminders are day-grained, so once a minute is
    plenty, and it keeps the 10-second sweep fast however many training records there are."""
    return int(config().get("REMINDERS_EVERY_SECONDS", 60))


def reminder_gate_key(now) -> str:
    return f"alerts:reminders:{int(now.timestamp()) // max(reminders_every(), 1)}"


def _reminders_due_now(now) -> bool:
    """True for the first sweep (of any worker) in each period: a Redis key per period, set with
    `add` (atomic). If the cache cannot be reached, read them anyway (never miss a reminder)."""
    from django.core.cache import cache

    every = reminders_every()
    if every <= 0:
        return True
    try:
        return bool(cache.add(reminder_gate_key(now), 1, timeout=every * 2))
    except Exception:  # noqa: BLE001 - a cache outage must not stop the sweep
        return True


def _reminder_rows(now) -> tuple[dict[str, _AlertRows], dict[int, tuple[int, ...]]]:
    """Rows for the insert, by subject column, from every reminder that is due; and
    {training record id: officer user ids} (the officer is emailed about their own refresher).
    A reminder is keyed like any alert (subject, kind, threshold, due_at): the unique constraint
    raises it once however often it is listed. Day-grained: threshold_minutes = days x 1440."""
    rows: dict[str, _AlertRows] = {column: _AlertRows() for column in _REMINDER_SUBJECTS.values()}
    officers: dict[int, tuple[int, ...]] = {}
    if not _reminders_due_now(now):
        return rows, officers
    for source in _reminder_sources():
        for r in source(now):
            column = _REMINDER_SUBJECTS.get(r.subject)
            if column is None or r.kind not in addressing.LEVELS:
                continue
            orgs, roles = addressing.addressees(
                r.kind, 0, addressing.Subject(force_id=r.organisation_id)
            )
            rows[column].add(
                r.subject_id,
                r.kind,
                r.threshold_days * MINUTES_PER_DAY,
                r.due_at.isoformat(),
                None,
                addressing.merge(orgs, [r.organisation_id]),
                addressing.merge(roles, [str(x) for x in r.roles]),
            )
            if column == "training_record_id" and r.user_ids:
                officers[r.subject_id] = tuple(r.user_ids)
    return rows, officers


def _personal_deliveries(personal: dict[int, tuple[int, ...]], planned: list) -> list:
    """Delivery rows (pending) for the people a reminder is about (the officer), unless the
    role-based addressing already reaches the same address. One query."""
    from django.contrib.auth import get_user_model

    if not personal:
        return []
    user_ids = {u for users in personal.values() for u in users}
    contacts = {
        pk: (email, mobile)
        for pk, email, mobile in get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="", mobile_number="")
        .values_list("pk", "email", "mobile_number")
    }
    targets = _targets(contacts)
    taken = {(d.alert_id, d.channel, d.address) for d in planned}
    out = []
    for alert_id, users in personal.items():
        for user_id in users:
            for channel, address in targets.get(user_id, ()):
                if (alert_id, channel, address) not in taken:
                    taken.add((alert_id, channel, address))
                    out.append(PlannedDelivery(alert_id, user_id, address, channel=channel))
    return out


def _targets(contacts: dict[int, tuple[str, str]]) -> dict[int, list[tuple[str, str]]]:
    """{user id: [(channel, address)]} for people with {user id: (email, mobile)}: the channels
    each chose (ChannelPreference; by email when they chose none) that are available here and
    have an address. Someone whose choice cannot be met now (GOV.UK Notify not set up, no
    mobile number) is emailed rather than told nothing. One query."""
    if not contacts:
        return {}
    prefs = dict(
        ChannelPreference.objects.filter(user_id__in=list(contacts)).values_list(
            "user_id", "channels"
        )
    )
    usable = {c: notify.available(c) for c in Channel.values}
    out = {}
    for user_id, (email, mobile) in contacts.items():
        chosen = prefs.get(user_id) or DEFAULT_CHANNELS
        targets = []
        for channel in chosen:
            address = mobile if channel == Channel.NOTIFY_SMS else email
            if usable.get(channel) and address:
                targets.append((channel, address))
        if not targets and email:
            targets = [(Channel.EMAIL, email)]
        out[user_id] = targets
    return out


# --- Addressing, history and deliveries for the rows this sweep claimed ----------------------


def _by_ids(alert_ids: list[int]):
    """`Alert.objects` restricted to ids passed as ONE array parameter (a 20,000-element
    `IN (...)` list is slow to build and to parse)."""
    return Alert.objects.filter(id__in=RawSQL("SELECT unnest(%s::bigint[])", [list(alert_ids)]))


def _subjects(alert_ids: list[int]) -> dict[int, tuple[str, int, addressing.Subject]]:
    fields = [
        "id",
        "kind",
        "escalation_level",
        "detention__organisation_id",
        "detention__current_place_of_safety__organisation_id",
    ]
    fields += ["referral__to_organisation_id", "referral__from_organisation_id"]
    out = {}
    for row in _by_ids(alert_ids).values_list(*fields):
        subject = addressing.Subject(
            force_id=row[3],
            place_org_id=row[4],
            referral_to_id=row[5],
            referral_from_id=row[6],
        )
        out[row[0]] = (row[1], row[2], subject)
    return out


def _address(alert_ids: list[int], *, escalate: bool) -> dict[int, tuple[list[int], list[str]]]:
    """Sets (or, escalating, extends) each alert's addressees; returns what each level added."""
    added: dict[int, tuple[list[int], list[str]]] = {}
    if not alert_ids:
        return added
    payload = []
    current = {}
    if escalate:
        current = {
            pk: (orgs, roles)
            for pk, orgs, roles in _by_ids(alert_ids).values_list("id", "organisations", "roles")
        }
    for pk, (kind, level, subject) in _subjects(alert_ids).items():
        orgs, roles = addressing.addressees(kind, level, subject)
        added[pk] = (orgs, roles)
        if escalate:
            old_orgs, old_roles = current.get(pk, ([], []))
            orgs, roles = addressing.merge(old_orgs, orgs), addressing.merge(old_roles, roles)
        payload.append({"id": pk, "orgs": orgs, "roles": roles})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE alerts_alert a SET organisations = v.orgs, roles = v.roles
              FROM jsonb_to_recordset(%s::jsonb) AS v(id bigint, orgs bigint[], roles text[])
             WHERE a.id = v.id
            """,
            [json.dumps(payload)],
        )
    return added


def _history_params(now, *, update: bool, reason: str = "") -> dict:
    """The history columns simple-history's bulk_history_create would set, stamped with the
    acting system task (`core.history`), as `h_<column>` parameters of `_history_insert`."""
    actor = current_actor()
    values = {
        "history_date": now,
        "history_change_reason": reason or None,
        "history_type": "~" if update else "+",
        "history_user_id": actor.user_id if actor is not None else None,
        **actor_attrs(),
    }
    return {f"h_{column}": value for column, value in values.items()}


def _history_insert(model, source: str, params: dict) -> str:
    """`INSERT INTO <model's history table> ... SELECT <its tracked columns>, <the history
    columns of `params` (_history_params)> FROM <source>`: `source` is the table restricted to
    the changed rows, or a CTE of the rows an INSERT ... RETURNING * just wrote."""
    historical = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in historical.tracked_fields)
    extra = [name.removeprefix("h_") for name in params if name.startswith("h_")]
    return (
        f"INSERT INTO {historical._meta.db_table} ({columns}, "
        + ", ".join(quote(c) for c in extra)
        + f") SELECT {columns}, "
        + ", ".join(f"%(h_{c})s" for c in extra)
        + f" FROM {source}"
    )


def _write_history(
    alert_ids: list[int], now, *, update: bool, reason: str = "", model=Alert
) -> None:
    """History rows for the alerts (or `model`'s rows) this sweep changed, in one INSERT ...
    SELECT (the same rows simple-history's bulk_history_create would write, stamped with the
    acting system task)."""
    if not alert_ids:
        return
    params = _history_params(now, update=update, reason=reason)
    source = f"{model._meta.db_table} WHERE id = ANY(%(ids)s::bigint[])"
    with connection.cursor() as cursor:
        cursor.execute(
            _history_insert(model, source, params), {**params, "ids": _id_array(alert_ids)}
        )


def _recipients(pairs) -> dict[tuple, list[tuple[int, str, str]]]:
    """{(organisations, roles): [(user id, address, channel)]}: who each addressee pair reaches,
    one entry per channel each person chose, each (channel, address) once. One query for the
    members (and one for their channels), however many pairs: a catch-up addresses thousands of
    alerts to the same few pairs."""
    from accounts.models import Membership

    pairs = {(tuple(orgs), tuple(roles)) for orgs, roles in pairs}
    all_orgs = {o for orgs, _ in pairs for o in orgs}
    all_roles = {r for _, roles in pairs for r in roles}
    if not all_orgs or not all_roles:
        return dict.fromkeys(pairs, [])
    members = list(
        Membership.objects.filter(
            organisation_id__in=all_orgs,
            roles__overlap=sorted(all_roles),
            user__is_active=True,
        )
        .exclude(user__email="", user__mobile_number="")
        .values_list("user_id", "organisation_id", "roles", "user__email", "user__mobile_number")
    )
    targets = _targets({m[0]: (m[3], m[4]) for m in members})
    reach: dict[tuple, list[tuple[int, str, str]]] = {}
    for orgs, roles in pairs:
        recipients = reach[(orgs, roles)] = []
        seen = set()
        org_set, role_set = set(orgs), set(roles)
        for user_id, org_id, member_roles, _email, _mobile in members:
            if org_id not in org_set or not role_set.intersection(member_roles):
                continue
            for channel, address in targets[user_id]:
                if (channel, address) not in seen:
                    seen.add((channel, address))
                    recipients.append((user_id, address, channel))
    return reach


def _plan_deliveries(
    added: dict[int, tuple[list[int], list[str]]],
    levels: dict[int, int],
    repeats: dict[int, int] | None = None,
):
    """Delivery rows (pending) for the people each alert newly reaches (or, for a repeat, all
    it is addressed to), one per channel each person chose."""
    if not added:
        return []
    reach = _recipients(added.values())
    repeats = repeats or {}
    out = []
    for alert_id, (orgs, roles) in added.items():
        level, repeat = levels.get(alert_id, 0), repeats.get(alert_id, 0)
        for user_id, address, channel in reach[(tuple(orgs), tuple(roles))]:
            out.append(PlannedDelivery(alert_id, user_id, address, level, channel, repeat))
    return out


# The deliveries (pending, level 0) of the alerts `_raise_alerts` inserted, and their history,
# in one statement: each group's alert ids (an array literal) joined to the group's recipients
# (`_recipients`), so no row per delivery is built in Python.
_INSERT_RAISED_DELIVERIES = """WITH ins AS (
  INSERT INTO "alerts_delivery" (alert_id, channel, user_id, address, escalation_level, repeat,
                                 status, attempts, error, created_at)
  SELECT a.id, r.channel, r.user_id, r.address, 0, 0, %(status)s, 0, '', %(at)s
    FROM (SELECT g.grp, x.id
            FROM unnest(%(groups)s::text[]) WITH ORDINALITY AS g(ids, grp)
            CROSS JOIN LATERAL unnest(g.ids::bigint[]) AS x(id)) a
    JOIN unnest(%(r_group)s::int[], %(r_user)s::bigint[], %(r_address)s::text[],
                %(r_channel)s::text[]) WITH ORDINALITY AS r(grp, user_id, address, channel, pos)
      ON r.grp = a.grp
   ORDER BY a.id, r.pos
  RETURNING *
),
history AS ({history})
SELECT array_agg(id ORDER BY id)::text FROM ins
"""


def _deliver_raised(addressed: list[tuple]) -> list[int]:
    """Writes the deliveries (pending) of the alerts raised by `_raise_alerts` ([(orgs, roles,
    ids as an array literal)]) and their history: the same rows `_create_deliveries(
    _plan_deliveries(...))` would write for them, in one statement. Returns their ids."""
    reach = _recipients((orgs, roles) for orgs, roles, _ids in addressed)
    groups, r_group, r_user, r_address, r_channel = [], [], [], [], []
    for orgs, roles, literal in addressed:
        recipients = reach[(tuple(orgs), tuple(roles))]
        if not recipients:
            continue
        groups.append(literal)
        for user_id, address, channel in recipients:
            r_group.append(len(groups))
            r_user.append(user_id)
            r_address.append(address)
            r_channel.append(str(channel))
    if not groups:
        return []
    at = timezone.now()
    params = {
        "status": Delivery.Status.PENDING,
        "at": at,
        "groups": groups,
        "r_group": _pg_array(r_group),
        "r_user": _pg_array(r_user),
        "r_address": _pg_array(r_address),
        "r_channel": _pg_array(r_channel),
        **_history_params(at, update=False),
    }
    statement = _INSERT_RAISED_DELIVERIES.replace(
        "{history}", _history_insert(Delivery, "ins", params)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return _parse_ids(cursor.fetchone()[0])


class PlannedDelivery(NamedTuple):
    """A delivery to write (pending)."""

    alert_id: int
    user_id: int | None
    address: str
    escalation_level: int = 0
    channel: str = Channel.EMAIL
    repeat: int = 0


def _pg_array(values) -> str:
    """A PostgreSQL array literal of numbers, strings and None (NULL), to be cast in the query
    (`%s::text[]`): built here because psycopg's array dumper quotes element by element several
    times slower, and a catch-up sweep sends tens of thousands."""
    memo: dict = {}  # a catch-up repeats the same kinds, addresses and instants many times

    def literal(v) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = []
    for v in values:
        text = memo.get(v)
        if text is None:
            text = memo[v] = literal(v)
        out.append(text)
    return "{" + ",".join(out) + "}"


def _id_array(ids) -> str:
    """Ids as one PostgreSQL array literal (quicker to pass than a list of 20,000 numbers)."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


_INSERT_DELIVERIES = """INSERT INTO "alerts_delivery" (alert_id, channel, user_id, address, escalation_level,
                             repeat, status, attempts, error, created_at)
SELECT v.alert_id, v.channel, v.user_id, v.address, v.escalation_level, v.repeat, %(status)s, 0,
       '', %(at)s
  FROM unnest(%(alert_ids)s::bigint[], %(channels)s::text[], %(user_ids)s::bigint[],
              %(addresses)s::text[], %(levels)s::int[], %(repeats)s::int[])
       AS v(alert_id, channel, user_id, address, escalation_level, repeat)
RETURNING *
"""


def _create_deliveries(planned) -> list[int]:
    """Writes the planned deliveries (pending) and their history rows (from what the insert
    returned): one statement however many there are, the rows sent as one array per column."""
    if not planned:
        return []
    at = timezone.now()
    history = _history_params(at, update=False)
    statement = (
        f"WITH ins AS ({_INSERT_DELIVERIES.strip()}), "
        f"history AS ({_history_insert(Delivery, 'ins', history)}) SELECT id FROM ins"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            {
                **history,
                "status": Delivery.Status.PENDING,
                "at": at,
                "alert_ids": _id_array([p.alert_id for p in planned]),
                "channels": _pg_array([str(p.channel) for p in planned]),
                "user_ids": _pg_array([p.user_id for p in planned]),
                "addresses": _pg_array([p.address for p in planned]),
                "levels": _pg_array([p.escalation_level for p in planned]),
                "repeats": _pg_array([p.repeat for p in planned]),
            },
        )
        return [row[0] for row in cursor.fetchall()]


def _after_claim(ids: list[int], now, *, escalate: bool, result: SweepResult) -> None:
    added = _address(ids, escalate=escalate)
    _write_history(
        ids, now, update=escalate, reason="escalated" if escalate else "raised by the sweep"
    )
    levels = dict(Alert.objects.filter(pk__in=ids).values_list("id", "escalation_level"))
    result.deliveries += _create_deliveries(_plan_deliveries(added, levels))


# --- Closing ---------------------------------------------------------------------------------

_CLOSE_DETENTION_ALERTS = """
WITH stale AS (
  SELECT a.id,
    CASE
      WHEN a.kind = 'unlawful_act_recorded' THEN NULL  -- a fact, open until acknowledged
      WHEN d.ended_at IS NOT NULL AND a.kind IN ('expired', 'expiry_warning')
           AND d.expires_at IS NOT NULL AND d.ended_at <= d.expires_at
        THEN 'ended_within_period'
      WHEN d.ended_at IS NOT NULL AND a.kind = 'expired' THEN NULL
      WHEN d.ended_at IS NOT NULL THEN 'detention_ended'
      WHEN a.kind = 'expiry_warning'
           AND a.due_at IS DISTINCT FROM d.expires_at - make_interval(mins => a.threshold_minutes)
        THEN 'expiry_changed'
      WHEN a.kind = 'expired' AND a.due_at IS DISTINCT FROM d.expires_at THEN 'expiry_changed'
      WHEN a.kind = 'welfare_check_overdue' AND d.next_welfare_check_due_at IS NULL
        THEN 'left_police_station'
      WHEN a.kind = 'welfare_check_overdue' AND d.next_welfare_check_due_at > a.due_at
        THEN 'welfare_check_recorded'
      WHEN a.kind = 'welfare_check_overdue' AND d.next_welfare_check_due_at <> a.due_at
        THEN 'deadline_changed'
      WHEN a.kind = 'review_overdue' AND d.next_review_due_at IS NULL THEN 'left_police_station'
      WHEN a.kind = 'review_overdue' AND d.next_review_due_at > a.due_at THEN 'review_recorded'
      WHEN a.kind = 'review_overdue' AND d.next_review_due_at <> a.due_at THEN 'deadline_changed'
      WHEN a.kind = 'transfer_required' AND d.transfer_required_since IS NULL
        THEN 'transfer_no_longer_required'
      WHEN a.kind = 'transfer_required' AND d.transfer_required_since > a.due_at
        THEN 'review_recorded'
      WHEN a.kind = 'assessment_target_missed'
           AND EXISTS (SELECT 1 FROM incidents_assessment s
                        WHERE s.detention_id = d.id AND s.started_at IS NOT NULL)
        THEN 'assessment_started'
      WHEN a.kind = 'assessment_target_missed' AND d.assessment_due_at IS DISTINCT FROM a.due_at
        THEN 'deadline_changed'
      WHEN a.kind = 'handover_target_missed'
           AND EXISTS (SELECT 1 FROM incidents_handover h WHERE h.detention_id = d.id)
        THEN 'handed_over'
      WHEN a.kind = 'handover_target_missed' AND d.handover_due_at IS DISTINCT FROM a.due_at
        THEN 'deadline_changed'
    END AS reason
  FROM alerts_alert a
  JOIN incidents_detention d ON d.id = a.detention_id
  WHERE a.closed_at IS NULL {extra}
)
UPDATE alerts_alert a SET closed_at = %(now)s, closed_reason = s.reason
  FROM stale s
 WHERE a.id = s.id AND s.reason IS NOT NULL AND a.closed_at IS NULL
RETURNING a.id
"""

_CLOSE_REFERRAL_ALERTS = """
UPDATE alerts_alert a
   SET closed_at = %(now)s,
       closed_reason = CASE
         WHEN r.acknowledged_at IS NOT NULL OR r.status = 'acknowledged'
           THEN 'referral_acknowledged'
         WHEN r.status <> 'sent' THEN 'referral_answered'
         ELSE 'deadline_changed' END
  FROM partners_referral r
 WHERE a.referral_id = r.id AND a.closed_at IS NULL
   AND (r.acknowledged_at IS NOT NULL OR r.status <> 'sent' OR r.due_by <> a.due_at)
RETURNING a.id
"""


# A reminder is due at 00:00 UK time `threshold days` before the date (protocols.reminders).
_REMINDER_DUE = "(({date} - (a.threshold_minutes / 1440))::timestamp AT TIME ZONE 'Europe/London')"

_CLOSE_PROTOCOL_ALERTS = f"""
UPDATE alerts_alert a
   SET closed_at = %(now)s,
       closed_reason = CASE WHEN p.status <> 'current' THEN 'protocol_superseded'
                            ELSE 'deadline_changed' END
  FROM protocols_protocol p
 WHERE a.protocol_id = p.id AND a.protocol_id IS NOT NULL AND a.closed_at IS NULL
   AND (p.status <> 'current'
        OR a.due_at <> {_REMINDER_DUE.format(date="p.review_due_on")})
RETURNING a.id
"""

_CLOSE_TRAINING_ALERTS = f"""
WITH stale AS (
  SELECT a.id,
    CASE
      WHEN EXISTS (SELECT 1 FROM training_trainingrecord n
                    WHERE n.user_id = t.user_id AND n.course = t.course
                      AND n.completed_on > t.completed_on)
        THEN 'training_refreshed'
      WHEN a.due_at <> {_REMINDER_DUE.format(date="t.refresher_due_on")}
        THEN 'deadline_changed'
    END AS reason
    FROM alerts_alert a
    JOIN training_trainingrecord t ON t.id = a.training_record_id
   WHERE a.closed_at IS NULL AND a.training_record_id IS NOT NULL
)
UPDATE alerts_alert a SET closed_at = %(now)s, closed_reason = s.reason
  FROM stale s
 WHERE a.id = s.id AND s.reason IS NOT NULL AND a.closed_at IS NULL
RETURNING a.id
"""


def _close_stale(now, detention_id=None) -> list[int]:
    extra = "AND a.detention_id = %(detention_id)s" if detention_id is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLOSE_DETENTION_ALERTS.format(extra=extra),
            {"now": now, "detention_id": detention_id},
        )
        ids = [row[0] for row in cursor.fetchall()]
        if detention_id is None:
            for statement in (
                _CLOSE_REFERRAL_ALERTS,
                _CLOSE_PROTOCOL_ALERTS,
                _CLOSE_TRAINING_ALERTS,
            ):
                cursor.execute(statement, {"now": now})
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def close_stale(now=None, detention_id=None) -> list[int]:
    """Closes (with the reason) the open alerts that no longer apply; history for each."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = _close_stale(now, detention_id)
        _write_history(ids, now, update=True, reason="no longer applies")
    return ids


# --- Escalation ------------------------------------------------------------------------------

_ESCALATE = """
UPDATE alerts_alert
   SET escalation_level = escalation_level + 1, escalated_at = %(now)s
 WHERE closed_at IS NULL AND acknowledged_at IS NULL
   AND COALESCE(escalated_at, raised_at) <= %(before)s
   AND escalation_level < COALESCE((%(max_levels)s::jsonb ->> kind)::int, 0)
RETURNING id
"""


def _escalate(now) -> list[int]:
    after = config()["ESCALATE_AFTER"]
    max_levels = {k: addressing.max_level(k) for k in AlertKind.values}
    with connection.cursor() as cursor:
        cursor.execute(
            _ESCALATE,
            {"now": now, "before": now - after, "max_levels": json.dumps(max_levels)},
        )
        return [row[0] for row in cursor.fetchall()]


# --- Repeats of legal deadline alerts ----------------------------------------------------------

# Repeat n of an alert falls due at raised_at + n x every; the sweep inserts the latest one due
# (after an outage: one repeat now, numbered by the schedule, not every one missed). The unique
# constraint `alert_repeat_once` (alert, number) is the claim: two sweeps at once insert it once,
# and only the sweep that inserted it writes its deliveries, in the same transaction.
_INSERT_REPEATS = """
INSERT INTO alerts_alertrepeat (alert_id, number, due_at, raised_at)
SELECT a.id, r.n, a.raised_at + r.n * %(every)s::interval, %(now)s
  FROM alerts_alert a
  CROSS JOIN LATERAL (
    SELECT floor(extract(epoch FROM (%(now)s::timestamptz - a.raised_at))
                 / extract(epoch FROM %(every)s::interval))::int AS n) r
 WHERE a.closed_at IS NULL AND a.acknowledged_at IS NULL
   AND a.kind = ANY(%(kinds)s::text[])
   AND a.raised_at <= %(now)s::timestamptz - %(every)s::interval
ON CONFLICT DO NOTHING
RETURNING id, alert_id, number
"""


def repeat_every() -> timedelta:
    return config().get("REPEAT_EVERY") or timedelta(0)


def _repeat(now, result: SweepResult) -> list[int]:
    """Repeats every open (unacknowledged, not closed) legal deadline alert whose next repeat
    fell due: to everyone it is now addressed to, by their channels. Returns the deliveries."""
    every = repeat_every()
    if every <= timedelta(0):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_REPEATS,
            {"now": now, "every": every, "kinds": sorted(str(k) for k in LEGAL_DEADLINE_KINDS)},
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    result.repeated += [pk for pk, _a, _n in rows]
    _write_history(
        [pk for pk, _a, _n in rows],
        now,
        update=False,
        reason="not yet acknowledged",
        model=AlertRepeat,
    )
    numbers = {alert_id: n for _pk, alert_id, n in rows}
    current = {
        pk: ((orgs, roles), level)
        for pk, orgs, roles, level in _by_ids(list(numbers)).values_list(
            "id", "organisations", "roles", "escalation_level"
        )
    }
    added = {pk: addressees for pk, (addressees, _level) in current.items()}
    levels = {pk: level for pk, (_addressees, level) in current.items()}
    return _create_deliveries(_plan_deliveries(added, levels, numbers))


# --- The sweep -------------------------------------------------------------------------------


def sweep(now=None) -> SweepResult:
    """One pass. Each phase commits on its own so a failure in one never loses another's work."""
    now = now or timezone.now()
    result = SweepResult()
    with transaction.atomic():
        result.closed = _close_stale(now)
        _write_history(result.closed, now, update=True, reason="no longer applies")
    with transaction.atomic():
        expired: list[int] = []  # the `expired` alerts raised: breaches (`_publish_breaches`)
        raised, addressed = _raise_alerts(now, expired)
        reminders, personal = _raise_reminders(now)
        result.raised = raised + list(reminders)
        _publish_breaches(expired, now)
        told = [pk for _orgs, _roles, literal in addressed for pk in _parse_ids(literal)]
        publish_raised(told + [pk for pk, (orgs, _roles) in reminders.items() if orgs], now)
        result.deliveries += _deliver_raised(addressed)
        planned = _plan_deliveries(reminders, {})
        planned += _personal_deliveries(personal, planned)
        result.deliveries += _create_deliveries(planned)
        _dispatch_on_commit(result.deliveries)
    with transaction.atomic():
        # Repeats first: a repeat goes to those already told; the next level is told once.
        repeated = _repeat(now, result)
        result.deliveries += repeated
        _dispatch_on_commit(repeated)
        ids = _escalate(now)
        result.escalated = ids
        before = len(result.deliveries)
        _after_claim(ids, now, escalate=True, result=result)
        _dispatch_on_commit(result.deliveries[before:])
    _requeue_stuck_deliveries(now)
    return result


def _dispatch_on_commit(delivery_ids: list[int]) -> None:
    ids = list(delivery_ids)
    if len(ids) <= DELIVER_BATCH // 10:
        enqueue_on_commit(DELIVER_TASK, [(pk,) for pk in ids])
        return
    batches = [(ids[i : i + DELIVER_BATCH],) for i in range(0, len(ids), DELIVER_BATCH)]
    enqueue_on_commit(DELIVER_BATCH_TASK, batches)


def _requeue_stuck_deliveries(now) -> None:
    """A delivery whose message was lost (broker restart) or whose worker died mid-send is sent
    again: at least once, never silently dropped."""
    DELIVERIES.requeue_stuck(now, limit=500)


def _sending_after():
    return config().get("REQUEUE_SENDING_AFTER", timedelta(minutes=5))


def _claimable(now) -> Q:
    """Not sent yet (a failed send is retried by its task), or claimed by a worker that died."""
    return Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]) | Q(
        status=Delivery.Status.SENDING, last_attempt_at__lte=now - _sending_after()
    )


def _stuck(now) -> Q:
    pending_after = config().get("REQUEUE_PENDING_AFTER", timedelta(minutes=2))
    return Q(status=Delivery.Status.PENDING, created_at__lte=now - pending_after) | Q(
        status=Delivery.Status.SENDING, last_attempt_at__lte=now - _sending_after()
    )


# The alert emails' outbox (core.outbox): a claim stamps `last_attempt_at`.
DELIVERIES = Outbox(
    Delivery,
    task=DELIVER_TASK,
    claimed_at="last_attempt_at",
    claimable=_claimable,
    stuck=_stuck,
)
