"""One background job for every « Générer » of the Documents tab: Word documents and the communication kit."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QThread, Signal

from ...core.errors import BonsJoursError

log = logging.getLogger(__name__)


class GenerationJob(QThread):
    """Runs work() off the GUI thread with its own database session; reports progress, the result, or
    one French message (a domain error as is, anything else as « Erreur inattendue », logged)."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    # « Erreur inattendue pendant la production <what> »
    what = "des documents"

    def __init__(self, db, edition_id: int, parent=None):
        super().__init__(parent)
        self.db = db
        self.edition_id = edition_id

    def work(self, session) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def report(self, done: int, total: int, label: str) -> None:
        self.progress.emit(done, total, label)

    def run(self) -> None:  # noqa: D401 - QThread entry point
        try:
            with self.db.session() as session:
                result = self.work(session)
        except BonsJoursError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported in French, details in the log
            log.exception("Erreur pendant la production %s", self.what)
            self.failed.emit(f"Erreur inattendue pendant la production {self.what} : {exc}")
            return
        self.succeeded.emit(result)
