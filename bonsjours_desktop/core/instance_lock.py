"""One Bons Jours window per database file: an OS-level lock on '<file>.lock', released on exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from .errors import AlreadyOpenError, DatabaseFileError


class InstanceLock:
    """Exclusive, non-blocking lock; the OS frees it if the process dies, so no stale lock remains."""

    def __init__(self, db_path: Path):
        self.path = Path(str(db_path) + ".lock")
        self._handle: Optional[int] = None

    def acquire(self) -> None:
        try:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a protected folder or read-only medium: said in French, not [Errno 13]
            from .io.safe_write import os_reason

            raise DatabaseFileError(
                f"Impossible de créer « {self.path.name} » à côté de la base, dans « {self.path.parent} » : "
                f"{os_reason(exc)}. Bons Jours doit pouvoir écrire dans le dossier de la base : déplacez-la dans un "
                "dossier où vous pouvez écrire, ou ouvrez-en une copie."
            ) from None
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            raise AlreadyOpenError(
                f"La base « {self.path.with_suffix('').name} » est déjà ouverte dans une autre fenêtre "
                "Bons Jours. Fermez l'autre fenêtre ou passez-y."
            ) from None
        os.ftruncate(handle, 0)
        os.write(handle, str(os.getpid()).encode())
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            if sys.platform == "win32":
                import msvcrt

                os.lseek(self._handle, 0, 0)
                msvcrt.locking(self._handle, msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._handle, fcntl.LOCK_UN)
        finally:
            os.close(self._handle)
            self._handle = None
            try:
                self.path.unlink()
            except OSError:
                pass

    def __enter__(self) -> "InstanceLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
