"""Spreadsheet safety shared by every export: French CSV writer and neutralised formulas (CSV injection)."""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable, Sequence

# Excel runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|...): such text gets a
# leading apostrophe, which Excel and LibreOffice show as plain text. Numbers like -12,30 stay numbers.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}([ \u00a0\u202f]\d{3})+)([.,]\d+)?\s*(€|%)?$")


def _needs_guard(text: str) -> bool:
    # Judged after any apostrophes already there: "'=x" typed by the user is exported as "''=x", so
    # that unguard_formula gives back exactly what was typed (guard and unguard are inverse).
    bare = text.lstrip("'")
    return bare[:1] in FORMULA_START and not NUMBER.match(bare)


def guard_formula(value: Any) -> Any:
    """A text Excel would run as a formula gets one leading apostrophe (numbers like -12,30 stay numbers)."""
    if isinstance(value, str) and _needs_guard(value):
        return "'" + value
    return value


def escape_apostrophes(value: Any) -> Any:
    """For a workbook that keeps formulas as text (no guard): only a text that already starts with
    apostrophes before = + - @ gets one more, so that unguard_formula on import gives it back exactly."""
    if isinstance(value, str) and value[:1] == "'" and _needs_guard(value):
        return "'" + value
    return value


def unguard_formula(text: str) -> str:
    """Undo guard_formula on import: the one apostrophe it adds, exactly where it adds it.

    Rule: a cell that starts with an apostrophe, whose text after its leading apostrophes starts with
    = + - @ (or a tab or a carriage return) and is not a number, loses one apostrophe. Every other
    cell is kept as it is ("'Les 3 Pommes'", "'-12" stay as typed)."""
    if text[:1] == "'" and _needs_guard(text):
        return text[1:]
    return text


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
