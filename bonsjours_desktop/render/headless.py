"""The one way to get a QApplication for drawing: the GUI's when it runs, else an offscreen one."""

from __future__ import annotations

import os

_application = None


def ensure_application():
    """The running QApplication, or a new offscreen one kept for the life of the process."""
    global _application
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application = QApplication([])
    return _application
