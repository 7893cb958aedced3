"""Long work off the GUI thread, behind a progress dialog with « Annuler ».

work(progress) runs in a QThread; progress(step, done, total) updates the dialog (through a queued
signal; a total of 0 or 1 shows a busy bar and the step alone) and raises the given cancel exception once the user clicked « Annuler », so the work stops at
its next step — for an import, before or inside its one transaction, which is then rolled back.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ...core.formatting import count

T = TypeVar("T")
Progress = Callable[[str, int, int], None]


class Worker(QObject):
    """Runs work(progress) in its own thread; `progressed` and `done` reach the GUI thread queued."""

    progressed = Signal(str, int, int)
    done = Signal()

    def __init__(self, work: Callable[[Progress], Any], cancelled: Callable[[], BaseException]):
        super().__init__()
        self.work = work
        self.make_cancelled = cancelled
        self.cancel_requested = threading.Event()
        self.result: Any = None
        self.error: Optional[BaseException] = None

    def progress(self, step: str, done: int, total: int) -> None:
        if self.cancel_requested.is_set():
            raise self.make_cancelled()
        self.progressed.emit(step, done, total)
        if self.cancel_requested.is_set():  # a direct connection may have asked just now
            raise self.make_cancelled()

    def run(self) -> None:
        try:
            self.result = self.work(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
            self.error = exc
        finally:
            self.done.emit()


class _Relay(QObject):
    """Lives in the GUI thread, so the worker's signals reach it queued (a plain function connected to a
    signal would be called in the worker's thread, where no widget may be touched)."""

    def __init__(self, callback: Callable[[str, int, int], None]):
        super().__init__()
        self.callback = callback

    @Slot(str, int, int)
    def relay(self, step: str, done: int, total: int) -> None:
        self.callback(step, done, total)


def run_with_progress(parent: Optional[QWidget], title: str, work: Callable[[Progress], T],
                      cancelled: Callable[[], BaseException], *, label: str = "",
                      on_worker: Optional[Callable[[Worker, QProgressDialog], None]] = None) -> T:
    """Run work in a thread behind a modal progress dialog; return its result or raise its error
    (cancelled() when the user clicked « Annuler »). on_worker: called with the worker and the dialog
    before the work starts (tests connect to its signals there)."""
    dialog = QProgressDialog(label or title, "Annuler", 0, 0, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(400)  # a short job never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    worker = Worker(work, cancelled)
    thread = QThread()
    worker.moveToThread(thread)
    loop = QEventLoop()

    def show_progress(step: str, done: int, total: int) -> None:
        if worker.cancel_requested.is_set():
            return
        if total <= 1:  # a step that cannot be counted (reading the file): a busy bar
            dialog.setMaximum(0)
            dialog.setValue(0)
            dialog.setLabelText(f"{step}…")
            return
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))
        dialog.setLabelText(f"{step} : {count(done)} / {count(total)}")

    def cancel() -> None:
        worker.cancel_requested.set()
        dialog.setLabelText("Annulation… (rien ne sera écrit)")

    relay = _Relay(show_progress)
    worker.progressed.connect(relay.relay)
    worker.done.connect(loop.quit)
    dialog.canceled.connect(cancel)
    thread.started.connect(worker.run)
    # Everything after the dialog's creation is inside try: its own timer shows it after minimumDuration,
    # so a dialog left open by an error here appeared later, busy for ever, over the error shown.
    try:
        if on_worker is not None:
            on_worker(worker, dialog)
        thread.start()
        loop.exec()
    finally:
        thread.quit()
        thread.wait()
        dialog.canceled.disconnect(cancel)
        dialog.close()
        dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result
