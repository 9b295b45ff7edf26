"""Shared fixtures: three personas (owner force, partner, outsider), users per role, API keys,
and a real Celery worker against the real Redis for the tests that need one."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.roles import OrganisationKind, Role
from accounts.services import ensure_organisation, ensure_user, issue_api_key
from tests.browser.harness import browser, page  # noqa: F401 (one browser for the whole session)
from tests.contract.plugin import openapi_validation  # noqa: F401
from tests.oidc_provider.fixtures import oidc_provider  # noqa: F401 (started on first use)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-staple"


def pytest_sessionstart(session):
    """The Welsh catalogues compiled (`make messages` does the same): a .mo missing or older than
    its .po is made again with msgfmt, so `pytest` alone on a fresh clone speaks Welsh too."""
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            if shutil.which("msgfmt") is None:
                pytest.exit("msgfmt is missing: apt-get install gettext (docs/i18n.md)", 2)
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in Welsh leaves Welsh active in the thread (LocaleMiddleware activates, nothing
    deactivates): each test ends by going back to the default language."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _validate_api_responses(request):
    """Every response a test gets from DRF's APIClient under /api/v1/ must match the OpenAPI
    schema drf-spectacular generates (tests/contract/plugin.py): its status code documented, its
    JSON body valid against the documented schema."""
    request.getfixturevalue("openapi_validation")


def wait_for(predicate, timeout=30.0, interval=0.1, message="condition"):
    """Polls `predicate` until it is truthy; fails after `timeout` seconds (live-worker tests only)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


@pytest.fixture
def force(db):
    org, _ = ensure_organisation(
        "midshire-police",
        "Midshire Police",
        OrganisationKind.POLICE_FORCE,
        [("NPU-N", "Northbridge"), ("NPU-C", "Castleford Central")],
    )
    return org


@pytest.fixture
def other_force(db):
    org, _ = ensure_organisation(
        "westshire-police", "Westshire Police", OrganisationKind.POLICE_FORCE, [("W1", "West One")]
    )
    return org


@pytest.fixture
def health_trust(db):
    org, _ = ensure_organisation(
        "midshire-mh-trust", "Midshire MH Trust", OrganisationKind.MENTAL_HEALTH_TRUST
    )
    return org


@pytest.fixture
def acute_trust(db):
    org, _ = ensure_organisation(
        "midshire-hospitals", "Midshire Hospitals", OrganisationKind.ACUTE_TRUST
    )
    return org


@pytest.fixture
def local_authority(db):
    org, _ = ensure_organisation(
        "midshire-council", "Midshire Council", OrganisationKind.LOCAL_AUTHORITY
    )
    return org


@pytest.fixture
def other_local_authority(db):
    org, _ = ensure_organisation(
        "westshire-council", "Westshire Council", OrganisationKind.LOCAL_AUTHORITY
    )
    return org


@pytest.fixture
def partner_org(db):
    org, _ = ensure_organisation(
        "midshire-liaison", "Midshire Liaison", OrganisationKind.LIAISON_DIVERSION
    )
    return org


@pytest.fixture
def make_user(db):
    def make(username, organisation, *roles, rank=""):
        return ensure_user(
            username,
            organisation=organisation,
            roles=list(roles) or [Role.RESPONSE_OFFICER],
            password=PASSWORD,
            display_name=username.title(),
            rank=rank,
        )

    return make


@pytest.fixture
def officer(make_user, force):
    return make_user("officer", force, Role.RESPONSE_OFFICER, rank="constable")


@pytest.fixture
def sergeant(make_user, force):
    return make_user("sergeant", force, Role.CUSTODY_SERGEANT, rank="sergeant")


@pytest.fixture
def inspector(make_user, force):
    return make_user("inspector", force, Role.INSPECTOR, rank="inspector")


@pytest.fixture
def superintendent(make_user, force):
    return make_user("superintendent", force, Role.SUPERINTENDENT, rank="superintendent")


@pytest.fixture
def nurse(make_user, health_trust):
    return make_user("nurse", health_trust, Role.PLACE_OF_SAFETY_STAFF)


@pytest.fixture
def auditor(make_user, force):
    return make_user("auditor", force, Role.AUDITOR)


@pytest.fixture
def outsider_officer(make_user, other_force):
    return make_user("outsider", other_force, Role.RESPONSE_OFFICER, rank="constable")


@pytest.fixture
def web(client):
    """A browser-like client: `web.as_user(user)` signs in as a person would, passing the second
    factor for the roles where it is enforced (tests/security/otp.py). Tests of the enforcement
    itself use `client.force_login` directly."""
    from tests.security.otp import sign_in

    def as_user(user):
        return sign_in(client, user)

    client.as_user = as_user
    return client


@pytest.fixture
def api_for():
    """`api_for(org, "detentions:read", ...)` -> APIClient with a fresh key for that organisation."""

    def make(organisation, *scopes, name=None):
        key, secret = issue_api_key(organisation, name or f"{organisation.slug}-key", list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
        client.key = key
        return client

    return make


@pytest.fixture
def api_as():
    """`api_as(user)` -> APIClient with a signed-in session (second factor passed where enforced)."""

    from tests.security.otp import sign_in

    def make(user):
        return sign_in(APIClient(), user)

    return make


# --- A real Celery worker ------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """Starts `celery worker` in a subprocess on the test database and the test Redis database."""
    from harbour.celery import app

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "harbour.settings.test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TEST_REDIS_URL": settings.REDIS_URL,
        "CONN_MAX_AGE": "0",
    }
    app.control.purge()
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    log = open(artifacts / "celery-worker.log", "w")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "harbour",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"test-worker-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: proc.poll() is not None or app.control.ping(timeout=0.5),
            timeout=60,
            message="the Celery worker to answer a ping",
        )
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited with {proc.returncode}")
        yield app
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of the test's own on a free loopback port (stop, kill, start it freely)."""
    from tests.faults.redis_server import redis_server

    with redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's `admin_client`, signed in as a superuser would be: with the second factor
    that administrators must pass (tests/security/otp.py)."""
    from tests.security.otp import sign_in

    return sign_in(client, admin_user)
