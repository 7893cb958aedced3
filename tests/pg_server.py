"""A throw-away PostgreSQL server for the test session: started on loopback in a temporary folder, stopped
afterwards. Its packages are installed by the set-up step (tools/ensure-system-deps), not by the tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Optional


def _bin(name: str) -> Optional[str]:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl start in a temporary folder; url() names a database; stop() removes it all."""

    def __init__(self) -> None:
        self.folder: Optional[Path] = None
        self.port = 0
        self.reason = ""

    def start(self) -> bool:
        if os.environ.get("BONSJOURS_NO_POSTGRES") == "1":
            self.reason = "BONSJOURS_NO_POSTGRES=1"
            return False
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            self.reason = "PostgreSQL n'est pas installé (make test l'installe : tools/ensure-system-deps)"
            return False
        self.folder = Path(tempfile.mkdtemp(prefix="bonsjours-pg-"))
        data, sockets = self.folder / "data", self.folder / "sockets"
        sockets.mkdir()
        as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres")
            shutil.chown(sockets, "postgres")
            as_user = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self._as_user = as_user
        self._pg_ctl = pg_ctl
        self._data = data
        result = subprocess.run(as_user + [initdb, "-D", str(data), "-A", "trust", "-U", "bonsjours", "-E", "UTF8",
                                           "--locale=C"], capture_output=True, text=True)
        if result.returncode != 0:
            self.reason = f"initdb a échoué : {result.stderr.strip()[:300]}"
            return False
        options = f"-p {self.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        result = subprocess.run(as_user + [pg_ctl, "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                                           "-w", "-t", "60", "start"], capture_output=True, text=True)
        if result.returncode != 0:
            self.reason = f"PostgreSQL n'a pas démarré : {result.stderr.strip()[:300]}"
            return False
        return True

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://bonsjours@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: Optional[str] = None) -> str:
        """A new database (a copy of template when given: 0.1 s instead of migrating and loading)."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=bonsjours dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def stop(self) -> None:
        if self.folder is None:
            return
        if self._data.exists():
            subprocess.run(self._as_user + [self._pg_ctl, "-D", str(self._data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
