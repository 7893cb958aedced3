"""Reading the tables coordinators actually have: CSV in any encoding, XLSX/XLS/ODS workbooks.

Every import goes through read_table. Whatever the file, the result is a RawTable (header, rows with
the line number the user sees, and a French description of how the file was understood) or a
BonsJoursError with one French sentence saying what is wrong and where; never a decoding error or a
library's English message.

Decoding: a BOM, or the pattern of NUL bytes, tells UTF-16/UTF-32; otherwise UTF-8 is tried strictly
line by line, and the lines that are not valid UTF-8 are read as Windows-1252 (what French Excel
writes) and listed. Automatic guessing (charset-normalizer) is not used: on a short French file it
confuses Windows-1252 with other Latin code pages, and the only encodings met in practice are the
ones above, which are recognised exactly — and Mac OS Roman, which Excel for Mac writes for its
« CSV (Macintosh) » (and older versions for any CSV): a file that is not UTF-8 is read as Mac OS Roman
when French lower-case accented letters (é è à ç ê ô…) come out of it, and not out of Windows-1252.

In every text cell, CSV or workbook, the formula guard of Bons Jours' exports is undone exactly
(spreadsheet.unguard_formula).

Workbooks (.xlsx, .xlsm, .xls, .ods) are read by python-calamine (one maintained reader for the
three formats, merged cells included for Excel files; .ods merged cells are read from content.xml).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from ..errors import BonsJoursError
from .spreadsheet import unguard_formula

# How many rows (from the top of a sheet or file) may come before the header row.
HEADER_SEARCH_ROWS = 20
# The csv module's own limit (131 072 characters in a cell), kept: a larger cell is almost always a
# quote left open, and the message says so.
CELL_LIMIT = csv.field_size_limit()

HeaderTest = Callable[[Sequence[str]], bool]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row of the file: its line number as the user sees it, and its cells as text."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A spreadsheet read as text: header cells, rows, and how the file was understood."""

    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    description: str  # e.g. "CSV Windows-1252, séparateur « ; », en-tête ligne 1"
    sheet: str = ""  # the sheet used, for a workbook
    header_line: int = 0  # line (CSV) or row (workbook) of the header, as the user numbers them
    encoding: str = ""  # for a CSV, e.g. "UTF-8 (avec BOM)"
    cp1252_lines: tuple[int, ...] = ()  # CSV lines that were not UTF-8 and were read as Windows-1252


def _lines_text(lines: Sequence[int], limit: int = 15) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f"… ({len(lines)} en tout)" if len(lines) > limit else "")


# --- Decoding --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    cp1252_lines: tuple[int, ...] = ()


def _cp1252(data: bytes) -> str:
    # The five bytes Windows-1252 leaves undefined are read as Windows itself does (Latin-1 control
    # characters, which the import then drops), never as a decoding error.
    return data.decode("cp1252", errors="bom_cp1252_fallback")


# French lower-case letters (à â ä ç è é ê ë î ï ô ö ù û ü ÿ œ) as each code page writes them.
_FRENCH_CP1252 = bytes([0xE0, 0xE2, 0xE4, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEE, 0xEF, 0xF4, 0xF6, 0xF9, 0xFB, 0xFC,
                        0xFF, 0x9C])
_FRENCH_MAC_ROMAN = bytes([0x88, 0x89, 0x8A, 0x8D, 0x8F, 0x8E, 0x90, 0x91, 0x94, 0x95, 0x99, 0x9A, 0x9D, 0x9E, 0x9F,
                           0xD8, 0xCF])
_ASCII = bytes(range(128))


def _single_byte(data: bytes) -> Decoded:
    """A file with no UTF-8 in it: Windows-1252 (French Excel on Windows), or Mac OS Roman (Excel for Mac)
    when that is the only one of the two in which its bytes are French accented letters."""
    accented = data.translate(None, _ASCII)  # one pass in C; the counts below then run on a few bytes
    if accented:
        windows = sum(accented.count(b) for b in _FRENCH_CP1252)
        mac = sum(accented.count(b) for b in _FRENCH_MAC_ROMAN)
        if mac > 2 * windows:
            return Decoded(data.decode("mac_roman"), "Mac OS Roman (Excel pour Mac)")
    return Decoded(_cp1252(data), "Windows-1252")


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("bom_cp1252_fallback", _latin1_fallback)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 (avec BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _nul_pattern(data: bytes) -> Optional[tuple[str, str]]:
    """UTF-16/32 without BOM, from where the NUL bytes fall in the first bytes (mostly ASCII text)."""
    sample = data[:4000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    size = len(sample) - len(sample) % 4
    quads = [sample[i:i + 4] for i in range(0, size, 4)]
    # UTF-32: every character of the basic plane has two NUL bytes, at the end (LE) or the start (BE).
    if len(quads) > 1 and all(q[2:] == b"\x00\x00" and q[:2] != b"\x00\x00" for q in quads[:50]):
        return "utf-32-le", "UTF-32"
    if len(quads) > 1 and all(q[:2] == b"\x00\x00" and q[2:] != b"\x00\x00" for q in quads[:50]):
        return "utf-32-be", "UTF-32"
    even = sample[0:size:2]
    odd = sample[1:size:2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le", "UTF-16"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be", "UTF-16"
    return None


def decode_bytes(data: bytes, name: str = "") -> Decoded:
    """The file's text: UTF-16/32 (BOM or NUL pattern), else UTF-8 strictly with Windows-1252 for the
    lines that are not UTF-8 (listed), else Windows-1252 for the whole file."""
    where = f" « {name} »" if name else ""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8":
                decoded = _utf8_lines(body, label)
                return decoded
            return Decoded(_decode_wide(body, codec, label, where), label)
    guessed = _nul_pattern(data)
    if guessed is not None:
        codec, label = guessed
        return Decoded(_decode_wide(data, codec, label, where), label + " (sans BOM)")
    return _utf8_lines(data, "UTF-8")


def _decode_wide(body: bytes, codec: str, label: str, where: str) -> str:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        raise BonsJoursError(
            f"Le fichier{where} est en {label} mais il est tronqué ou endommagé vers l'octet {exc.start} : "
            "rouvrez-le dans le tableur et enregistrez-le de nouveau."
        ) from None


def _has_utf8_character(data: bytes) -> bool:
    """Whether data holds one valid non-ASCII UTF-8 character: read with surrogateescape, the bytes that
    are not UTF-8 become U+DC80-U+DCFF, which encode back to ASCII's codec with surrogateescape; any
    other non-ASCII character does not (twice as fast as searching the 20 Mo text with a regex)."""
    try:
        data.decode("utf-8", errors="surrogateescape").encode("ascii", errors="surrogateescape")
    except UnicodeEncodeError:
        return True
    return False


def _utf8_lines(data: bytes, label: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), label)
    except UnicodeDecodeError:
        pass
    if label == "UTF-8" and not _has_utf8_character(data):
        # Not one valid UTF-8 accented character anywhere (undecodable bytes become U+DC80-U+DCFF), so
        # no line can be accented UTF-8: Windows-1252 throughout, as the loop below would find line by line.
        return _single_byte(data)
    lines = data.splitlines(keepends=True)
    parts: list[str] = []
    fallback: list[int] = []
    utf8_non_ascii = False
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            if not line.isascii():
                utf8_non_ascii = True
        except UnicodeDecodeError:
            text = _cp1252(line)
            fallback.append(number)
        parts.append(text)
    if not utf8_non_ascii and label == "UTF-8":
        # Not one accented line is UTF-8: the whole file is Windows-1252 (French Excel's "CSV").
        return _single_byte(data)
    return Decoded("".join(parts), label, tuple(fallback))


# --- CSV -------------------------------------------------------------------------------------

_DELIMITERS = (";", ",", "\t")


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count = 0
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == delimiter:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """The separator most lines agree on among the first lines (a title line above the header has none)."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS + 5] if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [c for c in (_count_outside_quotes(line, delimiter) for line in lines) if c]
        if not counts:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_text(text: str, description: str = "CSV", is_header: Optional[HeaderTest] = None, *,
                  encoding: str = "", cp1252_lines: tuple[int, ...] = ()) -> RawTable:
    """Parse CSV text: rows before the header (titles, blank lines) are skipped; the formula guard of
    Bons Jours' own exports is undone (see spreadsheet.unguard_formula)."""
    # Excel's own hint on the first line ("sep=;") wins over guessing, and is not a row of the table.
    hint = re.match(r'"?sep=(.)"?(\r\n|\n|\r)', text)
    delimiter = hint.group(1) if hint and hint.group(1) in _DELIMITERS else sniff_delimiter(text)
    reader = csv.reader(_physical_lines(text, hint.end() if hint else 0), delimiter=delimiter, strict=True)
    offset = 1 if hint else 0  # line numbers stay those of the file

    def records() -> Iterator[tuple[int, int, list[str]]]:
        """(first line, last line, cells) of each record, read as needed (a big file is not copied)."""
        previous_end = offset
        try:
            for record in reader:
                start = previous_end + 1
                previous_end = reader.line_num + offset
                yield start, previous_end, record
        except csv.Error as exc:
            raise _csv_error(exc, previous_end + 1, reader.line_num + offset, text, delimiter) from None

    stream = records()
    head: list[tuple[int, int, list[str]]] = []  # enough records to find the header among them
    non_empty = 0
    for item in stream:
        head.append(item)
        non_empty += any(cell.strip() for cell in item[2])
        if non_empty >= HEADER_SEARCH_ROWS:
            break
    header_index = _header_index([cells for _s, _e, cells in head], is_header)
    if header_index is None:
        raise BonsJoursError("Le fichier est vide : aucune ligne d'en-tête (Nom, Commune…).")
    header_start, _end, header_cells = head[header_index]
    headers = tuple(unguard_formula(cell).strip() for cell in header_cells)
    rows: list[RawRow] = []
    for start, end, cells in itertools.chain(head[header_index + 1:], stream):
        joined = "\n".join(cells)
        if joined.isspace() or not joined:  # every cell blank
            continue
        if end > start:
            _check_swallowed(text, start, end, cells, delimiter, len(headers))
        # Only a cell starting with an apostrophe can carry the formula guard: most rows have none.
        guarded = joined[:1] == "'" or "\n'" in joined
        rows.append(RawRow(start, tuple(unguard_formula(cell) for cell in cells) if guarded else tuple(cells)))
    shown = {";": "« ; »", ",": "« , »", "\t": "tabulation"}[delimiter]
    details = [f"{description}, séparateur {shown}", f"en-tête ligne {header_start}"]
    if cp1252_lines:
        plural = "s" if len(cp1252_lines) > 1 else ""
        details.append(f"ligne{plural} {_lines_text(cp1252_lines)} lue{plural} en Windows-1252")
    return RawTable(headers, tuple(rows), ", ".join(details[:2]) + "".join(f" ; {d}" for d in details[2:]),
                    header_line=header_start, encoding=encoding, cp1252_lines=tuple(cp1252_lines))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r|$)")
# Characters str.splitlines also breaks at, which are not line ends in a CSV.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def _physical_lines(text: str, start: int = 0) -> Iterable[str]:
    """The lines of text from start, each with its line end (\\r\\n, \\n or \\r), as csv.reader wants."""
    body = text[start:] if start else text
    if not any(char in body for char in _OTHER_BREAKS):
        return body.splitlines(keepends=True)  # fast, and no larger than the text
    return (match.group() for match in _LINE.finditer(body) if match.group())


def _csv_error(exc: csv.Error, start: int, line: int, text: str, delimiter: str) -> BonsJoursError:
    message = str(exc)
    if "field larger than field limit" in message:
        return BonsJoursError(
            f"Ligne {start} : une cellule dépasse {CELL_LIMIT:,} caractères".replace(",", " ")
            + " ; c'est souvent un guillemet (\") ouvert et jamais refermé. Vérifiez cette ligne dans le tableur."
        )
    if line > start or "unexpected end of data" in message:
        return BonsJoursError(
            f"Ligne {start} : un guillemet (\") ouvert sur cette ligne n'est pas refermé, il avale les lignes "
            "suivantes. Refermez-le ou retirez-le, puis relancez l'import."
        )
    return BonsJoursError(
        f"Ligne {start} : guillemet mal placé (« {exc} ») ; une cellule qui commence par un guillemet doit "
        f"se terminer par un guillemet suivi du séparateur « {delimiter} »."
    )


def _check_swallowed(text: str, start: int, end: int, cells: list[str], delimiter: str, width: int) -> None:
    """A quoted cell spanning lines that look like whole rows: a quote opened at `start` and closed by chance."""
    threshold = max(3, width - 1)
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        for inner in cell.splitlines()[1:]:
            if inner.count(delimiter) >= threshold:
                raise BonsJoursError(
                    f"Ligne {start} : un guillemet (\") ouvert sur cette ligne englobe les lignes suivantes "
                    f"jusqu'à la ligne {end}, qui ressemblent à des lignes de données. Refermez-le ou retirez-le."
                )


def _header_index(rows: Sequence[Sequence[str]], is_header: Optional[HeaderTest]) -> Optional[int]:
    """The header among the first rows: the first one is_header accepts, else the first non-empty row."""
    first_non_empty = None
    seen = 0
    for index, cells in enumerate(rows):
        if not any(str(cell).strip() for cell in cells):
            continue
        if first_non_empty is None:
            first_non_empty = index
        if is_header is None:
            return index
        if is_header(tuple(str(cell).strip() for cell in cells)):
            return index
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return first_non_empty


# --- Workbooks -------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A workbook cell as the text the user sees (dates 01/03/2014, times 10:00, 12 not 12.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        if value.date() in (dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1)):
            return _time_text(value.time())  # a time typed alone, stored on Excel's day zero
        return value.strftime("%d/%m/%Y ") + _time_text(value.time())
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return _time_text(value)
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return str(value)


def _time_text(value: dt.time) -> str:
    return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")


def _workbook_error(path: Path, data_head: bytes) -> Optional[BonsJoursError]:
    """A French reason when the file cannot be a readable workbook (protected, truncated, not one)."""
    name = path.name
    if data_head.startswith(OLE2_MAGIC):
        raw = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in raw or "EncryptedPackage".encode("utf-16-le") in raw:
            return BonsJoursError(
                f"Le classeur « {name} » est protégé par un mot de passe : ouvrez-le dans Excel ou LibreOffice, "
                "retirez le mot de passe (Fichier › Informations › Protéger le classeur), enregistrez-le, "
                "puis importez-le."
            )
        return None  # an old .xls: read below
    if data_head.startswith(ZIP_MAGIC) or data_head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "META-INF/manifest.xml" in names:
                    manifest = archive.read("META-INF/manifest.xml")
                    if b"encryption-data" in manifest:
                        return BonsJoursError(
                            f"Le classeur « {name} » est protégé par un mot de passe : ouvrez-le dans LibreOffice, "
                            "enregistrez-le sans mot de passe, puis importez-le."
                        )
                bad = archive.testzip()
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            bad = "?"
        if bad is not None:
            return BonsJoursError(
                f"Le classeur « {name} » est incomplet ou endommagé (copie interrompue, pièce jointe tronquée ?) : "
                "rouvrez-le dans le tableur, enregistrez-le de nouveau, puis importez-le."
            )
        return None
    return BonsJoursError(
        f"« {name} » n'est pas un classeur {path.suffix.lower().lstrip('.').upper()} lisible (son contenu ne "
        "correspond pas à son extension) : ouvrez-le dans le tableur et enregistrez-le en .xlsx ou en CSV."
    )


def _ods_merged_ranges(path: Path, sheet_index: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged cells of an .ods sheet ((first row, first col), (last row, last col)), 0-based."""
    from lxml import etree

    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    tag = lambda local: f"{{{table_ns}}}{local}"  # noqa: E731
    ranges = []
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as handle:
        tables = -1
        row = 0
        for event, element in etree.iterparse(handle, events=("start", "end")):
            if event == "start":
                if element.tag == tag("table"):
                    tables += 1
                    row = 0
                continue
            if element.tag == tag("table-row") and tables == sheet_index:
                column = 0
                for cell in element:
                    if cell.tag not in (tag("table-cell"), tag("covered-table-cell")):
                        continue
                    rows_spanned = int(cell.get(tag("number-rows-spanned"), "1"))
                    columns_spanned = int(cell.get(tag("number-columns-spanned"), "1"))
                    if rows_spanned > 1 or columns_spanned > 1:
                        ranges.append(((row, column), (row + rows_spanned - 1, column + columns_spanned - 1)))
                    column += int(cell.get(tag("number-columns-repeated"), "1"))
                row += int(element.get(tag("number-rows-repeated"), "1"))
                element.clear()
            elif element.tag == tag("table") and tables > sheet_index:
                break
    return ranges


def _fill_merged(grid: list[list[Any]], ranges) -> None:
    """The value of a merged range applies to every cell of it (as the user sees it on screen)."""
    for (top, left), (bottom, right) in ranges or ():
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        while len(grid) <= bottom:
            grid.append([])
        for r in range(top, bottom + 1):
            row = grid[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


def read_workbook(path: Path, is_header: Optional[HeaderTest] = None) -> RawTable:
    """The first sheet that has a header row (found in its first rows), merged cells filled."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    with path.open("rb") as handle:
        head = handle.read(8)
    problem = _workbook_error(path, head)
    if problem is not None:
        raise problem
    kind = {".ods": "classeur OpenDocument", ".xls": "classeur Excel 97-2003"}.get(path.suffix.lower(), "classeur Excel")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 - calamine raises its own kinds, all in English
        raise BonsJoursError(
            f"Le classeur « {path.name} » est illisible (endommagé, ou d'un format non reconnu) : rouvrez-le "
            "dans le tableur, enregistrez-le en .xlsx ou en CSV, puis importez-le."
        ) from None
    try:
        fallback: Optional[tuple[int, str, list[list[Any]], int]] = None
        chosen: Optional[tuple[int, str, list[list[Any]], int]] = None
        # Hidden and "very hidden" sheets (an old list, lookup tables) and chart sheets are skipped, as the
        # user does not see them. Compared as enum members: their str() is "SheetVisibleEnum.Hidden", which
        # contains "Visible" too.
        visible = [m.name for m in workbook.sheets_metadata
                   if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
        for index, name in enumerate(workbook.sheet_names):
            if visible and name not in visible:
                continue
            try:
                sheet = workbook.get_sheet_by_index(index)
                grid = [list(row) for row in sheet.to_python(skip_empty_area=False)]
                merged = sheet.merged_cell_ranges
                if merged is None and path.suffix.lower() == ".ods":
                    merged = _ods_merged_ranges(path, index)
            except Exception:  # noqa: BLE001
                raise BonsJoursError(
                    f"La feuille « {name} » du classeur « {path.name} » est illisible : rouvrez le classeur dans "
                    "le tableur, enregistrez-le de nouveau, puis importez-le."
                ) from None
            _fill_merged(grid, merged)
            # The formula guard of Bons Jours' own workbooks (partners, reply forms) is undone as in a CSV.
            texts = [[unguard_formula(v) if isinstance(v, str) else cell_text(v) for v in row] for row in grid]
            found = _header_index(texts, is_header)
            if found is None:
                continue
            accepted = is_header is None or is_header(tuple(c.strip() for c in texts[found]))
            if accepted:
                chosen = (index, name, texts, found)
                break
            if fallback is None:
                fallback = (index, name, texts, found)
        chosen = chosen or fallback
    finally:
        workbook.close()
    if chosen is None:
        raise BonsJoursError(f"Le classeur « {path.name} » est vide : aucune feuille n'a de ligne d'en-tête.")
    index, name, texts, found = chosen
    headers = tuple(cell.strip() for cell in texts[found])
    rows = tuple(
        RawRow(number, tuple(cells))
        for number, cells in enumerate(texts[found + 1:], start=found + 2)
        if any(cell.strip() for cell in cells)
    )
    position = f" ({index + 1}e feuille)" if index else ""
    description = f"{kind}, feuille « {name} »{position}, en-tête ligne {found + 1}"
    return RawTable(headers, rows, description, sheet=name, header_line=found + 1)


# --- Any file --------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a French sentence for each reason it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BonsJoursError(f"Le fichier « {path} » n'existe pas.") from None
    except IsADirectoryError:
        raise BonsJoursError(f"« {path} » est un dossier : indiquez le fichier à importer.") from None
    except PermissionError:
        raise BonsJoursError(
            f"Impossible de lire « {path} » : accès refusé (fichier ouvert dans Excel, ou droits insuffisants). "
            "Fermez-le dans l'autre programme puis recommencez."
        ) from None
    except OSError as exc:
        raise BonsJoursError(f"Impossible de lire « {path} » : {exc.strerror or exc}.") from None


def read_table(path: str | Path, is_header: Optional[HeaderTest] = None) -> RawTable:
    """Read a CSV (separator ; , or tab; any encoding above) or a workbook (.xlsx, .xlsm, .xls, .ods).

    is_header tells the header row among the first rows (title rows and blank rows above it are
    skipped); without it, the first non-empty row is the header."""
    path = Path(path)
    if path.is_dir():
        raise BonsJoursError(f"« {path} » est un dossier : indiquez le fichier à importer.")
    if not path.exists():
        raise BonsJoursError(f"Le fichier « {path} » n'existe pas.")
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        head = read_bytes(path)[:8]  # raises the French reason
    if not head:
        raise BonsJoursError(f"Le fichier « {path.name} » est vide (0 octet).")
    workbook_content = head.startswith(ZIP_MAGIC) or head.startswith(b"PK") or head.startswith(OLE2_MAGIC)
    label = "CSV"
    if workbook_content or (suffix in WORKBOOK_SUFFIXES and not _looks_like_text(path)):
        try:
            return read_workbook(path, is_header)
        except PermissionError:
            read_bytes(path)
            raise
    if suffix in WORKBOOK_SUFFIXES:
        # Web sites and older tools save a CSV (or an HTML page) under the name « export.xls ».
        if _looks_like_html(path):
            raise BonsJoursError(
                f"« {path.name} » est une page web (HTML) enregistrée avec l'extension {suffix} : ouvrez-la dans le "
                "tableur, enregistrez-la en .xlsx ou en CSV, puis importez-la."
            )
        label = f"texte CSV malgré l'extension {suffix},"
    data = read_bytes(path)
    decoded = decode_bytes(data, path.name)
    text = decoded.text.replace("\x00", "")
    description = f"CSV {decoded.encoding}" if label == "CSV" else f"{label} {decoded.encoding}"
    return read_csv_text(text, description, is_header, encoding=decoded.encoding,
                         cp1252_lines=decoded.cp1252_lines)


def _sample_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            sample = handle.read(4096)
    except OSError:
        return ""
    try:
        return decode_bytes(sample).text
    except BonsJoursError:
        return ""


def _looks_like_text(path: Path) -> bool:
    """Readable text with line breaks or separators, not a binary file."""
    text = _sample_text(path)
    if not text.strip():
        return False
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    return printable >= 0.95 * len(text)


def _looks_like_html(path: Path) -> bool:
    start = _sample_text(path).lstrip().lower()
    return start.startswith(("<!doctype html", "<html", "<table", "<?xml", "<meta"))


__all__ = ["RawRow", "RawTable", "read_table", "read_csv_text", "read_workbook", "decode_bytes", "cell_text",
           "sniff_delimiter", "HEADER_SEARCH_ROWS"]
