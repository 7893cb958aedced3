"""The tests' watchdog on modal dialogs: one nobody answers is closed and named, so the run goes on."""

from PySide6.QtWidgets import QMessageBox

from tests import modal_guard


def test_an_unanswered_modal_box_is_closed_and_named(qapp, monkeypatch):
    monkeypatch.setattr(modal_guard, "LIMIT_MS", 50)
    box = QMessageBox(QMessageBox.Warning, "Base occupée", "La base est utilisée par un autre programme.")
    box.exec()  # without the watchdog: blocks for ever offscreen
    assert modal_guard.take_blocked() == ["QMessageBox « Base occupée » : La base est utilisée par un autre programme."]
    assert not box.isVisible()


def test_a_box_answered_in_time_is_not_reported(qapp, qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(modal_guard, "LIMIT_MS", 50)
    box = QMessageBox(QMessageBox.Question, "Supprimer ?", "Supprimer la boutique ?")
    QTimer.singleShot(0, box.accept)
    box.exec()
    later = QTimer(singleShot=True, interval=100)  # fires after the watchdog's turn
    with qtbot.waitSignal(later.timeout):
        later.start()
    assert modal_guard.take_blocked() == []
