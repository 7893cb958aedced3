"""The shop import dialog: errors and warnings in a sortable table (ligne, niveau, colonne, valeur,
message), how the file was read, the valid rows imported on request (warned rows included)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from bonsjours_desktop.core.io.shops_io import RawRow, RawTable
from bonsjours_desktop.core.models import Shop


@pytest.fixture
def tab(main_window):
    return main_window.show_tab("Boutiques")


def table_texts(view):
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_errors_and_warnings_in_a_sortable_table_then_the_valid_rows_are_imported(tab, tmp_path, main_window, qtbot):
    path = tmp_path / "boutiques.csv"
    path.write_text(
        "Nom;Commune;Code postal;Jours d'ouverture\n"
        "Recyclerie du Lac;Baugé;49150;le matin surtout\n"  # warning: unreadable hours
        "Mauvaise;Angers;4925;mercredi 14h-18h\n"  # error: postal code
        "Atelier Vélo;Angers;49000.0;Jours d'ouverture: mardi au samedi\n",  # fine
        encoding="utf-8")
    dialog = tab.open_import(str(path), show=False)
    qtbot.addWidget(dialog)
    view = dialog.issues
    assert [view.model().headerData(c, Qt.Horizontal) for c in range(5)] == [
        "Ligne", "Niveau", "Colonne", "Valeur", "Message"]
    rows = table_texts(view)
    assert [r[:4] for r in rows] == [
        ["2", "avertissement", "Jours d'ouverture", "le matin surtout"],
        ["3", "erreur", "Code postal", "4925"],
    ]
    assert rows[1][4] == "Code postal « 4925 » : 5 chiffres attendus (exemple : 49000)."
    # a message too long for its column is cut at its end, not in its middle as the tabs' names are
    assert view.textElideMode() == dialog.view.textElideMode() == Qt.ElideRight
    # Sorting by level puts the error first, then back by line.
    view.sortByColumn(1, Qt.AscendingOrder)
    assert [r[1] for r in table_texts(view)] == ["erreur", "avertissement"]
    view.sortByColumn(0, Qt.DescendingOrder)
    assert [r[0] for r in table_texts(view)] == ["3", "2"]
    summary = dialog.summary.text()
    assert "1 ligne(s) invalide(s)" in summary and "1 avertissement(s)" in summary and "UTF-8" in summary
    assert dialog.report_text().splitlines()[0].startswith("ligne 2, colonne « Jours d'ouverture » (avertissement)")
    dialog.copy_report()
    assert "ligne 3, colonne « Code postal »" in QGuiApplication.clipboard().text()
    # The warned row is imported with the others; the refused one is not.
    assert dialog.import_button.text() == "Importer les 2 ligne(s) valide(s)"
    # The button itself, as a click: its clicked(bool) must not reach do_import's parameters.
    dialog.show()
    qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
    assert dialog.result is not None and dialog.result.created == 2
    shops = main_window.context.read(lambda s: {
        x.name: (x.notes, x.postal_code, x.opening_hours) for x in s.scalars(select(Shop))})
    assert "Mauvaise" not in shops
    assert "Horaires (non reconnus à l'import) : le matin surtout" in shops["Recyclerie du Lac"][0]
    assert shops["Atelier Vélo"][1:] == ("49000", {d: [] for d in ("mardi", "mercredi", "jeudi", "vendredi", "samedi")})


def test_the_dialog_says_which_sheet_header_row_and_encoding_the_reader_used(tab, main_window, qtbot):
    from bonsjours_desktop.ui.widgets.shop_import import ShopImportDialog

    # What the file reader reports besides its description (sheet, header row, encoding).
    table = RawTable(("Nom", "Commune"), (RawRow(4, ("A", "Angers")),), "classeur Excel")
    object.__setattr__(table, "sheet", "Boutiques")
    object.__setattr__(table, "header_line", 3)
    dialog = ShopImportDialog(main_window.context, table, "b.xlsx", main_window)
    qtbot.addWidget(dialog)
    assert "feuille « Boutiques », en-tête ligne 3" in dialog.summary.text()
    assert not dialog.issues.isVisibleTo(dialog)
