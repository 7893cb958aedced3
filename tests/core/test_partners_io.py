"""Partner exports: vCard 3.0 read back by vobject, CSV for French Excel, XLSX of the role matrix."""

import csv
import io

import vobject
from openpyxl import load_workbook

from bonsjours_desktop.core import partners as p
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.io import partners_io as pio


def row(**values):
    base = dict(name="Anne-marie Michaud", organisation="Département – Animation du plan de prévention des déchets",
                kind="service du Département", territory="", function="Animatrice", email="am.michaud@maine-et-loire.fr",
                phone="02 41 81 40 00", preferred_channel="courriel", roles="")
    base.update(values)
    return p.ContactExportRow(**base)


def test_vcard_is_parsed_by_vobject_with_accents_and_escapes():
    tricky = row(name="Zoé d'Aubigné", organisation="Emmaüs; Angers, Saint-Jean \\ Bric-à-brac",
                 function="Responsable\nboutique", roles="boutique participante (confirmé), communication (invité)")
    data = pio.vcard_bytes([row(), tricky])
    text = data.decode("utf-8")
    assert text.count("BEGIN:VCARD") == 2 and text.count("VERSION:3.0") == 2
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    cards = list(vobject.readComponents(text))
    assert cards[0].fn.value == "Anne-marie Michaud"
    assert cards[0].n.value.family == "Michaud" and cards[0].n.value.given == "Anne-marie"
    assert cards[0].org.value == ["Département – Animation du plan de prévention des déchets"]
    assert cards[0].email.value == "am.michaud@maine-et-loire.fr"
    assert cards[0].tel.value == "02 41 81 40 00"
    assert cards[1].fn.value == "Zoé d'Aubigné"
    assert cards[1].org.value == ["Emmaüs; Angers, Saint-Jean \\ Bric-à-brac"]
    assert cards[1].title.value == "Responsable\nboutique"
    assert "communication (invité)" in cards[1].note.value


def test_vcard_of_the_demo_round_trips_every_contact(demo_ops):
    rows = demo_ops.read(lambda s: p.contact_export_rows(s, find_edition(s, "Avril 2014").id))
    cards = list(vobject.readComponents(pio.vcard_bytes(rows).decode("utf-8")))
    assert len(cards) == len(rows) > 20
    assert {c.fn.value for c in cards} >= {"Émilie Rousseau", "Hélène Durand", "Yann Le Goff"}
    yann = next(c for c in cards if c.fn.value == "Yann Le Goff")
    assert yann.n.value.family == "Le Goff"


def test_fold_line_never_cuts_a_character():
    line = "NOTE:" + "é" * 100
    folded = pio.fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line


def test_contacts_csv_for_french_excel(demo_ops):
    rows = demo_ops.read(lambda s: p.contact_export_rows(s, find_edition(s, "Avril 2014").id))
    data = pio.contacts_bytes(rows, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Nom;Organisation;Type d'organisation;")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(parsed) == len(rows) + 1
    helene = next(r for r in parsed if r[0] == "Hélène Durand")
    assert helene[1] == "Département – Direction de la communication"
    assert helene[8] == "communication (confirmé)"


def test_csv_neutralises_formulas():
    data = pio.csv_bytes(["A"], [["=HYPERLINK(\"x\")"], ["+33 2 41"]]).decode("utf-8-sig")
    assert "'=HYPERLINK" in data and "'+33" in data


def test_role_matrix_exports(demo_ops):
    matrix = demo_ops.read(lambda s: p.role_matrix(s, find_edition(s, "Avril 2014").id))
    text = pio.role_matrix_bytes(matrix, "csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:3] == ["Organisation", "Type", "boutique participante"]
    assert len(lines) == len(matrix.rows) + 1
    emmaus = next(line for line in lines if line[0] == "Emmaüs")
    assert emmaus[2] == "confirmé"
    sheet = load_workbook(io.BytesIO(pio.role_matrix_bytes(matrix, "xlsx"))).active
    assert sheet["A1"].value == "Rôles des partenaires — Avril 2014"
    assert [c.value for c in sheet[2]][:3] == ["Organisation", "Type", "boutique participante"]
    values = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    cell = sheet.cell(row=values["Emmaüs"], column=3)
    assert cell.value == "confirmé" and cell.fill.fgColor.rgb.endswith("C8E6C9")


def test_contacts_xlsx(demo_ops):
    rows = demo_ops.read(lambda s: p.contact_export_rows(s))
    sheet = load_workbook(io.BytesIO(pio.contacts_bytes(rows, "xlsx"))).active
    assert sheet["A2"].value == "Nom" and sheet.max_row == len(rows) + 2
