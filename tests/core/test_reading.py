"""The file-reading layer of every import: encodings, quotes, workbooks (merged cells, title rows,
sheets, dates, .ods), damaged files. The corpus is made here; each case states its expected outcome."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bonsjours_desktop.core.errors import BonsJoursError
from bonsjours_desktop.core.io import reading
from bonsjours_desktop.core.io.shops_io import plan_import, read_table
from bonsjours_desktop.core.io.spreadsheet import guard_formula, unguard_formula

HEART = "Le Cœur d’Emmaüs"
ROWS = ["Nom;Commune;Notes", f"{HEART};Angers;prix en €", "Trélazé Récup;Trélazé;"]


def text_file(tmp_path: Path, data: bytes, name: str = "boutiques.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- Encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("codec,bom,label", [
    ("utf-16-le", b"\xff\xfe", "UTF-16"),
    ("utf-16-be", b"\xfe\xff", "UTF-16"),
    ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32"),
    ("utf-32-be", b"", "UTF-32 (sans BOM)"),
    ("utf-16-be", b"", "UTF-16 (sans BOM)"),
    ("utf-16-le", b"", "UTF-16 (sans BOM)"),
])
def test_wide_unicode_csv_is_read_as_typed(tmp_path, codec, bom, label):
    # LibreOffice's "Unicode" CSV: UTF-16 with a BOM; also seen without BOM and in UTF-32.
    path = text_file(tmp_path, bom + "\r\n".join(ROWS).encode(codec))
    table = read_table(path)
    assert table.headers == ("Nom", "Commune", "Notes")  # no BOM glued to the first header
    assert [r.cells for r in table.rows] == [(HEART, "Angers", "prix en €"), ("Trélazé Récup", "Trélazé", "")]
    assert table.encoding == label and label in table.description
    assert [r.line for r in table.rows] == [2, 3]  # no phantom rows


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_file_with_one_windows_1252_line_keeps_the_others_and_lists_it(tmp_path, bom):
    data = bom + (
        "Nom;Commune;Notes\r\n".encode() + f"{HEART};Angers;\r\n".encode()
        + "Récup'Anjou;Trélazé;collée depuis Excel\r\n".encode("cp1252") + "Ressourcerie;Trélazé;\r\n".encode()
    )
    table = read_table(text_file(tmp_path, data))
    assert [r.cells[:2] for r in table.rows] == [(HEART, "Angers"), ("Récup'Anjou", "Trélazé"), ("Ressourcerie", "Trélazé")]
    assert table.cp1252_lines == (3,)
    assert "ligne 3 lue en Windows-1252" in table.description
    assert table.encoding == ("UTF-8 (avec BOM)" if bom else "UTF-8")


def test_windows_1252_file_is_read_whole_including_undefined_bytes(tmp_path):
    data = "Nom;Commune\r\nTrélazé € Récup;Trélazé\r\n".encode("cp1252") + b"Bo\x81te;Angers\r\n"
    table = read_table(text_file(tmp_path, data))
    assert table.encoding == "Windows-1252" and table.cp1252_lines == ()
    assert table.rows[0].cells == ("Trélazé € Récup", "Trélazé")
    assert table.rows[1].cells[1] == "Angers"


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_excel_for_mac_csv_in_mac_os_roman_is_read_as_typed(tmp_path, newline):
    # Excel for Mac's « CSV (Macintosh) »: Mac OS Roman, lines ended by CR. Read as Windows-1252 it gave
    # « RŽcup TrŽlazŽ », silently stored so (and known shops no longer matched).
    text = newline.join(["Nom;Commune;Notes", "Récup Trélazé;Trélazé;à côté de l'église, ouvert à 9h",
                         "Épicerie Été;Angers;prix ronds", ""])
    table = read_table(text_file(tmp_path, text.encode("mac_roman")))
    assert table.encoding == "Mac OS Roman (Excel pour Mac)"
    assert [r.cells for r in table.rows] == [("Récup Trélazé", "Trélazé", "à côté de l'église, ouvert à 9h"),
                                             ("Épicerie Été", "Angers", "prix ronds")]
    # The same text from Windows stays Windows-1252, curly quotes and bullets included (bytes that are
    # letters in Mac OS Roman).
    windows = text.replace("prix ronds", "“prix” • ‘ronds’ ™").encode("cp1252")
    assert read_table(text_file(tmp_path, windows)).encoding == "Windows-1252"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_a_french_error(data):
    try:
        decoded = reading.decode_bytes(b"Nom;Commune\r\n" + data)
    except BonsJoursError as exc:
        assert "Le fichier" in str(exc)
    else:
        assert isinstance(decoded.text, str)


def test_several_windows_1252_lines_are_all_listed(tmp_path):
    data = "Nom;Commune\r\nLe Cœur;Angers\r\n".encode() + "Récup;Trélazé\r\n".encode("cp1252") * 2
    table = read_table(text_file(tmp_path, data))
    assert "lignes 3, 4 lues en Windows-1252" in table.description
    assert [r.cells for r in table.rows] == [("Le Cœur", "Angers"), ("Récup", "Trélazé"), ("Récup", "Trélazé")]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab;,\t"\r\n\' é=')), max_size=80))
def test_any_csv_text_reads_or_gives_a_french_error_with_a_line(text):
    try:
        table = reading.read_csv_text("Nom;Commune\r\n" + text)
    except BonsJoursError as exc:
        assert str(exc).startswith("Ligne ") or "vide" in str(exc)
    else:
        assert all(row.line >= 2 for row in table.rows)


# --- Quotes and huge cells -------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    # left open to the end of the file
    'Nom;Commune;Notes\r\nA;Angers;"ouvert le mardi\r\nB;Saumur;autre\r\nC;Cholet;\r\n',
    # closed by chance by the next quoted cell
    'Nom;Commune;Notes\r\nA;Angers;"ouvert le mardi\r\nB;Saumur;"voir site"\r\nC;Cholet;\r\n',
])
def test_unterminated_quote_names_the_line_where_it_opens(tmp_path, body):
    with pytest.raises(BonsJoursError, match=r"^Ligne 2 : un guillemet .* n'est pas refermé"):
        read_table(text_file(tmp_path, body.encode()))


def test_quote_swallowing_whole_rows_is_refused(tmp_path):
    body = 'Nom;Commune;Adresse;Notes\r\nA;Angers;1 rue X;"ouvert\r\nB;Saumur;2 rue Y;\r\nC;Cholet;3 rue Z;"\r\n'
    with pytest.raises(BonsJoursError, match=r"^Ligne 2 : un guillemet .* jusqu'à la ligne 4"):
        read_table(text_file(tmp_path, body.encode()))


def test_a_real_multi_line_cell_is_kept(tmp_path):
    body = 'Nom;Commune;Notes\r\nA;Angers;"première ligne\r\nseconde ligne"\r\nB;Saumur;\r\n'
    table = read_table(text_file(tmp_path, body.encode()))
    assert [(r.line, r.cells) for r in table.rows] == [
        (2, ("A", "Angers", "première ligne\r\nseconde ligne")), (4, ("B", "Saumur", ""))]


def test_a_200_000_character_cell_is_a_french_error_naming_the_line(tmp_path):
    body = "Nom;Commune;Notes\r\nA;Angers;ok\r\nB;Saumur;" + "x" * 200_000 + "\r\n"
    with pytest.raises(BonsJoursError, match=r"^Ligne 3 : une cellule dépasse 131 072 caractères"):
        read_table(text_file(tmp_path, body.encode()))


# --- Title rows and header detection ---------------------------------------------------------


def test_csv_header_under_a_title_and_a_blank_line(tmp_path):
    body = "Annuaire des boutiques solidaires – 2014\r\n\r\nNom;Réseau;Commune\r\nA;Emmaüs;Angers\r\n"
    table = read_table(text_file(tmp_path, body.encode()))
    assert table.headers == ("Nom", "Réseau", "Commune") and table.header_line == 3
    assert "en-tête ligne 3" in table.description
    assert [(r.line, r.cells) for r in table.rows] == [(4, ("A", "Emmaüs", "Angers"))]


def test_excel_separator_hint_line_is_obeyed_and_not_a_row():
    table = reading.read_csv_text("sep=,\r\nNom,Commune\r\nA; B; C,Angers\r\n")
    assert table.headers == ("Nom", "Commune") and table.header_line == 2
    assert [(r.line, r.cells) for r in table.rows] == [(3, ("A; B; C", "Angers"))]
    assert "séparateur « , »" in table.description


def xlsx(tmp_path: Path, build, name: str = "boutiques.xlsx") -> Path:
    workbook = Workbook()
    build(workbook)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_workbook_title_rows_second_sheet_merged_cells_dates_and_times(tmp_path, ops):
    def build(workbook):
        readme = workbook.active
        readme.title = "Lisez-moi"
        readme.append(["Ce classeur liste les boutiques."])
        readme.append(["Mise à jour : mars 2014"])
        sheet = workbook.create_sheet("Boutiques")
        sheet.append(["Annuaire des boutiques solidaires – 2014"])
        sheet.append([])
        sheet.append(["Nom", "Réseau", "Commune", "Ouverture", "Inscription", "Notes"])
        sheet.append(["Emmaüs Angers", "Emmaüs", "Angers", dt.time(10, 0), dt.date(2014, 3, 1), None])
        sheet.append(["Emmaüs Trélazé", None, None, dt.time(14, 30), dt.datetime(2014, 3, 1, 9, 15), None])
        sheet.append(["Emmaüs Saumur", None, "Saumur", None, None, 12.0])
        sheet.merge_cells("B4:B6")  # a Réseau merged over 3 rows
        sheet.merge_cells("C4:C5")  # a Commune merged over 2 rows

    table = read_table(xlsx(tmp_path, build))
    assert table.sheet == "Boutiques" and table.header_line == 3
    assert "feuille « Boutiques » (2e feuille), en-tête ligne 3" in table.description
    assert [(r.line, r.cells) for r in table.rows] == [
        (4, ("Emmaüs Angers", "Emmaüs", "Angers", "10:00", "01/03/2014", "")),
        (5, ("Emmaüs Trélazé", "Emmaüs", "Angers", "14:30", "01/03/2014 09:15", "")),
        (6, ("Emmaüs Saumur", "Emmaüs", "Saumur", "", "", "12")),
    ]
    # The import then sees the commune the user sees: no "La commune est obligatoire".
    plan = ops.read(lambda s: plan_import(s, table))
    assert not [p for p in plan.problems if p.column == "Commune"]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_skipped_for_the_first_visible_one(tmp_path, state):
    # An old list kept in a hidden first sheet: the user sees, and means, the visible one.
    def build(workbook):
        old = workbook.active
        old.title = "Ancienne liste"
        old.append(["Nom", "Commune"])
        old.append(["Boutique fermée en 2012", "Angers"])
        old.sheet_state = state
        current = workbook.create_sheet("Boutiques 2014")
        current.append(["Nom", "Commune"])
        current.append(["Emmaüs Angers", "Angers"])

    table = read_table(xlsx(tmp_path, build))
    assert table.sheet == "Boutiques 2014"
    assert [r.cells for r in table.rows] == [("Emmaüs Angers", "Angers")]


def make_ods(path: Path, sheets) -> Path:
    """A minimal OpenDocument spreadsheet: a cell is a str, None, ("date", iso), ("time", PTxxHxxM),
    ("span", text, rows, columns) or "COVERED" (a cell under a merged one)."""
    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if value == "COVERED":
            return "<table:covered-table-cell/>"
        if isinstance(value, tuple) and value[0] == "date":
            return (f'<table:table-cell office:value-type="date" office:date-value="{value[1]}">'
                    f"<text:p>{value[1]}</text:p></table:table-cell>")
        if isinstance(value, tuple) and value[0] == "time":
            return (f'<table:table-cell office:value-type="time" office:time-value="{value[1]}">'
                    "<text:p>heure</text:p></table:table-cell>")
        if isinstance(value, tuple) and value[0] == "span":
            return (f'<table:table-cell table:number-rows-spanned="{value[2]}" table:number-columns-spanned="{value[3]}"'
                    f' office:value-type="string"><text:p>{escape(value[1])}</text:p></table:table-cell>')
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(c) for c in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def test_ods_is_read_with_merged_cells_dates_and_times(tmp_path):
    path = make_ods(tmp_path / "boutiques.ods", [
        ("Lisez-moi", [["À lire d'abord"]]),
        ("Boutiques", [
            ["Annuaire 2014"], [],
            ["Nom", "Réseau", "Commune", "Inscription", "Ouverture"],
            ["Le Cœur d’Emmaüs", ("span", "Emmaüs", 2, 1), "Angers", ("date", "2014-03-01"), ("time", "PT10H00M00S")],
            ["Emmaüs Trélazé", "COVERED", "Trélazé", None, None],
        ]),
    ])
    table = read_table(path)
    assert table.sheet == "Boutiques" and table.header_line == 3 and "classeur OpenDocument" in table.description
    assert [r.cells for r in table.rows] == [
        ("Le Cœur d’Emmaüs", "Emmaüs", "Angers", "01/03/2014", "10:00"),
        ("Emmaüs Trélazé", "Emmaüs", "Trélazé", "", ""),
    ]


# --- Damaged, protected, unreadable ----------------------------------------------------------


def test_truncated_workbook_is_a_french_error(tmp_path):
    whole = xlsx(tmp_path, lambda wb: wb.active.append(["Nom", "Commune"]), "entier.xlsx").read_bytes()
    path = text_file(tmp_path, whole[: len(whole) // 2], "boutiques.xlsx")
    with pytest.raises(BonsJoursError, match="est incomplet ou endommagé") as refused:
        read_table(path)
    assert "zip" not in str(refused.value).lower()


def test_password_protected_workbook_is_a_french_error(tmp_path):
    # What Excel writes for "Chiffrer avec mot de passe": an OLE2 container holding EncryptionInfo.
    data = reading.OLE2_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(1000)
    with pytest.raises(BonsJoursError, match="protégé par un mot de passe"):
        read_table(text_file(tmp_path, data, "boutiques.xlsx"))


def test_csv_saved_as_xls_is_read_and_html_saved_as_xls_is_a_french_error(tmp_path):
    table = read_table(text_file(tmp_path, "Nom\tCommune\r\nÉté\tAngers\r\n".encode("cp1252"), "export.xls"))
    assert table.rows[0].cells == ("Été", "Angers") and "malgré l'extension .xls" in table.description
    with pytest.raises(BonsJoursError, match="est une page web"):
        read_table(text_file(tmp_path, b"<html><table><tr><td>Nom</td></tr></table></html>", "export.xls"))


def test_binary_file_named_xlsx_is_a_french_error(tmp_path):
    with pytest.raises(BonsJoursError, match="n'est pas un classeur XLSX lisible"):
        read_table(text_file(tmp_path, bytes(range(256)) * 4, "boutiques.xlsx"))


def test_folder_empty_file_and_locked_file_are_french_errors(tmp_path, monkeypatch):
    with pytest.raises(BonsJoursError, match="est un dossier"):
        read_table(tmp_path)
    with pytest.raises(BonsJoursError, match="est vide"):
        read_table(text_file(tmp_path, b""))
    path = text_file(tmp_path, b"Nom;Commune\r\n", "ouvert.csv")

    def locked(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", locked)  # Windows: the file is still open in Excel
    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(BonsJoursError, match="accès refusé"):
        read_table(path)


# --- Formula guard round trip ----------------------------------------------------------------


@given(st.text(max_size=12))
def test_unguard_is_the_exact_inverse_of_the_export_guard(text):
    assert unguard_formula(guard_formula(text)) == text


def test_guarded_cells_of_an_export_come_back_as_typed(tmp_path):
    body = "Nom;Commune;Notes\r\n'+ de Vie;Angers;'- à voir\r\n'Les 3 Pommes';Saumur;'-12\r\n"
    table = read_table(text_file(tmp_path, ("\ufeff" + body).encode()))
    assert [r.cells for r in table.rows] == [("+ de Vie", "Angers", "- à voir"), ("'Les 3 Pommes'", "Saumur", "'-12")]


def test_guarded_cells_of_a_workbook_come_back_as_typed(tmp_path):
    # What the partners' workbooks and the dates reply form write: the guard's apostrophe in the cell.
    def build(workbook):
        workbook.active.append(["Nom", "Commune", "Notes"])
        workbook.active.append(["'+ de Vie", "Angers", "'Les 3 Pommes'"])

    table = read_table(xlsx(tmp_path, build))
    assert table.rows[0].cells == ("+ de Vie", "Angers", "'Les 3 Pommes'")


def test_unicode_line_separators_inside_cells_are_not_line_ends():
    # str.splitlines would cut at U+2028 or a form feed; a CSV does not.
    table = reading.read_csv_text("Nom;Notes\r\nA;un\u2028deux\x0ctrois\r\nB;\"x\u2029\ny\"\r\n")
    assert [(r.line, r.cells) for r in table.rows] == [(2, ("A", "un\u2028deux\x0ctrois")), (3, ("B", "x\u2029\ny"))]
