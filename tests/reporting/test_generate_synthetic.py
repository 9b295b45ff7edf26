"""`manage.py generate_synthetic` at a tiny scale: volumes, history rows written in bulk, and
every detention's derived columns exactly what the rule engine computes from its records."""

import copy
import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from detentions.facts import DERIVED_FIELDS, apply_evaluation, evaluate
from detentions.models import Detention, DetentionArrival
from incidents.models import Incident, OfficerDeployment
from people.models import Person
from reporting import queries

pytestmark = pytest.mark.django_db
ACTOR = "command:generate_synthetic"


@pytest.fixture
def generated(force, places):
    out = io.StringIO()
    call_command(
        "generate_synthetic", incidents=400, detentions=60, years=2, no_analyze=True, stdout=out
    )
    return out.getvalue()


def test_volumes_and_history(generated, force):
    assert Incident.objects.filter(organisation=force).count() == 400
    assert Detention.objects.filter(organisation=force).count() == 60
    assert DetentionArrival.objects.count() == 60
    assert Incident.objects.filter(category="section_136", detentions__isnull=False).count() == 60
    for model in (Incident, Detention, DetentionArrival, Person, OfficerDeployment):
        live = model.objects.count()
        assert live > 0
        rows = model.history.filter(changed_by=ACTOR, history_type="+")
        assert rows.count() == live, model
        assert rows.values("id").distinct().count() == live
    row = Incident.history.filter(changed_by=ACTOR).first()
    assert row.actor_kind == "system"
    # People on incidents: the M2M history rows point at the incident's history row.
    through = Incident.people.through.objects.count()
    assert through > 0
    m2m = apps.get_model("incidents", "HistoricalIncident_people")
    assert m2m.objects.count() == through
    sample = m2m.objects.select_related("history").first()
    assert sample.history.id == sample.incident_id
    assert "rows (history included)" in generated


def test_deadline_columns_agree_with_the_rule_engine(generated):
    now = timezone.now()
    qs = Detention.objects.select_related(
        "person",
        "arrival__place",
        "arrival__police_station_decision",
        "extension",
        "assessment",
        "handover",
    ).prefetch_related(
        "transfers__to_place", "welfare_checks", "reviews", "escapes", "transfer_exceptions"
    )
    checked = 0
    for d in qs:
        expected = copy.copy(d)
        apply_evaluation(expected, evaluate(d, now))
        for name in DERIVED_FIELDS:
            attr = Detention._meta.get_field(name).attname
            assert getattr(d, attr) == getattr(expected, attr), (d.reference, name)
        # Lawful by construction: nothing the engine would refuse.
        refusals = [v for v in evaluate(d, now).violations if v.code and v.rule != "C6"]
        assert refusals == [], (d.reference, refusals)
        checked += 1
    assert checked == 60
    assert Detention.objects.filter(expires_at__isnull=True).count() == 0
    assert Detention.objects.filter(ended_at__isnull=True).count() == 0


def test_no_child_at_a_police_station(generated, force):
    today = timezone.localdate()
    data = queries.s136_return(queries.Scope(force.pk, today - dt.timedelta(days=800), today))
    assert data["total"] == 60
    assert data["under_18_at_police_station"] == 0


def test_refuses_without_a_force(db):
    with pytest.raises(CommandError):
        call_command("generate_synthetic", incidents=10, detentions=1, force="nowhere")


def test_shares_split_and_parts():
    from demo.management.commands.generate_synthetic import shares, split
    from demo.synthetic import BATCHES_PER_PART, incident_parts

    assert shares(1) == [1.0]
    assert shares(4) == [0.4, 0.3, 0.2, 0.1]
    assert split(10_000_000, shares(4)) == [4_000_000, 3_000_000, 2_000_000, 1_000_000]
    assert sum(split(601, shares(3))) == 601
    # A force's incidents in parts of whole batches (the time strata of the batches are those of
    # one loader taking them all in order), the last part the rest.
    size = 50_000 * BATCHES_PER_PART
    parts = incident_parts(3_760_000, 50_000)
    assert parts[0] == (0, size) and parts[-1][1] == 3_760_000
    assert all(lo % 50_000 == 0 for lo, _hi in parts)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert incident_parts(0, 50_000) == []


@pytest.mark.django_db(transaction=True)
def test_several_forces_loaded_by_parallel_loaders(force, places):
    """--forces 3 --jobs 2: two spawned loaders reserve ids from the same sequences at once; every
    row lands once, each force gets its share, every record has its history row; the
    secondary indexes dropped for the load are all there again after it."""
    from django.db import connection

    from demo.management.commands.generate_synthetic import SECONDARY_INDEXES_SQL
    from demo.synthetic import BULK_TABLES

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(SECONDARY_INDEXES_SQL, [BULK_TABLES])
            return cursor.fetchall()

    before = indexes()
    assert len(before) > 10
    out = io.StringIO()
    call_command(
        "generate_synthetic",
        incidents=600,
        detentions=60,
        years=1,
        forces=3,
        jobs=2,
        batch=50,  # two forces' incidents in several parts, handed out from the queue
        indexes="rebuild",
        no_analyze=True,
        stdout=out,
    )
    assert indexes() == before
    assert f"{len(before)} secondary indexes built" in out.getvalue()
    from accounts.models import Organisation

    forces = list(Organisation.objects.filter(kind="police_force").order_by("slug"))
    assert [f.slug for f in forces] == [
        "midshire-police",
        "synthetic-force-2",
        "synthetic-force-3",
    ]
    by_slug = {f.slug: f for f in forces}
    expected = {"midshire-police": 300, "synthetic-force-2": 200, "synthetic-force-3": 100}
    for slug, n in expected.items():
        assert Incident.objects.filter(organisation=by_slug[slug]).count() == n
        assert Detention.objects.filter(organisation=by_slug[slug]).count() == n // 10
        assert by_slug[slug].npus.count() >= 2
    assert Incident.objects.count() == 600
    assert Incident.history.filter(changed_by=ACTOR, history_type="+").count() == 600
    assert Detention.history.filter(changed_by=ACTOR).values("id").distinct().count() == 60
    # Each force's people are its own.
    assert not Incident.people.through.objects.exclude(
        person__organisation_id=F("incident__organisation_id")
    ).exists()
    # Summaries were built for every force: none left stale, figures equal to the rows.
    from reporting.models import StaleDay

    assert not StaleDay.objects.exists()
    assert "done:" in out.getvalue()


def test_two_loaders_never_load_one_force_at_once(monkeypatch):
    """`load_in_pool` hands out every task once, a force's parts after its head, and never two
    tasks of one force at once (their trigger upserts would wait on each other's row locks),
    while two forces do load side by side."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from demo import loaders
    from demo.synthetic import Volumes

    lock = threading.Lock()
    running: dict[int, int] = {}
    ran: list[tuple[int, str]] = []
    both = threading.Barrier(2, timeout=10)
    overlaps = []

    def enter(force_id, what):
        with lock:
            running[force_id] = running.get(force_id, 0) + 1
            overlaps.append(dict(running))
            ran.append((force_id, what))

    def leave(force_id):
        with lock:
            running[force_id] -= 1

    def head(spec, started):
        enter(spec.force_id, "head")
        if spec.force_id in (1, 2):
            both.wait()  # the two largest forces' heads run side by side
        leave(spec.force_id)
        return (0, 1), {"people": 1}

    def part(spec, started, number, lo, hi, people):
        enter(spec.force_id, f"part {number}")
        leave(spec.force_id)
        return {"incidents": hi - lo}

    monkeypatch.setattr(loaders, "head", head)
    monkeypatch.setattr(loaders, "part", part)
    specs = [
        loaders.Force(k, Volumes(n, 10, 1), k, 50, None)
        for k, n in ((1, 1010), (2, 810), (3, 410), (4, 210))
    ]
    with ThreadPoolExecutor(2) as pool:
        counts = loaders.load_in_pool(pool, specs, 0.0, 2)
    assert counts == {"people": 4, "incidents": 1000 + 800 + 400 + 200}
    assert all(n <= 1 for seen in overlaps for n in seen.values())
    for spec in specs:
        mine = [what for force_id, what in ran if force_id == spec.force_id]
        assert mine[0] == "head" and len(mine) == 1 + len(loaders.parts(spec))
