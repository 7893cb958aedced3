"""Fichier → Concertation sur les dates… : propose, answer in the grid, import, rank, choose, undo."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from bonsjours_desktop.core.concertation import list_candidates
from bonsjours_desktop.core.editions import create_edition, find_edition
from bonsjours_desktop.ui.widgets.dates_dialog import FIXED_COLUMNS, AnswerDelegate
from bonsjours_desktop.ui.widgets import kit

D = dt.date


def _dialog(main_window, qtbot):
    context = main_window.context
    context.ops.run("Créer", lambda s: create_edition(s, "Novembre 2014", [], allow_no_days=True))
    main_window.reload_editions()
    dialog = main_window.open_dates(show=False)
    qtbot.addWidget(dialog)
    dialog.edition_combo.setCurrentIndex(dialog.edition_combo.findText("Novembre 2014"))
    return dialog


def _propose(dialog, first: D):
    dialog.first_edit.setDate(QDate(first.year, first.month, first.day))
    dialog.add_button.click()


def test_the_menu_opens_the_dialog(main_window):
    assert main_window.action_dates.text() == "Concertation sur les d&ates…"
    assert main_window.action_dates.shortcut().toString() == "Ctrl+D"


def test_propose_answer_rank_choose_and_undo(main_window, qtbot, monkeypatch):
    dialog = _dialog(main_window, qtbot)
    _propose(dialog, D(2014, 11, 12))  # the Saturday follows: 15 November
    _propose(dialog, D(2014, 11, 11))  # a public holiday
    assert dialog.grid.columnCount() == len(FIXED_COLUMNS) + 2
    assert "Armistice" in dialog.status.text()
    assert dialog.grid.horizontalHeaderItem(len(FIXED_COLUMNS) + 1).text().startswith("⚠ Choix 2")
    assert isinstance(dialog.grid.itemDelegateForColumn(len(FIXED_COLUMNS)), AnswerDelegate)

    # Answer in the grid: two « oui » for choice 2, one for choice 1.
    dialog.grid.item(0, len(FIXED_COLUMNS)).setText("oui")
    dialog.grid.item(0, len(FIXED_COLUMNS) + 1).setText("oui")
    dialog.grid.item(1, len(FIXED_COLUMNS) + 1).setText("oui")
    assert dialog.grid.item(1, len(FIXED_COLUMNS) + 1).text() == "oui"  # saved, then reloaded from the base
    assert dialog.ranking_list.item(0).text().startswith("⚠ 1. Choix 2")

    monkeypatch.setattr(kit, "confirm", lambda *a, **k: True)
    dialog.ranking_list.setCurrentRow(1)  # choice 1, despite the ranking
    dialog.choose_button.click()
    edition_id = dialog.edition_id

    def days(session):
        return [d.day for d in find_edition(session, "Novembre 2014").event_days]

    assert main_window.context.read(days) == [D(2014, 11, 12), D(2014, 11, 15)]
    assert "(retenu)" in dialog.grid.horizontalHeaderItem(len(FIXED_COLUMNS)).text()
    main_window.context.ops.undo()
    assert main_window.context.read(days) == []
    assert not any(c.chosen for c in main_window.context.read(lambda s: list_candidates(s, edition_id)))


def test_form_and_import_from_the_dialog(main_window, qtbot, tmp_path, monkeypatch):
    dialog = _dialog(main_window, qtbot)
    _propose(dialog, D(2014, 11, 12))
    # The button, clicked: it asks where to write (clicked(bool) must not stand for the path).
    monkeypatch.setattr(kit, "save_file_as", lambda *a, **k: tmp_path / "reponses.xlsx")
    qtbot.mouseClick(dialog.form_button, Qt.LeftButton)
    form = tmp_path / "reponses.xlsx"
    assert form.exists() and "Formulaire écrit" in dialog.status.text()
    book = load_workbook(form)
    sheet = book["Réponses"]
    sheet["F2"], sheet["F3"] = "x", "Peut-être"
    sheet.append(["", "Boutique fantôme", "", "", "", "oui"])
    book.save(form)
    asked = []
    monkeypatch.setattr(type(dialog), "confirm_partial_import", lambda self, imported: asked.append(imported) or True)
    assert dialog.import_answers(str(form)) == 2
    assert "Boutique fantôme" in asked[0].problems[0]
    column = len(FIXED_COLUMNS)
    assert [dialog.grid.item(row, column).text() for row in (0, 1, 2)] == ["oui", "si besoin", ""]


def test_an_unreadable_answers_file_is_a_french_message(main_window, qtbot, tmp_path, qapp_no_modal):
    dialog = _dialog(main_window, qtbot)
    _propose(dialog, D(2014, 11, 12))
    bad = tmp_path / "vide.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    assert dialog.import_answers(str(bad)) is None
    boxes = [b for b in dialog.findChildren(QMessageBox) if "ni colonne « N° » ni colonne « Nom »" in b.text()]
    assert boxes


def test_an_answer_a_colleague_changed_is_refused_in_the_grid_and_reloaded(main_window, demo_db, qtbot, monkeypatch):
    from bonsjours_desktop.core import concertation as cc
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.operations import OperationRunner

    dialog = _dialog(main_window, qtbot)
    _propose(dialog, D(2014, 11, 12))
    key = dialog.grid.item(0, 0).data(Qt.UserRole + 1)
    candidate_id = dialog.candidates[0].id
    other = open_database(demo_db.url)  # a colleague on another computer answers « non » for this shop
    try:
        OperationRunner(other).run("Collègue", lambda s: cc.set_answer(s, candidate_id, key, "non", expected=None))
    finally:
        other.dispose()
    shown = []

    def exec_(box) -> int:
        shown.append(box.text())
        next(b for b in box.buttons() if b.text() == "Recharger").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    dialog.grid.item(0, len(FIXED_COLUMNS)).setText("oui")  # the cell still shows no answer here
    assert len(shown) == 1 and "« — » → « non »" in shown[0]
    assert dialog.grid.item(0, len(FIXED_COLUMNS)).text() == "non"  # reloaded with the colleague's answer
    assert main_window.context.read(lambda s: cc.answers_grid(s, dialog.edition_id))[(key, 1)] == "non"
