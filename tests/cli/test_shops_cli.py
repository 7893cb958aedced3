"""`bonsjours import shops` and `bonsjours export shops`: dry run, invalid rows, reports, formats."""

import json
import sqlite3

from bonsjours_desktop.cli import main

GOOD = "Nom;Commune;Code postal;Jours d'ouverture\nRessourcerie Été;Blois;41000;mercredi 9h-12h\nEmmaüs Cholet;Cholet;49300;\n"
BAD_LINE = "Mauvaise;Angers;4900a;mercredi 12h-9h\n"


def shop_names(db):
    with sqlite3.connect(db) as conn:
        return sorted(name for (name,) in conn.execute("SELECT name FROM shops"))


def test_dry_run_writes_nothing(tmp_path, capsys):
    db, csv = tmp_path / "b.db", tmp_path / "b.csv"
    csv.write_bytes(GOOD.encode("cp1252"))
    assert main(["import", "shops", str(csv), "--db", str(db), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "rien n'a été écrit" in out and "2 boutique(s) seraient créées" in out and "Windows-1252" in out
    assert shop_names(db) == []
    assert main(["import", "shops", str(csv), "--db", str(db)]) == 0
    assert shop_names(db) == ["Emmaüs Cholet", "Ressourcerie Été"]
    assert "2 boutique(s) créée(s)" in capsys.readouterr().out


def test_invalid_row_imports_nothing_and_exits_non_zero_unless_skip_invalid(tmp_path, capsys):
    db, csv = tmp_path / "b.db", tmp_path / "b.csv"
    csv.write_text(GOOD + BAD_LINE, encoding="utf-8")
    assert main(["import", "shops", str(csv), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "ligne 4, colonne « Code postal » : Code postal « 4900a » : 5 chiffres attendus (exemple : 49000)." in out
    # An hours cell that cannot be read is a warning: it never keeps a shop out.
    assert ("ligne 4, colonne « Jours d'ouverture » (avertissement) : Mercredi : la plage 12:00-09:00 finit avant "
            "de commencer ; horaires non repris, le texte est recopié dans les notes de la boutique.") in out
    assert "Rien n'a été importé" in out
    assert shop_names(db) == []
    assert main(["import", "shops", str(csv), "--db", str(db), "--dry-run"]) == 1
    assert shop_names(db) == []
    assert main(["import", "shops", str(csv), "--db", str(db), "--skip-invalid"]) == 0
    assert "1 ligne(s) ignorée(s)" in capsys.readouterr().out
    assert shop_names(db) == ["Emmaüs Cholet", "Ressourcerie Été"]


def test_unreadable_file_is_one_french_line(tmp_path, capsys):
    assert main(["import", "shops", str(tmp_path / "absent.csv"), "--db", str(tmp_path / "b.db")]) == 1
    err = capsys.readouterr().err
    assert "n'existe pas" in err and "Traceback" not in err


def test_export_formats_and_report_of_shops_without_coordinates(demo_file, tmp_path, capsys):
    db = demo_file
    csv = tmp_path / "sans.csv"
    csv.write_text("Nom;Commune\nSans coordonnées;Lieu-dit inconnu\n", encoding="utf-8")
    main(["import", "shops", str(csv), "--db", str(db)])
    capsys.readouterr()
    out = tmp_path / "carte.geojson"
    assert main(["export", "shops", "--format", "geojson", "--out", str(out), "--db", str(db), "--edition", "avril 2014"]) == 0
    printed = capsys.readouterr().out
    assert "20 entité(s) géographique(s) exportée(s)" in printed
    assert "1 boutique(s) sans coordonnées (absentes de la carte) : Sans coordonnées (Lieu-dit inconnu)." in printed
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection" and len(document["features"]) == 20
    assert all(f["properties"]["participation"] == "confirmée" for f in document["features"])
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"boutiques.{fmt}"
        assert main(["export", "shops", "--format", fmt, "--out", str(target), "--db", str(db)]) == 0
        assert "21 boutique(s) exportée(s)" in capsys.readouterr().out
        assert target.stat().st_size > 1000
    # Format from the extension; unknown edition is a French error
    assert main(["export", "shops", "--out", str(tmp_path / "x.csv"), "--db", str(db)]) == 0
    assert main(["export", "shops", "--out", str(tmp_path / "x.csv"), "--db", str(db), "--edition", "Juin 2099"]) == 1
    assert "Aucune édition ne s'appelle « Juin 2099 »" in capsys.readouterr().err
