"""Data safety: backups, restore, busy database, crash in the middle of an edit, every migration."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select, text

from bonsjours_desktop.cli import main
from bonsjours_desktop.core import db as dbmod
from bonsjours_desktop.core.db import (
    ensure_daily_backup,
    integrity_problems,
    known_revisions,
    list_backups,
    make_backup,
    make_engine,
    open_database,
    restore_backup,
    upgrade,
)
from bonsjours_desktop.core.errors import DatabaseBusyError, DatabaseFileError
from bonsjours_desktop.core.instance_lock import InstanceLock
from bonsjours_desktop.core.models import Base, Shop
from bonsjours_desktop.core.operations import OperationRunner


def shop_count(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM shops").fetchone()[0]


def test_daily_backup_once_a_day_and_rotation_keeps_ten(demo_db):
    path = demo_db.path
    first = ensure_daily_backup(path)
    assert first is not None and "quotidienne" in first.name
    assert ensure_daily_backup(path) is None
    for _ in range(12):
        make_backup(path, "manuelle")
    backups = list_backups(path)
    assert len(backups) == 10
    assert all(shop_count(b) == 20 for b in backups)


def test_restore_backs_up_current_first(demo_db, tmp_path, capsys):
    path = demo_db.path
    copy = tmp_path / "copie.sqlite"
    assert main(["backup", "--db", str(path), "--out", str(copy)]) == 0
    OperationRunner(demo_db).run("Tout supprimer", lambda s: [s.delete(x) for x in s.scalars(select(Shop))] and None)
    demo_db.dispose()
    assert shop_count(path) == 0
    assert main(["restore", str(copy), "--db", str(path)]) == 0
    assert shop_count(path) == 20
    safety = [b for b in list_backups(path) if "avant-restauration" in b.name]
    assert len(safety) == 1 and shop_count(safety[0]) == 0


def test_restore_refused_while_open_in_a_window(demo_db, tmp_path, capsys):
    copy = make_backup(demo_db.path)
    with InstanceLock(demo_db.path):
        assert main(["restore", str(copy), "--db", str(demo_db.path)]) == 1
    assert "déjà ouverte" in capsys.readouterr().err


def test_restore_refuses_a_foreign_file_without_touching_the_base(demo_db, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(os.urandom(4096))
    before = demo_db.path.read_bytes()
    with pytest.raises(DatabaseFileError):
        restore_backup(junk, demo_db.path)
    assert demo_db.path.read_bytes() == before


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 100)


def hold_write_lock(path):
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_busy_database_gives_base_occupee_and_writes_nothing(short_busy_timeout, db_path):
    database = open_database(str(db_path))
    ops = OperationRunner(database)
    other = hold_write_lock(db_path)
    try:
        with pytest.raises(DatabaseBusyError, match="Base occupée"):
            ops.run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))
    finally:
        other.rollback()
        other.close()
    assert not ops.can_undo
    ops.run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))  # works once free
    assert shop_count(db_path) == 1
    database.dispose()


def test_cli_exits_non_zero_on_a_busy_database(db_path, capsys):
    open_database(str(db_path)).dispose()
    other = hold_write_lock(db_path)
    env = dict(os.environ, BONSJOURS_BUSY_TIMEOUT_MS="200")
    try:
        result = subprocess.run([sys.executable, "-m", "bonsjours_desktop", "demo", "--db", str(db_path)],
                                capture_output=True, text=True, env=env)
    finally:
        other.rollback()
        other.close()
    assert result.returncode == 1
    assert "Base occupée" in result.stderr and "Traceback" not in result.stderr
    assert shop_count(db_path) == 0


EDIT_LOOP = textwrap.dedent("""
    import sys
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.models import Shop
    from bonsjours_desktop.core.operations import OperationRunner
    ops = OperationRunner(open_database(sys.argv[1]))
    batch = 0
    while True:
        def add(session, batch=batch):
            for i in range(50):
                session.add(Shop(name=f"Boutique {batch}-{i}", commune="Angers", notes="x" * 2000))
        ops.run("Ajouter 50 boutiques", add)
        batch += 1
        if batch == 3:
            print("ready", flush=True)
""")


def test_killed_in_the_middle_of_edits_leaves_whole_transactions(db_path):
    open_database(str(db_path)).dispose()
    child = subprocess.Popen([sys.executable, "-c", EDIT_LOOP, str(db_path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    database = open_database(str(db_path))
    try:
        assert integrity_problems(database) == []
        with database.session() as session:
            count = session.scalar(select(func.count()).select_from(Shop))
        assert count >= 150 and count % 50 == 0
    finally:
        database.dispose()
    assert main(["check", "--db", str(db_path)]) == 0


def copy_rows(source_path, target_engine):
    """Fill an older-schema database with the rows of a head database (common columns only)."""
    src = sqlite3.connect(source_path)
    with target_engine.begin() as conn:
        existing = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            target_cols = {r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table.name})")}
            cols = [c.name for c in table.columns if c.name in target_cols]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table.name}").fetchall()
            if rows:
                placeholders = ", ".join("?" for _ in cols)
                conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({placeholders})", rows)
    src.close()


@pytest.mark.parametrize("revision", sorted(known_revisions())[:-1] or ["none"])
def test_every_earlier_revision_upgrades_with_rows_and_links_kept(revision, demo_db, tmp_path):
    if revision == "none":
        pytest.skip("une seule révision")
    old = tmp_path / f"ancienne-{revision}.sqlite"
    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, revision)
    copy_rows(demo_db.path, engine)
    with engine.connect() as conn:
        before = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in (r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'"))
                  if t in Base.metadata.tables}
    engine.dispose()
    assert before["shops"] == 20 and before["participations"] == 37

    upgraded = open_database(str(old))
    try:
        with upgraded.engine.connect() as conn:
            after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in before}
        assert after == before
        assert integrity_problems(upgraded) == []
    finally:
        upgraded.dispose()


IMPORT_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.io.shops_io import import_shops, read_table
    from bonsjours_desktop.core.operations import OperationRunner
    ops = OperationRunner(open_database(sys.argv[1]))
    table = read_table(Path(sys.argv[2]))

    def action(session):
        print("started", flush=True)   # the transaction is open and rows are being written
        import_shops(session, table)
        sys.stdin.readline()            # hold the transaction open until killed
    ops.run("Importer", action)
""")


def test_killed_in_the_middle_of_an_import_writes_nothing(db_path, tmp_path):
    from benchmarks.run import write_import_csv

    open_database(str(db_path)).dispose()
    source = tmp_path / "boutiques.csv"
    write_import_csv(source, 300)
    child = subprocess.Popen([sys.executable, "-c", IMPORT_CHILD, str(db_path), str(source)],
                             stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    child.stdin.close()
    assert main(["check", "--db", str(db_path)]) == 0
    assert shop_count(db_path) == 0  # all or nothing: nothing
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name) and p != db_path]
    assert leftovers in ([], [db_path.name + ".lock"])


KITS_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.documents.generate import generate_press_kits
    from bonsjours_desktop.core.editions import find_edition
    db = open_database(sys.argv[1])
    with db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        done = []
        def progress(*args):
            done.append(args)
            if len(done) == 2:
                print("started", flush=True)
        while True:
            generate_press_kits(session, edition_id, Path(sys.argv[2]), progress=progress)
""")


def test_killed_in_the_middle_of_press_kits_leaves_good_documents_only(demo_db, tmp_path):
    from docx import Document

    from bonsjours_desktop.core.documents.engine import TEMP_PREFIX, remove_stale_temporaries
    from bonsjours_desktop.core.documents.generate import generate_press_kits
    from bonsjours_desktop.core.editions import find_edition

    out = tmp_path / "dossiers"
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        first = generate_press_kits(session, edition_id, out).documents
    good = {p.name: p.read_bytes() for p in first}
    child = subprocess.Popen([sys.executable, "-c", KITS_CHILD, str(demo_db.path), str(out)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    for path in out.glob("*.docx"):
        if not path.name.startswith(TEMP_PREFIX):
            Document(str(path))  # every document in place opens: none is half-written
    assert set(p.name for p in out.glob("*.docx") if not p.name.startswith(TEMP_PREFIX)) == set(good)
    remove_stale_temporaries(out)  # what the next generation into the folder does first
    assert [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)] == []
    assert main(["check", "--db", str(demo_db.path)]) == 0


def test_two_bases_of_the_same_name_never_share_or_prune_each_others_backups(demo_db, tmp_path, prepared_files):
    from tests.conftest import copy_prepared

    (tmp_path / "autre").mkdir()
    other = copy_prepared(prepared_files, "empty", tmp_path / "autre" / demo_db.path.name)
    assert other.name == demo_db.path.name and other != demo_db.path
    mine = make_backup(demo_db.path, "manuelle")
    for _ in range(12):
        make_backup(other, "manuelle")
    assert list_backups(demo_db.path) == [mine]  # not pruned by the other base's twelve
    assert len(list_backups(other)) == 10 and mine not in list_backups(other)
    assert all(shop_count(b) == 0 for b in list_backups(other))


def test_backup_list_on_the_command_line_shows_only_this_base(demo_db, tmp_path, prepared_files, capsys):
    from tests.conftest import copy_prepared

    (tmp_path / "autre").mkdir()
    other = copy_prepared(prepared_files, "empty", tmp_path / "autre" / demo_db.path.name)
    make_backup(other, "manuelle")
    assert main(["backup", "--list", "--db", str(demo_db.path)]) == 0
    assert "Aucune sauvegarde automatique pour cette base." in capsys.readouterr().out


@pytest.mark.parametrize("hold", [
    ["BEGIN IMMEDIATE", "DELETE FROM animations"],  # a writer
    ["BEGIN", "SELECT count(*) FROM shops"],  # a reader: the exclusive lock waits for it too, it does not write
])
def test_restore_says_busy_when_another_program_uses_the_base_and_changes_nothing(demo_db, capsys,
                                                                                 short_busy_timeout, hold):
    copy = make_backup(demo_db.path)
    demo_db.dispose()
    other = sqlite3.connect(demo_db.path, isolation_level=None)
    try:
        for statement in hold:
            other.execute(statement).fetchall()
        assert main(["restore", str(copy), "--db", str(demo_db.path)]) == 1
        assert "Base occupée : un autre programme lit ou écrit" in capsys.readouterr().err
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert shop_count(demo_db.path) == 20


def _finishes(function, *args):
    """Runs function in a thread; its exception (or None), and whether it ended at all (a hang is the bug)."""
    import threading

    outcome: list = []

    def run():
        try:
            function(*args)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    return (outcome[0] if outcome else None), not thread.is_alive()


def test_restoring_the_base_onto_itself_is_refused(demo_db, capsys, tmp_path):
    """« bonsjours restore base.sqlite » with the base itself (or a link to it) hung for ever: Python's
    backup loop retried the busy step (the source's read lock against the destination's write)."""
    demo_db.dispose()
    link = tmp_path / "lien.sqlite"
    link.symlink_to(demo_db.path)
    for given in (demo_db.path, link):
        error, ended = _finishes(restore_backup, given, demo_db.path)
        assert ended and isinstance(error, DatabaseFileError) and "est la base elle-même" in str(error)
    assert shop_count(demo_db.path) == 20


def test_a_backup_kept_waiting_by_another_program_gives_up_as_busy(short_busy_timeout, demo_db, tmp_path):
    """A reader that comes in between restore's exclusive-lock check and the copy (or any lock held on a
    backup's destination) no longer makes the copy wait for ever: « Base occupée », nothing written."""
    copy = make_backup(demo_db.path)
    demo_db.dispose()
    reader = sqlite3.connect(demo_db.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM shops").fetchone()
    src = sqlite3.connect(copy, check_same_thread=False)
    dst = sqlite3.connect(demo_db.path, timeout=0.05, isolation_level=None, check_same_thread=False)
    try:
        error, ended = _finishes(dbmod.bounded_backup, src, dst, "Base occupée : essai.")
        assert ended and isinstance(error, DatabaseBusyError), error
    finally:
        reader.execute("ROLLBACK")
        reader.close()
        src.close()
        dst.close()
    assert shop_count(demo_db.path) == 20 and integrity_problems(open_database(str(demo_db.path))) == []


def test_restore_onto_a_read_only_base_or_folder_is_a_french_error(demo_db, tmp_path, capsys, monkeypatch):
    """Read-only base file: « attempt to write a readonly database » was « erreur inattendue » (exit 3);
    read-only folder: the window lock's « [Errno 13] Permission denied: '….lock' », also exit 3.
    (Tests run as root, who ignores chmod: the refusals are simulated where the system gives them.)"""
    copy = make_backup(demo_db.path)
    demo_db.dispose()
    base = str(demo_db.path)
    real_connect = sqlite3.connect

    def read_only_connect(target, *args, **kwargs):
        if str(target) == base:
            kwargs.pop("uri", None)
            return real_connect(f"file:{base}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(dbmod.sqlite3, "connect", read_only_connect)
    monkeypatch.setattr(dbmod.os, "access", lambda path, mode: str(path) != base)
    assert main(["restore", str(copy), "--db", base]) == 1
    err = capsys.readouterr().err
    assert "est en lecture seule" in err and err.count("\n") == 1 and "erreur inattendue" not in err, err
    monkeypatch.undo()

    real_open = os.open

    def no_lock_file(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_lock_file)
    assert main(["restore", str(copy), "--db", base]) == 1
    err = capsys.readouterr().err
    assert "Impossible de créer « " in err and "accès refusé" in err and "Errno" not in err, err
    monkeypatch.undo()
    assert shop_count(demo_db.path) == 20
