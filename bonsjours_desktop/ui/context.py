"""What every tab receives: the database, the operation runner and the current edition."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Optional, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..core.db import Database
from ..core.operations import Changes, OperationRunner

T = TypeVar("T")


class AppSignals(QObject):
    """Broadcasts: data changed (with what), current edition changed, navigation requests."""

    changed = Signal(object)  # Changes
    edition_changed = Signal(object)  # Optional[int]
    navigate = Signal(str, object)  # tab title, payload (e.g. {"shop_id": 3})


@dataclass
class AppContext:
    db: Database
    ops: OperationRunner
    signals: AppSignals = field(default_factory=AppSignals)
    edition_id: Optional[int] = None
    # The widget whose run() is in progress: relay() stamps it on the Changes as their initiator.
    initiator: Optional[QWidget] = None

    def relay(self, changes: Changes) -> None:
        """Broadcast what an operation (or undo/redo) changed, with who asked for it."""
        if self.initiator is not None and changes.initiator is None:
            changes = replace(changes, initiator=self.initiator)
        self.signals.changed.emit(changes)

    def run(self, parent: Optional[QWidget], description: str, action: Callable[[Any], T], *,
            expect: Iterable[Any] = (), on_reload: Optional[Callable[[], None]] = None,
            on_error: Optional[Callable[[BaseException], bool]] = None) -> Optional[Changes]:
        """The one way the GUI changes data: run the operation; None when nothing was saved.

        - Another user saved or deleted the row since it was shown (the service refused the version it
          was given, or a snapshot in expect is stale): the French "what changed" message, with
          « Recharger » calling on_reload (the form or tab re-reads the rows and their versions).
        - A busy base: « Base occupée », with « Réessayer » (the action is a closure holding what the
          user typed, so retrying loses nothing).
        - A domain error (validation, conflict…): on_error(exc) may show it in place (under a field of
          a form) and return True; otherwise, like any unexpected error, it is shown in a dialog."""
        from ..core.errors import DatabaseBusyError
        from ..core.versions import ConcurrentEditError
        from .errors import show_error

        expect = [shot for shot in expect if shot is not None]
        while True:
            outer, self.initiator = self.initiator, parent
            try:
                return replace(self.ops.run(description, action, expect=expect), initiator=parent)
            except ConcurrentEditError as exc:
                if ask_reload(parent, exc) and on_reload is not None:
                    on_reload()
                return None
            except DatabaseBusyError as exc:
                if ask_retry(parent, exc):
                    continue
                return None
            except Exception as exc:  # noqa: BLE001 - every failure is shown, none is half-written
                if _is_domain(exc) and on_error is not None and on_error(exc):
                    return None
                if not _is_domain(exc):
                    import logging

                    logging.getLogger(__name__).error("Erreur pendant « %s »", description, exc_info=exc)
                show_error(parent, exc)
                return None
            finally:
                self.initiator = outer

    def read(self, query: Callable[[Any], T]) -> T:
        return self.ops.read(query)


def ask_reload(parent: Optional[QWidget], error: BaseException) -> bool:
    """Tell what another user changed; True when the user wants to reload the form."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, "Modifié par quelqu'un d'autre", str(error),
                      QMessageBox.NoButton, parent)
    reload_button = box.addButton("Recharger", QMessageBox.AcceptRole)
    box.addButton("Fermer", QMessageBox.RejectRole)
    box.setDefaultButton(reload_button)
    box.exec()
    return box.clickedButton() is reload_button


def ask_retry(parent: Optional[QWidget], error: BaseException) -> bool:
    """Ask whether to retry an action the busy database refused; True to retry."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, "Base occupée", str(error), QMessageBox.Retry | QMessageBox.Cancel, parent)
    box.setInformativeText("Votre modification est gardée : « Réessayer » l'enregistre dès que la base est libre.")
    box.setDefaultButton(QMessageBox.Retry)
    return box.exec() == QMessageBox.Retry


def _is_domain(exc: BaseException) -> bool:
    from ..core.errors import BonsJoursError

    return isinstance(exc, BonsJoursError)
