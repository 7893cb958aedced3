"""Spreadsheet safety shared by every export: French CSV writer and neutralised formulas (CSV injection)."""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable, Sequence

# Excel runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|...): such text gets a
# leading apostrophe, which Excel and LibreOffice show as plain text. Numbers like -12,30 stay numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}([ \u00a0\u202f]\d{3})+)([.,]\d+)?\s*(€|%)?$")


def guard_formula(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in FORMULA_START and not NUMBER.match(value):
        return "'" + value
    return value


class _GuardedWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Sequence[Any]) -> None:
        self._writer.writerow([guard_formula(value) for value in row])

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def french_csv_writer(handle) -> _GuardedWriter:
    """';'-separated, CRLF, formulas neutralised: open the handle with encoding='utf-8-sig' for the BOM."""
    return _GuardedWriter(csv.writer(handle, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL))


def keep_formulas_as_text(*sheets) -> None:
    """openpyxl turns a string starting with '=' into a formula: make every such cell plain text."""
    for sheet in sheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
