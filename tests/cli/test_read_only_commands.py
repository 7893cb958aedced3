"""Read-only commands (export, generate, dashboard, check…) never create a database on a mistyped --db."""

from __future__ import annotations

import pytest

from bonsjours_desktop.cli import main

READ_ONLY = [
    ["export", "shops", "--format", "csv", "--out", "{out}/b.csv"],
    ["export", "budget", "--edition", "Avril 2014", "--format", "csv", "--out", "{out}/b.csv"],
    ["export", "planning", "--edition", "Avril 2014", "--out", "{out}/p.csv"],
    ["export", "partners", "--format", "csv", "--out", "{out}/p.csv"],
    ["generate", "directory", "--edition", "Avril 2014", "--out", "{out}/a.docx"],
    ["generate", "press-kits", "--edition", "Avril 2014", "--out-dir", "{out}"],
    ["dashboard"],
    ["editions", "list"],
    ["check"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c[:2]))
def test_mistyped_db_is_one_french_line_and_creates_nothing(command, tmp_path, capsys):
    missing = tmp_path / "bsae.sqlite"
    argv = [part.format(out=tmp_path) for part in command] + ["--db", str(missing)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Base introuvable" in err and "Traceback" not in err
    assert not missing.exists()


def test_empty_db_option_is_refused(tmp_path, capsys, private_data_dir):
    assert main(["demo", "--db", ""]) == 1
    assert "--db est vide" in capsys.readouterr().err
    assert not list(private_data_dir.glob("*.sqlite"))
