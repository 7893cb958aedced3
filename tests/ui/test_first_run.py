"""The welcome of an empty base: create a first edition, discover the example, or later."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core.models import Edition


@pytest.fixture
def empty_window(qtbot, qapp_no_modal, db):
    from bonsjours_desktop.ui.app import create_main_window, is_empty

    assert is_empty(db)
    window = create_main_window(db)
    qtbot.addWidget(window)
    window.show()
    return window


def answer_with(button_text: str, then=None):
    """A timer that clicks button_text in the welcome box, then runs then(dialog) on the next modal dialog."""
    state = {"clicked": False, "dialogs": []}

    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QDialog) or not box.isVisible():
            return
        if isinstance(box, QMessageBox) and not state["clicked"]:
            state["texts"] = [b.text() for b in box.buttons()]
            state["clicked"] = True
            next(b for b in box.buttons() if b.text() == button_text).click()
        elif not isinstance(box, QMessageBox) and box not in state["dialogs"]:
            state["dialogs"].append(box)
            try:
                (then or (lambda d: d.reject()))(box)
            except Exception as exc:  # noqa: BLE001 - reported by the test, never left hanging
                state["error"] = exc
            if box.isVisible():
                box.reject()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(look)
    timer.start()
    state["timer"] = timer
    return state


def test_welcome_creates_a_first_edition_and_opens_on_it(empty_window, db):
    from bonsjours_desktop.ui.app import offer_demo

    clock.set_today(dt.date(2026, 12, 2))  # a Wednesday; proposed: Wednesday 27 January 2027 and Saturday 30

    def fill(dialog):
        assert dialog.windowTitle() == "Créer ma première édition"
        assert dialog.days() == [dt.date(2027, 1, 27), dt.date(2027, 1, 30)]
        dialog.name_edit.setText("")  # first an empty name: an error in place, the dialog stays open
        dialog.create_button.click()
        assert dialog.isVisible() and "nom" in dialog.error_label.text().lower()
        assert not empty_window.context.ops.can_undo
        dialog.name_edit.setText("Printemps 2027")
        dialog.first_day.setDate(dialog.first_day.date().addDays(7))  # the Saturday follows
        assert dialog.days() == [dt.date(2027, 2, 3), dt.date(2027, 2, 6)]
        dialog.envelope_edit.setText("30 000")
        dialog.create_button.click()

    state = answer_with("Créer ma première édition", fill)
    choice = offer_demo(empty_window, empty_window.context)
    state["timer"].stop()
    if "error" in state:
        raise state["error"]
    assert sorted(state["texts"]) == ["Créer ma première édition", "Découvrir avec l'exemple", "Plus tard"]
    assert choice == "Créer ma première édition"
    with db.session() as s:
        edition = s.scalars(select(Edition)).one()
        assert edition.name == "Printemps 2027" and str(edition.budget_envelope) == "30000.00"
        assert [d.day for d in edition.event_days] == [dt.date(2027, 2, 3), dt.date(2027, 2, 6)]
        created = edition.id
    assert empty_window.context.edition_id == created
    assert empty_window.tab_widget.tabText(empty_window.tab_widget.currentIndex()) == "Tableau de bord"
    dashboard = empty_window.tab("Tableau de bord")
    dashboard.reload()
    assert dashboard.countdown.text().startswith("J-63")


def test_welcome_discovers_the_example_or_leaves_the_base_empty(empty_window, db):
    from bonsjours_desktop.ui.app import is_empty, offer_demo

    state = answer_with("Plus tard")
    assert offer_demo(empty_window, empty_window.context) == "Plus tard"
    state["timer"].stop()
    assert is_empty(db) and not state["dialogs"]

    state = answer_with("Découvrir avec l'exemple")
    assert offer_demo(empty_window, empty_window.context) == "Découvrir avec l'exemple"
    state["timer"].stop()
    with db.session() as s:
        names = {e.name for e in s.scalars(select(Edition))}
    assert {"Novembre 2013", "Avril 2014"} <= names and any(n.startswith("Exemple – ") for n in names)
    assert empty_window.edition_combo.count() == len(names)


def test_empty_tabs_point_to_the_file_menu(empty_window):
    for title, label in (("Budget", "totals"), ("Planning", "summary")):
        tab = empty_window.show_tab(title)
        assert "Fichier → « Nouvelle édition… »" in getattr(tab, label).text(), title
    assert "Fichier → « Nouvelle édition… »" in empty_window.show_tab("Tableau de bord").gauge_text.text()
