"""Review commands: dashboard with a forced date, comparison CSV, comparison charts as PNG."""

import csv


from bonsjours_desktop.cli import main


def test_dashboard_with_forced_date(demo_file, capsys):
    capsys.readouterr()
    assert main(["--db", str(demo_file), "--today", "2013-11-01", "dashboard"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "J-12 : mercredi 13 novembre 2013"
    assert "Édition suivie : Novembre 2013" in out
    assert "Dépenses engagées : 41 500,00 € TTC sur une enveloppe de 42 000,00 € (99 %)" in out
    assert main(["dashboard", "--db", str(demo_file), "--today", "2014-04-01", "--edition", "avril 2014"]) == 0
    assert capsys.readouterr().out.startswith("J-1 : mercredi 2 avril 2014")


def test_dashboard_unknown_edition_is_one_french_line(demo_file, capsys):
    assert main(["dashboard", "--db", str(demo_file), "--edition", "Mars 2099"]) == 1
    assert "Aucune édition ne s'appelle « Mars 2099 »" in capsys.readouterr().err


def test_export_comparison_csv(demo_file, tmp_path):
    out = tmp_path / "comparaison.csv"
    assert main(["export", "comparison", "--db", str(demo_file), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [r["Édition"] for r in rows] == ["Novembre 2013", "Avril 2014"]
    assert rows[0]["Boutiques"] == "17" and rows[1]["Boutiques"] == "20"
    assert rows[0]["Dépenses TTC (€)"] == "41500,00" and rows[0]["Coût par boutique (€)"] == "2441,18"


def test_export_review_charts(demo_file, tmp_path, capsys):
    folder = tmp_path / "graphiques"
    assert main(["export", "review-charts", "--db", str(demo_file), "--out-dir", str(folder), "--width", "640"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bilan-boutiques.png", "bilan-cout-par-boutique.png", "bilan-cout-par-visiteur.png",
                     "bilan-visiteurs.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in folder.iterdir())
    assert main(["export", "review-charts", "--db", str(demo_file), "--out-dir", str(folder), "--width", "5"]) == 1
    assert "Largeur 5 invalide" in capsys.readouterr().err
