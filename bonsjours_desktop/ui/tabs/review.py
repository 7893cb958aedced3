"""Review tab ("Bilan"): a fast results grid per shop, the edition's review texts and the comparison charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Optional, Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.comparison import EditionComparison, compare_editions
from ...core.errors import ValidationError
from ...core.formatting import date_abbr, integer, money
from ...core.review import (
    EDITION_REVIEW_LABELS,
    RESULT_LABELS,
    ResultRow,
    get_edition_review,
    list_result_rows,
    set_edition_review,
    set_results,
)
from ..models.table import Column, RowTableModel, SearchProxyModel
from ..collector import long_lived
from .base import BaseTab, make_table_view

RIGHT = Qt.AlignRight | Qt.AlignVCenter


def _edit_text(row: ResultRow, field: str) -> str:
    value = getattr(row, field)
    if field == "visitors":
        return "" if value is None else str(value)
    if field == "sales":
        return money(value, symbol=False) if value is not None else ""
    return value


# (column, result field or None when read-only)
RESULT_COLUMNS: list[tuple[Column[ResultRow], Optional[str]]] = [
    (Column[ResultRow]("Boutique", lambda r: r.shop_name), None),
    (Column[ResultRow]("Commune", lambda r: r.commune), None),
    (Column[ResultRow]("Participation", lambda r: r.status), None),
    (Column[ResultRow](RESULT_LABELS["visitors"], lambda r: integer(r.visitors), sort_key=lambda r: (r.visitors is None, r.visitors or 0), align=RIGHT), "visitors"),
    (Column[ResultRow](RESULT_LABELS["sales"], lambda r: money(r.sales), sort_key=lambda r: (r.sales is None, r.sales or 0), align=RIGHT), "sales"),
    (Column[ResultRow](RESULT_LABELS["animations_held"], lambda r: r.animations_held, tooltip=lambda r: r.animations_held), "animations_held"),
    (Column[ResultRow](RESULT_LABELS["result_comments"], lambda r: r.result_comments, tooltip=lambda r: r.result_comments), "result_comments"),
]


class ResultsModel(RowTableModel[ResultRow]):
    """Results of the edition's shops; result cells are editable and each edit goes through on_edit."""

    def __init__(self, on_edit: Callable[[list[dict[str, Any]], str], bool], parent=None):
        super().__init__([column for column, _field in RESULT_COLUMNS], parent)
        self.fields = [field for _column, field in RESULT_COLUMNS]
        self.on_edit = on_edit

    def refresh(self, rows: Sequence[ResultRow]) -> None:
        """Same shops as shown: update in place so the cursor stays where the user types; else reset."""
        if [r.participation_id for r in rows] == [r.participation_id for r in self.rows()] and rows:
            self._rows = list(rows)
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1))
        else:
            self.set_rows(rows)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.fields[index.column()] is not None:
            flags |= Qt.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.EditRole and index.isValid():
            field = self.fields[index.column()]
            row = self.row_at(index.row())
            return _edit_text(row, field) if field else self.columns[index.column()].text(row)
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or not index.isValid():
            return False
        field = self.fields[index.column()]
        if field is None:
            return False
        row = self.row_at(index.row())
        text = "" if value is None else str(value)
        if text == _edit_text(row, field):
            return True
        return self.on_edit([{"shop_id": row.shop_id, field: text}],
                            f"Bilan : {RESULT_LABELS[field].lower()} de « {row.shop_name} »")


def parse_block(text: str) -> list[list[str]]:
    """Tab-separated block copied from a spreadsheet → rows of cells (final line break ignored)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.split("\t") for line in text.split("\n")]


class ResultsGrid(QTableView):
    """Spreadsheet-like keyboard: type to edit, Entrée validates and goes down, Ctrl+V pastes a block,
    Suppr clears the selected cells."""

    def __init__(self, tab: ReviewTab, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.tab = tab
        self.setObjectName("resultsGrid")
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
        )
        self.verticalHeader().setDefaultSectionSize(26)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setHighlightSections(False)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.matches(QKeySequence.Paste):
            self.tab.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.Copy):
            self.tab.copy_selection()
            return
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.state() != QAbstractItemView.EditingState:
            self.tab.clear_selection()
            return
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.state() != QAbstractItemView.EditingState:
            self.move_down()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt name
        super().closeEditor(editor, hint)
        failed, self.tab.edit_failed = self.tab.edit_failed, False
        # Entrée in an editor ends with SubmitModelCache: move down like a spreadsheet, unless the value
        # was refused, so the user can retype it where it belongs.
        if hint == QAbstractItemDelegate.SubmitModelCache and not failed:
            self.move_down()

    def move_down(self) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        below = current.sibling(current.row() + 1, current.column())
        if below.isValid():
            self.setCurrentIndex(below)
            self.selectionModel().select(below, QItemSelectionModel.ClearAndSelect)


class ReviewTab(BaseTab):
    """Results of the selected edition (grid + review texts) and comparison of every edition."""

    title = "Bilan"
    tables = ("participations", "shops", "editions", "event_days", "budget_lines")

    @long_lived()
    def __init__(self, context, parent: Optional[QWidget] = None):
        super().__init__(context, parent)
        self.last_errors: dict[str, str] = {}
        self.edit_failed = False
        self._form_dirty = False
        self._form_edition: Optional[int] = None

        self.pages = QTabWidget(self)
        self.pages.setObjectName("reviewPages")
        self.pages.addTab(self._build_results_page(), "Résultats de l'édition")
        self.pages.addTab(self._build_comparison_page(), "Comparaison des éditions")
        self._charts_data = None
        self.pages.currentChanged.connect(lambda index: self._draw_charts() if index == 1 else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.reload()
        for column, width in ((0, 300), (1, 130), (2, 135), (3, 105), (4, 115), (5, 260)):
            self.grid.setColumnWidth(column, width)

    # -- building ---------------------------------------------------------------------------------

    def _build_results_page(self) -> QWidget:
        page = QWidget()
        self.model = ResultsModel(self._run_rows, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        # Rows must not jump while the user types down a column.
        self.proxy.setDynamicSortFilter(False)
        self.grid = ResultsGrid(self)
        self.grid.setModel(self.proxy)
        self.grid.sortByColumn(0, Qt.AscendingOrder)
        self.totals = QLabel()
        self.totals.setObjectName("resultsTotals")
        help_text = QLabel(
            "Tapez pour saisir, Entrée pour valider et descendre ; Ctrl+V colle un bloc copié d'un tableur "
            "(colonnes séparées par des tabulations, virgule décimale) ; Suppr efface les cellules choisies."
        )
        help_text.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(self.totals)
        left_layout.addWidget(help_text)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        self.press_edit = QLineEdit()
        self.press_edit.setObjectName("pressArticles")
        self.booklets_edit = QLineEdit()
        self.booklets_edit.setObjectName("bookletsDistributed")
        self.qualitative_edit = QPlainTextEdit()
        self.qualitative_edit.setObjectName("qualitativeResults")
        self.recommendations_edit = QPlainTextEdit()
        self.recommendations_edit.setObjectName("recommendations")
        form.addRow(EDITION_REVIEW_LABELS["press_articles"] + " :", self.press_edit)
        form.addRow(EDITION_REVIEW_LABELS["booklets_distributed"] + " :", self.booklets_edit)
        form.addRow(QLabel(EDITION_REVIEW_LABELS["qualitative_results"] + " :"))
        form.addRow(self.qualitative_edit)
        form.addRow(QLabel(EDITION_REVIEW_LABELS["recommendations"] + " :"))
        form.addRow(self.recommendations_edit)
        self.save_button = QPushButton("Enregistrer le bilan de l'édition")
        self.save_button.setObjectName("saveEditionReview")
        self.save_button.setToolTip("Enregistrer les articles, annuaires, résultats qualitatifs et recommandations (Ctrl+S)")
        self.save_button.clicked.connect(self.save_edition_review)
        self.form_state = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_state, 1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        for edit in (self.press_edit, self.booklets_edit):
            edit.textEdited.connect(self._mark_dirty)
        for edit in (self.qualitative_edit, self.recommendations_edit):
            edit.textChanged.connect(self._mark_dirty)
        QShortcut(QKeySequence.Save, form_widget, self.save_edition_review, context=Qt.WidgetWithChildrenShortcut)

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(form_widget)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([990, 360])
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)
        return page

    def _build_comparison_page(self) -> QWidget:
        page = QWidget()
        columns = [
            Column[EditionComparison]("Édition", lambda c: c.name),
            Column[EditionComparison]("1re journée", lambda c: date_abbr(c.first_day), sort_key=lambda c: c.first_day),
            Column[EditionComparison]("Boutiques", lambda c: integer(c.shops), sort_key=lambda c: c.shops, align=RIGHT),
            Column[EditionComparison]("Visiteurs", lambda c: integer(c.visitors) if c.visitors_known else "", sort_key=lambda c: c.visitors, align=RIGHT),
            Column[EditionComparison]("Ventes", lambda c: money(c.sales) if c.sales else "", sort_key=lambda c: c.sales, align=RIGHT),
            Column[EditionComparison]("Dépenses TTC", lambda c: money(c.total_ttc) if c.has_budget else "", sort_key=lambda c: c.total_ttc, align=RIGHT),
            Column[EditionComparison]("Coût par boutique", lambda c: money(c.cost_per_shop), sort_key=lambda c: c.cost_per_shop or 0, align=RIGHT),
            Column[EditionComparison]("Coût par visiteur", lambda c: money(c.cost_per_visitor), sort_key=lambda c: c.cost_per_visitor or 0, align=RIGHT),
            Column[EditionComparison]("Articles", lambda c: integer(c.press_articles), sort_key=lambda c: c.press_articles or 0, align=RIGHT),
            Column[EditionComparison]("Annuaires", lambda c: integer(c.booklets_distributed), sort_key=lambda c: c.booklets_distributed or 0, align=RIGHT),
        ]
        self.comparison_model = RowTableModel(columns, self)
        self.comparison_proxy = SearchProxyModel(self)
        self.comparison_proxy.setSourceModel(self.comparison_model)
        self.comparison_view = make_table_view()
        self.comparison_view.setObjectName("comparisonTable")
        self.comparison_view.setModel(self.comparison_proxy)
        self.comparison_view.sortByColumn(1, Qt.AscendingOrder)
        self.comparison_view.setMaximumHeight(150)
        # Fitted once to a sample of rows (TableView), not ResizeToContents: that mode measures every
        # edition's row again at each layout and style pass (300 editions: 160 000 data() calls to open).
        # The four charts (pyqtgraph: ~250 ms to import at first use) are built when asked for: when
        # their page is shown (see charts), not with the tab, whose first page is the results grid.
        self._charts = None
        self.charts_box = QWidget()
        self.charts_box.setObjectName("comparisonChartsBox")
        charts_layout = QVBoxLayout(self.charts_box)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        from .. import theme

        theme.notifier().changed.connect(self._follow_theme)
        save_all = QPushButton("Enregistrer les quatre graphiques en PNG…")
        save_all.clicked.connect(self.ask_save_all_charts)
        note = QLabel("Dépenses TTC hors frais généraux ; les éditions sans dépense ou sans visiteurs n'ont pas de coût.")
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(save_all)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.comparison_view)
        layout.addWidget(self.charts_box, 1)
        layout.addLayout(bottom)
        return page

    @property
    def charts(self):
        """The comparison charts (render/comparison_charts.py), built now if they were not yet."""
        if self._charts is None:
            from ...render.comparison_charts import ComparisonCharts
            from .. import theme

            self._charts = ComparisonCharts()
            self.charts_box.layout().addWidget(self._charts)
            if theme.is_dark():
                self._follow_theme(True)
        return self._charts

    def _follow_theme(self, dark: bool) -> None:
        """The comparison charts on screen in the theme's colours (saved PNGs stay light)."""
        if self._charts is None:
            return  # built later, in the theme of then
        from ...render.charts import DARK_CHART, LIGHT_CHART

        self._charts.set_style(DARK_CHART if dark else LIGHT_CHART)

    # -- reading ----------------------------------------------------------------------------------

    @long_lived()
    def reload(self) -> None:
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: list_result_rows(s, edition_id)) if edition_id else []
        self.model.refresh(rows)
        self._show_totals(rows)
        if edition_id != self._form_edition or not self._form_dirty:
            self._load_form(edition_id)
        comparisons = self.context.read(compare_editions)
        self.comparison_model.set_rows(comparisons)
        # The four charts are drawn when their page is shown (300 editions take a while to draw).
        self._charts_data = comparisons
        if self.pages.currentIndex() == 1:
            self._draw_charts()

    def _draw_charts(self) -> None:
        if self._charts_data is not None:
            self.charts.set_data(self._charts_data)
            self._charts_data = None

    def _show_totals(self, rows: Sequence[ResultRow]) -> None:
        if not rows:
            self.totals.setText("Aucune boutique ne participe à cette édition." if self.context.edition_id else "Aucune édition : créez-en une par Fichier → « Nouvelle édition… » (Ctrl+E).")
            return
        visitors = sum(r.visitors or 0 for r in rows)
        filled = sum(1 for r in rows if r.visitors is not None)
        sales = sum((r.sales for r in rows if r.sales is not None), Decimal("0.00"))
        self.totals.setText(
            f"{len(rows)} boutique(s) — {integer(visitors)} visiteurs ({filled} boutique(s) renseignée(s)) — "
            f"ventes connues : {money(sales)}"
        )

    def _load_form(self, edition_id: Optional[int]) -> None:
        self._form_edition = edition_id
        enabled = edition_id is not None
        for widget in (self.press_edit, self.booklets_edit, self.qualitative_edit, self.recommendations_edit, self.save_button):
            widget.setEnabled(enabled)
        review = self.context.read(lambda s: get_edition_review(s, edition_id)) if enabled else None
        self._review_seen = review.seen if review else None
        widgets = (self.press_edit, self.booklets_edit, self.qualitative_edit, self.recommendations_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.press_edit.setText("" if review is None or review.press_articles is None else str(review.press_articles))
        self.booklets_edit.setText("" if review is None or review.booklets_distributed is None else str(review.booklets_distributed))
        self.qualitative_edit.setPlainText(review.qualitative_results if review else "")
        self.recommendations_edit.setPlainText(review.recommendations if review else "")
        for widget in widgets:
            widget.blockSignals(False)
        self._set_dirty(False)

    def _mark_dirty(self, *_args) -> None:
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._form_dirty = dirty
        self.form_state.setText("Modifications non enregistrées" if dirty else "")

    def on_edition_changed(self, edition_id: Optional[int]) -> None:
        # A new edition: the form shows that edition, unsaved text of the previous one is dropped.
        self._form_dirty = False
        self.refresh()

    def navigate_to(self, payload: object) -> None:
        if not isinstance(payload, dict) or "shop_id" not in payload:
            return
        source_row = self.model.row_of(lambda r: r.shop_id == payload["shop_id"])
        if source_row >= 0:
            self.pages.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(source_row, 3))
            self.grid.setCurrentIndex(index)
            self.grid.scrollTo(index)
            self.grid.setFocus()

    # -- writing ----------------------------------------------------------------------------------

    def _run_rows(self, rows: list[dict[str, Any]], description: str) -> bool:
        edition_id = self.context.edition_id
        if edition_id is None:
            return False
        self.last_errors = {}

        # Each row goes back with the participation as the grid showed it: a colleague's newer results
        # are not overwritten (« Recharger » shows them).
        seen_of = {r.shop_id: r.seen for r in self.model.rows()}
        rows = [{**row, "seen": seen_of.get(row.get("shop_id"))} for row in rows]

        def action(session):
            try:
                return set_results(session, edition_id, rows)
            except ValidationError as exc:
                self.last_errors = dict(exc.errors)
                if len(exc.errors) == 1:
                    raise
                lines = "\n".join(f"• {message}" for message in exc.errors.values())
                raise ValidationError(f"Rien n'a été enregistré : {len(exc.errors)} cellules sont invalides.\n{lines}") from None

        done = self.context.run(self, description, action, on_reload=self.reload) is not None
        self.edit_failed = not done
        return done

    def paste_text(self, text: str) -> bool:
        """Paste a tab-separated block at the current cell: one undoable operation, or nothing at all."""
        start = self.grid.currentIndex()
        if not text or not start.isValid():
            return False
        block = parse_block(text)
        errors: list[str] = []
        updates: dict[int, dict[str, Any]] = {}
        count = 0
        for offset_row, cells in enumerate(block):
            proxy_row = start.row() + offset_row
            if proxy_row >= self.proxy.rowCount():
                errors.append(f"Le bloc collé dépasse la dernière boutique de {len(block) - offset_row} ligne(s).")
                break
            source_row = self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row()
            row = self.model.row_at(source_row)
            for offset_col, cell in enumerate(cells):
                proxy_col = start.column() + offset_col
                if proxy_col >= self.model.columnCount():
                    errors.append(f"Ligne « {row.shop_name} » : le bloc collé a trop de colonnes ({len(cells)}).")
                    break
                field = self.model.fields[proxy_col]
                if field is None:
                    # A copied row may include the shop name: fine if it matches, refused if it does not.
                    shown = self.model.columns[proxy_col].text(row)
                    if cell.strip() and cell.strip() != shown:
                        errors.append(
                            f"Boutique « {row.shop_name} », colonne « {self.model.columns[proxy_col].title} » : "
                            f"cette colonne ne se modifie pas ici (« {cell.strip()} » collé)."
                        )
                    continue
                updates.setdefault(row.shop_id, {"shop_id": row.shop_id})[field] = cell.strip() if field in ("visitors", "sales") else cell
                count += 1
        if errors:
            from ..errors import show_error

            self.last_errors = {str(i): e for i, e in enumerate(errors)}
            show_error(self, ValidationError("Rien n'a été collé.\n" + "\n".join(f"• {e}" for e in errors)))
            return False
        if not updates:
            return False
        done = self._run_rows(list(updates.values()), f"Coller {count} cellule(s) dans le bilan")
        if done:
            last = self.proxy.index(min(start.row() + len(block) - 1, self.proxy.rowCount() - 1),
                                    min(start.column() + max(len(c) for c in block) - 1, self.proxy.columnCount() - 1))
            self.grid.selectionModel().select(QItemSelection(start, last), QItemSelectionModel.ClearAndSelect)
        return done

    def selected_cells(self) -> list[QModelIndex]:
        return sorted(self.grid.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))

    def clear_selection(self) -> bool:
        updates: dict[int, dict[str, Any]] = {}
        for index in self.selected_cells():
            field = self.model.fields[index.column()]
            if field is None:
                continue
            row = self.model.row_at(self.proxy.mapToSource(index).row())
            updates.setdefault(row.shop_id, {"shop_id": row.shop_id})[field] = ""
        if not updates:
            return False
        return self._run_rows(list(updates.values()), "Effacer des résultats du bilan")

    def copy_selection(self) -> None:
        cells = self.selected_cells()
        if not cells:
            return
        rows: dict[int, dict[int, str]] = {}
        for index in cells:
            rows.setdefault(index.row(), {})[index.column()] = str(index.data(Qt.EditRole) or "")
        columns = sorted({i.column() for i in cells})
        text = "\n".join("\t".join(rows[r].get(c, "") for c in columns) for r in sorted(rows))
        QGuiApplication.clipboard().setText(text)

    def save_edition_review(self) -> bool:
        edition_id = self.context.edition_id
        if edition_id is None:
            return False
        values = {
            "press_articles": self.press_edit.text(),
            "booklets_distributed": self.booklets_edit.text(),
            "qualitative_results": self.qualitative_edit.toPlainText(),
            "recommendations": self.recommendations_edit.toPlainText(),
        }
        self._set_dirty(False)
        seen, reloaded = self._review_seen, []

        def reload() -> None:
            reloaded.append(True)
            self._load_form(edition_id)

        changes = self.context.run(self, "Enregistrer le bilan de l'édition",
                                   lambda s: set_edition_review(s, edition_id, expected=seen, **values),
                                   on_reload=reload)
        if changes is None:
            self._set_dirty(not reloaded)
            return False
        return True

    def ask_save_all_charts(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dossier où enregistrer les graphiques")
        if not folder:
            return
        from ...core.errors import BonsJoursError
        from ..errors import show_error

        try:
            self._draw_charts()
            paths = self.charts.save_all(folder)
        except BonsJoursError as exc:
            show_error(self, exc)
            return
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"{len(paths)} graphiques enregistrés dans {folder}", 5000)
