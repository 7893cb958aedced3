"""An empty PostgreSQL database (what the README tells an administrator to create) is offered to be
initialised, never filled silently: the command line says how (`init`, exit 1, nothing created), the
window asks « La base … est vide. L'initialiser ? ». A new SQLite file is still created as before.

Runs in both runs of make test (its own PostgreSQL database on the session's server)."""

import itertools

import pytest
from sqlalchemy import create_engine, inspect

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.db import EmptyDatabaseError, open_database

_names = itertools.count()


@pytest.fixture
def empty_pg(postgres_server):
    if isinstance(postgres_server, str):
        pytest.skip(f"PostgreSQL indisponible : {postgres_server}")
    return postgres_server.create_database(f"bonsjours_vide_{next(_names)}")


def tables(url):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_opening_an_empty_server_base_creates_nothing_and_says_how_to_initialise_it(empty_pg):
    with pytest.raises(EmptyDatabaseError) as caught:
        open_database(empty_pg)
    message = str(caught.value)
    assert "est vide (aucune table) : rien n'y a été créé" in message and "init »" in message
    assert "\n" not in message
    assert tables(empty_pg) == []
    db = open_database(empty_pg, initialise=True)
    db.dispose()
    assert "alembic_version" in tables(empty_pg) and "shops" in tables(empty_pg)
    open_database(empty_pg).dispose()  # prepared: opens as any other base


def test_command_line_refuses_with_one_french_line_then_init_prepares_it(empty_pg, tmp_path, capsys):
    source = tmp_path / "b.csv"
    source.write_text("Nom;Commune\nRecyclerie;Angers\n", encoding="utf-8")
    for command in (["import", "shops", str(source)], ["demo"]):
        assert main(["--db", empty_pg, *command]) == 1
        captured = capsys.readouterr()
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and "est vide" in lines[0] and f"--db {empty_pg} init" in lines[0]
        assert "erreur inattendue" not in captured.err
    assert tables(empty_pg) == []
    assert main(["--db", empty_pg, "check"]) == 1
    assert f"« bonsjours --db {empty_pg} init » la prépare" in capsys.readouterr().out
    assert main(["--db", empty_pg, "init"]) == 0
    assert "préparée : tables créées" in capsys.readouterr().out
    assert main(["--db", empty_pg, "init"]) == 0
    assert "déjà initialisée" in capsys.readouterr().out
    assert main(["--db", empty_pg, "import", "shops", str(source)]) == 0


def test_the_window_asks_before_initialising(empty_pg, qapp, monkeypatch):
    from bonsjours_desktop.ui.app import open_offering_initialisation
    from bonsjours_desktop.ui.widgets import kit

    with pytest.raises(EmptyDatabaseError) as caught:
        open_database(empty_pg)
    asked = []

    def answer(reply):
        def confirm(parent, title, text, yes_label, no_label, **options):
            asked.append((title, text, yes_label, no_label))
            return reply
        return confirm

    monkeypatch.setattr(kit, "confirm", answer(False))
    assert open_offering_initialisation(caught.value, empty_pg) is None
    name = caught.value.display_name
    assert asked == [("Base vide", f"La base {name} est vide. L'initialiser ?", "Oui", "Non")]
    assert tables(empty_pg) == []  # « Non »: nothing created
    monkeypatch.setattr(kit, "confirm", answer(True))
    db = open_offering_initialisation(caught.value, empty_pg)
    assert db is not None and "shops" in tables(empty_pg)
    db.dispose()


def test_a_new_sqlite_file_is_still_created_and_init_works_on_it(tmp_path, capsys):
    path = tmp_path / "nouvelle.sqlite"
    assert main(["--db", str(path), "init"]) == 0
    assert "préparée" in capsys.readouterr().out and path.stat().st_size > 0
    other = tmp_path / "autre.sqlite"
    open_database(str(other)).dispose()  # gui, demo and import create a new file, as before
    assert other.stat().st_size > 0
    assert main(["--db", str(tmp_path / "absente.sqlite"), "check"]) == 1  # read-only commands still refuse
