"""Schema management: new files at head, older files upgraded with data kept, bad files refused."""

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy import select, text

from bonsjours_desktop.core import db as dbmod
from bonsjours_desktop.core.db import head_revision, list_backups, make_engine, open_database, upgrade
from bonsjours_desktop.core.errors import DatabaseFileError
from bonsjours_desktop.core.models import Shop


def revision_of(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_new_file_is_created_at_head_with_reference_lists(db_path):
    database = open_database(str(db_path))
    database.dispose()
    assert revision_of(db_path) == head_revision()
    with sqlite3.connect(db_path) as conn:
        categories = {r[0] for r in conn.execute("SELECT name FROM budget_categories")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "impressions" in categories
    assert {"shops", "editions", "loans", "settings"} <= tables


def test_older_file_is_upgraded_with_data_kept_and_backed_up(db_path):
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO shops (name, network, legal_form, may_promote, address, postal_code, commune, phone, email,"
            " website, opening_hours, products, notes, active, is_example) VALUES ('Emmaüs & Cie', '', '', 1, '',"
            " '49000', 'Angers', '', '', '', '{}', '[]', '', 1, 0)"))
    engine.dispose()
    assert revision_of(db_path) == "0001"

    database = open_database(str(db_path))
    with database.session() as session:
        assert [s.name for s in session.scalars(select(Shop))] == ["Emmaüs & Cie"]
    database.dispose()
    assert revision_of(db_path) == head_revision()
    backups = list_backups(db_path)
    assert len(backups) == 1 and "avant-migration" in backups[0].name
    assert revision_of(backups[0]) == "0001"


def test_failed_upgrade_restores_the_file(db_path, monkeypatch):
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0001")
    engine.dispose()
    before = db_path.read_bytes()

    def broken_upgrade(engine, revision="head"):
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("migration cassée")

    monkeypatch.setattr(dbmod, "upgrade", broken_upgrade)
    with pytest.raises(DatabaseFileError, match="remis dans son état"):
        open_database(str(db_path))
    assert revision_of(db_path) == "0001"
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert len(before) > 0


def test_newer_revision_is_refused_without_modifying(db_path):
    open_database(str(db_path)).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    content = db_path.read_bytes()
    with pytest.raises(DatabaseFileError, match="plus récente"):
        open_database(str(db_path))
    assert db_path.read_bytes() == content


@pytest.mark.parametrize("payload", [b"PK\x03\x04 not a database", b"SQLite format 3\x00" + b"\x07" * 200])
def test_foreign_or_corrupt_files_are_refused_and_untouched(db_path, payload):
    db_path.write_bytes(payload)
    with pytest.raises(DatabaseFileError):
        open_database(str(db_path))
    assert db_path.read_bytes() == payload


def test_other_applications_sqlite_is_refused_untouched(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE recettes (nom TEXT)")
    content = db_path.read_bytes()
    with pytest.raises(DatabaseFileError, match="autre application"):
        open_database(str(db_path))
    assert db_path.read_bytes() == content


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO event_days (edition_id, day) VALUES (999, '2014-04-02')"))


def test_schema_head_constant_matches_the_migrations():
    from bonsjours_desktop.core.db import SCHEMA_HEAD

    assert SCHEMA_HEAD == head_revision()
