"""Error dialogs: domain errors shown as their French message, unexpected ones with details to copy."""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Optional

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..core.errors import BonsJoursError

log = logging.getLogger(__name__)


def show_error(parent: Optional[QWidget], error: BaseException, title: str = "Bons Jours") -> QMessageBox:
    """Show error to the user; returns the (already closed, or open in tests) message box."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    if isinstance(error, BonsJoursError):
        box.setIcon(QMessageBox.Warning)
        box.setText(str(error))
    else:
        from ..core.logs import log_file

        # The box says the details are in the journal: every caller's unexpected error is written there,
        # not only those that reach the excepthook.
        log.error("Erreur inattendue", exc_info=(type(error), error, error.__traceback__))
        box.setIcon(QMessageBox.Critical)
        box.setText(
            "Une erreur inattendue est survenue. Rien n'a été enregistré à moitié : "
            "l'action en cours a été annulée et vous pouvez continuer à travailler."
        )
        box.setInformativeText(f"Les détails ont été écrits dans le journal : {log_file()}")
        box.setDetailedText("".join(traceback.format_exception(type(error), error, error.__traceback__)))
    box.setStandardButtons(QMessageBox.Ok)
    box.setObjectName("errorDialog")
    if QApplication.instance() is not None and not getattr(QApplication.instance(), "bonsjours_no_modal", False):
        box.exec()
    else:
        # Shown without blocking: a box with no parent would be destroyed with its last Python
        # reference (the excepthook drops it), so it is kept until closed.
        _OPEN_BOXES.append(box)
        box.finished.connect(lambda _result, box=box: _OPEN_BOXES.remove(box) if box in _OPEN_BOXES else None)
        box.show()
    return box


_OPEN_BOXES: list[QMessageBox] = []


def install_excepthook() -> None:
    """Unexpected exceptions reaching the event loop: logged, shown, and the app keeps running."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        app = QApplication.instance()
        parent = app.activeWindow() if app is not None else None
        show_error(parent, exc)

    sys.excepthook = hook
