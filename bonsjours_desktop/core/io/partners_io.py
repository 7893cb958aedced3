"""Partner exports: contacts as CSV (French Excel), XLSX or vCard 3.0, and the role matrix as CSV/XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import BonsJoursError
from ..partners import ContactExportRow, RoleMatrix
from .safe_write import atomic_write

CONTACT_HEADERS = ["Nom", "Organisation", "Type d'organisation", "Territoire", "Fonction", "Courriel", "Téléphone",
                   "Moyen préféré", "Rôles dans l'édition"]
FORMATS = ("csv", "xlsx", "vcf")


def _contact_values(row: ContactExportRow) -> list[str]:
    return [row.name, row.organisation, row.kind, row.territory, row.function, row.email, row.phone,
            row.preferred_channel, row.roles]


from .spreadsheet import guard_formula as _guard_formula  # noqa: E402


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """CSV that French Excel opens as is: UTF-8 with BOM, ';' separator, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_guard_formula(str(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[str]], *, title: str = "",
               fills: dict[str, str] | None = None, first_width: int = 45) -> bytes:
    """A one-sheet workbook: optional title line, bold frozen header, filters, readable widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    if title:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    header_row = sheet.max_row + 1 if title else 1
    sheet.append(list(headers))
    for column in range(1, len(headers) + 1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    for row in rows:
        sheet.append([_guard_formula(str(value)) if value is not None else "" for value in row])
        if fills:
            for column in range(2, len(row) + 1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                color = fills.get(str(cell.value or ""))
                if color:
                    cell.fill = PatternFill("solid", fgColor=color)
                    cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{sheet.max_row}"
    for column in range(1, len(headers) + 1):
        longest = max((len(str(sheet.cell(row=r, column=column).value or "")) for r in range(header_row, sheet.max_row + 1)),
                      default=10)
        sheet.column_dimensions[get_column_letter(column)].width = first_width if column == 1 else min(max(12, longest + 2), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- vCard ---------------------------------------------------------------------------------------


def vcard_escape(text: str) -> str:
    """RFC 2426 text value: backslash, comma, semicolon and newlines escaped."""
    return (
        text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets without cutting a UTF-8 character (continuation = CRLF + space)."""
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = limit if not pieces else limit - 1  # continuation lines start with a space
        if size + width > room:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


PARTICLES = {"le", "la", "de", "du", "des", "d'", "van", "von", "di", "da", "del", "ben"}


def split_name(full_name: str) -> tuple[str, str]:
    """(family, given): words in capitals are the family name ('DUPONT Marie'), else the last word."""
    words = full_name.split()
    if not words:
        return "", ""
    upper = [w for w in words if len(w) > 1 and w.isupper()]
    if upper and len(upper) < len(words):
        return " ".join(upper), " ".join(w for w in words if w not in upper)
    if len(words) == 1:
        return words[0], ""
    # "Yann Le Goff", "Marie de la Tour": the family name starts at the first particle.
    for index in range(1, len(words) - 1):
        if words[index].casefold() in PARTICLES:
            return " ".join(words[index:]), " ".join(words[:index])
    return words[-1], " ".join(words[:-1])


def vcard_text(rows: Iterable[ContactExportRow]) -> str:
    lines: list[str] = []
    for row in rows:
        family, given = split_name(row.name)
        card = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{vcard_escape(family)};{vcard_escape(given)};;;",
            f"FN:{vcard_escape(row.name)}",
            f"ORG:{vcard_escape(row.organisation)}",
        ]
        if row.function:
            card.append(f"TITLE:{vcard_escape(row.function)}")
        if row.email:
            card.append(f"EMAIL;TYPE=INTERNET,WORK:{vcard_escape(row.email)}")
        if row.phone:
            card.append(f"TEL;TYPE=WORK,VOICE:{vcard_escape(row.phone)}")
        notes = []
        if row.roles:
            notes.append(f"Rôles : {row.roles}")
        if row.preferred_channel:
            notes.append(f"Moyen préféré : {row.preferred_channel}")
        if notes:
            card.append(f"NOTE:{vcard_escape(chr(10).join(notes))}")
        card.append("CATEGORIES:Bons jours de l'occasion")
        card.append("END:VCARD")
        lines.extend(fold_line(line) for line in card)
    return "".join(line + "\r\n" for line in lines)


def vcard_bytes(rows: Iterable[ContactExportRow]) -> bytes:
    return vcard_text(rows).encode("utf-8")


# --- Entry points --------------------------------------------------------------------------------


def format_of(path: Path, requested: str | None = None) -> str:
    fmt = (requested or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise BonsJoursError(f"Format « {fmt or path.name} » inconnu : choisissez csv, xlsx ou vcf.")
    return fmt


def contacts_bytes(rows: Sequence[ContactExportRow], fmt: str, title: str = "Contacts des partenaires") -> bytes:
    if fmt == "csv":
        return csv_bytes(CONTACT_HEADERS, (_contact_values(r) for r in rows))
    if fmt == "xlsx":
        return xlsx_bytes("Contacts", CONTACT_HEADERS, (_contact_values(r) for r in rows), title=title, first_width=28)
    if fmt == "vcf":
        return vcard_bytes(rows)
    raise BonsJoursError(f"Format « {fmt} » inconnu pour les contacts : choisissez csv, xlsx ou vcf.")


STATUS_FILLS = {"confirmé": "C8E6C9", "invité": "FFF3C4", "décliné": "F8D0D0"}


def matrix_table(matrix: RoleMatrix) -> tuple[list[str], list[list[str]]]:
    headers = ["Organisation", "Type", *(name for _id, name in matrix.role_types)]
    rows = [[row.organisation, row.kind, *(cell or "" for cell in row.cells)] for row in matrix.rows]
    return headers, rows


def role_matrix_bytes(matrix: RoleMatrix, fmt: str) -> bytes:
    headers, rows = matrix_table(matrix)
    if fmt == "csv":
        return csv_bytes(headers, rows)
    if fmt == "xlsx":
        return xlsx_bytes("Matrice des rôles", headers, rows, fills=STATUS_FILLS,
                          title=f"Rôles des partenaires — {matrix.edition_name}")
    raise BonsJoursError(f"Format « {fmt} » inconnu pour la matrice des rôles : choisissez csv ou xlsx.")


def write_file(path: Path, data: bytes, db=None) -> Path:
    """Write next to the target then rename (safe_write), so a failed export never leaves half a file."""
    atomic_write(path, data, db=db)
    return Path(path).expanduser()
