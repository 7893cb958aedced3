"""bonsjours export budget / budget-charts from the command line."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bonsjours_desktop.cli import main


@pytest.fixture
def db(demo_file):
    return demo_file


def test_export_budget_xlsx_and_csv(db, tmp_path, capsys):
    xlsx = tmp_path / "budget.xlsx"
    assert main(["export", "budget", "--db", str(db), "--edition", "Novembre 2013", "--format", "xlsx",
                 "--out", str(xlsx)]) == 0
    out = capsys.readouterr().out
    assert "total TTC 41 500,00 €" in out
    assert "reste sur l'enveloppe 500,00 €" in out  # the Budget tab's figure
    totals = {row[0].value: row for row in load_workbook(xlsx)["Totaux"].iter_rows() if row[0].value}
    assert Decimal(repr(totals["Total"][2].value)) == Decimal("41500")
    csv_path = tmp_path / "budget.csv"
    assert main(["export", "budget", "--db", str(db), "--edition", "avril 2014", "--out", str(csv_path),
                 "--frais-generaux"]) == 0
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Catégorie;Libellé;Fournisseur;Montant HT")
    assert "-300,00" in text  # the example credit note, HT
    out = capsys.readouterr().out
    assert "total TTC 42 140,00 €" in out
    # 30 000 − (engagé + facturé + payé): the planned lines (April's overheads too) are not taken off.
    assert "dépensé (engagé + facturé + payé) 20 240,00 €, reste sur l'enveloppe 9 760,00 €" in out


def test_export_budget_errors_are_one_french_line(db, tmp_path, capsys):
    capsys.readouterr()
    assert main(["export", "budget", "--db", str(db), "--edition", "Mars 2099", "--out", str(tmp_path / "b.xlsx")]) == 1
    assert "Aucune édition ne s'appelle « Mars 2099 »" in capsys.readouterr().err
    assert main(["export", "budget", "--db", str(db), "--edition", "Novembre 2013", "--out", str(tmp_path / "b.ods")]) == 1
    assert "Format d'export « ods » inconnu" in capsys.readouterr().err


def test_export_budget_charts_writes_pngs(db, tmp_path, capsys, qapp):
    out = tmp_path / "graphiques"
    assert main(["export", "budget-charts", "--db", str(db), "--edition", "Novembre 2013", "--out", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == ["budget-comparaison-editions.png", "budget-depenses-cumulees.png", "budget-prevu-reel.png"]
    for path in out.iterdir():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
