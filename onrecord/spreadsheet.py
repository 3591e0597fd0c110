"""The one CSV writer of onrecord (``extract --format csv``, ``export``, the CLI lists, the server's ``.csv``).

Quoted speech is text from the web, and a cell that begins with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return that some spreadsheets skip before one of them) is a formula
when the file is opened in Excel, LibreOffice or Google Sheets: ``=HYPERLINK(...)`` from an
article would run on the reader's machine (OWASP "CSV injection"). Such a cell gets a
leading apostrophe, which spreadsheets show as nothing and read as "this is text". Numbers
are written as numbers (a negative count stays a number); only strings are neutralised.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: lists and dicts as JSON, a string that
    would start a formula with a leading apostrophe, anything else as it is."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """`csv.DictWriter` whose every cell goes through `safe_cell` (the header too)."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str]) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = csv.DictWriter(out, fieldnames=self.fieldnames)

    def writeheader(self) -> None:
        self._writer.writerow({name: safe_cell(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: safe_cell(value) for key, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)
