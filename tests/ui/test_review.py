"""Review tab: keyboard entry in the results grid, block paste from a spreadsheet, undo, edition texts, charts."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core.models import Edition, Participation, Shop

VISITORS, SALES, HELD, COMMENTS = 3, 4, 5, 6


def results(db, edition="Novembre 2013"):
    with db.session() as s:
        edition_id = s.scalars(select(Edition.id).filter_by(name=edition)).one()
        return {
            p.shop.name: (p.visitors, p.sales, p.animations_held, p.result_comments)
            for p in s.scalars(select(Participation).filter_by(edition_id=edition_id))
        }


@pytest.fixture
def review(main_window):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Novembre 2013", Qt.MatchStartsWith))
    tab = main_window.show_tab("Bilan")
    tab.grid.setFocus()
    return tab


def shop_at(tab, row):
    return tab.proxy.index(row, 0).data()


def close_boxes(app):
    boxes = [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    for box in boxes:
        box.close()
    return boxes


def test_grid_shows_the_edition_shops_sorted_by_name(review):
    assert review.proxy.rowCount() == 17
    names = [shop_at(review, r) for r in range(17)]
    assert names == sorted(names, key=str.casefold)
    assert "2 872 visiteurs" in review.totals.text()


def test_keyboard_entry_and_enter_moves_down(review, qtbot, demo_db):
    grid = review.grid
    grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    first, second = shop_at(review, 0), shop_at(review, 1)
    qtbot.keyClick(grid, Qt.Key_5)  # typing starts the editor with that key
    editor = next(w for w in grid.findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClicks(editor, "42")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: results(demo_db)[first][0] == 542)
    qtbot.waitUntil(lambda: grid.currentIndex().row() == 1)
    assert grid.currentIndex().column() == VISITORS
    assert review.proxy.index(0, VISITORS).data() == "542"

    # Entrée outside an editor also goes down; a French amount with a decimal comma is accepted.
    grid.setCurrentIndex(review.proxy.index(1, SALES))
    qtbot.keyClick(grid, Qt.Key_1)
    editor = next(w for w in grid.findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClicks(editor, " 250,5")
    qtbot.keyClick(editor, Qt.Key_Enter)
    qtbot.waitUntil(lambda: results(demo_db)[second][1] == Decimal("1250.50"))
    qtbot.waitUntil(lambda: grid.currentIndex().row() == 2)
    qtbot.keyClick(grid, Qt.Key_Return)
    assert grid.currentIndex().row() == 3


def test_keyboard_entry_of_a_bad_value_is_refused_in_french(review, qtbot, demo_db, qapp_no_modal):
    grid = review.grid
    grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    before = results(demo_db)
    qtbot.keyClick(grid, Qt.Key_D)
    editor = next(w for w in grid.findChildren(QLineEdit) if w.isVisible())
    qtbot.keyClicks(editor, "ouze")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(close_boxes(qapp_no_modal)) or bool(review.last_errors))
    close_boxes(qapp_no_modal)
    assert grid.currentIndex().row() == 0  # stays on the refused cell
    message = next(iter(review.last_errors.values()))
    assert f"Boutique « {shop_at(review, 0)} », colonne « Visiteurs » : « douze » n'est pas un nombre entier" in message
    assert results(demo_db) == before


def test_paste_a_block_is_one_undoable_operation(review, main_window, qtbot, demo_db):
    grid = review.grid
    first, second = shop_at(review, 0), shop_at(review, 1)
    before = results(demo_db)
    grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    QApplication.clipboard().setText("120\t1 234,50\tCrêpes\tSuper\r\n95\t\tJeux\t\r\n")
    qtbot.keyClick(grid, Qt.Key_V, Qt.ControlModifier)
    after = results(demo_db)
    assert after[first] == (120, Decimal("1234.50"), "Crêpes", "Super")
    assert after[second] == (95, None, "Jeux", "")
    assert {k: v for k, v in after.items() if k not in (first, second)} == {
        k: v for k, v in before.items() if k not in (first, second)}
    assert main_window.action_undo.text() == "Annuler : Coller 8 cellule(s) dans le bilan"
    assert review.proxy.index(0, VISITORS).data() == "120"

    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert results(demo_db) == before
    assert review.proxy.index(0, VISITORS).data() == str(before[first][0])


def test_paste_with_invalid_cells_writes_nothing_and_says_where(review, qtbot, demo_db, qapp_no_modal, main_window):
    grid = review.grid
    first, second = shop_at(review, 0), shop_at(review, 1)
    before = results(demo_db)
    grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    QApplication.clipboard().setText("beaucoup\t12,345\n-4\t10")
    qtbot.keyClick(grid, Qt.Key_V, Qt.ControlModifier)
    boxes = close_boxes(qapp_no_modal)
    assert boxes and "Rien n'a été enregistré : 3 cellules sont invalides" in boxes[-1].text()
    assert results(demo_db) == before
    assert not main_window.context.ops.can_undo
    messages = list(review.last_errors.values())
    assert any(m.startswith(f"Boutique « {first} », colonne « Visiteurs »") for m in messages)
    assert any(f"Boutique « {first} », colonne « Ventes (€) »" in m and "deux décimales" in m for m in messages)
    assert any(f"Boutique « {second} », colonne « Visiteurs »" in m and "négatif" in m for m in messages)

    # A block larger than the grid is refused before anything is written.
    grid.setCurrentIndex(review.proxy.index(16, VISITORS))
    QApplication.clipboard().setText("1\n2\n3")
    qtbot.keyClick(grid, Qt.Key_V, Qt.ControlModifier)
    boxes = close_boxes(qapp_no_modal)
    assert boxes and "dépasse la dernière boutique de 2 ligne(s)" in boxes[-1].text()
    assert results(demo_db) == before


def test_paste_whole_rows_copied_with_the_shop_name(review, qtbot, demo_db, qapp_no_modal):
    grid = review.grid
    first = shop_at(review, 0)
    row = [first, review.proxy.index(0, 1).data(), review.proxy.index(0, 2).data(), "310"]
    grid.setCurrentIndex(review.proxy.index(0, 0))
    QApplication.clipboard().setText("\t".join(row))
    qtbot.keyClick(grid, Qt.Key_V, Qt.ControlModifier)
    assert results(demo_db)[first][0] == 310
    QApplication.clipboard().setText("Autre boutique\t\t\t311")
    qtbot.keyClick(grid, Qt.Key_V, Qt.ControlModifier)
    boxes = close_boxes(qapp_no_modal)
    assert boxes and "ne se modifie pas ici" in boxes[-1].text()
    assert results(demo_db)[first][0] == 310


def test_delete_clears_selected_cells(review, qtbot, demo_db):
    grid = review.grid
    first = shop_at(review, 0)
    grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    grid.selectionModel().select(review.proxy.index(0, SALES), grid.selectionModel().SelectionFlag.Select)
    qtbot.keyClick(grid, Qt.Key_Delete)
    assert results(demo_db)[first][:2] == (None, None)


def test_edition_review_texts_are_saved_and_undone(review, main_window, qtbot, demo_db):
    review.press_edit.setText("")
    qtbot.keyClicks(review.press_edit, "25")
    review.recommendations_edit.setPlainText("ANTICIPER\nDate fixée avec les acteurs")
    assert review.form_state.text() == "Modifications non enregistrées"
    qtbot.mouseClick(review.save_button, Qt.LeftButton)
    with demo_db.session() as s:
        edition = s.scalars(select(Edition).filter_by(name="Novembre 2013")).one()
        assert edition.press_articles == 25
        assert edition.recommendations == "ANTICIPER\nDate fixée avec les acteurs"
    assert review.form_state.text() == ""
    main_window.undo()
    assert review.press_edit.text() == "14"
    assert "ANTICIPER." in review.recommendations_edit.toPlainText()


def test_edition_review_bad_count_is_refused(review, demo_db, qapp_no_modal):
    review.booklets_edit.setText("beaucoup")
    assert review.save_button.isEnabled()
    assert review.save_edition_review() is False
    boxes = close_boxes(qapp_no_modal)
    assert boxes and "Annuaires distribués : « beaucoup » n'est pas un nombre entier" in boxes[-1].text()
    assert review.form_state.text() == "Modifications non enregistrées"


def test_comparison_charts_show_both_demo_editions(review, tmp_path):
    review.pages.setCurrentIndex(1)
    assert review.comparison_model.rowCount() == 2
    for chart in review.charts.charts:
        assert chart.plotted_count() == 2, chart.spec.key
        assert [name for name, _value in chart.points] == ["Novembre 2013", "Avril 2014"]
    assert review.charts.chart("boutiques").points == [("Novembre 2013", 17), ("Avril 2014", 20)]
    assert review.charts.chart("cout-par-boutique").points[0][1] == Decimal("2441.18")
    saved = review.charts.chart("visiteurs").save_png(tmp_path / "visiteurs")
    assert saved.name == "visiteurs.png" and saved.read_bytes()[:4] == b"\x89PNG"


def test_comparison_charts_follow_the_results(review, qtbot):
    visitors_chart = review.charts.chart("visiteurs")
    review.pages.setCurrentIndex(1)
    total = visitors_chart.points[0][1]
    review.pages.setCurrentIndex(0)
    review.grid.setCurrentIndex(review.proxy.index(0, VISITORS))
    current = int(review.proxy.index(0, VISITORS).data(Qt.EditRole))
    QApplication.clipboard().setText(str(current + 100))
    qtbot.keyClick(review.grid, Qt.Key_V, Qt.ControlModifier)
    review.pages.setCurrentIndex(1)  # the charts are drawn when their page is shown
    assert visitors_chart.points[0][1] == total + 100


def test_charts_are_rendered_headless(qapp, demo_ops, tmp_path):
    from bonsjours_desktop.core.comparison import compare_editions
    from bonsjours_desktop.render.comparison_charts import render_comparison_pngs

    paths = render_comparison_pngs(demo_ops.read(compare_editions), tmp_path / "graphiques", width=800)
    assert [p.name for p in paths] == [
        "bilan-boutiques.png", "bilan-visiteurs.png", "bilan-cout-par-boutique.png", "bilan-cout-par-visiteur.png"]
    from PySide6.QtGui import QImage

    image = QImage(str(paths[0]))
    assert image.width() == 800 and image.height() > 200


def test_navigate_to_a_shop_selects_its_row(review, main_window, demo_db):
    with demo_db.session() as s:
        shop_id = s.scalars(select(Shop.id).filter_by(name="Emmaüs Cholet")).one()
    main_window.navigate("Bilan", {"shop_id": shop_id})
    assert review.grid.currentIndex().siblingAtColumn(0).data() == "Emmaüs Cholet"


def test_results_model_passes_the_model_tester(review, qtmodeltester):
    qtmodeltester.check(review.model)
    qtmodeltester.check(review.comparison_model)
