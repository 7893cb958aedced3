"""The bonsjours command line: demo, check, backup, screenshot, and French one-line errors."""

import sqlite3
import subprocess
import sys

import pytest

from bonsjours_desktop import __version__
from bonsjours_desktop.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_then_check(tmp_path, capsys):
    target = tmp_path / "x.db"
    assert main(["demo", "--db", str(target)]) == 0
    assert main(["--db", str(target), "check"]) == 0
    assert "aucun problème" in capsys.readouterr().out


def test_check_reports_broken_links(tmp_path, capsys):
    target = tmp_path / "x.db"
    main(["demo", "--db", str(target)])
    with sqlite3.connect(target) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE participations SET shop_id = 9999 WHERE id = 1")
    assert main(["check", "--db", str(target)]) == 1
    assert "Lien cassé" in capsys.readouterr().out


def test_bonsjours_db_variable_is_used(tmp_path, monkeypatch, capsys):
    target = tmp_path / "env.db"
    monkeypatch.setenv("BONSJOURS_DB", str(target))
    assert main(["demo"]) == 0
    assert target.exists()


def test_non_sqlite_file_gives_one_french_line(tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("pas une base", encoding="utf-8")
    assert main(["check", "--db", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "n'est pas une base Bons Jours" in err and "Traceback" not in err
    assert bad.read_text(encoding="utf-8") == "pas une base"


def test_missing_file_for_check(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "absent.db")]) == 1
    assert "n'existe pas" in capsys.readouterr().err


def test_bad_arguments_exit_2_in_french(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["inconnue"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "choix invalide" in err and "Traceback" not in err


def test_backup_out(tmp_path, capsys):
    target = tmp_path / "x.db"
    main(["demo", "--db", str(target)])
    copy = tmp_path / "copie.sqlite"
    assert main(["backup", "--db", str(target), "--out", str(copy)]) == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM shops").fetchone()[0] == 20


def test_python_dash_m_entry_point(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bonsjours_desktop", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and __version__ in result.stdout


def test_gui_screenshot_on_a_tab(tmp_path, qapp, capsys):
    target = tmp_path / "x.db"
    main(["demo", "--db", str(target)])
    picture = tmp_path / "capture.png"
    assert main(["gui", "--db", str(target), "--screenshot", str(picture), "--tab", "Planning"]) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(picture))
    assert image.width() == 1366 and image.height() == 768


def test_gui_screenshot_unknown_tab(tmp_path, qapp, capsys):
    target = tmp_path / "x.db"
    main(["demo", "--db", str(target)])
    assert main(["gui", "--db", str(target), "--screenshot", str(tmp_path / "c.png"), "--tab", "Nulle part"]) == 1
    assert "Aucun onglet" in capsys.readouterr().err


ENGLISH_ARGPARSE = ("usage:", "positional arguments", "optional arguments", "options:",
                    "show this help message and exit", "show program's version number and exit")


@pytest.mark.parametrize("argv", [[], ["gui"], ["export"], ["export", "shops"], ["backup"], ["restore"]])
def test_help_is_in_french(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : bonsjours")
    assert "afficher cette aide et quitter" in out and "options :" in out
    assert out.count("options :") == 1  # --db and --today join the parser's own options
    for phrase in ENGLISH_ARGPARSE:
        assert phrase not in out, phrase
    if not argv:
        assert "afficher la version et quitter" in out and "arguments :" in out


def test_help_of_the_installed_command_is_in_french():
    out = subprocess.run([sys.executable, "-m", "bonsjours_desktop", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "utilisation : bonsjours" in out
    assert not [phrase for phrase in ENGLISH_ARGPARSE if phrase in out]


def test_a_command_lets_the_process_end_without_the_last_collections_walking_everything(tmp_path, monkeypatch):
    """gc.freeze is registered to run at exit once a command runs (Python's final cyclic collections
    walked every object still alive: 0.5 s after an 80 000-row import); once per process."""
    import gc

    from bonsjours_desktop import cli

    registered = []
    monkeypatch.setattr(cli.atexit, "register", registered.append)
    monkeypatch.setattr(cli, "_FREEZE_AT_EXIT", [])
    db = str(tmp_path / "b.db")
    assert cli.main(["--db", db, "demo"]) == 0
    assert cli.main(["--db", db, "export", "shops", "--out", str(tmp_path / "b.csv")]) == 0
    assert registered == [gc.freeze]
