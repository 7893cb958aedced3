"""Shared fixtures: offscreen Qt, a private data folder and a fresh database for every test.

Migrating a new file and loading the demo cost about a second; every test instead gets a copy of a
file prepared once per session (SQLite: a file copy, PostgreSQL: ``CREATE DATABASE … TEMPLATE``).
The real migration and demo-load paths keep their own tests (test_migrations, test_demo, test_cli).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from bonsjours_desktop.core import clock  # noqa: E402
from bonsjours_desktop.core.db import open_database  # noqa: E402
from bonsjours_desktop.core.operations import OperationRunner  # noqa: E402

ENGINE = os.environ.get("BONSJOURS_TEST_ENGINE", "sqlite")
_counter = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Tests marked slow (the frozen bundle, the wheel in a clean venv…) run first: with pytest-xdist a
    two-minute test handed out last keeps one worker busy alone at the end; first, it overlaps the rest."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: the rest keep their order


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """Each test gets its own data folder (settings, backups, logs) and no BONSJOURS_DB."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    monkeypatch.setenv("BONSJOURS_DATA_DIR", str(folder))
    monkeypatch.delenv("BONSJOURS_DB", raising=False)
    # A LibreOffice run per generated batch for the file thumbnails: only the tests that ask for it.
    monkeypatch.setenv("BONSJOURS_THUMBNAILS", "0")
    yield folder
    clock.set_today(None)


@pytest.fixture(autouse=True)
def no_modal_left_waiting():
    """A modal dialog still open after a minute fails the test and is closed (tests/modal_guard.py)."""
    from tests import modal_guard

    modal_guard.install()
    yield
    left = modal_guard.take_blocked()
    if left:
        pytest.fail("Fenêtre modale restée sans réponse (fermée par le test) : " + " ; ".join(left))


@pytest.fixture(autouse=True)
def delete_windows_after_test():
    """Every window a test leaves (its main window, a tab or dialog made without parent) is destroyed
    after it. pytest-qt only closes the widgets given to qtbot and calls deleteLater, which nothing
    processes between tests: the widgets of hundreds of tests piled up in the application (a theme
    switch late in the suite re-styled all of them: 40 s instead of 0.4 s)."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    import shiboken6

    for widget in QApplication.topLevelWidgets():
        if shiboken6.isValid(widget):  # closing one window may have deleted another (its dialog)
            widget.close()
        if shiboken6.isValid(widget):
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    if app.property("bonsjours_dark"):  # the theme is the application's: the next test starts light
        from bonsjours_desktop.ui.theme import apply_theme

        apply_theme(app, False)


def _load_demo(database) -> None:
    from bonsjours_desktop.core.demo import load_demo

    # Without the living example edition (placed relative to the real date): fixtures stay reproducible.
    OperationRunner(database).run("Charger l'exemple", lambda s: load_demo(s, living=False) and None, undoable=False)


@pytest.fixture(scope="session")
def prepared_files(tmp_path_factory) -> dict[str, Path]:
    """Two SQLite files made once per session (per xdist worker): empty at head, and the demo."""
    folder = tmp_path_factory.mktemp("prepared")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BONSJOURS_DATA_DIR", str(folder / "donnees"))
        mp.delenv("BONSJOURS_DB", raising=False)
        files = {"empty": folder / "empty.sqlite", "demo": folder / "demo.sqlite"}
        open_database(str(files["empty"])).dispose()
        shutil.copyfile(files["empty"], files["demo"])
        database = open_database(str(files["demo"]))
        _load_demo(database)
        database.dispose()
    return files


def copy_prepared(prepared_files: dict[str, Path], kind: str, target: Path) -> Path:
    """A private copy of a prepared file (kind "empty" or "demo") at target."""
    shutil.copyfile(prepared_files[kind], target)
    return target


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the session, or the reason there is none (tests on it then skip).

    The server's packages are installed by the set-up step (tools/ensure-system-deps), never here."""
    from tests.pg_server import PostgresServer

    server = PostgresServer()
    started = server.start()
    yield server if started else server.reason
    server.stop()


@pytest.fixture(scope="session")
def postgres_templates(postgres_server):
    """Template databases on the session's server, empty at head and the demo (or the reason there are none)."""
    if isinstance(postgres_server, str):
        return postgres_server
    names = {"empty": "bonsjours_tpl_empty", "demo": "bonsjours_tpl_demo"}
    database = open_database(postgres_server.create_database(names["empty"]), initialise=True)
    database.dispose()
    postgres_server.create_database(names["demo"], template=names["empty"])
    database = open_database(postgres_server.url(names["demo"]))
    _load_demo(database)
    database.dispose()
    return names


def _postgres_copy(request, kind: str):
    templates = request.getfixturevalue("postgres_templates")
    if isinstance(templates, str):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL indisponible en CI : {templates}")
        pytest.skip(f"PostgreSQL indisponible : {templates}")
    server = request.getfixturevalue("postgres_server")
    url = server.create_database(f"bonsjours_test_{os.getpid()}_{next(_counter)}", template=templates[kind])
    return open_database(url)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "base.sqlite"


@pytest.fixture
def db(request, db_path, prepared_files):
    """A fresh database at head (the demo loaded when the test asks for demo_db): SQLite by default,
    PostgreSQL when BONSJOURS_TEST_ENGINE=postgresql."""
    kind = "demo" if "demo_db" in request.fixturenames else "empty"
    if ENGINE == "postgresql":
        database = _postgres_copy(request, kind)
    else:
        database = open_database(str(copy_prepared(prepared_files, kind, db_path)))
    yield database
    database.dispose()


@pytest.fixture
def ops(db):
    return OperationRunner(db)


@pytest.fixture
def demo_db(db):
    """The demo (Maine-et-Loire 2013–2014) in a fresh database."""
    return db


@pytest.fixture
def demo_ops(demo_db):
    return OperationRunner(demo_db)


@pytest.fixture
def demo_file(tmp_path, prepared_files) -> Path:
    """A SQLite file holding the demo, for command-line tests (whatever the engine of the session)."""
    return copy_prepared(prepared_files, "demo", tmp_path / "demo.sqlite")


@pytest.fixture
def qapp_no_modal(qapp):
    """Error dialogs are shown without blocking so tests can inspect them; the ones a test leaves open
    are closed after it (they are kept alive until closed, and would be found by the next test)."""
    qapp.bonsjours_no_modal = True
    yield qapp
    qapp.bonsjours_no_modal = False
    from bonsjours_desktop.ui import errors

    for box in list(errors._OPEN_BOXES):
        box.close()
        box.deleteLater()
    errors._OPEN_BOXES.clear()


@pytest.fixture
def main_window(qtbot, qapp_no_modal, demo_db):
    from bonsjours_desktop.ui.app import create_main_window

    window = create_main_window(demo_db)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_db(request, tmp_path, prepared_files):
    """A fresh database at head on each engine: the tests using it run on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        database = open_database(str(copy_prepared(prepared_files, "empty", tmp_path / "base.sqlite")))
    else:
        database = _postgres_copy(request, "empty")
    yield database
    database.dispose()


def give_focus(qtbot, widget) -> None:
    """The keyboard focus on widget, waited for: a view's shortcuts (Suppr…) need it, and setFocus() does
    nothing while its window is not the active one (seen in parallel runs)."""
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
