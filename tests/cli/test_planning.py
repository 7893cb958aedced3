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
