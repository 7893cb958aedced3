"""Boutiques tab (pytest-qt): search and filters, form validation messages, create/edit/delete with
undo, map selection, import preview and export from the GUI."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.ui.widgets import kit
from tests.conftest import give_focus


@pytest.fixture
def tab(main_window):
    return main_window.show_tab("Boutiques")


def names(tab):
    return [r.name for r in tab.model.rows()]


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def select_edition(main_window, name):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText(name, Qt.MatchStartsWith))


def test_instant_search_is_accent_and_case_insensitive(tab, qtbot):
    assert tab.model.rowCount() == 20
    qtbot.keyClicks(tab.search, "EMMAUS")
    assert tab.model.rowCount() == 4 and all("Emmaüs" in n for n in names(tab))
    assert tab.count_label.text() == "4 boutique(s) sur 20"
    tab.search.clear()
    qtbot.keyClicks(tab.search, "segreen")  # territory "SIRDOMDI – Pays segréen"
    assert sorted(names(tab)) == ["Recyclerie du Segréen", "Secours Catholique – Boutique solidaire de Segré"]
    tab.search.clear()
    assert tab.model.rowCount() == 20


def test_filters_network_territory_product_weekday_and_participation(tab, main_window):
    choose(tab.network_filter, "Envie")
    assert sorted(names(tab)) == ["Envie Anjou – Angers", "Envie Anjou – Cholet", "Envie Anjou – Saumur"]
    choose(tab.day_filter, "lundi")
    assert names(tab) == ["Envie Anjou – Angers"]
    tab.clear_filters()
    assert tab.model.rowCount() == 20
    choose(tab.product_filter, "vélos")
    assert sorted(names(tab)) == ["Arceau Anjou – La Ressourcerie", "Recyclerie de Longué", "Recyclerie du Segréen"]
    choose(tab.territory_filter, "SIRDOMDI – Pays segréen")
    assert names(tab) == ["Recyclerie du Segréen"]
    tab.clear_filters()
    select_edition(main_window, "Novembre 2013")
    tab.participating_filter.setChecked(True)
    assert tab.model.rowCount() == 17
    assert "Recyclerie de Longué" not in names(tab)
    # The map shows what the table shows
    tab.refresh_map()
    assert len(tab.map.shown_ids()) == 17


def test_may_promote_flag_visible_in_table(tab):
    row = tab.model.row_of(lambda r: r.name == "Envie Anjou – Cholet")
    column = [c.title for c in tab.model.columns].index("Peut communiquer")
    index = tab.model.index(row, column)
    assert index.data() == "non"
    assert "Entreprise d'insertion" in index.data(Qt.ToolTipRole)


def test_sorting_by_a_column(tab):
    column = [c.title for c in tab.model.columns].index("Commune")
    tab.view.sortByColumn(column, Qt.DescendingOrder)
    communes = [r.commune for r in tab.model.rows()]
    assert communes == sorted(communes, key=str.casefold, reverse=True)


def test_form_shows_french_messages_next_to_fields_and_saves_nothing(tab, qapp_no_modal):
    dialog = tab.open_form()
    dialog.name.setText("")
    dialog.postal_code.setText("4900a")
    dialog.phone.setText("12")
    dialog.email.setText("pas-une-adresse")
    dialog.latitude.setText("95")
    dialog.longitude.setText("0")
    dialog.hours["mercredi"].setText("09:00-12:00 11:00-13:00")
    dialog.accept()
    assert dialog.result() == 0 and dialog.saved_id is None
    assert dialog.error_text("name") == "Le nom de la boutique est obligatoire."
    assert dialog.error_text("commune") == "La commune est obligatoire."
    assert "5 chiffres" in dialog.error_text("postal_code")
    assert "10 chiffres" in dialog.error_text("phone")
    assert "nom@domaine.fr" in dialog.error_text("email")
    assert "entre -90 et 90" in dialog.error_text("latitude")
    assert "se chevauchent" in dialog.error_text("hours_mercredi")
    assert dialog.errors["name"].isVisibleTo(dialog) and kit.has_error_mark(dialog.name)
    assert dialog.error_text("website") == "" and not kit.has_error_mark(dialog.website)
    assert tab.model.total_count() == 20


def test_form_pasted_pair_phone_normalised_and_duplicate_warning(tab):
    dialog = tab.open_form()
    dialog.latitude.setText("47.4711, -0.5518")
    dialog._on_edited("latitude")
    assert (dialog.latitude.text(), dialog.longitude.text()) == ("47,4711", "-0,5518")
    dialog.phone.setText("+33241000000")
    dialog._on_edited("phone")
    assert dialog.phone.text() == "02 41 00 00 00"
    dialog.name.setText("EMMAUS cholet")
    dialog.commune.setText("CHOLET")
    assert dialog.duplicate_label.isVisibleTo(dialog)
    assert "« Emmaüs Cholet »" in dialog.duplicate_label.text()
    dialog.commune.setText("Angers")
    assert not dialog.duplicate_label.isVisibleTo(dialog)


def test_create_from_the_form(tab, demo_db):
    dialog = tab.open_form()
    dialog.name.setText("La Boutique « Tout & Rien »")
    dialog.commune.setText("Baugé-en-Anjou")
    dialog.hours["mercredi"].setText("9h-12h 14h-18h")
    dialog.hours["samedi"].setText("9h30-12h30")
    dialog.product_boxes["meubles"].setChecked(True)
    dialog.product_boxes["vélos"].setChecked(True)
    dialog.other_products.setText("objets d'art, disques vinyles")
    dialog.accept()
    assert dialog.result() == 1
    with demo_db.session() as s:
        shop = s.get(Shop, dialog.saved_id)
        assert shop.name == "La Boutique « Tout & Rien »"
        assert shop.opening_hours == {"mercredi": [["09:00", "12:00"], ["14:00", "18:00"]], "samedi": [["09:30", "12:30"]]}
        assert shop.products == ["meubles", "vélos", "objets d'art", "disques vinyles"]
    assert "La Boutique « Tout & Rien »" in names(tab)
    assert tab.count_label.text() == "21 boutique(s) sur 21"


def test_edit_from_the_form_then_undo_with_ctrl_z(tab, main_window, qtbot, demo_db):
    assert tab.select_shop(tab.model.row_at(tab.model.row_of(lambda r: r.name == "Emmaüs Cholet")).id)
    shop_id = tab.current_shop_id()
    dialog = tab.open_form(shop_id)
    assert dialog.name.text() == "Emmaüs Cholet" and dialog.hours["mercredi"].text() == "09:30-12:00 14:00-18:00"
    assert dialog.product_boxes["meubles"].isChecked() and not dialog.product_boxes["vélos"].isChecked()
    dialog.name.setText("Emmaüs Cholet – Le Hangar")
    dialog.hours["lundi"].setText("14:00-18:00")
    dialog.accept()
    assert dialog.result() == 1
    assert "Emmaüs Cholet – Le Hangar" in names(tab)
    assert tab.current_shop_id() == shop_id
    assert main_window.action_undo.text() == "Annuler : Modifier la boutique « Emmaüs Cholet – Le Hangar »"
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert "Emmaüs Cholet" in names(tab) and "Emmaüs Cholet – Le Hangar" not in names(tab)
    with demo_db.session() as s:
        assert "lundi" not in s.get(Shop, shop_id).opening_hours


def test_delete_key_asks_with_what_goes_with_it_then_undo(tab, main_window, qtbot, monkeypatch):
    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return True

    monkeypatch.setattr(kit, "confirm", answer)
    shop_id = next(r.id for r in tab.model.rows() if r.name == "Emmaüs Cholet")
    tab.select_shop(shop_id)
    give_focus(qtbot, tab.view)
    qtbot.keyClick(tab.view, Qt.Key_Delete)
    assert asked and "Emmaüs Cholet" in asked[0] and "participation(s)" in asked[0] and "animations" in asked[0]
    assert "Emmaüs Cholet" not in names(tab)
    main_window.undo()
    assert "Emmaüs Cholet" in names(tab)


def test_delete_refused_keeps_the_shop(tab, monkeypatch):
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: False)
    tab.select_shop(tab.model.rows()[0].id)
    assert tab.delete_current() is False
    assert tab.model.total_count() == 20


def test_enter_and_ctrl_n_open_the_form(tab, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(type(tab), "_run_form", lambda self, dialog: opened.append(dialog.shop_id))
    first = tab.model.rows()[0].id
    tab.select_shop(first)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key_Return)
    qtbot.keyClick(tab.view, Qt.Key_N, Qt.ControlModifier)
    assert opened == [first, None]


def test_map_click_selects_in_table_and_edition_shops_highlighted(tab, main_window, qtbot):
    select_edition(main_window, "Novembre 2013")
    tab.refresh_map()
    shop_id = next(r.id for r in tab.model.rows() if r.name == "Recyclerie du Segréen")
    tab.map.resize(600, 500)
    marker = tab.map.marker_of(shop_id)
    assert [s.id for s in marker.shops] == [shop_id]
    # a real click on the drawn marker selects the shop in the table
    qtbot.mouseClick(tab.map.canvas, Qt.LeftButton, pos=marker.position.toPoint())
    assert tab.current_shop_id() == shop_id
    assert "Recyclerie du Segréen" in tab.map.tip_for(marker)
    # Highlighted: shops of the current edition are flagged for the larger, outlined marker
    longue = next(r.id for r in tab.model.rows() if r.name == "Recyclerie de Longué")
    assert marker.shops[0].participates and not tab.map.marker_of(longue).shops[0].participates
    assert "17 de l'édition en cours" in tab.map.missing_label.text()
    assert "Emmaüs&nbsp;(4)" in tab.map.legend_label.text()


def test_map_counts_shops_without_coordinates(tab, main_window, demo_db):
    def drop(session):
        session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one().latitude = None

    main_window.context.run(main_window, "Effacer la latitude", drop)
    tab.refresh_map()
    assert tab.map.missing_count == 1
    assert "1 sans coordonnées" in tab.map.missing_label.text()


def test_import_dialog_previews_then_imports_valid_rows(tab, tmp_path, main_window):
    path = tmp_path / "boutiques.csv"
    path.write_bytes(
        "Nom;Commune;Code postal;Jours d'ouverture\r\nNouvelle boutique;Baugé;49150;samedi 9h-12h\r\n"
        "Emmaüs Cholet;Cholet;49300;\r\nMauvaise;Angers;4900a;\r\n".encode("cp1252")
    )
    dialog = tab.open_import(str(path), show=False)
    preview = {r.line: r for r in dialog.model.rows()}
    assert preview[2].action == "création" and preview[3].action == "mise à jour"
    assert preview[4].action == "erreur" and "« Code postal »" in preview[4].problem
    assert "1 ligne(s) invalide(s)" in dialog.summary.text()
    assert dialog.import_button.text() == "Importer les 2 ligne(s) valide(s)"
    assert dialog.do_import()
    assert (dialog.result.created, dialog.result.updated) == (1, 1)
    assert "Nouvelle boutique" in names(tab) and tab.model.total_count() == 21
    main_window.undo()
    assert tab.model.total_count() == 20


def test_export_from_the_gui(tab, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    path = tmp_path / "carte.geojson"
    lines = tab.export_file("geojson", str(path))
    assert lines and "20 entité(s) géographique(s) exportée(s)" in shown[0]
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["features"]) == 20 and "participation" in document["features"][0]["properties"]


def test_table_model_passes_qt_model_tester(tab, qtmodeltester):
    tab.model.set_search("angers")
    qtmodeltester.check(tab.model)


def test_filter_choices_from_the_rows_in_hand_are_the_ones_the_base_gives(main_window):
    """The tab lists networks and products from its rows (core.shops.network_choices/product_choices),
    not from two DISTINCT queries: the same lists as list_networks/list_product_names, free spellings too."""
    from bonsjours_desktop.core.shops import list_networks, list_product_names

    def free_values(session):
        shops = session.scalars(select(Shop).order_by(Shop.id)).all()
        shops[0].network, shops[1].network, shops[2].network = "Fripes & Co", "fripes & co", "Zéro Déchet"
        shops[0].products = ["Vinyles", "vêtements"]
        shops[1].products = ["vinyles"]
        shops[2].products = ["Outils anciens"]

    main_window.context.ops.run("Valeurs libres", free_values)
    tab = main_window.show_tab("Boutiques")
    tab.reload()
    shown = lambda combo: [combo.itemData(i) for i in range(1, combo.count())]  # noqa: E731
    networks, products = main_window.context.read(lambda s: (list_networks(s), list_product_names(s)))
    assert shown(tab.network_filter) == networks and {"Fripes & Co", "fripes & co", "Zéro Déchet"} <= set(networks)
    assert shown(tab.product_filter) == products and "Outils anciens" in products
    assert sum(p.casefold() == "vinyles" for p in products) == 1
