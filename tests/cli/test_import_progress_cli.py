"""`bonsjours import shops` on a terminal: one progress line rewritten in place (French), nothing on a
pipe; Ctrl+C in the middle of the write leaves the base as it was."""

import io
import sqlite3

import pytest

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.io import shops_io


class Terminal(io.StringIO):
    """A stderr that says it is a terminal; interrupt_on: raise KeyboardInterrupt (Ctrl+C) when a
    progress line containing that text is written."""

    def __init__(self, interrupt_on: str = ""):
        super().__init__()
        self.interrupt_on = interrupt_on

    def isatty(self):
        return True

    def write(self, text):
        if self.interrupt_on and self.interrupt_on in text:
            raise KeyboardInterrupt
        return super().write(text)


def big_csv(path, rows, name="Boutique"):
    lines = ["Nom;Commune;Code postal;Jours d'ouverture"]
    lines += [f"{name} {i};Angers;49000;samedi 10h-12h" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM shops").fetchone()[0]


def test_progress_is_one_updating_line_on_a_terminal_and_nothing_on_a_pipe(tmp_path, capsys, monkeypatch):
    db, csv = tmp_path / "b.sqlite", big_csv(tmp_path / "b.csv", 2500)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["--db", str(db), "import", "shops", str(csv)]) == 0
    shown = terminal.getvalue()
    assert "\n" not in shown  # one line, rewritten with \r
    updates = [u.strip() for u in shown.split("\r") if u.strip()]
    assert "Vérification des lignes : 1\u202f000 / 2\u202f500 (40\u00a0%)" in updates
    assert "Écriture dans la base : 2\u202f500 / 2\u202f500 (100\u00a0%)" in updates
    assert shown.endswith("\r")  # cleared before the report, which goes to stdout
    assert "2\u202f500 boutique(s) créée(s)" in capsys.readouterr().out
    # not a terminal: no progress at all
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert main(["--db", str(db), "import", "shops", str(csv)]) == 0
    import sys

    assert sys.stderr.getvalue() == ""


@pytest.mark.parametrize("step", ["Vérification des lignes : 1\u202f000", "Écriture dans la base : 1\u202f000"])
def test_ctrl_c_during_the_check_or_the_write_writes_nothing(tmp_path, capsys, monkeypatch, step):
    db, csv = tmp_path / "b.sqlite", big_csv(tmp_path / "b.csv", 2500)
    assert main(["--db", str(db), "import", "shops", str(big_csv(tmp_path / "a.csv", 3, "Autre"))]) == 0
    monkeypatch.setattr(shops_io, "WRITE_CHUNK", 1000)
    monkeypatch.setattr("sys.stderr", Terminal(interrupt_on=step))
    assert main(["--db", str(db), "import", "shops", str(csv)]) == 1
    assert count(db) == 3  # the earlier import only
