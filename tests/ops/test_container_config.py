"""The image and the compose stack keep what issue 20 found missing (each was a failure when the
stack was run: docs/operations.md "Containers"). `make container-smoke` runs them for real; these
read the files, so `make test` catches a regression without Docker."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("migrate", "web", "worker", "beat")


def _instructions():
    """(instruction, argument) of the Dockerfile, continuation lines joined, per stage."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [tuple(ln.split(None, 1)) for ln in lines]


def test_the_image_is_multi_stage_with_node_20_and_a_slim_python_runtime():
    froms = [arg for ins, arg in _instructions() if ins == "FROM"]
    assert froms[0].startswith("node:20")
    assert froms[-1] == "python:3.11-slim-bookworm"
    runtime = _instructions()[
        [i for i, (ins, _) in enumerate(_instructions()) if ins == "FROM"][-1] :
    ]
    installs = " ".join(arg for ins, arg in runtime if ins == "RUN")
    assert "nodejs" not in installs and "npm" not in installs  # no Node in the runtime


def test_only_runtime_dependencies_and_before_the_code():
    steps = _instructions()
    deps = next(i for i, (ins, arg) in enumerate(steps) if "requirements.txt" in arg)
    assert "['project']['dependencies']" in steps[deps][1]
    assert ".[dev]" not in DOCKERFILE and "make deps" not in DOCKERFILE
    copy_code = next(i for i, (ins, arg) in enumerate(steps) if (ins, arg) == ("COPY", ". ."))
    assert steps[deps - 1] == ("COPY", "pyproject.toml /tmp/pyproject.toml")
    assert deps < copy_code


def test_non_root_production_settings_init_and_healthcheck():
    steps = dict(_instructions()[::-1])  # the last of each instruction
    assert steps["USER"] == "harbour"
    assert "DJANGO_SETTINGS_MODULE=harbour.settings.production" in DOCKERFILE
    assert steps["ENTRYPOINT"] == '["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]'
    assert steps["HEALTHCHECK"].startswith("--interval")
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    for role in ("gunicorn", "celery -A harbour worker", "celery -A harbour beat"):
        assert re.search(rf"exec {role}", entrypoint), role


def test_secret_key_is_required_by_compose():
    for name in APP:
        key = SERVICES[name]["environment"]["SECRET_KEY"]
        assert key.startswith("${SECRET_KEY:?"), name  # `:?`: unset or empty stops compose


def test_one_image_a_one_shot_migrate_the_others_wait_for_and_shared_media():
    images = {SERVICES[name]["image"] for name in APP}
    assert len(images) == 1
    assert SERVICES["migrate"]["command"] == ["migrate"]
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        service = SERVICES[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["restart"] == "unless-stopped"
        assert "healthcheck" in service, name
    for name in ("web", "worker"):
        assert "media:/app/media" in SERVICES[name]["volumes"]
    assert "media" in COMPOSE["volumes"]


def test_demo_data_only_when_asked():
    assert SERVICES["migrate"]["environment"]["SEED_DEMO"] == "${SEED_DEMO:-0}"
    for name in ("web", "worker", "beat"):
        assert "seed" not in str(SERVICES[name]["command"])
    assert "seed" not in str(SERVICES["migrate"]["command"])
