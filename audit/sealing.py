"""Tamper evidence: a hash chain of seals over every history table and the access log.

Each `AuditSeal` covers the rows new since the previous seal (per table: rows with ids above the
previous high-water mark, plus late rows whose ids were skipped before) and stores, per table,
each covered id with the first 16 hex digits of the row's sha256. Its `hash` is the sha256 of the
canonical JSON of its sequence number, the previous seal's hash, its cutoff and the FULL sha256
of every covered row, so changing any covered row, deleting it, or re-writing a seal breaks the
chain from there on. `verify()` re-computes everything and names the first problem.

Rows committed out of order (a transaction that took its id earlier commits later): only rows
written before `now - SETTLE_SECONDS` are sealed, and ids skipped inside a sealed range are kept
as `pending` on the seal and looked for by the next seals for `PENDING_SECONDS`; a row that
turns up after that, or with an id inside a sealed range and not pending, is reported by
`verify` as inserted out of order.

Concurrency: sealing takes a PostgreSQL advisory transaction lock, and `sequence` is unique, so
two workers (or two beats) produce one chain. Limits: the chain lives in the same database as the
rows; each seal's hash is also written to the log (`audit.seal`) so a copy exists elsewhere.
`verify()` reads every covered row once and keeps the covered ids in memory (fine for tens of
millions of rows; run it off-peak). A forged row appended after the last seal (with a new id) is
sealed like any other: the chain proves what existed at each seal, not who wrote it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

logger = logging.getLogger("audit.seal")

GENESIS = "0" * 64
ADVISORY_LOCK_KEY = 0x48415242_41554454 & 0x7FFFFFFFFFFFFFFF  # "HARBAUDT"
DIGEST_PREFIX = 16


def audit_settings() -> dict:
    defaults = {
        "SETTLE_SECONDS": 5,
        "PENDING_SECONDS": 600,
        "SEAL_MAX_ROWS": 5000,
        "ACCESS_REASON_MINUTES": 30,
    }
    return {**defaults, **getattr(settings, "HARBOUR_AUDIT", {})}


# --- What is sealed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SealedTable:
    model: type[models.Model]
    date_path: str  # ORM path to the instant the row was written

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def pk(self) -> str:
        return self.model._meta.pk.attname

    def columns(self) -> list[str]:
        return [f.attname for f in self.model._meta.concrete_fields]


def is_historical(model) -> bool:
    return hasattr(model, "instance_type") and model.__name__.startswith("Historical")


def sealed_tables() -> list[SealedTable]:
    """Every simple-history table of the project (m2m history too) and the access log."""
    out = []
    for model in apps.get_models():
        if not is_historical(model):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if "history_date" in names:
            out.append(SealedTable(model, "history_date"))
        elif "history" in names:  # m2m history rows: written with their parent history row
            out.append(SealedTable(model, "history__history_date"))
    out.append(SealedTable(apps.get_model("audit", "AccessLog"), "at"))
    return sorted(out, key=lambda t: t.table)


# --- Canonical serialisation -------------------------------------------------------------------


def _canon(value):
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    return value


def canonical_json(data) -> str:
    return json.dumps(
        _canon(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def row_digest(table: str, row: dict) -> str:
    return hashlib.sha256(canonical_json({"table": table, "row": row}).encode()).hexdigest()


def seal_hash(sequence: int, previous: str, cutoff, digests: dict[str, list]) -> str:
    body = {"sequence": sequence, "previous": previous, "cutoff": cutoff, "rows": digests}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


# --- Sealing -----------------------------------------------------------------------------------


def _pending_q(pk: str, ranges) -> models.Q:
    q = models.Q()
    for lo, hi, _first_seen in ranges:
        q |= models.Q(**{f"{pk}__gte": lo, f"{pk}__lte": hi})
    return q


def _holes(ids: list[int], start: int) -> list[list[int]]:
    """Ranges of ids missing between `start` (exclusive) and the largest of `ids`."""
    holes, expected = [], start + 1
    for i in ids:
        if i > expected:
            holes.append([expected, i - 1])
        expected = max(expected, i + 1)
    return holes


def seal_pending(*, now=None, max_seals: int = 100) -> list:
    """Seals everything settled; returns the new seals (none when nothing is new)."""
    made = []
    for _ in range(max_seals):
        seal = seal_once(now=now)
        if seal is None:
            break
        made.append(seal)
        if not seal.rows.get("_truncated"):
            break
    return made


def seal_once(*, now=None):
    from .models import AuditSeal

    cfg = audit_settings()
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=cfg["SETTLE_SECONDS"])
    budget = cfg["SEAL_MAX_ROWS"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = AuditSeal.objects.order_by("-sequence").first()
        high = dict(last.high_water) if last else {}
        pending_before = dict(last.pending) if last else {}
        sequence = (last.sequence + 1) if last else 1
        previous = last.hash if last else GENESIS

        rows_out: dict[str, list] = {}
        digests: dict[str, list] = {}
        new_high: dict[str, int] = dict(high)
        new_pending: dict[str, list] = {}
        truncated = False
        for t in sealed_tables():
            start = int(high.get(t.table, 0))
            ranges = [
                r
                for r in pending_before.get(t.table, [])
                if (now - dt.datetime.fromisoformat(r[2])).total_seconds() < cfg["PENDING_SECONDS"]
            ]
            qs = t.model._base_manager.filter(**{f"{t.date_path}__lt": cutoff})
            # A row newer than the cutoff stops the run: rows above it wait for the next seal.
            # min(), not ORDER BY id LIMIT 1: the planner then starts from the few rows newer
            # than the cutoff (the date's index) instead of walking every unsealed id in order,
            # which made a catch-up over millions of rows (a bulk load) quadratic.
            newer = (
                t.model._base_manager.filter(**{f"{t.pk}__gt": start})
                .filter(**{f"{t.date_path}__gte": cutoff})
                .aggregate(first=models.Min(t.pk))["first"]
            )
            # The rows above the high-water mark (up to `newer`) and the pending ones, as
            # conditions on the table itself with a lower bound on the id: an id-ordered scan
            # from there to the budget. (`id IN (every unsealed id)` listed all of them for each
            # seal: quadratic over a catch-up.)
            wanted = models.Q(**{f"{t.pk}__gt": start})
            if newer is not None:
                wanted &= models.Q(**{f"{t.pk}__lt": newer})
            lowest = start + 1
            if ranges:
                wanted |= _pending_q(t.pk, ranges)
                lowest = min([lowest, *(lo for lo, _hi, _seen in ranges)])
            found = list(
                qs.filter(wanted, **{f"{t.pk}__gte": lowest})
                .order_by(t.pk)
                .values(*t.columns())[: budget + 1]
            )
            if len(found) > budget:
                found = found[:budget]
                truncated = True
            if not found and not ranges:
                continue
            late = [r[t.pk] for r in found if r[t.pk] <= start]
            above = [r[t.pk] for r in found if r[t.pk] > start]
            # Pending ranges still not seen stay pending (minus the late rows found now).
            still = []
            late_set = set(late)
            for lo, hi, first_seen in ranges:
                if not any(lo <= i <= hi for i in late):
                    still.append([lo, hi, first_seen])
                    continue
                run_lo = None
                for i in range(lo, hi + 1):
                    if i in late_set:
                        if run_lo is not None:
                            still.append([run_lo, i - 1, first_seen])
                            run_lo = None
                    elif run_lo is None:
                        run_lo = i
                if run_lo is not None:
                    still.append([run_lo, hi, first_seen])
            if above:
                # A table's first seal starts at its first row (no holes before it).
                first_start = start if t.table in high else above[0] - 1
                for lo, hi in _holes(above, first_start):
                    still.append([lo, hi, now.isoformat()])
                new_high[t.table] = max(above)
            if still:
                new_pending[t.table] = still
            if found:
                full = [[r[t.pk], row_digest(t.table, r)] for r in found]
                digests[t.table] = full
                rows_out[t.table] = [[i, d[:DIGEST_PREFIX]] for i, d in full]
        count = sum(len(v) for v in rows_out.values())
        if count == 0 and new_pending == pending_before:
            return None
        digest = seal_hash(sequence, previous, cutoff, digests)
        if truncated:
            rows_out["_truncated"] = True
        seal = AuditSeal.objects.create(
            sequence=sequence,
            sealed_at=now,
            cutoff=cutoff,
            previous_hash=previous,
            hash=digest,
            row_count=count,
            high_water=new_high,
            rows=rows_out,
            pending=new_pending,
        )
    logger.info("audit seal %s covers %s rows: %s", sequence, count, digest)
    return seal


# --- Verification ------------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str  # altered, deleted, inserted, chain
    table: str
    row_id: int | None
    seal: int | None
    detail: str = ""

    def __str__(self):
        where = f"table {self.table}" + (f", id {self.row_id}" if self.row_id is not None else "")
        seal = f", seal {self.seal}" if self.seal is not None else ""
        return f"{self.kind.upper()}: {where}{seal}. {self.detail}".strip()


@dataclass
class Report:
    seals: int = 0
    rows: int = 0
    unsealed: int = 0
    problems: list[Problem] = field(default_factory=list)
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def _fetch(t: SealedTable, ids: list[int]) -> dict[int, dict]:
    out = {}
    for i in range(0, len(ids), 5000):
        chunk = ids[i : i + 5000]
        for r in t.model._base_manager.filter(**{f"{t.pk}__in": chunk}).values(*t.columns()):
            out[r[t.pk]] = r
    return out


def verify() -> Report:
    """Re-computes the chain; problems are in the order found (seal by seal, table, id)."""
    from .models import AuditSeal

    report = Report()
    tables = {t.table: t for t in sealed_tables()}
    covered: dict[str, dict[int, int]] = {name: {} for name in tables}
    previous, expected_seq = GENESIS, 1
    last = None
    for seal in AuditSeal.objects.order_by("sequence").iterator(chunk_size=50):
        report.seals += 1
        if seal.sequence != expected_seq:
            report.problems.append(
                Problem(
                    "chain",
                    "audit_auditseal",
                    None,
                    seal.sequence,
                    f"seal {expected_seq} is missing (deleted?).",
                )
            )
        if seal.previous_hash != previous:
            report.problems.append(
                Problem(
                    "chain",
                    "audit_auditseal",
                    None,
                    seal.sequence,
                    "it does not carry the previous seal's hash (a seal was re-written).",
                )
            )
        digests: dict[str, list] = {}
        for table, entries in sorted(seal.rows.items()):
            if table.startswith("_"):
                continue
            t = tables.get(table)
            if t is None:
                report.problems.append(
                    Problem("deleted", table, None, seal.sequence, "the table no longer exists.")
                )
                continue
            ids = [e[0] for e in entries]
            current = _fetch(t, ids)
            full = []
            for row_id, short in entries:
                report.rows += 1
                if row_id in covered[table]:
                    report.problems.append(
                        Problem(
                            "chain",
                            table,
                            row_id,
                            seal.sequence,
                            f"also covered by seal {covered[table][row_id]}.",
                        )
                    )
                covered[table][row_id] = seal.sequence
                row = current.get(row_id)
                if row is None:
                    report.problems.append(
                        Problem(
                            "deleted", table, row_id, seal.sequence, "the sealed row is missing."
                        )
                    )
                    full.append([row_id, short])
                    continue
                d = row_digest(table, row)
                if d[:DIGEST_PREFIX] != short:
                    report.problems.append(
                        Problem(
                            "altered",
                            table,
                            row_id,
                            seal.sequence,
                            "the row differs from what was sealed.",
                        )
                    )
                full.append([row_id, d])
            digests[table] = full
        recomputed = seal_hash(seal.sequence, seal.previous_hash, seal.cutoff, digests)
        if recomputed != seal.hash and not any(p.seal == seal.sequence for p in report.problems):
            report.problems.append(
                Problem(
                    "chain",
                    "audit_auditseal",
                    None,
                    seal.sequence,
                    "the seal's hash does not match what it covers (the seal was edited).",
                )
            )
        previous, expected_seq, last = seal.hash, seal.sequence + 1, seal
        report.last_hash = seal.hash

    # Rows inside sealed ranges that no seal covers, and are not pending: inserted out of order.
    high = last.high_water if last else {}
    pending = last.pending if last else {}
    for name, t in tables.items():
        top = int(high.get(name, 0))
        ids = t.model._base_manager.order_by(t.pk).values_list(t.pk, flat=True)
        known = covered[name]
        ranges = pending.get(name, [])
        ordered = sorted(known)
        for row_id in ids.iterator(chunk_size=5000):
            if row_id in known:
                continue
            if row_id > top:
                report.unsealed += 1
                continue
            if any(lo <= row_id <= hi for lo, hi, _ in ranges):
                report.unsealed += 1
                continue
            pos = bisect.bisect_right(ordered, row_id)
            seal_no = known[ordered[pos]] if pos < len(ordered) else None
            report.problems.append(
                Problem(
                    "inserted",
                    name,
                    row_id,
                    seal_no,
                    "the row is inside a sealed range but no seal covers it "
                    "(inserted out of order).",
                )
            )
    report.problems.sort(key=lambda p: (p.seal if p.seal is not None else 1 << 62,))
    return report
