"""`bonsjours import shops` and `bonsjours export shops`: dry run, invalid rows, reports, formats."""

import json
import re
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


def _report(out: str) -> tuple[list[str], str]:
    """The report's lines before its last one (the plan: file, problems, warnings, territories), and the last."""
    lines = out.rstrip("\n").split("\n")
    return lines[:-1], lines[-1]


def test_dry_run_reports_exactly_what_the_import_then_does(demo_file, tmp_path, capsys):
    """A realistic file (benchmarks/import_data: duplicates, refused rows, unreadable hours, swapped
    coordinates) plus stored shops to update, a new territory, an ignored column and an overflowing row:
    the dry run's report is the import's, line for line, and its counts are what the import writes."""
    import csv as csv_module

    from benchmarks.import_data import HEADERS, rows

    with sqlite3.connect(demo_file) as conn:
        stored = conn.execute("SELECT name, commune, postal_code FROM shops ORDER BY id LIMIT 3").fetchall()
        before = conn.execute("SELECT count(*) FROM shops").fetchone()[0]
    headers = HEADERS + ["Territoire", "Divers"]
    body = [cells + ["", ""] for cells in rows(1500)]
    body[10][-2] = "Territoire tout neuf"
    body[20] += ["débordement"]  # one cell more than the header: refused
    for name, commune, postal in stored:  # updates, one of them with an hours cell to warn about
        body.append([name, "", "", "", postal, commune, "", "", "", "", "", "voir affiche", "", "", "", ""])
    path = tmp_path / "boutiques.csv"
    with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        writer = csv_module.writer(handle, delimiter=";")
        writer.writerow(headers)
        writer.writerows(body)

    assert main(["import", "shops", str(path), "--db", str(demo_file), "--skip-invalid", "--dry-run"]) == 0
    dry_plan, dry_last = _report(capsys.readouterr().out)
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT count(*) FROM shops").fetchone()[0] == before  # nothing written
    assert main(["import", "shops", str(path), "--db", str(demo_file), "--skip-invalid"]) == 0
    plan, last = _report(capsys.readouterr().out)

    assert dry_plan == plan
    report = "\n".join(plan)
    for expected in ("figure déjà ligne", "5 chiffres attendus", "n'est pas valide", "(avertissement)",
                     "cellule(s) de plus que l'en-tête", "Territoire tout neuf", "« Divers »"):
        assert expected in report
    invalid = int(re.search(r"(\d+) ligne\(s\) invalide\(s\)", report).group(1))
    # counts are grouped the French way: « 1 4xx boutique(s) », a narrow no-break space
    grouped = re.search(r"(\d\u202f\d{3}) boutique\(s\) seraient créées, (\d+) mise", dry_last)
    created, updated = (int(n.replace("\u202f", "")) for n in grouped.groups())
    assert updated == len(stored) and invalid > 10 and created == len(body) - updated - invalid
    assert f"{grouped.group(1)} boutique(s) créée(s), {updated} mise(s) à jour ; {invalid} ligne(s) ignorée(s)." in last
    with sqlite3.connect(demo_file) as conn:
        assert conn.execute("SELECT count(*) FROM shops").fetchone()[0] == before + created
