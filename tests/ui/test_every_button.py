"""Every button of every tab and every menu action, clicked as a user would, on the demo: none ends in
« Une erreur inattendue ». A method connected to a button is not tested by calling the method: the click
itself once passed clicked(bool) where the import dialog expected a callback.

Every dialog is answered « Annuler » at once (exec() returns Rejected, file pickers return nothing, questions
answer No), so a click builds what it opens and takes its way out, and writes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QTabWidget,
)

from bonsjours_desktop.ui import errors
from bonsjours_desktop.ui.main_window import TAB_SPECS


@pytest.fixture
def everything_cancelled(monkeypatch):
    opened: list[str] = []

    def refuse(self, *args, **kwargs):
        opened.append(f"{type(self).__name__} « {self.windowTitle()} »")
        return 0

    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMenu, "exec", lambda self, *a, **k: opened.append("menu") or None)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(lambda *a, **k: (0, False)))
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *a, **k: (0.0, False)))
    for name in ("question", "warning", "information", "critical", "about", "aboutQt"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.No))
    # « Ouvrir le dossier », a document: the system's viewer is not started
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toString()) or True))
    return opened


def unexpected_errors() -> list[str]:
    found = [box.detailedText().strip().splitlines()[-1] for box in errors._OPEN_BOXES
             if box.icon() == QMessageBox.Critical]
    for box in list(errors._OPEN_BOXES):
        box.close()
    errors._OPEN_BOXES.clear()
    return found


def _select_first_rows(widget) -> None:
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisible() and model is not None and model.rowCount() and view.selectionModel() is not None:
            view.setCurrentIndex(model.index(0, 0))


@pytest.mark.parametrize("title", [spec[0] for spec in TAB_SPECS])
def test_every_button_of_a_tab_clicked(main_window, everything_cancelled, qtbot, title):
    tab = main_window.show_tab(title)
    failures, clicked = [], []
    # sub-tabs (Partenaires, Logistique…) are each shown, and their buttons clicked
    pages = [(None, None)]
    for tabs in tab.findChildren(QTabWidget):
        pages += [(tabs, i) for i in range(tabs.count())]
    for tabs, index in pages:
        if tabs is not None:
            tabs.setCurrentIndex(index)
        _select_first_rows(tab)
        for button in tab.findChildren(QAbstractButton):
            if not (button.isVisible() and button.isEnabled()) or button.objectName() == "qt_tabwidget_scrollbutton":
                continue
            label = button.text() or button.toolTip() or button.objectName()
            menu = button.menu() if hasattr(button, "menu") else None
            if menu is not None:  # Qt would open it with its own exec(), out of reach: its actions instead
                for action in menu.actions():
                    if action.isEnabled() and not action.isSeparator() and action.menu() is None:
                        action.trigger()
                        clicked.append(action.text())
                        failures += [f"{title} › « {label} » › « {action.text()} » : {e}" for e in unexpected_errors()]
                continue
            button.click()
            clicked.append(label)
            if getattr(tab, "worker", None) is not None:  # a production started (Documents): to its end
                qtbot.waitUntil(lambda: tab.worker is None, timeout=120_000)
            failures += [f"{title} › « {label} » : {e}" for e in unexpected_errors()]
            if button.isCheckable() and button.isChecked():
                button.click()  # back as it was
    assert failures == []
    assert clicked or title == "Tableau de bord"  # the dashboard has no button: its rows open the other tabs


def test_every_menu_action_triggered(main_window, everything_cancelled):
    failures = []
    skipped = {"Quitter"}
    for menu in main_window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if action.menu() is not None or action.isSeparator() or not action.isEnabled():
                continue
            label = action.text().replace("&", "")
            if label in skipped:
                continue
            action.trigger()
            failures += [f"menu « {menu.title()} » › « {label} » : {e}" for e in unexpected_errors()]
            if action.isCheckable() and action.isChecked():
                action.trigger()
    assert failures == []
