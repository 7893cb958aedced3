"""Boutiques tab: the directory of shops with instant search, filters, form, import/export and a map."""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.formatting import count
from ...core.models import WEEKDAYS
from ...core.shops import (
    ShopRow,
    delete_impact,
    delete_shop,
    network_choices,
    product_choices,
    list_shop_rows,
    list_territory_names,
)
from ...core.validation import fold, fold_many
from ..models.table import SEARCH_ROLE, SORT_ROLE, Column, RowTableModel, collation_keys, sorted_order
from ..collector import long_lived
from .base import BaseTab, make_table_view
from ..widgets import kit

DAY_ABBR = {day: day[:3] + "." for day in WEEKDAYS}
_DISPLAY = int(Qt.DisplayRole.value)
_SORT, _SEARCH = int(SORT_ROLE), int(SEARCH_ROLE)
WARN_COLOUR = QColor("#b45309")
ALL = "__all__"


def _yes(value: bool) -> str:
    return "oui" if value else "non"


COLUMNS = [
    Column[ShopRow]("Nom", lambda r: r.name, tooltip=lambda r: r.name),
    Column[ShopRow]("Réseau", lambda r: r.network),
    Column[ShopRow]("Commune", lambda r: r.commune),
    Column[ShopRow](
        "Ouverture",
        lambda r: " ".join(DAY_ABBR[d] for d in r.open_days),
        sort_key=lambda r: tuple(WEEKDAYS.index(d) for d in r.open_days),
        tooltip=lambda r: r.opening_hours_text.replace("; ", "\n") or "Horaires non renseignés",
    ),
    Column[ShopRow](
        "Peut communiquer",
        lambda r: _yes(r.may_promote),
        tooltip=lambda r: "" if r.may_promote else "Entreprise d'insertion : ne peut pas faire la promotion de sa boutique.",
        foreground=lambda r: None if r.may_promote else WARN_COLOUR,
    ),
    Column[ShopRow]("Participe", lambda r: _yes(r.participates)),
    Column[ShopRow]("Territoire", lambda r: r.territory, tooltip=lambda r: r.territory),
    Column[ShopRow]("Produits", lambda r: ", ".join(r.products), tooltip=lambda r: ", ".join(r.products)),
    Column[ShopRow]("Adresse", lambda r: r.address, tooltip=lambda r: f"{r.address}, {r.postal_code} {r.commune}"),
]


def search_parts(row: ShopRow) -> tuple[str, ...]:
    return (row.name, row.commune, row.network, row.address, row.postal_code, row.territory)


def search_text(row: ShopRow) -> str:
    return " ".join(search_parts(row))


DEFAULT_SEARCH_TEXT = search_text


def folded_search_keys(rows) -> list[str]:
    """fold(search_text(row)) of each row (core.validation.fold_many: all rows' texts folded at once)."""
    return fold_many([" ".join(search_parts(row)) for row in rows])


class ShopTableModel(RowTableModel):
    """RowTableModel that filters and sorts itself in plain Python, with set_search/set_predicate.

    A QSortFilterProxyModel calls Python once per row to filter and once per comparison to sort:
    with 10 000 shops, erasing the search text took up to 25 s (see benchmarks/shop_filter.py).
    Here a keystroke is one list comprehension over precomputed folded texts, in the sort order
    computed once per sort change (French collation keys, kept per column), then one model reset;
    the view only asks for visible cells. update_rows() patches a few shops in place."""

    def __init__(self, columns, parent=None):
        super().__init__(columns, parent)
        self._all: list[ShopRow] = []
        self._folded: list[str] = []
        self._all_keys: dict[int, list[tuple]] = {}
        self._order: list[int] = []
        self._visible: list[int] = []  # positions in _all of the rows shown
        self._needle = ""
        self._predicate: Optional[Callable[[ShopRow], bool]] = None
        self._sort_column = 0
        self._sort_order = Qt.AscendingOrder

    def data(self, index, role: int = _DISPLAY):  # noqa: D401 - Qt API
        if role in (_SORT, _SEARCH):
            row = index.row()
            if not 0 <= row < len(self._rows):
                return None
            if role == _SEARCH:
                return self._folded[self._visible[row]] if 0 <= row < len(self._visible) else ""
            column = self.columns[index.column()]
            return column.sort_key(self._rows[row]) if column.sort_key else column.text(self._rows[row]).casefold()
        return super().data(index, role)

    def set_rows(self, rows, search_text=search_text) -> None:  # type: ignore[override]
        self._all = list(rows)
        self._folded = (folded_search_keys(self._all) if search_text is DEFAULT_SEARCH_TEXT
                        else [fold(search_text(row)) for row in self._all])
        self._all_keys = {}
        self._order = self._sorted_order()
        self._refilter()

    def update_rows(self, rows: dict[int, Optional[ShopRow]], search_text=search_text) -> None:
        """Replace (or remove, for None) the shops with these ids; new ids are added.

        When the shown rows keep their places (a rename that does not move the row), only their
        cells are repainted: no reset, the selection and the scroll position stay."""
        position = {row.id: i for i, row in enumerate(self._all)}
        if any(shop_id not in position and row is not None for shop_id, row in rows.items()) or \
                any(row is None for row in rows.values()):
            kept = [r for r in self._all if r.id not in rows]
            self.set_rows(kept + [row for row in rows.values() if row is not None], search_text)
            return
        for shop_id, row in rows.items():
            i = position[shop_id]
            self._all[i] = row
            self._folded[i] = fold(search_text(row))
            for column, keys in self._all_keys.items():
                keys[i] = self.columns[column].collation(row)
        before = [r.id for r in self._rows]
        self._order = self._sorted_order()
        visible = self._visible_positions()
        if [self._all[i].id for i in visible] != before:
            self._reset_to(visible)
            return
        self._visible = visible
        self._rows = [self._all[i] for i in visible]
        for shown, i in enumerate(visible):
            if self._all[i].id in rows:
                self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(self.columns) - 1))

    def total_count(self) -> int:
        return len(self._all)

    def all_rows(self) -> list[ShopRow]:
        return list(self._all)

    def set_search(self, text: str) -> None:
        needle = fold(text)
        if needle != self._needle:
            self._needle = needle
            self._refilter()

    def set_predicate(self, predicate: Optional[Callable[[ShopRow], bool]]) -> None:
        self._predicate = predicate
        self._refilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:  # noqa: D401 - Qt API
        if not 0 <= column < len(self.columns):
            return
        self._sort_column, self._sort_order = column, order
        self.sort_column, self.sort_order = column, order
        self._order = self._sorted_order()
        self._refilter()

    def _sorted_order(self) -> list[int]:
        keys = self._all_keys.get(self._sort_column)
        if keys is None:
            column = self.columns[self._sort_column]
            keys = self._all_keys[self._sort_column] = collation_keys(column, self._all)
        return sorted_order(keys, self._sort_order == Qt.DescendingOrder)

    def _visible_positions(self) -> list[int]:
        needle, predicate, folded, rows = self._needle, self._predicate, self._folded, self._all
        if not needle and predicate is None:
            return list(self._order)
        return [
            i for i in self._order
            if (not needle or needle in folded[i]) and (predicate is None or predicate(rows[i]))
        ]

    def _refilter(self) -> None:
        self._reset_to(self._visible_positions())

    def _reset_to(self, visible: list[int]) -> None:
        self.beginResetModel()
        self._visible = visible
        self._rows = [self._all[i] for i in visible]
        self.generation += 1
        self.endResetModel()


class ShopsTab(BaseTab):
    """The shops of the département: searchable, filterable, editable, and on a map."""

    title = "Boutiques"
    tables = ("shops", "participations", "territories", "settings")

    @long_lived()
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.search = QLineEdit(placeholderText="Rechercher (nom, commune, réseau, adresse, territoire)…")
        self.search.setObjectName("shopSearch")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(objectName="shopCount")
        self.model = ShopTableModel(COLUMNS, self)
        self.view = make_table_view(self)
        self.view.setObjectName("shopTable")
        self.view.setModel(self.model)
        self.search.textChanged.connect(self._on_search)

        # Filters
        self.network_filter = QComboBox(objectName="networkFilter")
        self.territory_filter = QComboBox(objectName="territoryFilter")
        self.product_filter = QComboBox(objectName="productFilter")
        self.day_filter = QComboBox(objectName="dayFilter")
        self.day_filter.addItem("Tous les jours", ALL)
        for day in WEEKDAYS:
            self.day_filter.addItem(f"Ouvert le {day}", day)
        self.participating_filter = QCheckBox("Participe à l'édition en cours", objectName="participatingFilter")
        for combo in (self.network_filter, self.territory_filter, self.product_filter, self.day_filter):
            combo.currentIndexChanged.connect(self._apply_filters)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.participating_filter.toggled.connect(self._apply_filters)
        self.clear_filters_button = QPushButton("Effacer les filtres", objectName="clearFilters")
        self.clear_filters_button.clicked.connect(self.clear_filters)

        # Actions: shortcuts live on the tab so they work wherever the focus is inside it.
        self.action_new = self._action("Nouvelle boutique…", [QKeySequence("Ctrl+N")], self.new_shop)
        # Entrée and Suppr act on the table only: in the search field they keep their usual meaning.
        self.action_edit = self._action("Modifier…", [QKeySequence(Qt.Key_Return), QKeySequence(Qt.Key_Enter)],
                                        self.edit_current, Qt.WidgetShortcut)
        self.action_delete = self._action("Supprimer…", [QKeySequence(QKeySequence.Delete)], self.delete_current,
                                          Qt.WidgetShortcut)
        self.action_import = self._action("Importer (CSV, XLSX)…", [], self.import_file)
        self.view.doubleClicked.connect(lambda _index: self.edit_current())
        self.view.setContextMenuPolicy(Qt.ActionsContextMenu)
        self.view.insertAction(self.action_edit, self.action_new)

        buttons = QHBoxLayout()
        for action in (self.action_new, self.action_edit, self.action_delete, self.action_import):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            buttons.addWidget(button)
        self.export_button = QToolButton(objectName="exportButton", text="Exporter…")
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        export_menu = QMenu(self.export_button)
        for label, fmt in (("CSV pour Excel…", "csv"), ("Classeur XLSX…", "xlsx"), ("GeoJSON pour uMap / la carte…", "geojson")):
            export_menu.addAction(label, lambda f=fmt: self.export_file(f))
        self.export_button.setMenu(export_menu)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        filters = QHBoxLayout()
        for widget in (self.network_filter, self.territory_filter, self.product_filter, self.day_filter,
                       self.participating_filter, self.clear_filters_button):
            filters.addWidget(widget)
        filters.addStretch(1)

        from ..widgets.map import ShopMap

        self.map = ShopMap(self)
        self.map.shop_clicked.connect(self.select_shop)
        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.setObjectName("shopSplitter")
        table_side = QWidget()
        table_layout = QVBoxLayout(table_side)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.view)
        self.splitter.addWidget(table_side)
        self.splitter.addWidget(self.map)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([800, 480])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.splitter, 1)

        # The map follows the filters, a little after the last keystroke, so typing stays fluid.
        self._map_timer = QTimer(self, singleShot=True, interval=120)
        self._map_timer.timeout.connect(self.refresh_map)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self._opening = True
        self.reload()

    def _action(self, text: str, shortcuts: list, slot: Callable[[], None],
                context: Qt.ShortcutContext = Qt.WidgetWithChildrenShortcut) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(shortcuts)
            action.setShortcutContext(context)
        action.triggered.connect(lambda _=False: slot())
        if context == Qt.WidgetShortcut:
            self.view.addAction(action)
        else:
            self.addAction(action)
        return action

    # -- data ------------------------------------------------------------------------------------

    @long_lived()
    def reload(self) -> None:
        current = self.current_shop_id()
        rows = self.context.read(lambda s: list_shop_rows(s, self.context.edition_id))
        self.model.set_rows(rows)
        self._reload_filter_choices()
        self._update_count()
        if self._opening:
            # The tab's first image shows the table, the map comes right after it (ShopMap.fill_later).
            self._opening = False
            self._map_timer.stop()
            self.map.fill_later(self.refresh_map)
        else:
            self.refresh_map()
        if current is not None:
            self.select_shop(current)

    def apply_own_changes(self, changes) -> None:
        """A shop saved or deleted from this tab: re-read those shops only and patch the table in place."""
        ids = changes.ids.get("shops")
        if not changes.tables <= {"shops"} or not ids:
            super().apply_own_changes(changes)
            return
        previous = {r.id: r for r in self.model.all_rows() if r.id in ids}
        fresh = {r.id: r for r in self.context.read(
            lambda s: list_shop_rows(s, self.context.edition_id, ids=ids))}
        self.model.update_rows({shop_id: fresh.get(shop_id) for shop_id in ids})
        choices = {(r.network, r.territory, r.products) for r in previous.values()}
        if len(previous) != len(ids) or choices != {(r.network, r.territory, r.products) for r in fresh.values()}:
            self._reload_filter_choices()
        self._update_count()
        self._map_timer.start()

    def _reload_filter_choices(self) -> None:
        # The networks and products the shops use, from the rows in hand (two DISTINCT queries over
        # 10 000 shops cost more); the territories from their table (some have no shop yet).
        rows = self.model.all_rows()
        networks = network_choices({row.network for row in rows})
        products = product_choices({row.products for row in rows})
        territories = self.context.read(list_territory_names)
        for combo, everything, values in (
            (self.network_filter, "Tous les réseaux", networks),
            (self.territory_filter, "Tous les territoires", territories),
            (self.product_filter, "Tous les produits", products),
        ):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, ALL)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(kept)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)
        self._apply_filters()

    # -- filtering -------------------------------------------------------------------------------

    def _on_search(self, text: str) -> None:
        current = self.current_shop_id()
        self.model.set_search(text)
        self._filtered(current)

    def _apply_filters(self) -> None:
        tests: list[Callable[[ShopRow], bool]] = []
        network = self.network_filter.currentData()
        if network not in (None, ALL):
            tests.append(lambda r, n=fold(network): fold(r.network) == n)
        territory = self.territory_filter.currentData()
        if territory not in (None, ALL):
            tests.append(lambda r, t=territory: r.territory == t)
        product = self.product_filter.currentData()
        if product not in (None, ALL):
            tests.append(lambda r, p=fold(product): any(fold(x) == p for x in r.products))
        day = self.day_filter.currentData()
        if day not in (None, ALL):
            tests.append(lambda r, d=day: d in r.open_days)
        if self.participating_filter.isChecked():
            tests.append(lambda r: r.participates)
        current = self.current_shop_id()
        self.model.set_predicate((lambda r: all(test(r) for test in tests)) if tests else None)
        self.clear_filters_button.setEnabled(bool(tests))
        self._filtered(current)

    def clear_filters(self) -> None:
        for combo in (self.network_filter, self.territory_filter, self.product_filter, self.day_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.participating_filter.blockSignals(True)
        self.participating_filter.setChecked(False)
        self.participating_filter.blockSignals(False)
        self._apply_filters()

    def _filtered(self, keep: Optional[int] = None) -> None:
        """After a filter change: keep the selected shop selected if still shown, recount, redraw the map."""
        if keep is not None:
            row = self.model.row_of(lambda r: r.id == keep)
            if row >= 0:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
                )
        self._update_count()
        self._map_timer.start()

    def _update_count(self) -> None:
        self.count_label.setText(f"{count(self.model.rowCount())} boutique(s) sur {count(self.model.total_count())}")

    def visible_rows(self) -> list[ShopRow]:
        return self.model.rows()

    def refresh_map(self) -> None:
        from ...core.geo import coordinator_departement

        self._map_timer.stop()
        self.map.set_shops(self.visible_rows(), self.context.read(coordinator_departement))
        self.map.set_selected(self.current_shop_id())

    # -- selection -------------------------------------------------------------------------------

    def current_shop_id(self) -> Optional[int]:
        index = self.view.currentIndex()
        if not index.isValid():
            rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
            if not rows:
                return None
            index = rows[0]
        row = index.row()
        return self.model.row_at(row).id if 0 <= row < self.model.rowCount() else None

    def select_shop(self, shop_id: int) -> bool:
        """Select and show a shop in the table (clearing the search if it hides it)."""
        if not any(r.id == shop_id for r in self.model.all_rows()):
            return False
        row = self.model.row_of(lambda r: r.id == shop_id)
        if row < 0:
            self.search.clear()
            self.clear_filters()
            row = self.model.row_of(lambda r: r.id == shop_id)
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
        )
        self.view.scrollTo(index)
        return True

    def _on_current_changed(self, current, _previous) -> None:
        self.map.set_selected(self.current_shop_id())

    def navigate_to(self, payload) -> None:
        shop_id = (payload or {}).get("shop_id")
        if shop_id is not None:
            self.select_shop(shop_id)

    # -- editing ---------------------------------------------------------------------------------

    def open_form(self, shop_id: Optional[int] = None):
        """The form dialog (not yet shown): tests fill it and call accept()."""
        from ..widgets.shop_form import ShopDialog

        return ShopDialog(self.context, shop_id, self)

    def _run_form(self, dialog) -> None:
        if dialog.exec() and dialog.saved_id is not None:
            self.select_shop(dialog.saved_id)

    def new_shop(self) -> None:
        self._run_form(self.open_form())

    def edit_current(self) -> None:
        shop_id = self.current_shop_id()
        if shop_id is not None:
            self._run_form(self.open_form(shop_id))

    def delete_current(self) -> bool:
        shop_id = self.current_shop_id()
        if shop_id is None:
            return False
        impact = self.context.read(lambda s: delete_impact(s, shop_id))
        if not kit.confirm(self, "Supprimer la boutique", impact.sentence() + "\n\nVous pourrez annuler avec Ctrl+Z.",
                           "Supprimer", "Annuler"):
            return False
        row = next((r for r in self.model.all_rows() if r.id == shop_id), None)
        seen = row.seen if row is not None else None
        changes = self.context.run(self, f"Supprimer la boutique « {impact.shop_name} »",
                                   lambda s: delete_shop(s, shop_id, expected=seen), on_reload=self.reload)
        return changes is not None

    # -- import / export -------------------------------------------------------------------------

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Importer des boutiques", "", "Tableaux (*.csv *.xlsx *.xlsm *.xls *.ods *.txt);;Tous les fichiers (*)"
        )
        if path:
            self.open_import(path)

    def open_import(self, path: str, show: bool = True):
        """Read the file and show the preview dialog; returns it (None if the file is unreadable)."""
        from ...core.errors import BonsJoursError
        from ..errors import show_error
        from ..widgets.shop_import import prepare_import

        try:
            # read and checked in a worker thread, behind a progress dialog with « Annuler »
            dialog = prepare_import(self.context, path, self)
        except BonsJoursError as exc:
            show_error(self, exc)
            return None
        if dialog is None:
            return None
        if show and dialog.exec() and dialog.result is not None:
            result = dialog.result
            QMessageBox.information(
                self, "Import terminé",
                result.counts_text()
                + (f", {count(len(result.skipped_lines))} ligne(s) invalide(s) ignorée(s)" if result.skipped_lines else "")
                + ".\n\nCtrl+Z annule tout l'import.",
            )
        return dialog

    def export_file(self, fmt: str, path: Optional[str] = None) -> Optional[list[str]]:
        """Export every shop (with the current edition's participation); returns the report lines."""
        from ...core.io.shops_io import export_shops
        from ..errors import show_error

        if path is None:
            filters = {"csv": "CSV pour Excel (*.csv)", "xlsx": "Classeur Excel (*.xlsx)", "geojson": "GeoJSON (*.geojson)"}
            chosen = kit.save_file_as(self, "Exporter les boutiques", f"boutiques.{fmt}", filters[fmt])
            if chosen is None:
                return None
            path = str(chosen)
        edition_id = self.context.edition_id
        try:
            report = self.context.read(lambda s: export_shops(s, path, fmt, edition_id))
        except Exception as exc:  # noqa: BLE001 - shown in French, never a crash
            show_error(self, exc)
            return None
        lines = report.sentences()
        QMessageBox.information(self, "Export terminé", "\n\n".join(lines))
        return lines
