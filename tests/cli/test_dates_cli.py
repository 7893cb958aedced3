"""`bonsjours dates …`: the whole concertation loop from the command line on the demo."""

from __future__ import annotations

from openpyxl import load_workbook

from bonsjours_desktop.cli import main


def test_the_whole_loop(demo_file, tmp_path, capsys):
    db = ["--db", str(demo_file)]
    assert main(["editions", "create", "--name", "Novembre 2014", *db]) == 0
    assert main(["dates", "propose", "--edition", "Novembre 2014",
                 "--candidates", "2014-11-12/2014-11-15,2014-11-11/2014-11-15", *db]) == 0
    out = capsys.readouterr().out
    assert "Choix 2 : mar. 11 nov. + sam. 15 nov. 2014" in out and "⚠ mar. 11 nov. : jour férié (Armistice)" in out

    form = tmp_path / "reponses.xlsx"
    assert main(["dates", "form", "--edition", "Novembre 2014", "--out", str(form), *db]) == 0
    assert "Formulaire écrit" in capsys.readouterr().out
    book = load_workbook(form)
    sheet = book["Réponses"]
    sheet["F2"], sheet["G2"], sheet["F3"], sheet["G3"] = "Oui", "non", "x", "peut-être"
    sheet.append(["", "Inconnue", "", "", "", "oui"])
    book.save(form)

    assert main(["dates", "import", str(form), "--edition", "Novembre 2014", "--dry-run", *db]) == 0
    assert "rien n'a été écrit : 4 réponse(s)" in capsys.readouterr().out
    assert main(["dates", "import", str(form), "--edition", "Novembre 2014", *db]) == 0
    out = capsys.readouterr().out
    assert f"Ligne {sheet.max_row} : « Inconnue » ne correspond à aucune boutique" in out
    assert "4 réponses enregistrées" in out

    assert main(["dates", "results", "--edition", "Novembre 2014", *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("1. Choix 1 : mer. 12 nov. + sam. 15 nov. 2014 : 2 oui, 0 si besoin, 0 non")
    assert any(line.startswith("2. Choix 2") for line in lines)
    assert any(line.strip().startswith("ne peuvent pas :") for line in lines)

    assert main(["dates", "choose", "--edition", "Novembre 2014", "--candidate", "1", *db]) == 0
    assert "Dates retenues" in capsys.readouterr().out
    assert main(["editions", "list", *db]) == 0
    assert "Novembre 2014 — en préparation — mercredi 12 novembre 2014, samedi 15 novembre 2014" in capsys.readouterr().out


def test_errors_are_one_french_line(demo_file, tmp_path, capsys):
    db = ["--db", str(demo_file)]
    assert main(["dates", "propose", "--edition", "Mars 2099", "--candidates", "2014-11-12", *db]) == 1
    assert "Aucune édition ne s'appelle « Mars 2099 »" in capsys.readouterr().err
    assert main(["dates", "propose", "--edition", "Avril 2014", "--candidates", "demain", *db]) == 1
    assert "n'est pas une liste de dates" in capsys.readouterr().err
    assert main(["dates", "form", "--edition", "Avril 2014", "--out", str(tmp_path / "f.xlsx"), *db]) == 1
    assert "pas encore de dates candidates" in capsys.readouterr().err
    assert main(["dates", "choose", "--edition", "Avril 2014", "--candidate", "1", *db]) == 1
    assert "Pas de candidat n° 1" in capsys.readouterr().err
    (tmp_path / "vide.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    assert main(["dates", "propose", "--edition", "Avril 2014", "--candidates", "2015-04-01/2015-04-04", *db]) == 0
    assert main(["dates", "import", str(tmp_path / "vide.csv"), "--edition", "Avril 2014", *db]) == 1
    assert "ni colonne « N° » ni colonne « Nom »" in capsys.readouterr().err
