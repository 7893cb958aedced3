"""Logistique tab: loans through the form, conflicts, quick statuses, overdue flags, undo, other views."""

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core import logistics as L
from bonsjours_desktop.core.models import Edition, Item, Loan, Shop
from bonsjours_desktop.ui.tabs.logistics import OVERDUE_COLOR
from bonsjours_desktop.ui.widgets import kit
from tests.conftest import give_focus

D = dt.date


@pytest.fixture
def tab(main_window):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Avril 2014", Qt.MatchStartsWith))
    return main_window.show_tab("Logistique")


def ids_of(db):
    with db.session() as s:
        return {
            "apr": s.scalars(select(Edition.id).filter_by(name="Avril 2014")).one(),
            "roue1": s.scalars(select(Item.id).filter_by(identifier="ROUE-01")).one(),
            "shop": s.scalars(select(Shop.id).filter_by(name="Emmaüs Cholet")).one(),
        }


def visible_boxes(app):
    return [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def close_boxes(app):
    for box in visible_boxes(app):
        box.close()


def fill_loan(section, item_id, shop_id, start, end):
    section.new()
    section.item.setCurrentIndex(section.item.findData(item_id))
    section.destination.setCurrentIndex(section.destination.findData(f"boutique:{shop_id}"))
    section.delivery_date.setDate(QDate(start.year, start.month, start.day))
    section.pickup_date.setDate(QDate(end.year, end.month, end.day))
    section.carrier.setText("Équipe logistique du Département")


def test_tab_is_after_budget_and_shows_the_demo(main_window, tab):
    titles = main_window.tab_titles()
    assert titles.index("Logistique") == titles.index("Budget") + 1
    assert tab.loans.model.rowCount() == 12
    assert tab.inventory.model.rowCount() == 12
    assert tab.consumables.stock.model.rowCount() == 4
    assert tab.rounds.tree.topLevelItemCount() == 18
    assert tab.rounds.tree.topLevelItem(0).text(0).startswith("mar. 25 mars 2014 — Angers Loire Métropole")


def test_create_loan_through_the_tab_then_conflict_is_shown(tab, demo_db, qapp_no_modal):
    ids = ids_of(demo_db)
    loans = tab.show_view("Prêts")
    fill_loan(loans, ids["roue1"], ids["shop"], D(2014, 5, 1), D(2014, 5, 10))
    loans.save()
    assert loans.model.rowCount() == 13
    created = loans.current_row()
    assert (created.item_identifier, created.destination_name, created.status) == ("ROUE-01", "Emmaüs Cholet", "à livrer")
    assert created.carrier == "Équipe logistique du Département"
    assert not visible_boxes(qapp_no_modal)

    fill_loan(loans, ids["roue1"], ids["shop"], D(2014, 5, 10), D(2014, 5, 12))
    loans.save()
    # Under the form, in place (no box to close): the double booking and with whom.
    assert not visible_boxes(qapp_no_modal)
    text = loans.form_error.text()
    assert "« ROUE-01 »" in text and "déjà prêté à Emmaüs Cholet" in text
    assert "jeu. 1 mai 2014 au sam. 10 mai 2014" in text and "Avril 2014" in text
    assert loans.form_error.heightForWidth(loans.form_error.width()) <= loans.form_error.height()
    assert loans.model.rowCount() == 13
    with demo_db.session() as s:
        assert len(s.scalars(select(Loan).where(Loan.item_id == ids["roue1"])).all()) == 2


def test_overdue_flag_mark_returned_and_undo_with_ctrl_z(main_window, tab, demo_db, qtbot):
    clock.set_today(D(2014, 5, 20))
    ids = ids_of(demo_db)
    changes = main_window.context.run(main_window, "Prêter", lambda s: L.create_loan(
        s, ids["apr"], ids["roue1"], shop_id=ids["shop"], delivery_date=D(2014, 5, 1), pickup_date=D(2014, 5, 10),
        status="livré"))
    loans = tab.show_view("Prêts")
    row = loans.model.row_of(lambda r: r.id == changes.value)
    alert_column = [c.title for c in loans.model.columns].index("Alerte")
    alert = loans.model.index(row, alert_column)
    assert alert.data() == "non rentré (10 j de retard)"
    assert alert.data(Qt.ForegroundRole) == OVERDUE_COLOR
    assert loans.model.index(row, 0).data(Qt.ForegroundRole) == OVERDUE_COLOR
    assert "1 non rentré(s)" in loans.count_label.text()
    loans.only_overdue.setChecked(True)
    assert loans.proxy.rowCount() == 1
    items = {r.identifier: r for r in tab.inventory.model.rows()}
    assert items["ROUE-01"].overdue and items["ROUE-01"].situation.startswith("non rentré")
    tree = tab.rounds.tree
    may_10 = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
              if tree.topLevelItem(i).text(0).startswith("sam. 10 mai 2014")][0]
    pickup = may_10.child(0).child(0)
    assert pickup.text(0) == "Reprendre : ROUE-01 – Roue de la prévention des déchets"
    assert pickup.text(3) == "livré — non rentré" and pickup.foreground(0).color() == OVERDUE_COLOR

    loans.select_id(changes.value)
    qtbot.mouseClick(loans.returned_button, Qt.LeftButton)
    returned = loans.model.row_at(loans.model.row_of(lambda r: r.id == changes.value))
    assert returned.status == "rentré" and returned.returned_date == D(2014, 5, 20) and not returned.overdue
    assert loans.proxy.rowCount() == 0 and "aucun objet en retard" in loans.count_label.text()
    assert main_window.action_undo.text() == "Annuler : Marquer « ROUE-01 » : rentré"

    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    back = loans.model.row_at(loans.model.row_of(lambda r: r.id == changes.value))
    assert back.status == "livré" and back.returned_date is None and back.overdue
    assert loans.proxy.rowCount() == 1


def test_quick_statuses_delivered_and_damaged(tab, demo_db):
    loans = tab.show_view("Prêts")
    loans.select_id(loans.model.rows()[0].id)
    target = loans.current_row()
    loans.delivered_button.click()
    assert loans.model.row_at(loans.model.row_of(lambda r: r.id == target.id)).status == "livré"
    loans.damaged_action.trigger()
    after = loans.model.row_at(loans.model.row_of(lambda r: r.id == target.id))
    assert after.status == "perdu/abîmé" and after.item_condition == "abîmé"
    inventory = {r.identifier: r for r in tab.inventory.model.rows()}
    assert inventory[target.item_identifier].condition == "abîmé"
    loans.lost_action.trigger()
    inventory = {r.identifier: r for r in tab.inventory.model.rows()}
    assert inventory[target.item_identifier].condition == "perdu"


def test_edit_a_loan_in_the_form(tab, qtbot, main_window):
    loans = tab.show_view("Prêts")
    first = loans.model.rows()[0]
    loans.select_id(first.id)
    main_window.activateWindow()
    loans.view.setFocus()
    qtbot.keyClick(loans.view, Qt.Key_Return)
    assert loans.item.hasFocus(), "Entrée puts the cursor in the form of the selected loan"
    assert loans.item.currentData() == first.item_id
    assert loans.destination.currentText().startswith(first.destination_name)
    loans.notes.setPlainText("Remis à l'accueil")
    loans.save()
    assert loans.model.row_at(loans.model.row_of(lambda r: r.id == first.id)).notes == "Remis à l'accueil"


def test_inventory_new_with_ctrl_n_and_delete_with_confirmation(tab, qtbot, monkeypatch, main_window):
    inventory = tab.show_view("Inventaire")
    main_window.activateWindow()
    inventory.view.setFocus()
    inventory.identifier.setText("dirty")
    qtbot.keyClick(inventory.view, Qt.Key_N, Qt.ControlModifier)
    assert inventory.identifier.text() == "" and inventory.editing_id is None
    inventory.identifier.setText("KIT-01")
    inventory.kind.setCurrentText("Kit de signalétique")
    inventory.save()
    assert "KIT-01" in [r.identifier for r in inventory.model.rows()]
    asked = []
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: asked.append(a[2]) or True)
    inventory.select_id(inventory.current_row().id)
    give_focus(qtbot, inventory.view)
    qtbot.keyClick(inventory.view, Qt.Key_Delete)
    assert asked and "KIT-01" in asked[0]
    assert "KIT-01" not in [r.identifier for r in inventory.model.rows()]


def test_deleting_a_lent_item_says_its_loans_go_with_it(tab, monkeypatch):
    inventory = tab.show_view("Inventaire")
    asked = []
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: bool(asked.append(a[2])))
    inventory.select_id(inventory.model.rows()[0].id)
    inventory.delete_selected()
    assert "1 prêt(s)" in asked[0]
    assert inventory.model.rowCount() == 12


def test_consumables_stock_and_deliveries(tab, qapp_no_modal):
    view = tab.show_view("Consommables")
    kits = view.stock.model.row_of(lambda r: r.name == "Kits de signalétique")
    view.stock.select_id(view.stock.model.row_at(kits).id)
    assert view.deliveries.proxy.rowCount() == 20
    view.show_all.setChecked(True)
    assert view.deliveries.proxy.rowCount() == 20 + 29 * 3
    deliveries = view.deliveries
    deliveries.new()
    deliveries.consumable.setCurrentIndex(deliveries.consumable.findData(view.stock.model.row_at(kits).id))
    deliveries.destination.setCurrentIndex(deliveries.destination.findText("Angers Loire Métropole", Qt.MatchStartsWith))
    deliveries.quantity.setValue(5)
    deliveries.save()
    assert not visible_boxes(qapp_no_modal)
    assert "Stock insuffisant de « Kits de signalétique » : il en reste 2 kits sur 22" in deliveries.form_error.text()
    deliveries.quantity.setValue(2)
    deliveries.save()
    assert not visible_boxes(qapp_no_modal) and deliveries.form_error.text() == ""
    assert view.stock.model.row_at(kits).remaining == 0


def test_one_date_format_and_item_descriptions_in_the_tables(tab):
    """« mar. 25 mars 2014 » in every date column (never 07/04/2014), and items described beside their code."""
    import re

    day = re.compile(r"^(lun|mar|mer|jeu|ven|sam|dim)\. \d{1,2} \S+ \d{4}$")
    numeric = re.compile(r"\d{2}/\d{2}/\d{4}")
    models = [tab.loans.model, tab.inventory.model, tab.consumables.deliveries.model]
    dated = 0
    for model in models:
        headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
        for row in range(model.rowCount()):
            for column, header in enumerate(headers):
                text = model.index(row, column).data() or ""
                assert not numeric.search(text), (header, text)
                if header in ("Livraison", "Reprise prévue", "Rentré le") and text:
                    assert day.match(text), (header, text)
                    dated += 1
    assert dated > 24  # the returned loans' « Rentré le » included
    loans = tab.loans.model
    headers = [loans.headerData(c, Qt.Horizontal) for c in range(loans.columnCount())]
    assert headers[:2] == ["Objet", "Description"]
    rows = {loans.index(r, 0).data(): loans.index(r, 1).data() for r in range(loans.rowCount())}
    assert rows["ECHELLE-03"] == "Échelle de la réduction des déchets"
    items = tab.inventory.model
    assert [items.headerData(c, Qt.Horizontal) for c in range(2)] == ["Identifiant", "Description"]
