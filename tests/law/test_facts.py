"""The engine's contract: aware UTC instants, immutable facts, standard library only."""

import ast
import sys
from datetime import datetime
from pathlib import Path

import pytest

import law as law
from law import Escape, Violation, WelfareCheck, evaluate, to_utc

from .helpers import HBPOS, T0, arrived, detention, london, utc

PACKAGE = Path(law.__file__).parent


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 5, 1, 9, 0)  # noqa: DTZ001 - deliberately naive
    with pytest.raises(ValueError, match="timezone-aware"):
        detention(detained_at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        WelfareCheck(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(detention(), naive)


def test_instants_are_normalised_to_utc():
    facts = detention(detained_at=london(2026, 7, 1, 12, 0))
    assert facts.detained_at == utc(2026, 7, 1, 11, 0)
    assert facts.detained_at.tzinfo is utc(2026, 1, 1).tzinfo
    assert to_utc(london(2026, 1, 1)) == utc(2026, 1, 1)


def test_lists_become_tuples_and_facts_are_hashable():
    facts = detention(escapes=[Escape(T0)])
    assert facts.escapes == (Escape(T0),)
    hash(facts)


def test_date_of_birth_must_be_a_date():
    with pytest.raises(TypeError):
        detention(date_of_birth=T0)


def test_violation_kinds():
    assert Violation("C6", None, None, "x").is_refusal is False
    assert Violation("C4", "time_order", "arrived_at", "x").is_refusal is True
    assert Violation("C7", "detention_ended", None, "x").is_conflict is True


def test_every_public_name_is_exported():
    for name in law.__all__:
        assert hasattr(law, name), name


def test_the_package_imports_only_the_standard_library():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names, f"{path.name} imports {module}"


def test_evaluation_is_comparable():
    facts = arrived(detention(), HBPOS)
    assert evaluate(facts, T0) == evaluate(facts, T0)
