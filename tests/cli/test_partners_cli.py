"""bonsjours export partners / export role-matrix."""

import csv
import io

import vobject
from openpyxl import load_workbook

from bonsjours_desktop.cli import main


def test_export_partners_vcf(demo_file, tmp_path, capsys):
    out = tmp_path / "contacts.vcf"
    assert main(["export", "partners", "--db", str(demo_file), "--format", "vcf", "--out", str(out),
                 "--edition", "Avril 2014"]) == 0
    cards = list(vobject.readComponents(out.read_bytes().decode("utf-8")))
    assert len(cards) >= 24
    assert "contact(s) exporté(s)" in capsys.readouterr().out
    claire = next(c for c in cards if c.fn.value == "Claire Moreau")
    assert "animations prévention en boutique (confirmé)" in claire.note.value


def test_export_partners_csv_with_edition_roles(demo_file, tmp_path):
    out = tmp_path / "contacts.csv"
    assert main(["export", "partners", "--db", str(demo_file), "--out", str(out), "--edition", "avril 2014"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-1] == "Rôles dans l'édition"
    bruno = next(line for line in lines if line[0] == "Bruno Guérin")
    assert bruno[-1] == "logistique (confirmé)"


def test_export_partners_xlsx_without_edition(demo_file, tmp_path):
    out = tmp_path / "contacts.xlsx"
    assert main(["export", "partners", "--db", str(demo_file), "--format", "xlsx", "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "Contacts des partenaires"
    assert all(not sheet.cell(row=r, column=9).value for r in range(3, sheet.max_row + 1))


def test_export_role_matrix(demo_file, tmp_path, capsys):
    out = tmp_path / "matrice.xlsx"
    assert main(["export", "role-matrix", "--db", str(demo_file), "--edition", "Avril 2014", "--out", str(out)]) == 0
    sheet = load_workbook(out).active
    names = [sheet.cell(row=r, column=1).value for r in range(3, sheet.max_row + 1)]
    assert len(names) == 25 and "Emmaüs" in names
    assert "25 organisation(s)" in capsys.readouterr().out
    csv_out = tmp_path / "matrice.csv"
    assert main(["export", "role-matrix", "--db", str(demo_file), "--edition", "Avril 2014", "--format", "csv",
                 "--out", str(csv_out)]) == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbfOrganisation;Type;")


def test_unknown_edition_and_bad_format_are_one_french_line(demo_file, tmp_path, capsys):
    assert main(["export", "role-matrix", "--db", str(demo_file), "--edition", "Mai 2099",
                 "--out", str(tmp_path / "m.csv")]) == 1
    err = capsys.readouterr().err
    assert "Aucune édition ne s'appelle « Mai 2099 »" in err and err.count("\n") == 1
    assert main(["export", "partners", "--db", str(demo_file), "--out", str(tmp_path / "c.pdf")]) == 1
    assert "Format « pdf » inconnu" in capsys.readouterr().err
    assert not (tmp_path / "c.pdf").exists()
