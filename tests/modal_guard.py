"""A modal dialog or menu nobody answers must fail its test, not block the whole run.

Offscreen, ``exec()`` of a box the test did not expect (an error, « Base occupée », a question) waits for a
click that never comes: the run then stops only at the CI's time limit, with no name. Every ``exec()`` made
during the tests gets a watchdog: still open after LIMIT_MS, it is recorded and closed, and the test fails
with the dialog's title and text (tests/conftest.py)."""

from __future__ import annotations

import itertools

LIMIT_MS = 60_000
blocked: list[str] = []
_runs = itertools.count(1)
_current: dict[int, int] = {}  # id of the dialog → number of its latest exec()


def _describe(widget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    title = widget.windowTitle() if hasattr(widget, "windowTitle") else ""
    return f"{type(widget).__name__} « {title} »" + (f" : {text}" if text else "")


def _guarded(original):
    def exec_(self, *args, **kwargs):
        import shiboken6
        from PySide6.QtCore import QTimer

        run = next(_runs)
        _current[id(self)] = run

        def still_open() -> None:
            if not shiboken6.isValid(self) or _current.get(id(self)) != run or not self.isVisible():
                return
            blocked.append(_describe(self))
            if hasattr(self, "reject"):
                self.reject()
            else:
                self.close()

        QTimer.singleShot(LIMIT_MS, still_open)
        try:
            return original(self, *args, **kwargs)
        finally:
            _current.pop(id(self), None)

    exec_.__wrapped__ = original
    return exec_


def install() -> None:
    """Wrap exec() of QDialog (QMessageBox, QFileDialog… inherit it) and QMenu, once per process."""
    from PySide6.QtWidgets import QDialog, QMenu

    for cls in (QDialog, QMenu):
        if not hasattr(cls.exec, "__wrapped__"):
            cls.exec = _guarded(cls.exec)


def take_blocked() -> list[str]:
    found = blocked[:]
    blocked.clear()
    return found
