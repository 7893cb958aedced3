"""Participations tab and editions dialog: ticking shops, editing animations, French messages, undo."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from bonsjours_desktop.core import editions as E
from bonsjours_desktop.core.models import Animation, Participation
from bonsjours_desktop.ui.tabs.participations import CopyParticipationsDialog
from bonsjours_desktop.ui.widgets.editions_dialog import EditionsDialog
from bonsjours_desktop.ui.widgets import kit


def choose_edition(window, name):
    combo = window.edition_combo
    combo.setCurrentIndex(combo.findText(name, Qt.MatchStartsWith))
    assert combo.currentText().startswith(name)


def rows(tab):
    return {r.shop_name: r for r in tab.model.rows()}


def pick(tab, shop_name):
    assert tab.select_shop(rows(tab)[shop_name].shop_id)
    assert tab.editor.row.shop_name == shop_name


def new_edition(window, name="Novembre 2014"):
    days = [dt.date(2014, 11, 12), dt.date(2014, 11, 15)]
    changes = window.context.run(window, "Créer", lambda s: E.create_edition(s, name, days))
    choose_edition(window, name)
    return changes.value


@pytest.fixture
def tab(main_window):
    choose_edition(main_window, "Avril 2014")
    return main_window.show_tab("Participations")


def answer(monkeypatch, reply, seen=None):
    def question(parent, title, text, *args, **kwargs):
        if seen is not None:
            seen.append(text)
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    # Yes/no questions go through the kit: « Oui » for Yes (and Save), « Non » otherwise.
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: question(*a[:3]) in (QMessageBox.Yes, QMessageBox.Save))


def test_tab_lists_shops_with_days_animations_and_event_day_hours(tab, qtbot):
    titles = [tab.model.headerData(c, Qt.Horizontal) for c in range(tab.model.columnCount())]
    assert titles == ["Participe", "Boutique", "Commune", "Statut", "mer. 2 avr. 2014", "sam. 5 avr. 2014",
                      "Animateur", "Alertes"]
    assert tab.model.rowCount() == 20
    # The demo's 2014 shops have hours typed for the event days: no conflict.
    assert tab.count_label.text().endswith("20 participante(s) sur 20 boutique(s)")  # no alert
    doue = tab.model.row_of(lambda r: r.shop_name == "Boutique solidaire de Doué")
    assert tab.model.index(doue, 4).data() == "14:00–18:00 musique"
    assert tab.model.index(doue, 0).data(Qt.CheckStateRole) == Qt.Checked
    pick(tab, "Boutique solidaire de Doué")
    wednesday, saturday = tab.editor.hours_edits.values()
    assert wednesday.text() == "14:00-18:00"  # typed for the event day: the shop is normally closed
    # Back to the weekly hours: normally closed on Wednesday, so the alert comes back.
    wednesday.clear()
    assert tab.editor.save()
    doue = tab.model.row_of(lambda r: r.shop_name == "Boutique solidaire de Doué")
    alert = tab.model.index(doue, 7)
    assert alert.data() == "Fermée le mercredi : horaires à saisir"
    assert alert.data(Qt.DecorationRole) is not None
    assert "normalement fermée le mercredi 2 avril 2014" in alert.data(Qt.ToolTipRole)
    tab.filter_combo.setCurrentIndex(3)  # "Avec une alerte"
    assert tab.proxy.rowCount() == 1
    # An animation running past closing time is flagged too; unreadable hours are refused in French.
    pick(tab, "Boutique solidaire de Doué")
    wednesday = next(iter(tab.editor.hours_edits.values()))
    assert wednesday.placeholderText() == "normalement fermée : saisissez les horaires"
    wednesday.setText("14h-17h")
    assert tab.editor.save()
    assert "déborde des horaires du jour (14:00-17:00)" in rows(tab)["Boutique solidaire de Doué"].warnings[0]
    pick(tab, "Boutique solidaire de Doué")
    next(iter(tab.editor.hours_edits.values())).setText("18h-14h")
    assert not tab.editor.save()
    assert "finit avant de commencer" in tab.editor.error_label.text()


def test_tick_with_checkbox_and_space_then_undo_with_ctrl_z(main_window, qtbot):
    new_edition(main_window)
    tab = main_window.show_tab("Participations")
    assert "Novembre 2014" in tab.edition_label.text()
    assert not any(r.participates for r in tab.model.rows())
    # Clicking the checkbox goes through setData on the "Participe" column.
    row = tab.model.row_of(lambda r: r.shop_name == "Emmaüs Cholet")
    assert tab.proxy.setData(tab.proxy.mapFromSource(tab.model.index(row, 0)), Qt.Checked, Qt.CheckStateRole)
    assert rows(tab)["Emmaüs Cholet"].participates
    assert tab.editor.stack.currentIndex() == 2  # the editor now edits this participation

    pick(tab, "La Malle aux trésors")
    assert tab.editor.stack.currentIndex() == 1
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert rows(tab)["La Malle aux trésors"].participates
    assert "normalement fermée le mercredi" in tab.message.text()
    assert main_window.action_undo.text().startswith("Annuler : Inscrire « La Malle aux trésors »")

    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert not rows(tab)["La Malle aux trésors"].participates
    assert rows(tab)["Emmaüs Cholet"].participates
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert not rows(tab)["Emmaüs Cholet"].participates


def test_untick_with_animations_asks_first(tab, monkeypatch, qtbot, demo_db):
    pick(tab, "Emmaüs Cholet")
    seen = []
    answer(monkeypatch, QMessageBox.No, seen)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert "2 animation(s) prévue(s) seront supprimées" in seen[0]
    assert rows(tab)["Emmaüs Cholet"].participates
    answer(monkeypatch, QMessageBox.Yes)
    qtbot.keyClick(tab.view, Qt.Key_Delete)
    assert not rows(tab)["Emmaüs Cholet"].participates
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Animation)) == 34 + 38


def test_add_an_animation_in_the_editor_and_undo(main_window, tab, qtbot):
    pick(tab, "Emmaüs Cholet")
    editor = tab.editor
    assert editor.animations.rowCount() == 2
    assert not editor.save_button.isEnabled()
    row = editor.add_animation_row()
    editor.animations.cellWidget(row, 0).setCurrentIndex(1)
    editor.animations.cellWidget(row, 1).setCurrentText("atelier réparation")
    editor.animations.cellWidget(row, 2).setText("Réparation de vélos & <petits> appareils")
    editor.animations.cellWidget(row, 3).setText("9h")
    editor.animations.cellWidget(row, 4).setText("11h30")
    animator = editor.animator_combo
    assert "(EPCI de la boutique)" in animator.itemText(1)
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert editor.error_label.text() == ""
    cholet = rows(tab)["Emmaüs Cholet"]
    saturday = tab.model.index(tab.model.row_of(lambda r: r.shop_name == "Emmaüs Cholet"), 5)
    assert saturday.data() == "09:00–11:30 atelier réparation ; 10:00–17:00 café offert"  # by hour
    assert "Réparation de vélos & <petits> appareils" in saturday.data(Qt.ToolTipRole)
    assert len(cholet.animations) == 3
    assert editor.animations.rowCount() == 3 and not editor.dirty

    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert len(rows(tab)["Emmaüs Cholet"].animations) == 2
    assert tab.editor.animations.rowCount() == 2


def test_editor_shows_french_validation_messages_and_saves_nothing(tab, qtbot, demo_db):
    pick(tab, "Emmaüs Cholet")
    editor = tab.editor
    editor.animations.cellWidget(0, 3).setText("18:00")
    editor.animations.cellWidget(0, 4).setText("14:00")
    editor.animations.cellWidget(1, 3).setText("midi")
    assert not editor.save()
    text = editor.error_label.text()
    assert "Animation 1 (mer. 2 avr. 2014) : l'heure de fin (14:00) doit être après l'heure de début (18:00)." in text
    assert "Animation 2 (sam. 5 avr. 2014) : l'heure de début « midi » n'est pas valide (exemple : 14:30)." in text
    assert editor.dirty
    assert rows(tab)["Emmaüs Cholet"].animations[0].start_time == "14:00"


def test_remove_animation_and_change_animator_and_status(tab, qtbot):
    pick(tab, "Emmaüs Cholet")
    editor = tab.editor
    editor.remove_animation_row(0)
    editor.status_combo.setCurrentText("pressentie")
    index = editor.animator_combo.findText("Claire Moreau", Qt.MatchStartsWith)
    editor.animator_combo.setCurrentIndex(index)
    editor.notes_edit.setPlainText("Rappeler « Jean » l'après-midi")
    assert editor.save()
    row = rows(tab)["Emmaüs Cholet"]
    assert row.status == "pressentie" and row.animator == "Claire Moreau"
    assert [a.category for a in row.animations] == ["café offert"]
    assert row.notes == "Rappeler « Jean » l'après-midi"


def test_unsaved_changes_are_offered_when_leaving_the_row(tab, monkeypatch, qtbot):
    pick(tab, "Emmaüs Cholet")
    tab.editor.notes_edit.setPlainText("À ne pas perdre")
    seen = []
    answer(monkeypatch, QMessageBox.Save, seen)
    pick(tab, "Envie Anjou – Cholet")
    assert "Emmaüs Cholet" in seen[0]
    qtbot.waitUntil(lambda: rows(tab)["Emmaüs Cholet"].notes == "À ne pas perdre")
    assert tab.editor.row.shop_name == "Envie Anjou – Cholet" and not tab.editor.dirty


def test_copy_participations_from_previous_edition(main_window, qtbot):
    apr = main_window.context.read(lambda s: E.find_edition(s, "Avril 2014").id)
    new_edition(main_window)
    tab = main_window.show_tab("Participations")
    dialog = CopyParticipationsDialog(main_window.context, main_window.context.edition_id, tab)
    qtbot.addWidget(dialog)
    assert dialog.source_id() == apr
    assert dialog.preview.text().startswith("20 boutique(s) seront ajoutées, au statut « pressentie ».")
    assert tab.copy_from(dialog.source_id()) == 20
    assert sum(r.participates for r in tab.model.rows()) == 20
    assert "20 participation(s) copiée(s)" in tab.message.text()
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert sum(r.participates for r in tab.model.rows()) == 0


def test_edition_dialog_validation_messages_and_creation(main_window, tab, qtbot):
    dialog = EditionsDialog(main_window.context, tab, select=main_window.context.edition_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.name_edit.text() == "Avril 2014"
    assert [r.day() for r in dialog.day_rows] == [dt.date(2014, 4, 2), dt.date(2014, 4, 5)]
    assert dialog.day_rows[0].edit.text() == "mercredi 2 avril 2014"
    qtbot.keyClick(dialog, Qt.Key_N, Qt.ControlModifier)
    assert dialog.heading.text() == "Nouvelle édition" and dialog.name_edit.text() == ""
    dialog.envelope_edit.setText("trente mille")
    assert dialog.save() is None
    assert dialog.error_label.text().splitlines() == [
        "Le nom de l'édition est obligatoire.",
        "L'enveloppe budgétaire « trente mille » n'est pas un montant valide (exemple : 1 234,56).",
    ]
    dialog.name_edit.setText("avril 2014")
    dialog.envelope_edit.setText("30 000,00")
    assert dialog.save() is None
    assert dialog.error_label.text() == "Une édition s'appelle déjà « Avril 2014 » : choisissez un autre nom."

    dialog.name_edit.setText("Novembre 2014")
    dialog.theme_edit.setText("Réparer plutôt que jeter")
    dialog.day_rows[0].edit.setDate(dialog.day_rows[0].edit.date().fromString("2014-11-12", "yyyy-MM-dd"))
    dialog.day_rows[1].edit.setDate(dialog.day_rows[1].edit.date().fromString("2014-11-15", "yyyy-MM-dd"))
    dialog.add_day()
    assert dialog.day_rows[2].day() == dt.date(2014, 11, 16)
    dialog.remove_day(dialog.day_rows[2])
    new_id = dialog.save()
    assert new_id is not None and dialog.error_label.text() == ""
    detail = main_window.context.read(lambda s: E.edition_detail(s, new_id))
    assert detail.days == (dt.date(2014, 11, 12), dt.date(2014, 11, 15))
    assert str(detail.budget_envelope) == "30000.00"
    assert dialog.list.count() == 3
    dialog.close()
    tab.after_editions_dialog(dialog)
    assert main_window.edition_combo.currentText().startswith("Novembre 2014 — mer. 12 nov. 2014")
    assert "Novembre 2014" in tab.edition_label.text()


def test_edition_dialog_removing_a_day_warns_and_reports_lost_animations(main_window, tab, qtbot, monkeypatch):
    dialog = EditionsDialog(main_window.context, tab, select=main_window.context.edition_id)
    qtbot.addWidget(dialog)
    dialog.remove_day(dialog.day_rows[1])
    seen = []
    answer(monkeypatch, QMessageBox.No, seen)
    assert dialog.save() is None
    assert "20 animation(s)" in seen[0]
    answer(monkeypatch, QMessageBox.Yes)
    assert dialog.save() is not None
    assert dialog.info_label.text() == "Édition enregistrée. 20 animation(s) des jours retirés ont été supprimées."
    assert [tab.model.headerData(c, Qt.Horizontal) for c in range(4, 6)] == ["mer. 2 avr. 2014", "Animateur"]


def test_edition_dialog_delete_says_what_goes_and_undo_restores(main_window, tab, qtbot, monkeypatch, demo_db):
    dialog = EditionsDialog(main_window.context, tab, select=main_window.context.edition_id)
    qtbot.addWidget(dialog)
    seen = []
    answer(monkeypatch, QMessageBox.Yes, seen)
    assert dialog.delete_current()
    assert "Supprimer l'édition « Avril 2014 » ?" in seen[0]
    assert "20 participations de boutiques, 40 animations" in seen[0]
    assert dialog.list.count() == 1 and dialog.name_edit.text() == "Novembre 2013"
    assert main_window.edition_combo.count() == 1
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert main_window.edition_combo.count() == 2
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Participation)) == 37


def test_mouse_click_on_the_checkbox_registers_the_shop(main_window, qtbot):
    new_edition(main_window)
    tab = main_window.show_tab("Participations")
    row = tab.model.row_of(lambda r: r.shop_name == "Emmaüs Cholet")
    index = tab.proxy.mapFromSource(tab.model.index(row, 0))
    tab.view.scrollTo(index)
    rect = tab.view.visualRect(index)
    # The check indicator sits at the left of the cell, vertically centred.
    qtbot.mouseClick(tab.view.viewport(), Qt.LeftButton, pos=rect.topLeft() + QPoint(13, rect.height() // 2))
    assert rows(tab)["Emmaüs Cholet"].participates


def test_model_passes_the_qt_model_tester(tab, qtmodeltester):
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_tab_without_any_edition(qtbot, qapp_no_modal, db):
    from bonsjours_desktop.ui.app import create_main_window

    window = create_main_window(db)
    qtbot.addWidget(window)
    window.show()
    tab = window.show_tab("Participations")
    assert tab.model.rowCount() == 0
    assert "Aucune édition" in tab.edition_label.text()
    assert not tab.copy_button.isEnabled()


def test_space_on_several_rows_toggles_them_together_and_keeps_the_selection(main_window, qtbot):
    from PySide6.QtCore import QItemSelectionModel

    new_edition(main_window)
    tab = main_window.show_tab("Participations")
    pick(tab, "Emmaüs Cholet")
    other = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(lambda r: r.shop_name == "Envie Anjou – Cholet"), 1))
    tab.view.selectionModel().select(other, QItemSelectionModel.Select | QItemSelectionModel.Rows)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key_Space)
    assert {n for n, r in rows(tab).items() if r.participates} == {"Emmaüs Cholet", "Envie Anjou – Cholet"}
    assert main_window.action_undo.text().endswith("Inscrire 2 boutiques à l'édition « Novembre 2014 »")
    assert {r.shop_name for r in tab.selected_rows()} == {"Emmaüs Cholet", "Envie Anjou – Cholet"}
    qtbot.keyClick(tab.view, Qt.Key_Space)  # no animations yet: no question asked
    assert not any(r.participates for r in tab.model.rows())


def test_edition_dialog_offers_to_save_before_showing_another_edition(main_window, tab, qtbot, monkeypatch):
    dialog = EditionsDialog(main_window.context, tab, select=main_window.context.edition_id)
    qtbot.addWidget(dialog)
    assert not dialog.dirty
    dialog.theme_edit.setText("Réemploi & réparation")
    assert dialog.dirty
    seen = []
    answer(monkeypatch, QMessageBox.Cancel, seen)
    dialog.list.setCurrentRow(0)  # Novembre 2013
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert "« Avril 2014 »" in seen[0]
    assert dialog.name_edit.text() == "Avril 2014" and dialog.dirty  # stayed, nothing lost
    answer(monkeypatch, QMessageBox.Save)
    dialog.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: dialog.name_edit.text() == "Novembre 2013")
    assert not dialog.dirty
    apr = main_window.context.read(lambda s: E.find_edition(s, "Avril 2014").id)
    assert main_window.context.read(lambda s: E.edition_detail(s, apr)).theme == "Réemploi & réparation"


def test_annuler_on_unsaved_participation_stays_on_it(main_window, tab, qtbot, monkeypatch):
    tab.view.selectRow(0)
    qtbot.waitUntil(lambda: tab.editor.row is not None)
    first = tab.editor.row.shop_id
    tab.editor.dirty = True
    seen = []
    answer(monkeypatch, QMessageBox.Cancel, seen)
    tab.view.selectRow(1)
    assert len(seen) == 1
    assert tab.editor.row.shop_id == first and tab.editor.dirty  # stayed, nothing lost
    assert tab.row_at_proxy(tab.view.currentIndex().row()).shop_id == first
    answer(monkeypatch, QMessageBox.Discard)
    tab.view.selectRow(1)
    qtbot.waitUntil(lambda: tab.editor.row is not None and tab.editor.row.shop_id != first)
    assert not tab.editor.dirty


def test_the_table_opens_sorted_by_shop_as_its_header_says(main_window):
    """The view asks for the « Boutique » sort while the tab builds, before the edition's columns exist:
    the model keeps the request and sorts when the columns come (rows stayed in the base's order)."""
    from bonsjours_desktop.ui.models.table import collation_key

    main_window._tabs["Participations"] = None
    tab = main_window.show_tab("Participations")
    header = tab.view.horizontalHeader()
    column = header.sortIndicatorSection()
    assert tab.proxy.headerData(column, Qt.Horizontal) == "Boutique"
    assert header.sortIndicatorOrder() == Qt.AscendingOrder and tab.model.sort_column == column
    names = [tab.proxy.index(r, column).data() for r in range(tab.proxy.rowCount())]
    assert len(names) == 20 and names == sorted(names, key=collation_key)
