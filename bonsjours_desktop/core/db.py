"""Database access: URL handling, SQLite pragmas, file checks, Alembic migrations at start, backups."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from .errors import BonsJoursError, DatabaseBusyError, DatabaseFileError

log = logging.getLogger(__name__)

APP_NAME = "BonsJours"
ENV_DB = "BONSJOURS_DB"
ENV_DATA_DIR = "BONSJOURS_DATA_DIR"
SQLITE_HEADER = b"SQLite format 3\x00"
# How long a write waits for another program's lock before "base occupée" (bounded, never forever).
BUSY_TIMEOUT_MS = int(os.environ.get("BONSJOURS_BUSY_TIMEOUT_MS", "5000"))
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 10
# The newest migration's id, so that opening an up-to-date file needs no Alembic import (half a
# second at start-up); a test checks it against the migrations folder.
SCHEMA_HEAD = "0006_organisation_logo"


def data_dir() -> Path:
    """The user's data folder (platformdirs), or BONSJOURS_DATA_DIR when set (tests, portable use)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "bonsjours.sqlite"


def resolve_url(target: Optional[str] = None) -> str:
    """--db value, else BONSJOURS_DB, else the default file; a plain path becomes a sqlite URL.

    An empty --db is a mistake (an unset shell variable), never a silent fall back to the default base."""
    if target is not None and not target.strip():
        raise DatabaseFileError("--db est vide : donnez le chemin d'une base ou une adresse de serveur.")
    target = target or os.environ.get(ENV_DB) or str(default_db_path())
    if "://" in target:
        if target.startswith("postgres://"):  # what Heroku-style tools and many tutorials write
            target = "postgresql://" + target[len("postgres://"):]
        try:
            parsed = make_url(target)
            parsed.port  # noqa: B018 - a port that is not a number raises here
        except (ArgumentError, ValueError) as exc:
            raise DatabaseFileError(
                f"Adresse de base de données invalide : {_hide_password(target)} (forme attendue : "
                "postgresql://utilisateur:motdepasse@serveur:5432/base, ou le chemin d'un fichier)."
            ) from exc
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise DatabaseFileError(
                f"Adresse « {_hide_password(target)} » : seules les bases SQLite (un fichier) et PostgreSQL "
                "(postgresql://…) sont prises en charge."
            )
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def _hide_password(target: str) -> str:
    """The address as shown to the user: whatever sits between « user: » and the last « @ » is hidden."""
    return re.sub(r"^([^:/]+://[^:/@]*:)(.*)@", r"\1***@", target)


def sqlite_path(url: str) -> Optional[Path]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    # Rollback journal + full sync: one file to copy or sync, and a committed edit survives a power cut.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _begin(conn) -> None:
    # pysqlite defers BEGIN; emit our own so each action is one real transaction. Writers take the
    # write lock up front, so a busy database is detected before anything is written.
    if conn.get_execution_options().get("bonsjours_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "isolation_level": None})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _on_server_connect)
    return engine


def _on_server_connect(dbapi_connection, _record) -> None:
    """PostgreSQL waits for a row a colleague's transaction holds for ever by default: the same limit as
    SQLite's busy timeout, after which the action is refused as « Base occupée » (and can be retried)."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
    cursor.close()
    dbapi_connection.commit()


def check_sqlite_file(path: Path) -> None:
    """Refuse files that are not SQLite databases, without ever modifying them."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseFileError(f"« {path} » est un dossier, pas un fichier de base de données.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        from .io.input_files import unreadable_reason

        raise DatabaseFileError(f"Impossible de lire le fichier « {path} » : {unreadable_reason(exc)}.") from exc
    if path.stat().st_size == 0:
        return
    if header != SQLITE_HEADER:
        raise DatabaseFileError(
            f"Le fichier « {path} » n'est pas une base Bons Jours (ce n'est pas un fichier SQLite)."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        log.info("Damaged SQLite file %s: %s", path, exc)
        raise DatabaseFileError(
            f"Le fichier « {path} » est endommagé et ne peut pas être ouvert (fichier tronqué, copie interrompue ?) : "
            "remettez une sauvegarde (« bonsjours restore »)."
        ) from exc
    if not result or result[0] != "ok":
        raise DatabaseFileError(f"Le fichier « {path} » est endommagé : {result[0] if result else '?'}.")


@dataclass
class Database:
    """An open database: its URL, engine and session factory. Sessions belong to operations."""

    url: str
    engine: Engine
    session_factory: sessionmaker = field(repr=False)

    @property
    def path(self) -> Optional[Path]:
        return sqlite_path(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        path = self.path
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def write_session(self) -> Session:
        """A session whose transaction takes the write lock at once (used by operations)."""
        return self.session_factory(bind=self.engine.execution_options(bonsjours_write=True))

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        session = self.session_factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> Optional[str]:
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "alembic_version" not in names:
            if names - {"sqlite_sequence"}:
                raise DatabaseFileError(
                    "Ce fichier est une base SQLite d'une autre application : Bons Jours ne l'ouvre pas "
                    "pour ne pas la modifier."
                )
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run migrations in one transaction. On SQLite, foreign keys are switched off meanwhile: a batch
    migration recreates tables, and dropping a parent with foreign keys on would silently delete its
    children through ON DELETE CASCADE. Links are checked before commit instead."""
    from alembic import command

    with engine.execution_options(bonsjours_write=True).connect() as conn:
        driver = conn.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys = OFF")  # only effective outside a transaction
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), revision)
                if driver is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseFileError(
                            f"La mise à jour du schéma laisserait {len(broken)} lien(s) cassé(s) "
                            f"(table « {broken[0][0]} ») : elle a été annulée."
                        )
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys = ON")


class EmptyDatabaseError(DatabaseFileError):
    """A server database with no table at all: Bons Jours prepares it only when asked to (`init`, or
    « Oui » in the window), never silently — an address with a typo must not fill someone else's base."""

    def __init__(self, display_name: str):
        self.display_name = display_name
        super().__init__(
            f"La base {display_name} est vide (aucune table) : rien n'y a été créé. Pour la préparer, lancez "
            f"« bonsjours --db {display_name} init » (ou ouvrez-la dans la fenêtre de Bons Jours, qui propose "
            "de l'initialiser)."
        )


def open_database(target: Optional[str] = None, *, migrate: bool = True, create: bool = True,
                  initialise: bool = False) -> Database:
    """Open (creating or upgrading as needed) the database named by target, --db style.

    A SQLite file that does not exist yet is created (create=True). A PostgreSQL database with no table
    raises EmptyDatabaseError unless initialise is True (`bonsjours init`, or the window's question)."""
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseFileError(f"Base introuvable : « {path} » n'existe pas.")
        if not path.parent.exists():
            raise DatabaseFileError(f"Le dossier « {path.parent} » n'existe pas.")
        check_sqlite_file(path)
        from .io.safe_write import remember_database

        remember_database(path)  # no export may ever be written onto it
    try:
        engine = make_engine(url)
    except ImportError as exc:  # psycopg missing (SQLAlchemy's NoSuchModuleError is an ArgumentError)
        raise DatabaseFileError(_driver_missing(exc, url)) from exc
    except ArgumentError as exc:
        raise DatabaseFileError(_driver_missing(exc, url)) from exc
    try:
        if migrate:
            _migrate(engine, path, initialise=initialise or path is not None)
    except BaseException:
        engine.dispose()
        raise
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    return Database(url=url, engine=engine, session_factory=factory)


def _driver_missing(exc: Exception, url: Optional[str] = None) -> str:
    driver = ""
    with contextlib.suppress(Exception):
        driver = make_url(url).get_driver_name() if url and "+" in url.split("://", 1)[0] else ""
    if driver and driver != "psycopg":  # « postgresql+psycopg2:// », « +pg8000 », « +asyncpg »…
        return (f"L'adresse demande le pilote « {driver} », qui n'est pas installé : Bons Jours utilise psycopg. "
                "Écrivez l'adresse sans pilote (postgresql://utilisateur:motdepasse@serveur/base).")
    return ("Le pilote PostgreSQL (psycopg) n'est pas installé sur ce poste : installez Bons Jours avec l'option "
            "« team » (pip install \"bonsjours[team]\"), ou utilisez une base SQLite (un fichier).")


def _migrate(engine: Engine, path: Optional[Path], *, initialise: bool = True) -> None:
    try:
        revision = current_revision(engine)
    except (OperationalError, ProgrammingError, InterfaceError) as exc:
        translated = translate_connect_error(exc, engine.url.render_as_string(hide_password=False))
        if translated is exc:
            raise
        raise translated from exc
    if revision == SCHEMA_HEAD:
        return
    head = head_revision()
    if revision == head:
        return
    if revision is not None and revision not in known_revisions():
        raise DatabaseFileError(
            "Cette base a été créée par une version plus récente de Bons Jours "
            f"(révision {revision}) : mettez l'application à jour pour l'ouvrir."
        )
    if revision is None:
        if not initialise:
            raise EmptyDatabaseError(engine.url.render_as_string(hide_password=True))
        upgrade(engine)
        _seed(engine)
        return
    backup = make_backup(path, reason="avant-migration") if path is not None else None
    try:
        upgrade(engine)
    except Exception as exc:
        if backup is not None:
            engine.dispose()
            restore_file(backup, path)
            raise DatabaseFileError(
                f"La mise à jour de la base a échoué ({exc}). Le fichier a été remis dans son état "
                f"d'avant, à partir de la sauvegarde « {backup.name} »."
            ) from exc
        raise


def _seed(engine: Engine) -> None:
    from .reference import ensure_reference_data

    with Session(bind=engine.execution_options(bonsjours_write=True)) as session:
        ensure_reference_data(session)
        session.commit()


def translate_operational_error(exc: OperationalError, url: Optional[str] = None) -> Exception:
    """One French sentence for a database error a user can cause (busy, read-only, damaged file, server
    unreachable, wrong password, missing database…); the password is never part of it."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in message or "busy" in message or "lock timeout" in message:
        return DatabaseBusyError(
            "Base occupée : un autre programme est en train d'écrire dans la base. "
            "Réessayez dans un instant."
        )
    if "not a database" in message or "malformed" in message:
        return DatabaseFileError(f"Le fichier de base de données est endommagé ({message}).")
    path = sqlite_path(url) if url else None
    if "readonly database" in message or "unable to open database file" in message:
        return DatabaseFileError(_read_only_reason(path))
    if "disk I/O error" in message or "database or disk is full" in message:
        where = f" « {path} »" if path else ""
        return DatabaseFileError(
            f"Écriture impossible dans la base{where} : disque plein, support retiré ou fichier remplacé pendant "
            "l'écriture. Rien n'a été enregistré ; vérifiez le disque puis recommencez."
        )
    server = _server_error(message, url)
    if server is not None:
        return DatabaseFileError(server)
    return DatabaseFileError(f"Erreur de base de données : {_scrub(message, url)}")


def translate_connect_error(exc: Exception, url: Optional[str] = None) -> Exception:
    """translate_operational_error, and also the errors psycopg raises on an address's options before it
    even connects (ProgrammingError: « ?connect_timeout=abc », « ?foo=bar »): the user's typo, said in
    French. Any other ProgrammingError or InterfaceError is a bug and is returned unchanged."""
    if isinstance(exc, OperationalError):
        return translate_operational_error(exc, url)
    if isinstance(exc, (ProgrammingError, InterfaceError)):
        message = str(exc.orig) if exc.orig is not None else str(exc)
        server = _server_error(message, url)
        if server is not None:
            return DatabaseFileError(server)
    return exc


def _read_only_reason(path: Optional[Path]) -> str:
    if path is None:
        return "La base est en lecture seule : impossible d'y enregistrer quoi que ce soit."
    if path.exists() and not os.access(path, os.W_OK):
        return (f"Le fichier de la base « {path} » est en lecture seule : retirez cette protection (propriétés du "
                "fichier) ou ouvrez une copie. Rien n'a été enregistré.")
    if not os.access(path.parent, os.W_OK):
        return (f"Le dossier « {path.parent} » de la base est protégé en écriture : SQLite doit pouvoir y créer son "
                "journal. Déplacez la base dans un dossier où vous pouvez écrire. Rien n'a été enregistré.")
    return (f"La base « {path} » ne peut pas être écrite (fichier ou dossier protégé, support en lecture seule). "
            "Rien n'a été enregistré.")


def _scrub(message: str, url: Optional[str]) -> str:
    """The first line of a driver message, without the password of url nor any URL."""
    first = message.strip().splitlines()[0] if message.strip() else message
    if url:
        with contextlib.suppress(Exception):
            password = make_url(url).password
            if password:
                first = first.replace(str(password), "***")
    return re.sub(r"\b[\w+]+://\S+", "<adresse>", first)


def _server_error(message: str, url: Optional[str]) -> Optional[str]:
    """French text for the PostgreSQL connection errors (psycopg's messages), None for others."""
    parsed = None
    with contextlib.suppress(Exception):
        parsed = make_url(url) if url else None
    host = (parsed.host if parsed is not None else None) or "localhost"
    port = (parsed.port if parsed is not None else None) or 5432
    user = parsed.username if parsed is not None else None
    database = parsed.database if parsed is not None else None
    lowered = message.lower()
    if "@" in host:
        return ("L'adresse du serveur contient un « @ » de trop : si le mot de passe contient « @ », « : » ou « / », "
                "écrivez-les %40, %3A et %2F dans l'adresse.")
    if "password authentication failed" in lowered or "authentification par mot de passe" in lowered:
        return (f"Connexion refusée par le serveur PostgreSQL « {host} » : mot de passe incorrect pour l'utilisateur "
                f"« {user or '?'} ».")
    if "no password supplied" in lowered:
        return (f"Le serveur PostgreSQL « {host} » demande un mot de passe : ajoutez-le à l'adresse "
                "(postgresql://utilisateur:motdepasse@serveur/base).")
    match = re.search(r'role "([^"]+)" does not exist', message)
    if match:
        return f"L'utilisateur « {match.group(1)} » n'existe pas sur le serveur PostgreSQL « {host} »."
    match = re.search(r'database "([^"]+)" does not exist', message)
    if match:
        return (f"La base « {match.group(1)} » n'existe pas sur le serveur PostgreSQL « {host} » : corrigez son nom "
                "dans l'adresse, ou demandez à l'administrateur de la créer (createdb).")
    invalid = "Adresse de base de données invalide : "
    match = re.search(r'invalid connection option "([^"]+)"', message)
    if match:
        return (f"{invalid}l'option « {match.group(1)} » (après le « ? ») n'existe pas : retirez-la ou corrigez son "
                "nom (sslmode, connect_timeout…).")
    match = re.search(r'invalid port number: "([^"]*)"', message)
    if match:
        return f"{invalid}le port « {match.group(1)} » n'existe pas (un nombre de 1 à 65535, 5432 d'habitude)."
    match = (re.search(r"bad value for (\w+): '([^']*)'", message)
             or re.search(r'invalid (\w+) value: "([^"]*)"', message))
    if match:
        return f"{invalid}« {match.group(2)} » n'est pas une valeur possible de l'option « {match.group(1)} »."
    match = re.search(r'invalid integer value "([^"]*)" for connection option "([^"]+)"', message)
    if match:
        return f"{invalid}l'option « {match.group(2)} » attend un nombre, pas « {match.group(1)} »."
    match = re.search(r'unrecognized configuration parameter "([^"]+)"', message)
    if match:
        return (f"Le serveur PostgreSQL « {host} » ne connaît pas le réglage « {match.group(1)} » demandé dans "
                "l'adresse (options=…) : retirez-le.")
    if "does not support ssl" in lowered:
        return (f"Le serveur PostgreSQL « {host} » n'accepte pas les connexions chiffrées (SSL) que l'adresse exige "
                "(sslmode=require…) : retirez sslmode de l'adresse, ou demandez à l'administrateur d'activer SSL.")
    if "gssapi encryption required" in lowered:
        return ("L'adresse exige un chiffrement GSSAPI (gssencmode=require) que ce poste ne peut pas fournir : "
                "retirez gssencmode de l'adresse.")
    match = re.search(r'connection to server on socket "([^"]+)" failed', message)
    if match:
        return (f"Serveur PostgreSQL injoignable (connexion locale « {match.group(1)} ») : vérifiez que le serveur "
                "est démarré sur ce poste, ou donnez son adresse et son port.")
    if "pg_hba.conf" in lowered:
        return (f"Le serveur PostgreSQL « {host} » n'accepte pas les connexions de ce poste (pg_hba.conf) : demandez "
                "à son administrateur de l'autoriser.")
    if "permission denied" in lowered:
        return f"Droits insuffisants sur la base PostgreSQL « {database or '?'} » : demandez à l'administrateur."
    unreachable = ("connection refused", "could not connect", "failed to resolve host", "could not translate host",
                   "name or service not known", "timeout expired", "timed out", "no route to host",
                   "network is unreachable", "server closed the connection", "connection failed",
                   "nodename nor servname")
    if any(part in lowered for part in unreachable):
        return (f"Serveur PostgreSQL injoignable (« {host} », port {port}) : vérifiez l'adresse et le port, que le "
                "serveur est démarré et que le réseau le laisse passer.")
    return None


# --- Backups ------------------------------------------------------------------------------------


def backups_dir() -> Path:
    path = data_dir() / "sauvegardes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sqlite_backup(source: Path, destination: Path) -> None:
    """Copy a live SQLite file consistently with SQLite's backup API, atomically at destination."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partiel")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(partial)
        try:
            bounded_backup(src, dst, f"Base occupée : un autre programme écrit dans « {Path(source).name} » depuis "
                                     "plus de quelques secondes. Réessayez la sauvegarde dans un instant.")
        finally:
            dst.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    os.replace(partial, destination)


def save_copy(db: "Database", out: "Path | str") -> Path:
    """A copy of the open SQLite base at out (« backup --out », the window's « Enregistrer une copie »):
    never onto the base itself, its journal or lock, nor a folder; the folder probed first; French errors
    and no stray « .partiel ». Returns the path written."""
    from .io.safe_write import check_output_target, check_writable_folder, os_reason

    if db.path is None:
        raise DatabaseFileError("La copie par Bons Jours concerne les bases SQLite ; pour un serveur, utilisez ses "
                                "outils (pg_dump).")
    destination = check_output_target(out, db, backup=True)  # never a folder nor the base's files
    if destination == Path(db.path).resolve() or (destination.exists() and os.path.samefile(destination, db.path)):
        raise DatabaseFileError("La copie ne peut pas remplacer la base elle-même : choisissez un autre nom.")
    _refuse_a_base_in_use(destination)
    check_writable_folder(destination.parent)  # a protected folder said exactly, before any copy
    try:
        sqlite_backup(db.path, destination)
    except (OSError, sqlite3.Error) as exc:
        destination.with_name(destination.name + ".partiel").unlink(missing_ok=True)
        why = os_reason(exc) if isinstance(exc, OSError) else "dossier protégé en écriture, disque plein ou support retiré"
        raise DatabaseFileError(f"Impossible d'écrire la sauvegarde « {destination} » : {why}.") from exc
    return destination


def _refuse_a_base_in_use(destination: Path) -> None:
    """A copy may replace an older backup, never a base another window has open (its lock is held) or
    that a program is writing (its -journal is there): renaming a file over it loses that program's work."""
    from .instance_lock import InstanceLock

    if not destination.exists():
        return
    if Path(str(destination) + "-journal").exists() or Path(str(destination) + "-wal").exists():
        raise DatabaseFileError(f"« {destination} » est une base en cours d'écriture par un autre programme : "
                                "choisissez un autre nom de fichier. Rien n'a été écrit.")
    if Path(str(destination) + ".lock").exists():
        lock = InstanceLock(destination)
        try:
            lock.acquire()
        except BonsJoursError:
            raise DatabaseFileError(f"« {destination} » est une base ouverte dans une autre fenêtre Bons Jours : "
                                    "choisissez un autre nom de fichier. Rien n'a été écrit.") from None
        lock.release()


_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def bounded_backup(src: sqlite3.Connection, dst: sqlite3.Connection, busy_message: str) -> None:
    """src.backup(dst), given up with DatabaseBusyError(busy_message) once it has been kept waiting
    BUSY_TIMEOUT_MS by another program's lock. Python's own loop retries a busy step for ever: a
    reader or writer that came in at the wrong moment (or a backup onto its own source) hung the
    command. Giving up ends the backup step, which rolls back whatever it had written to dst."""
    import time

    waiting_since: list[float] = []

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status not in (_SQLITE_BUSY, _SQLITE_LOCKED):
            waiting_since.clear()
            return
        now = time.monotonic()
        if not waiting_since:
            waiting_since.append(now)
        elif (now - waiting_since[0]) * 1000 >= BUSY_TIMEOUT_MS:
            raise DatabaseBusyError(busy_message)

    src.backup(dst, progress=progress)


def base_backups_dir(path: Path) -> Path:
    """The backups of one base: sauvegardes/<nom>-<empreinte du chemin complet>/, so that two bases of
    the same name in different folders never share, list or prune each other's backups."""
    import hashlib

    resolved = str(Path(path).expanduser().resolve())
    key = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]
    folder = backups_dir() / f"{Path(path).stem}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_backup(path: Optional[Path], reason: str = "manuelle") -> Path:
    """Timestamped backup in this base's own backups folder, keeping its newest KEEP_BACKUPS."""
    if path is None:
        raise DatabaseFileError("Les sauvegardes automatiques ne concernent que les bases SQLite locales.")
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    destination = base_backups_dir(path) / f"{Path(path).stem}_{stamp}_{reason}.sqlite"
    sqlite_backup(path, destination)
    prune_backups(path)
    return destination


_BACKUP_NAME = re.compile(r".+_\d{4}-\d{2}-\d{2}_[\d-]+_[\w-]+\.sqlite$")


def list_backups(path: Optional[Path]) -> list[Path]:
    """The backups of the base at path (only this base's: keyed by its full path), newest first."""
    if path is None:
        return []
    found = [p for p in base_backups_dir(path).glob("*.sqlite") if _BACKUP_NAME.match(p.name)]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def ensure_daily_backup(path: Path) -> Optional[Path]:
    """At the first start of each day, a backup of the file (None when today's exists already)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    today = dt.date.today().isoformat()
    if any(f"_{today}_" in p.name for p in list_backups(path)):
        return None
    return make_backup(path, "quotidienne")


def restore_backup(backup: Path, path: Path) -> Path:
    """Replace the database at path by backup, after backing up the current file; returns that copy.

    The backup is checked first (a Bons Jours database of a known revision); the caller must have
    closed every connection to path."""
    backup = Path(backup)
    if not backup.exists():
        raise DatabaseFileError(f"La sauvegarde « {backup} » n'existe pas.")
    if Path(path).exists() and os.path.samefile(backup, path):
        raise DatabaseFileError(
            f"« {backup} » est la base elle-même, pas une sauvegarde : choisissez un fichier de sauvegarde "
            "(« bonsjours backup --list » les montre). Rien n'a été modifié.")
    check_sqlite_file(backup)
    engine = make_engine("sqlite:///" + str(backup.resolve()))
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    if revision is None:
        raise DatabaseFileError(f"« {backup.name} » est vide : ce n'est pas une sauvegarde Bons Jours.")
    if revision not in known_revisions():
        raise DatabaseFileError(
            f"« {backup.name} » vient d'une version plus récente de Bons Jours : mettez l'application à jour."
        )
    safety = make_backup(path, "avant-restauration") if path.exists() and path.stat().st_size else None
    restore_file(backup, path)
    return safety


def restore_open_database(db: Database, backup: Path) -> Optional[Path]:
    """Put backup in place of an open database's file and bring it to the current schema; returns the
    safety copy of the replaced file. The database's pooled connections are closed first."""
    db.engine.dispose()
    safety = restore_backup(backup, db.path)
    _migrate(db.engine, db.path)
    return safety


def prune_backups(path: Path, keep: int = KEEP_BACKUPS) -> None:
    for old in list_backups(path)[keep:]:
        old.unlink(missing_ok=True)


def restore_file(backup: Path, path: Path) -> None:
    """Put a backup copy back in place of the base at path, through SQLite itself: its exclusive lock
    is taken first (« Base occupée » when another program is writing), then the backup API copies the
    pages in one transaction — any other program sees either the old base or the restored one."""
    check_sqlite_file(backup)
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        sqlite_backup(backup, path)
        return
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        try:
            dst.execute("BEGIN EXCLUSIVE")
            dst.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                # a reader holds it too: the restore must wait for every other use of the file
                raise DatabaseBusyError(
                    f"Base occupée : un autre programme lit ou écrit « {Path(path).name} ». Fermez-le, puis "
                    "recommencez la restauration (rien n'a été modifié).") from None
            if "readonly" in str(exc) or "unable to open" in str(exc):  # the file or its folder protected
                raise DatabaseFileError(_read_only_reason(Path(path))) from None
            raise
        try:
            bounded_backup(src, dst, f"Base occupée : un autre programme lit ou écrit « {Path(path).name} ». Fermez-le, "
                                     "puis recommencez la restauration (rien n'a été modifié).")
        except sqlite3.OperationalError as exc:  # a read-only file can be locked, not written
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise DatabaseFileError(_read_only_reason(Path(path))) from None
            raise
    finally:
        dst.close()
        src.close()


def integrity_problems(db: Database) -> list[str]:
    """French descriptions of integrity or foreign-key problems; empty when all is well."""
    try:
        return _integrity_problems(db)
    except (OperationalError, ProgrammingError, InterfaceError) as exc:
        translated = translate_connect_error(exc, db.url)
        if translated is exc:
            raise
        raise translated from exc


def _integrity_problems(db: Database) -> list[str]:
    problems: list[str] = []
    with db.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "alembic_version" not in names:
            if names - {"sqlite_sequence"}:
                return [f"La base {db.display_name} n'est pas une base Bons Jours (ses tables sont celles d'une autre "
                        "application) : elle n'a pas été modifiée."]
            how = (f"« bonsjours --db {db.display_name} init » la prépare (la fenêtre le propose aussi)" if db.path is None
                   else "elle sera préparée à sa première ouverture par Bons Jours (la fenêtre, ou « bonsjours --db … "
                        "demo » pour y mettre l'exemple)")
            return [f"La base {db.display_name} est vide (aucune table Bons Jours) : {how}."]
        if db.is_sqlite:
            for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
                if line != "ok":
                    problems.append(f"Intégrité : {line}")
            for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(
                    f"Lien cassé : la ligne {rowid} de la table « {table} » renvoie à une ligne "
                    f"absente de « {parent} »."
                )
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision != head_revision():
            problems.append(f"Schéma à la révision {revision}, attendu {head_revision()}.")
    return problems
