"""Writing output files safely: never onto a database, whole or not at all, with the usual permissions.

Every file Bons Jours writes for the user (exports, documents, charts, screenshots, backups named with
--out) goes through check_output_target, then atomic_write:

- the target may not be an open database file, its -journal/-wal/-shm companions, its window lock
  (<base>.lock), anything inside the backups folder, nor any existing SQLite file (an export never
  replaces a base, whichever it is); the databases opened by this process are remembered by
  core.db.open_database, so every writer is protected without being told which base is open;
- the content is written to a temporary file in the target's folder, flushed to disk, then renamed
  over the target in one step (os.replace): a failure leaves the previous file intact;
- the file gets the permissions any new file gets (0666 less the umask, typically 0644), not the 0600
  of temporary files, so colleagues on a shared folder can open it.

Each refusal is one French sentence (BonsJoursError) naming the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Union

from ..errors import BonsJoursError

SQLITE_HEADER = b"SQLite format 3\x00"
DB_COMPANIONS = ("", "-journal", "-wal", "-shm", ".lock")
BACKUPS_FOLDER = "sauvegardes"
TEMP_PREFIX = ".bonsjours-ecriture-"

_open_databases: set[Path] = set()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once at import, before any thread could be writing files


def new_file_mode() -> int:
    """What a new file gets: 0666 less the umask (0644 with the usual 022)."""
    return 0o666 & ~_UMASK


def remember_database(path: Optional[Path]) -> None:
    """Called for every SQLite file this process opens: its files are never an output target."""
    if path is not None:
        _open_databases.add(_resolved(Path(path)))


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.expanduser().absolute()


def database_file(db: Any) -> Optional[Path]:
    """The SQLite file behind db: a Database, a Session, an Engine or Connection, a path, or None."""
    if db is None:
        return None
    if isinstance(db, (str, os.PathLike)):
        return Path(db)
    path = getattr(db, "path", None)
    if isinstance(path, Path):
        return path
    bind = db.get_bind() if hasattr(db, "get_bind") else db
    engine = getattr(bind, "engine", bind)
    url = getattr(engine, "url", None)
    if url is None or getattr(engine.dialect, "name", "") != "sqlite":
        return None
    database = url.database
    return Path(database) if database and database != ":memory:" else None


def backups_folder() -> Path:
    from ..db import data_dir

    return data_dir() / BACKUPS_FOLDER


def _protected(db: Any) -> set[Path]:
    bases = set(_open_databases)
    explicit = database_file(db)
    if explicit is not None:
        bases.add(_resolved(explicit))
    return {Path(str(base) + suffix) for base in bases for suffix in DB_COMPANIONS}


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_output_target(path: Union[str, Path], db: Any = None, *, backup: bool = False) -> Path:
    """The resolved target, or a French refusal: a database or its companions, the backups folder,
    an existing SQLite file, a folder, a missing folder. backup=True (a backup named by the user) allows
    the backups folder and replacing an older backup, never the open base itself."""
    try:
        return _check_output_target(path, db, backup=backup)
    except OSError as exc:  # a name too long, a loop of links…: asking about the path itself fails
        raise BonsJoursError(f"Impossible d'écrire « {path} » : {os_reason(exc)}. Rien n'a été écrit.") from None


def _check_output_target(path: Union[str, Path], db: Any = None, *, backup: bool = False) -> Path:
    raw = Path(path).expanduser()
    if not str(path).strip():
        raise BonsJoursError("Le nom du fichier à écrire est vide.")
    target = _resolved(raw)
    refuse_a_database(raw, db, existing_base=False)
    if target.is_dir():
        raise BonsJoursError(f"« {raw} » est un dossier : indiquez un nom de fichier à écrire dedans.")
    if not backup:
        folder = _resolved(backups_folder())
        if target == folder or folder in target.parents:
            raise BonsJoursError(
                f"« {raw} » est dans le dossier des sauvegardes, réservé aux sauvegardes de la base : "
                "choisissez un autre dossier. Rien n'a été écrit."
            )
        if target.exists() and _is_sqlite_file(target):
            raise BonsJoursError(
                f"« {raw} » est une base de données : un export ne la remplace pas. Choisissez un autre nom de "
                "fichier. Rien n'a été écrit."
            )
    if not target.parent.exists():
        raise BonsJoursError(f"Le dossier « {raw.parent} » n'existe pas : créez-le ou choisissez-en un autre.")
    if not target.parent.is_dir():
        raise BonsJoursError(f"« {raw.parent} » n'est pas un dossier.")
    return target


def refuse_a_database(path: Union[str, Path], db: Any = None, *, existing_base: bool = True) -> None:
    """A French refusal when path names the open base or one of its companions (journal, WAL, lock) or,
    with existing_base, any existing SQLite file: for a name the user gave that a command turns into
    another (a document's « base.sqlite » → « base.sqlite.docx »), so that it is refused, not reinterpreted."""
    raw = Path(path).expanduser()
    target = _resolved(raw)
    if target in _protected(db):
        raise BonsJoursError(
            f"« {raw} » est la base de données ouverte (ou un de ses fichiers de travail) : "
            "choisissez un autre nom de fichier. Rien n'a été écrit."
        )
    if existing_base and target.is_file() and _is_sqlite_file(target):
        raise BonsJoursError(
            f"« {raw} » est une base de données : un export ne la remplace pas. Choisissez un autre nom de "
            "fichier. Rien n'a été écrit."
        )


def check_output_folder(folder: Union[str, Path], db: Any = None, *, create: bool = True, probe: bool = True) -> Path:
    """An output folder (--out-dir): not the backups folder, not a file; created when missing; with probe,
    a file can be created in it (a protected folder is refused before any work, not after the first file)."""
    try:
        return _check_output_folder(folder, db, create=create, probe=probe)
    except OSError as exc:  # a name too long, a loop of links…
        raise BonsJoursError(f"Impossible d'écrire dans le dossier « {folder} » : {os_reason(exc)}.") from None


def _check_output_folder(folder: Union[str, Path], db: Any = None, *, create: bool = True, probe: bool = True) -> Path:
    raw = Path(folder).expanduser()
    target = _resolved(raw)
    backups = _resolved(backups_folder())
    if target == backups or backups in target.parents:
        raise BonsJoursError(
            f"« {raw} » est le dossier des sauvegardes, réservé aux sauvegardes de la base : choisissez un autre "
            "dossier. Rien n'a été écrit."
        )
    if target in _protected(db) or (target.exists() and not target.is_dir()):
        raise BonsJoursError(f"« {raw} » est un fichier, pas un dossier : indiquez un dossier où écrire.")
    if not target.exists():
        if not create:
            raise BonsJoursError(f"Le dossier « {raw} » n'existe pas.")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BonsJoursError(f"Impossible de créer le dossier « {raw} » : {_reason(exc)}.") from None
    if probe:
        check_writable_folder(target)
    return target


def check_writable_folder(folder: Union[str, Path]) -> None:
    """A French refusal unless a file can be created in folder (a protected folder, a read-only medium):
    asked before long work (documents) so that it fails before, not after, the first file."""
    try:
        handle, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-essai-", dir=folder)
    except OSError as exc:
        raise BonsJoursError(f"Impossible d'écrire dans le dossier « {folder} » : {os_reason(exc)}.") from None
    os.close(handle)
    try:
        os.unlink(name)
    except OSError:
        pass


def os_reason(exc: OSError) -> str:
    """Why a file or folder could not be written, in French (never the system's English strerror)."""
    import errno

    code = getattr(exc, "errno", None)
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "accès refusé (dossier protégé en écriture, ou fichier ouvert dans un autre programme)"
    reasons = {
        errno.ENOSPC: "disque plein",
        errno.EDQUOT: "quota de disque dépassé",
        errno.EROFS: "support en lecture seule",
        errno.EEXIST: "un fichier porte déjà ce nom",
        errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
        errno.ENOENT: "dossier introuvable",
        errno.EISDIR: "c'est un dossier",
        errno.ENAMETOOLONG: "nom de fichier trop long",
        errno.EINVAL: "nom de fichier refusé par le système (caractère interdit ?)",
        errno.EIO: "erreur d'entrée-sortie (support retiré ou défectueux ?)",
        errno.EBUSY: "fichier ou dossier occupé par un autre programme",
    }
    if code in reasons:
        return reasons[code]
    return f"erreur du système n° {code}" if code is not None else "erreur du système"


_reason = os_reason


Content = Union[bytes, str, Callable[[Path], Any]]


def atomic_write(path: Union[str, Path], content: Content, *, db: Any = None, encoding: str = "utf-8",
                 backup: bool = False) -> Path:
    """Write content (bytes, text, or a function writing to the temporary path it is given) to path,
    atomically, after check_output_target; returns the path written."""
    target = check_output_target(path, db, backup=backup)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix or ".tmp",
                                             dir=target.parent)
    except OSError as exc:
        raise BonsJoursError(f"Impossible d'écrire dans le dossier « {target.parent} » : {_reason(exc)}.") from None
    temp = Path(temp_name)
    try:
        try:
            if callable(content):
                os.close(handle)
                handle = -1
                content(temp)
            else:
                data = content.encode(encoding) if isinstance(content, str) else content
                with os.fdopen(handle, "wb") as stream:
                    handle = -1
                    stream.write(data)
            with temp.open("rb+") as stream:
                os.fsync(stream.fileno())
            mode = (target.stat().st_mode & 0o7777) if target.exists() else new_file_mode()
            os.chmod(temp, mode)
            os.replace(temp, target)
        except OSError as exc:
            raise BonsJoursError(f"Impossible d'écrire « {target} » : {_reason(exc)}. Le fichier précédent n'a pas été modifié.") from None
    finally:
        if handle != -1:
            os.close(handle)
        if temp.exists():
            try:
                temp.unlink()
            except OSError:
                pass
    return target


__all__ = ["check_output_target", "check_output_folder", "atomic_write", "remember_database", "database_file",
           "new_file_mode", "os_reason", "check_writable_folder"]
