"""Shared fixtures: offscreen Qt, a private data folder and a fresh database for every test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from bonsjours_desktop.core import clock  # noqa: E402
from bonsjours_desktop.core.db import open_database  # noqa: E402
from bonsjours_desktop.core.operations import OperationRunner  # noqa: E402


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Each test gets its own data folder (settings, backups, logs) and no BONSJOURS_DB."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    monkeypatch.setenv("BONSJOURS_DATA_DIR", str(folder))
    monkeypatch.delenv("BONSJOURS_DB", raising=False)
    yield folder
    clock.set_today(None)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "base.sqlite"


@pytest.fixture
def db(db_path):
    database = open_database(str(db_path))
    yield database
    database.dispose()


@pytest.fixture
def ops(db):
    return OperationRunner(db)


@pytest.fixture
def demo_db(db):
    from bonsjours_desktop.core.demo import load_demo

    OperationRunner(db).run("Charger l'exemple", lambda s: load_demo(s) and None, undoable=False)
    return db


@pytest.fixture
def demo_ops(demo_db):
    return OperationRunner(demo_db)


@pytest.fixture
def qapp_no_modal(qapp):
    """Error dialogs are shown without blocking so tests can inspect them."""
    qapp.bonsjours_no_modal = True
    yield qapp
    qapp.bonsjours_no_modal = False


@pytest.fixture
def main_window(qtbot, qapp_no_modal, demo_db):
    from bonsjours_desktop.ui.app import create_main_window

    window = create_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    return window
