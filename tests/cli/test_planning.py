"""bonsjours export planning: every format from the command line, French errors."""

from __future__ import annotations

import re

import icalendar

from bonsjours_desktop.cli import main


def test_export_planning_all_formats(demo_file, tmp_path, capsys):
    db = demo_file
    for fmt in ("ics", "csv", "png", "pdf"):
        out = tmp_path / f"planning.{fmt}"
        code = main(["export", "planning", "--db", str(db), "--today", "2013-11-01", "--edition", "novembre 2013",
                     "--format", fmt, "--out", str(out)])
        assert code == 0, capsys.readouterr().err
        assert out.stat().st_size > 500
    assert "11 tâches" in capsys.readouterr().out
    assert (tmp_path / "planning.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "planning.pdf").read_bytes().startswith(b"%PDF")
    calendar = icalendar.Calendar.from_ical((tmp_path / "planning.ics").read_bytes())
    assert len(list(calendar.walk("VEVENT"))) == 11


def test_export_planning_format_from_extension_and_errors(demo_file, tmp_path, capsys):
    db = demo_file
    assert main(["export", "planning", "--db", str(db), "--edition", "Avril 2014", "--out", str(tmp_path / "a.csv")]) == 0
    assert main(["export", "planning", "--db", str(db), "--edition", "Juin 2099", "--out", str(tmp_path / "a.csv")]) == 1
    assert "Aucune édition ne s'appelle « Juin 2099 »" in capsys.readouterr().err
    assert main(["export", "planning", "--db", str(db), "--edition", "Avril 2014", "--out", str(tmp_path / "a.txt")]) == 1
    assert re.search(r"Format « txt » inconnu", capsys.readouterr().err)


def test_export_of_an_edition_without_tasks_is_a_one_page_chart_saying_so(demo_file, tmp_path, capsys):
    db = demo_file
    for group_by in ("owner", "phase", "none"):
        out = tmp_path / f"vide-{group_by}.pdf"
        code = main(["export", "planning", "--db", str(db), "--edition", "Avril 2014", "--group-by", group_by,
                     "--out", str(out)])
        assert code == 0, capsys.readouterr().err
        data = out.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    assert "(aucune tâche, 1 page A4)" in capsys.readouterr().out
    png = tmp_path / "vide.png"
    assert main(["export", "planning", "--db", str(db), "--edition", "Avril 2014", "--out", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 1000


def test_export_planning_a3(demo_file, tmp_path, capsys):
    out = tmp_path / "a3.pdf"
    assert main(["export", "planning", "--db", str(demo_file), "--edition", "Novembre 2013", "--paper", "a3",
                 "--out", str(out)]) == 0
    assert re.search(rb"/MediaBox\s*\[0 0 119[01]", out.read_bytes())
    assert "1 page A3" in capsys.readouterr().out
