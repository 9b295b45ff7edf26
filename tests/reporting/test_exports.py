"""Long exports: requested on the dashboard, built by a Celery task with progress, downloadable
by the requester and reporting users of their organisation only."""

import csv
import io
import os

import pytest
import time_machine

from accounts.roles import Role
from reporting.models import Export, ExportStatus
from reporting.services import build_export
from tests.conftest import ROOT, wait_for

from .conftest import NOW

JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31", "npu": "", "category": ""}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.HARBOUR = {**settings.HARBOUR, "EXPORT_PROGRESS_EVERY": 2}


def _download(client, export):
    response = client.get(f"/reports/exports/{export.pk}/download/")
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


@pytest.mark.django_db
def test_export_built_by_the_task_function(
    web, npu_lead, force, january, django_capture_on_commit_callbacks
):
    client = web.as_user(npu_lead)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks() as queued:
        response = client.post("/reports/exports/", {**JAN, "kind": "detentions"})
    assert response.status_code == 302
    export = Export.objects.get()
    assert response["Location"] == f"/reports/exports/{export.pk}/"
    assert export.status == ExportStatus.QUEUED and len(queued) == 1
    assert client.get(f"/reports/exports/{export.pk}/status/").json()["progress"] == 0
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404

    build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert (export.total_rows, export.rows_written, export.progress) == (5, 5, 100)
    status = client.get(f"/reports/exports/{export.pk}/status/").json()
    assert status["download_url"] == f"/reports/exports/{export.pk}/download/"
    response, body = _download(client, export)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][:3] == ["reference", "detained_at", "npu"]
    assert len(rows) == 6
    assert rows[1][1].endswith("Z")
    # History: requested, running, done.
    assert list(export.history.order_by("history_date").values_list("status", flat=True)) == [
        "queued",
        "running",
        "done",
    ]
    assert "Export" in client.get(f"/reports/exports/{export.pk}/").content.decode()


@pytest.mark.django_db
def test_only_the_requester_and_their_organisation(
    web, make_user, force, npu_lead, outsider_lead, january
):
    export = Export.objects.create(organisation=force, owner=npu_lead, kind="incidents", params=JAN)
    build_export(export.pk)
    colleague = make_user("colleague", force, Role.NPU_LEAD)
    assert _download(web.as_user(colleague), export)[0].status_code == 200
    for path in ("", "status/", "download/"):
        assert (
            web.as_user(outsider_lead).get(f"/reports/exports/{export.pk}/{path}").status_code
            == 404
        )
    officer = make_user("pc2", force, Role.RESPONSE_OFFICER)
    assert web.as_user(officer).get(f"/reports/exports/{export.pk}/download/").status_code == 403


@pytest.mark.django_db
def test_export_of_another_forces_npu_is_refused(web, outsider_lead, force):
    response = web.as_user(outsider_lead).post(
        "/reports/exports/", {**JAN, "npu": "NPU-N", "kind": "incidents"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_live_worker_builds_the_export(celery_worker, settings, web, npu_lead, force, january):
    # The worker writes under its own MEDIA_ROOT (the default): read it from there.
    settings.MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(ROOT / "media"))
    client = web.as_user(npu_lead)
    rid = f"rid-export-{os.getpid()}"
    response = client.post("/reports/exports/", {**JAN, "kind": "incidents"}, HTTP_X_REQUEST_ID=rid)
    export = Export.objects.get()
    assert response.status_code == 302
    status = wait_for(
        lambda: (
            (s := client.get(f"/reports/exports/{export.pk}/status/").json())["download_url"] and s
        ),
        timeout=60,
        message="the worker to finish the export",
    )
    assert status["status"] == "done" and status["total_rows"] == 3
    response = client.get(status["download_url"])
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("reference,occurred_at,npu,category")
    export.refresh_from_db()
    export.file.delete(save=False)
    row = export.history.filter(status="done").get()
    assert row.changed_by == "system:reporting.tasks.run_export"
    assert row.triggered_by == "npulead"
    # The task ran with the id of the request that queued it (the `harbour_request_id` header)
    # on its log lines: the worker's task-start line names it with the actor and the trigger.
    log = ROOT / "test-artifacts" / "celery-worker.log"
    started = [
        line
        for line in log.read_text().splitlines()
        if f"[{rid}]" in line and "task reporting.tasks.run_export started" in line
    ]
    assert len(started) == 1, log.read_text()[-3000:]
    assert "system:reporting.tasks.run_export (triggered by npulead)" in started[0]
