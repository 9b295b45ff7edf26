"""Issue 16: only the policy modules decide who sees what.

Each aggregate's `policy.py` (with `core/policy.py`'s shapes) is the one place that says which
records an actor may see and what they may do. This test reads the source: no other module
calls a queryset's `visible_to_organisation` (the models define it, the policies call it), and
no door works out "which organisation is the caller" from the membership itself
(`accounts/principal.py` does, once per request)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "bench", "static_build", ".git"}


def _modules():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP_DIRS & set(rel.parts):
            continue
        yield rel, ast.parse(path.read_text(), filename=str(rel))


def _is_policy(rel: Path) -> bool:
    return rel.name == "policy.py"


def _is_model(rel: Path) -> bool:
    return rel.name == "models.py" or "models" in rel.parts


def test_only_policy_modules_ask_visible_to_organisation():
    offenders = []
    for rel, tree in _modules():
        if _is_policy(rel) or _is_model(rel):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "visible_to_organisation":
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, (
        "Visibility is the policy's to decide: ask the aggregate's policy.py "
        f"(visible(actor) / may(actor, action, obj)) instead: {offenders}"
    )


def test_no_door_works_out_the_callers_organisation_itself():
    """`membership.organisation_id` read outside accounts/ and core/actor.py: a view deciding
    on its own whose the caller is (principal_of(request).organisation_id is the answer)."""
    allowed = {Path("accounts"), Path("core")}
    offenders = []
    for rel, tree in _modules():
        if rel.parts[0] in {p.parts[0] for p in allowed} or _is_model(rel):
            continue
        if not any(part.startswith(("views", "api", "forms", "serializers")) for part in rel.parts):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "organisation_id"
                and isinstance(node.value, ast.Name)
                and node.value.id == "membership"
            ):
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, f"use accounts.principal.principal_of(request): {offenders}"


def test_the_source_scan_sees_the_policy_modules():
    """The scan is not vacuous: it finds the calls the policies make."""
    found = [
        rel
        for rel, tree in _modules()
        if _is_policy(rel)
        and any(
            isinstance(n, ast.Attribute) and n.attr == "visible_to_organisation"
            for n in ast.walk(tree)
        )
    ]
    assert Path("incidents/policy.py") in found and Path("core/policy.py") in found
