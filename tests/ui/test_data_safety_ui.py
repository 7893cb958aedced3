"""Data safety in the GUI: busy database retry, latest backup offered, restore from the File menu."""

import sqlite3

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core import db as dbmod
from bonsjours_desktop.core.db import make_backup
from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.ui import app as app_module
from bonsjours_desktop.ui import context as context_module


def test_busy_database_offers_retry_and_keeps_the_change(main_window, demo_db, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 50)
    demo_db.engine.dispose()  # new connections pick up the short timeout
    other = sqlite3.connect(demo_db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    asked = []

    def retry_after_release(parent, error):
        asked.append(str(error))
        other.rollback()  # the other program finishes
        return True

    monkeypatch.setattr(context_module, "ask_retry", retry_after_release)

    def rename(session):
        session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one().name = "Emmaüs Cholet (gardé)"

    assert main_window.context.run(main_window, "Renommer", rename) is not None
    other.close()
    assert asked and "Base occupée" in asked[0]
    with demo_db.session() as s:
        assert s.scalars(select(Shop).filter_by(name="Emmaüs Cholet (gardé)")).one()


def test_corrupt_file_offers_latest_backup_and_never_touches_it(demo_db, qapp_no_modal, monkeypatch):
    path = demo_db.path
    make_backup(path, "quotidienne")
    demo_db.dispose()
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    damaged = path.read_bytes()
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.Open)
    try:
        app_module.open_database(str(path))
    except Exception as exc:  # noqa: BLE001
        error = exc
    reopened = app_module.offer_latest_backup(error, str(path))
    try:
        assert reopened is not None and reopened.path != path and "restauree" in reopened.path.name
        with reopened.session() as s:
            assert len(s.scalars(select(Shop)).all()) == 20
    finally:
        reopened.dispose()
    assert path.read_bytes() == damaged


def test_restore_from_the_window_refreshes_views(main_window, demo_db):
    backup = make_backup(demo_db.path)
    shops_tab = main_window.show_tab("Boutiques")
    main_window.context.run(main_window, "Tout supprimer", lambda s: [s.delete(x) for x in s.scalars(select(Shop))] and None)
    assert shops_tab.model.rowCount() == 0
    main_window.restore_backup(backup)
    assert shops_tab.model.rowCount() == 20
    assert not main_window.context.ops.can_undo
