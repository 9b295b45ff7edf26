"""Operations (issue 20): liveness and readiness, /metrics and who may read it, request ids in
responses, JSON log lines and Celery tasks, the SECRET_KEY checks, hashed static file names, and
the API docs served under a CSP without any other origin."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from prometheus_client.parser import text_string_to_metric_families

from core import requestid

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-the-tests-0123456789"


def _env(**extra):
    env = {**os.environ, **extra}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


# --- liveness and readiness ----------------------------------------------------------------------


def test_livez_answers_while_the_process_is_up_even_with_redis_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_with_the_database_and_redis_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "status": "ok", "down": []}


def test_readyz_is_503_naming_redis_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


def test_readyz_ignores_workers_and_the_sweep_which_healthz_checks(client):
    from core import health

    health.redis_client().delete(health.HEARTBEAT_KEY, health.SWEEP_KEY)
    assert client.get("/healthz").status_code == 503
    assert client.get("/readyz").status_code == 200


# --- /metrics --------------------------------------------------------------------------------------


@pytest.fixture
def metrics_token(settings):
    settings.HARBOUR_OPS = {**settings.HARBOUR_OPS, "METRICS_TOKEN": TOKEN}


def test_metrics_are_403_without_the_token_even_for_an_administrator(
    client, admin_client, metrics_token
):
    assert client.get("/metrics").status_code == 403
    assert admin_client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 403
    assert b"harbour_" not in wrong.content


def test_metrics_are_403_when_neither_a_token_nor_a_network_is_configured(client, settings):
    settings.HARBOUR_OPS = {
        **settings.HARBOUR_OPS,
        "METRICS_TOKEN": "",
        "METRICS_ALLOWED_NETWORKS": [],
    }
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_metrics_from_an_allowed_network(client, settings):
    settings.HARBOUR_OPS = {**settings.HARBOUR_OPS, "METRICS_ALLOWED_NETWORKS": ["10.0.0.0/8"]}
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.2").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="not-an-address").status_code == 403


def test_metrics_report_request_latency_queue_depth_and_dependencies(client, metrics_token):
    from core import health

    redis = health.redis_client()
    redis.delete("celery")
    redis.rpush("celery", "a", "b", "c")  # three messages waiting in the default queue
    try:
        client.get("/livez")
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    finally:
        redis.delete("celery")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    latency = [
        v
        for (name, labels), v in samples.items()
        if name == "harbour_http_request_duration_seconds_count"
        and dict(labels) == {"method": "GET", "view": "livez", "status": "200"}
    ]
    assert latency and latency[0] >= 1
    assert samples[("harbour_celery_queue_depth", (("queue", "celery"),))] == 3
    assert samples[("harbour_dependency_up", (("dependency", "database"),))] == 1
    assert samples[("harbour_dependency_up", (("dependency", "redis"),))] == 1


# --- request ids ---------------------------------------------------------------------------------


def test_the_callers_request_id_is_answered_and_a_bad_one_replaced(client):
    given = client.get("/livez", HTTP_X_REQUEST_ID="proxy-abc.123")
    assert given["X-Request-ID"] == "proxy-abc.123"
    bad = client.get("/livez", HTTP_X_REQUEST_ID="two words\n<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", bad["X-Request-ID"])
    none = client.get("/livez")
    assert re.fullmatch(r"[0-9a-f]{32}", none["X-Request-ID"])
    assert none["X-Request-ID"] != bad["X-Request-ID"]


def test_production_logs_are_one_json_object_per_line_with_the_request_id():
    """The production settings' logging, in a process of its own: a signed-in request's access
    line names the request id, the path, the status and who acted."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(SERVER_NAME='localhost')\n"
        "r = c.get('/livez', HTTP_X_REQUEST_ID='rid-json-test', secure=True)\n"
        "import logging; logging.getLogger('harbour.test').warning('a message\\nover two lines')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="harbour.settings.production",
            SECRET_KEY="x" * 50,
            ALLOWED_HOSTS="localhost",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    access = [r for r in records if r["logger"] == "harbour.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "rid-json-test"
    assert (access[0]["method"], access[0]["path"], access[0]["status"]) == ("GET", "/livez", 200)
    assert access[0]["level"] == "INFO" and access[0]["time"].endswith("+00:00")
    two_lines = [r for r in records if r["logger"] == "harbour.test"]
    assert two_lines[0]["message"] == "a message\nover two lines"


def test_the_access_log_names_the_api_key_that_acted(api_client_for_key, caplog):
    client, key = api_client_for_key
    caplog.set_level("INFO", logger="harbour.access")
    response = client.get("/api/v1/detentions/", HTTP_X_REQUEST_ID="rid-key")
    assert response.status_code == 200
    [record] = [r for r in caplog.records if r.name == "harbour.access"]
    assert record.actor == key.name
    assert record.status == 200


@pytest.fixture
def api_client_for_key(force):
    from rest_framework.test import APIClient

    from accounts.services import issue_api_key

    key, secret = issue_api_key(force, "Ops test key", ["detentions:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client, key


# --- SECRET_KEY ----------------------------------------------------------------------------------


def _django_setup(**env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_an_empty_secret_key_with_a_clear_message():
    result = _django_setup(DJANGO_SETTINGS_MODULE="harbour.settings.production", SECRET_KEY="  ")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set: it is missing or empty" in result.stderr


def test_development_treats_an_empty_secret_key_as_missing():
    """Compose's `${SECRET_KEY:-}` used to give Django an empty key: every request a 500."""
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from harbour.settings.base import DEV_SECRET_KEY\n"
        "assert settings.SECRET_KEY == DEV_SECRET_KEY, settings.SECRET_KEY\n"
        "from django.test import Client\n"
        "print(Client().get('/livez').status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="harbour.settings.dev", SECRET_KEY="", ALLOWED_HOSTS="*"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "200"


# --- static files and the API docs ---------------------------------------------------------------

STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]""")


def test_collectstatic_with_the_production_storage_hashes_every_file_the_templates_use(
    settings, tmp_path
):
    """CompressedManifestStaticFilesStorage (production.py): collectstatic succeeds (every url()
    in the CSS resolves), each file the templates name has a hashed name in the manifest, and
    that hashed file and its compressed copies exist."""
    from harbour.settings.base import PRODUCTION_STORAGES

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STORAGES  # (Django resets the storage on both changes)
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names.update(STATIC_TAG.findall(template.read_text()))
    names.add("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert len(names) > 10
    for name in sorted(names):
        hashed = manifest.get(name)
        assert hashed, f"{name} is not in the manifest"
        assert re.search(r"\.[0-9a-f]{12}\.", hashed), hashed
        assert (tmp_path / hashed).is_file()
    css = manifest["harbour.css"]
    assert (tmp_path / f"{css}.gz").is_file()
    from django.templatetags.static import static

    assert static("harbour.css") == f"/static/{css}"


def test_the_api_docs_load_redoc_from_our_static_files_under_a_self_only_policy(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts == [
        '<script src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js">'
    ]
    assert "<style" not in body and "googleapis" not in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "http" not in csp  # no other origin anywhere in the policy
    script = client.get("/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert script.status_code == 200


def test_the_request_id_filter_marks_records_outside_a_request():
    import logging

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    requestid.RequestIdFilter().filter(record)
    assert record.request_id == "-"
    token = requestid.set_request_id("abc")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
        requestid.RequestIdFilter().filter(record)
        assert record.request_id == "abc"
    finally:
        requestid.reset_request_id(token)
