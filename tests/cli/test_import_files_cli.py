"""`bonsjours import shops` on the files a coordinator has: the report says how the file was read, and
known shops are recognised whatever the encoding (no duplicates)."""

from __future__ import annotations

import sqlite3

from bonsjours_desktop.cli import main

KNOWN = "Emmaüs Trélazé – Boutique des Ardoisières"


def count_shops(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM shops").fetchone()[0]


def test_utf8_file_with_one_windows_1252_line_updates_known_shops(demo_file, tmp_path, capsys):
    before = count_shops(demo_file)
    data = (
        "\ufeffNom;Commune;Notes\r\n".encode()
        + f"{KNOWN};Trélazé;vue au salon\r\n".encode()
        + "Emmaüs Cholet;Cholet;ligne collée depuis un vieux fichier\r\n".encode("cp1252")
    )
    path = tmp_path / "boutiques.csv"
    path.write_bytes(data)
    assert main(["--db", str(demo_file), "import", "shops", str(path)]) == 0
    out = capsys.readouterr().out
    assert "CSV UTF-8 (avec BOM), séparateur « ; », en-tête ligne 1 ; ligne 3 lue en Windows-1252" in out
    assert "0 boutique(s) créée(s), 2 mise(s) à jour" in out
    assert count_shops(demo_file) == before


def test_libreoffice_unicode_csv_updates_known_shops(demo_file, tmp_path, capsys):
    before = count_shops(demo_file)
    path = tmp_path / "boutiques.csv"
    path.write_bytes(("Nom\tCommune\r\n" + f"{KNOWN}\tTrélazé\r\n").encode("utf-16"))
    assert main(["--db", str(demo_file), "import", "shops", str(path)]) == 0
    assert "1 mise(s) à jour" in capsys.readouterr().out
    assert count_shops(demo_file) == before


def test_unreadable_import_files_are_one_french_line(demo_file, tmp_path, capsys):
    quote = tmp_path / "guillemet.csv"
    quote.write_text('Nom;Commune;Notes\r\nA;Angers;"ouvert\r\nB;Saumur;\r\n', encoding="utf-8")
    for target, expected in ((tmp_path, "est un dossier"), (quote, "Ligne 2 : un guillemet")):
        assert main(["--db", str(demo_file), "import", "shops", str(target)]) == 1
        err = capsys.readouterr().err
        assert expected in err and err.count("\n") == 1 and "erreur inattendue" not in err
