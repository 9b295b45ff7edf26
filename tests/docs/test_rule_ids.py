"""Item 7 of issue 17: every rule id in the rules document has at least one test named after it
(`test_<id>_...`, or the id as one word of the name: `test_c6_c8_breach...`), and the repository's
copy of the document (docs/rules.md) is the shared one (../shared/docs/s136-rules.md) when that
file exists. Plain Python: no database."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
#: The shared document, beside the main checkout (../shared) or beside a worktree's parent.
SHARED = [p / "shared" / "docs" / "s136-rules.md" for p in (ROOT.parent, ROOT.parent.parent)]

# A rule row in a table: `| C1 | ...` (ids are capitals and digits, such as RS4, PS2, X1).
RULE_ROW = re.compile(r"^\|\s*([A-Z]{1,2}\d+)\s*\|", re.MULTILINE)


def rule_ids(text: str) -> list[str]:
    return sorted(set(RULE_ROW.findall(text)), key=lambda i: (re.sub(r"\d", "", i), len(i), i))


def test_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


test_names.__test__ = False  # a helper, not a test


def untested(ids, names) -> list[str]:
    words = [set(name.split("_")[1:]) for name in names]
    return [i for i in ids if not any(i.lower() in w for w in words)]


def test_the_rules_document_lists_the_rule_ids():
    ids = rule_ids(RULES.read_text())
    assert {"R1", "R2", "RS4", "C1", "PS2", "E5", "X1"} <= set(ids)
    assert len(ids) >= 34


def test_every_rule_id_has_a_test_named_after_it():
    missing = untested(rule_ids(RULES.read_text()), test_names())
    assert not missing, f"rule ids with no test named after them: {missing}"


def test_a_rule_without_a_test_is_reported():
    assert untested(["C1", "Q9"], {"test_c1_clock", "test_c11_other"}) == ["Q9"]
    assert untested(["C1"], {"test_c11_other"}) == ["C1"]


def test_the_copy_is_the_shared_rules_document():
    shared = next((p for p in SHARED if p.exists()), None)
    if shared is None:
        pytest.skip("the shared rules document is not beside this checkout")
    assert RULES.read_text() == shared.read_text(), (
        f"docs/rules.md differs from {shared}: copy the shared document again"
    )
