"""deploy/kubernetes/ validates offline against the Kubernetes API schemas of a pinned version
(kubernetes-validate ships them), and keeps the promises docs/operations.md makes about it."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.33.0"  # pinned: the schemas are in the kubernetes-validate wheel


def documents() -> list[tuple[str, dict]]:
    found = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                found.append((path.name, doc))
    return found


def resources() -> dict[tuple[str, str], dict]:
    return {
        (doc["kind"], doc["metadata"]["name"]): doc
        for _, doc in documents()
        if doc["kind"] != "Kustomization"
    }


@pytest.mark.parametrize(
    ("filename", "doc"),
    [(f, d) for f, d in documents() if d["kind"] != "Kustomization"],
    ids=lambda v: v if isinstance(v, str) else f"{v['kind']}/{v['metadata']['name']}",
)
def test_every_manifest_is_valid_for_the_pinned_kubernetes_version(filename, doc):
    # strict: an unknown field (a typo) is an error too.
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_an_invalid_manifest_is_refused():
    doc = resources()[("Deployment", "harbour-beat")]
    broken = {**doc, "spec": {**doc["spec"], "replica": 1}}  # a typo
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_example_secret():
    [(_, kustomization)] = [(f, d) for f, d in documents() if d["kind"] == "Kustomization"]
    files = {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files - {"secret.example.yaml"}


def _containers(deployment):
    return deployment["spec"]["template"]["spec"]["containers"]


def test_web_and_worker_have_probes_resources_and_the_config_and_secret():
    found = resources()
    for name in ("harbour-web", "harbour-worker", "harbour-beat"):
        deployment = found[("Deployment", name)]
        [container] = _containers(deployment)
        assert container["livenessProbe"], name
        assert container["resources"]["requests"] and container["resources"]["limits"], name
        refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
        assert refs == {"harbour-config", "harbour-secrets"}, name
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]
        init = deployment["spec"]["template"]["spec"]["initContainers"]
        assert [c["name"] for c in init] == ["wait-for-migrations"], name
    [web] = _containers(found[("Deployment", "harbour-web")])
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert ("Service", "harbour-web") in found
    assert ("ConfigMap", "harbour-config") in found
    assert ("Job", "harbour-migrate") in found
    budgets = {n for (k, n) in found if k == "PodDisruptionBudget"}
    assert budgets == {"harbour-web", "harbour-worker"}


def test_exactly_one_beat_replaced_not_rolled():
    beat = resources()[("Deployment", "harbour-beat")]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    [container] = _containers(beat)
    assert container["args"] == ["beat"]
    beats = [
        n
        for (k, n), d in resources().items()
        if k == "Deployment" and _containers(d)[0]["args"] == ["beat"]
    ]
    assert beats == ["harbour-beat"]
