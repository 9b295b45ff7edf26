"""The one CSV writer for every CSV Harbour produces (reports, the s136 return, audit search,
exports, subject access).

Spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`,
`@`, a tab or a carriage return can be run as a formula when the file is opened in a
spreadsheet. Such cells are written with a leading single quote, so they show as text. Only
strings are changed: numbers (a count of -3) stay numbers.
"""

from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a single quote in front if it is text that a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """`csv.writer` whose every text cell is neutralised; `writerow` returns what `write` did
    (so a pseudo-buffer whose `write` returns its argument can stream rows)."""

    def __init__(self, f, **kwargs):
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    """`csv.DictWriter` whose every text cell is neutralised."""

    def writerow(self, rowdict):
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})


def writer(f, **kwargs) -> Writer:
    return Writer(f, **kwargs)
