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


ENGINE = os.environ.get("BONSJOURS_TEST_ENGINE", "sqlite")


@pytest.fixture
def db(request, db_path):
    """A fresh database at head: SQLite by default, PostgreSQL when BONSJOURS_TEST_ENGINE=postgresql."""
    if ENGINE == "postgresql":
        server = request.getfixturevalue("postgres_server")
        if isinstance(server, str):
            pytest.skip(f"PostgreSQL indisponible : {server}")
        _engine_counter["n"] += 1
        database = open_database(server.create_database(f"bonsjours_core_{_engine_counter['n']}"))
    else:
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


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the session, or None (tests on it are then skipped with the reason)."""
    from tests.pg_server import PostgresServer

    server = PostgresServer()
    started = server.start()
    yield server if started else server.reason
    server.stop()


_engine_counter = {"n": 0}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_db(request, tmp_path, postgres_server):
    """A fresh database at head on each engine: the tests using it run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        database = open_database(str(tmp_path / "base.sqlite"))
    else:
        if isinstance(postgres_server, str):
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL indisponible en CI : {postgres_server}")
            pytest.skip(f"PostgreSQL indisponible : {postgres_server}")
        _engine_counter["n"] += 1
        database = open_database(postgres_server.create_database(f"bonsjours_test_{_engine_counter['n']}"))
    yield database
    database.dispose()
