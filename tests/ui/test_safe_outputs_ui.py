"""In the window too: an export aimed at the open base (or its lock) is refused in French and the base
is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from bonsjours_desktop.core.db import integrity_problems


def error_texts() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


@pytest.mark.parametrize("suffix", ["", ".lock"])
def test_exports_onto_the_open_base_are_refused_in_the_window(main_window, demo_db, suffix):
    if demo_db.path is None:
        pytest.skip("une base SQLite")
    target = Path(str(demo_db.path) + suffix)
    before = demo_db.path.read_bytes()
    shops = main_window.show_tab("Boutiques")
    assert shops.export_file("csv", str(target)) is None
    assert any("base de données ouverte" in t and "Rien n'a été écrit" in t for t in error_texts())
    assert demo_db.path.read_bytes() == before
    assert integrity_problems(demo_db) == []


@pytest.mark.parametrize("suffix", ["", ".lock", "-journal"])
def test_saving_a_copy_of_the_base_onto_itself_is_refused(main_window, demo_db, monkeypatch, suffix):
    """Fichier → « Enregistrer une copie » called sqlite_backup without any check: choosing the open base
    renamed a copy over it (the window's connection then wrote into a deleted file), its lock file
    broke the one-window lock."""
    if demo_db.path is None:
        pytest.skip("une base SQLite")
    from bonsjours_desktop.ui.widgets import kit

    target = Path(str(demo_db.path) + suffix)
    existed = target.exists()
    inode = demo_db.path.stat().st_ino
    monkeypatch.setattr(kit, "save_file_as", lambda *args, **kwargs: target)
    main_window.save_backup_copy()
    assert any("base de données ouverte" in t for t in error_texts()), error_texts()
    assert demo_db.path.stat().st_ino == inode  # the same file, not a copy renamed over it
    assert target.exists() == existed
    assert integrity_problems(demo_db) == []
