"""Costly content drawn right after a tab's first image, and only while it is still shown.

The Planning tab's Gantt chart (pyqtgraph: ~250 ms to import) and the Boutiques map of 10 000 shops
(~70 ms) would double the time before a tab shows anything: the tab first paints a placeholder, whose
paintEvent calls painted(); the work then runs at the next turn of the event loop if the owner is
visible, and waits for the next paint otherwise (the user left the tab before it came)."""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstImage:
    def __init__(self, owner: QWidget, work: Optional[Callable[[], None]] = None):
        self.owner = owner
        self.work = work
        self._asked = False

    def set(self, work: Callable[[], None]) -> None:
        self.work, self._asked = work, False

    def pending(self) -> bool:
        return self.work is not None

    def cancel(self) -> None:
        """The content came another way (asked for at once): nothing left to do."""
        self.work = None

    def painted(self) -> None:
        """Called by the placeholder's paintEvent."""
        if self.work is not None and not self._asked:
            self._asked = True
            QTimer.singleShot(0, self.owner, self._run)

    def _run(self) -> None:
        if self.work is None:
            return
        if not self.owner.isVisible():
            self._asked = False  # left before: done when painted again
            return
        work, self.work = self.work, None
        work()
