"""Budget tab: spending lines of the current edition, totals, envelope warning, charts and exports."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from ...core.budget import (
    BASIS_HT, BASIS_TTC, BudgetLineInput, BudgetLineRow, BudgetSummary, CategoryRow, CategoryTotal, add_category,
    budget_chart_data, budget_summary, compute_amounts, create_line, delete_category, delete_lines,
    get_line_row, list_categories, move_category, rename_category, set_envelope, update_line,
)
from ...core.errors import BonsJoursError
from ...core.formatting import date_abbr, date_short, money, rate
from ...core.models import BUDGET_STATUSES, VAT_RATES, Edition
from ...core.versions import snapshot
from ..errors import show_error
from ..models.table import ROW_ROLE, Column, RowTableModel, SearchProxyModel
from ..widgets import kit
from ..widgets.form_dialog import FormDialog
from .base import BaseTab, make_table_view

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CREDIT_COLOR = QColor("#1e7b34")
WARNING_STYLE = (
    "QLabel { background: #fdecea; color: #8a1c1c; border: 2px solid #d93025; border-radius: 4px;"
    " padding: 8px; font-weight: bold; }"
)
CAUTION_STYLE = (
    "QLabel { background: #fff4e5; color: #7a4a00; border: 1px solid #f0a030; border-radius: 4px;"
    " padding: 6px; }"
)


def _amount_color(row: BudgetLineRow):
    return CREDIT_COLOR if row.is_credit_note else None


LINE_COLUMNS = [
    Column[BudgetLineRow]("Catégorie", lambda r: r.category, sort_key=lambda r: (r.category_position, r.category)),
    Column[BudgetLineRow]("Libellé", lambda r: r.label + (" (avoir)" if r.is_credit_note else ""),
                          tooltip=lambda r: r.notes),
    Column[BudgetLineRow]("Fournisseur", lambda r: r.supplier),
    Column[BudgetLineRow]("HT", lambda r: money(r.amount_ht), sort_key=lambda r: r.amount_ht, align=RIGHT,
                          foreground=_amount_color),
    Column[BudgetLineRow]("Taux", lambda r: rate(r.vat_rate), sort_key=lambda r: r.vat_rate, align=RIGHT),
    Column[BudgetLineRow]("TVA", lambda r: money(r.amount_vat), sort_key=lambda r: r.amount_vat, align=RIGHT,
                          foreground=_amount_color),
    Column[BudgetLineRow]("TTC", lambda r: money(r.amount_ttc), sort_key=lambda r: r.amount_ttc, align=RIGHT,
                          foreground=_amount_color),
    Column[BudgetLineRow]("Statut", lambda r: r.status, sort_key=lambda r: BUDGET_STATUSES.index(r.status)
                          if r.status in BUDGET_STATUSES else 99),
    Column[BudgetLineRow]("Commande", lambda r: date_abbr(r.order_date), sort_key=lambda r: r.order_date,
                          tooltip=lambda r: r.order_ref),
    Column[BudgetLineRow]("Facture", lambda r: date_abbr(r.invoice_date), sort_key=lambda r: r.invoice_date,
                          tooltip=lambda r: r.invoice_ref),
    Column[BudgetLineRow]("Paiement", lambda r: date_abbr(r.payment_date), sort_key=lambda r: r.payment_date),
    Column[BudgetLineRow]("Réf. facture", lambda r: r.invoice_ref),
]

CATEGORY_COLUMNS = [
    Column[CategoryTotal]("Catégorie", lambda c: c.category, sort_key=lambda c: c.position,
                          tooltip=lambda c: c.category),
    Column[CategoryTotal]("Prévu", lambda c: money(c.planned), sort_key=lambda c: c.planned, align=RIGHT),
    Column[CategoryTotal]("Réel", lambda c: money(c.actual), sort_key=lambda c: c.actual, align=RIGHT,
                          tooltip=lambda c: "Engagé + facturé + payé"),
    Column[CategoryTotal]("Total TTC", lambda c: money(c.ttc), sort_key=lambda c: c.ttc, align=RIGHT),
]


class LineProxy(SearchProxyModel):
    """Search proxy with a fixed row predicate (counted lines or overheads)."""

    def __init__(self, predicate, parent=None):
        super().__init__(parent)
        self._predicate = predicate


def search_text(row: BudgetLineRow) -> str:
    return " ".join((row.category, row.label, row.supplier, row.status, row.order_ref, row.invoice_ref, row.notes))


def _amount_text(value) -> str:
    return money(value, symbol=False)


class BudgetLineDialog(FormDialog):
    """Form of one budget line: HT or TTC typed, VAT and the other amount computed as you type; the core's
    messages under their fields."""

    def __init__(self, context, edition_id: int, row: Optional[BudgetLineRow] = None, parent=None,
                 overhead: bool = False):
        super().__init__(context, "Modifier la ligne de budget" if row else "Nouvelle ligne de budget", parent,
                         object_name="budgetLineDialog", minimum_width=640)
        self.edition_id = edition_id
        self.line_id = row.id if row else None
        # The line as shown: update_line refuses to save over a colleague's newer version.
        self.seen = row.seen if row else None

        self.category = QComboBox()
        for category in context.read(list_categories):
            self.category.addItem(category.name, category.id)
        self.label = QLineEdit()
        self.label.setPlaceholderText("ex. Impression des affiches")
        self.supplier = QLineEdit()
        self.basis = QComboBox()
        self.basis.addItem("Montant HT", BASIS_HT)
        self.basis.addItem("Montant TTC", BASIS_TTC)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("ex. 1 234,56")
        self.amount.setAlignment(Qt.AlignRight)
        self.vat_rate = QComboBox()
        for value in VAT_RATES:
            self.vat_rate.addItem(rate(value), value)
        self.computed = QLabel()
        self.computed.setObjectName("budgetComputed")
        self.computed.setTextFormat(Qt.PlainText)
        self.computed.setStyleSheet("color: palette(window-text);")
        self.status = QComboBox()
        self.status.addItems(BUDGET_STATUSES)
        self.credit_note = QCheckBox("Avoir (ligne négative : saisir le montant avec un signe moins)")
        self.overhead = QCheckBox("Frais généraux (temps des agents, véhicules : hors total TTC)")
        self.order_ref = QLineEdit()
        self.order_date = QLineEdit()
        self.invoice_ref = QLineEdit()
        self.invoice_date = QLineEdit()
        self.payment_date = QLineEdit()
        for field in (self.order_date, self.invoice_date, self.payment_date):
            field.setPlaceholderText("jj/mm/aaaa")
            field.setMaximumWidth(120)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)

        amount_row = QHBoxLayout()
        amount_row.setContentsMargins(0, 0, 0, 0)
        amount_row.addWidget(self.basis)
        amount_row.addWidget(self.amount, 1)
        amount_row.addWidget(QLabel("TVA"))
        amount_row.addWidget(self.vat_rate)
        order_row = QHBoxLayout()
        order_row.setContentsMargins(0, 0, 0, 0)
        order_row.addWidget(self.order_ref, 1)
        order_row.addWidget(QLabel("le"))
        order_row.addWidget(self.order_date)
        invoice_row = QHBoxLayout()
        invoice_row.setContentsMargins(0, 0, 0, 0)
        invoice_row.addWidget(self.invoice_ref, 1)
        invoice_row.addWidget(QLabel("le"))
        invoice_row.addWidget(self.invoice_date)

        form = self.form
        form.addRow("&Catégorie", self.field_box("category_id", self.category))
        form.addRow("&Libellé *", self.field_box("label", self.label))
        form.addRow("&Fournisseur", self.supplier)
        form.addRow(self._buddy("&Montant", self.amount),
                    self.field_box("amount", _row_widget(amount_row), lines=2, shows=("basis", "vat_rate")))
        form.addRow("", self.computed)
        form.addRow("&Statut", self.field_box("status", self.status))
        form.addRow("", self.credit_note)
        form.addRow("", self.overhead)
        # A date's message quotes what was typed and the format expected: two lines each.
        form.addRow(self._buddy("Réf. &commande", self.order_ref),
                    self.field_box("order_date", _row_widget(order_row), lines=2))
        form.addRow(self._buddy("Réf. fact&ure", self.invoice_ref),
                    self.field_box("invoice_date", _row_widget(invoice_row), lines=2))
        form.addRow("Date de &paiement", self.field_box("payment_date", self.payment_date, lines=2))
        form.addRow("&Notes", self.notes)
        # The frame goes on the field itself, not on the row holding it.
        self.fields.update(amount=self.amount, basis=self.basis, vat_rate=self.vat_rate, order_date=self.order_date,
                           invoice_date=self.invoice_date)

        if row is not None:
            self._fill(BudgetLineInput.from_row(row))
        else:
            self.overhead.setChecked(overhead)
            if overhead:
                self.vat_rate.setCurrentIndex(self.vat_rate.findData(VAT_RATES[-1]))
        for signal in (self.amount.textChanged, self.basis.currentIndexChanged, self.vat_rate.currentIndexChanged,
                       self.credit_note.toggled):
            signal.connect(self.update_computed)
        self.update_computed()

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _fill(self, data: BudgetLineInput) -> None:
        self.category.setCurrentIndex(max(0, self.category.findData(data.category_id)))
        self.label.setText(data.label)
        self.label.setCursorPosition(0)  # show the start of a long label, not its end
        self.supplier.setText(data.supplier)
        self.basis.setCurrentIndex(self.basis.findData(data.basis))
        self.amount.setText(_amount_text(data.amount))
        index = self.vat_rate.findData(data.vat_rate)
        self.vat_rate.setCurrentIndex(index if index >= 0 else 0)
        self.status.setCurrentText(data.status)
        self.credit_note.setChecked(data.is_credit_note)
        self.overhead.setChecked(data.is_overhead)
        self.order_ref.setText(data.order_ref)
        self.invoice_ref.setText(data.invoice_ref)
        self.order_date.setText(date_short(data.order_date))
        self.invoice_date.setText(date_short(data.invoice_date))
        self.payment_date.setText(date_short(data.payment_date))
        self.notes.setPlainText(data.notes)

    def input(self) -> BudgetLineInput:
        return BudgetLineInput(
            label=self.label.text(), category_id=self.category.currentData(), supplier=self.supplier.text(),
            amount=self.amount.text(), basis=self.basis.currentData(), vat_rate=self.vat_rate.currentData(),
            status=self.status.currentText(), is_credit_note=self.credit_note.isChecked(),
            is_overhead=self.overhead.isChecked(), order_ref=self.order_ref.text(),
            invoice_ref=self.invoice_ref.text(), order_date=self.order_date.text(),
            invoice_date=self.invoice_date.text(), payment_date=self.payment_date.text(),
            notes=self.notes.toPlainText(),
        )

    def update_computed(self) -> None:
        """Live HT / TVA / TTC from what is typed, computed by the core (same rounding as on save)."""
        if not self.amount.text().strip():
            self.computed.setText("HT, TVA et TTC se calculent dès que vous saisissez un montant.")
            return
        try:
            amounts = compute_amounts(self.amount.text(), self.vat_rate.currentData(), self.basis.currentData())
        except BonsJoursError as exc:
            self.computed.setText(f"⚠ {exc}")
            self.computed.setStyleSheet("color: #b00020;")
            return
        self.computed.setStyleSheet("color: palette(window-text);")  # a stylesheet either way: same height
        self.computed.setText(f"HT {money(amounts.ht)}   +   TVA {money(amounts.vat)}   =   TTC {money(amounts.ttc)}")

    # -- saving (FormDialog) ---------------------------------------------------------------------

    def data(self) -> BudgetLineInput:
        return self.input()

    def description(self) -> str:
        if self.line_id is None:
            return "Ajouter une ligne de budget"
        return f"Modifier la ligne de budget « {self.label.text().strip()} »"

    def write(self, session, data: BudgetLineInput):
        if self.line_id is None:
            return create_line(session, self.edition_id, data)
        return update_line(session, self.line_id, data, expected=self.seen)

    def save(self) -> Optional[int]:
        """Save the line; its id, or None (the dialog stays open with the messages under the fields)."""
        return self.saved_id if self.submit() else None

    def record(self, session) -> BudgetLineRow:
        return get_line_row(session, self.line_id)

    def show_record(self, record: BudgetLineRow) -> None:
        self._fill(BudgetLineInput.from_row(record))


def _row_widget(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget


class CategoriesDialog(QDialog):
    """The editable list of budget categories: add, rename, reorder, delete when unused."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Catégories de budget")
        self.setObjectName("budgetCategoriesDialog")
        self.list = QListWidget()
        buttons = QVBoxLayout()
        for text, slot in (("Ajouter…", self._ask_add), ("Renommer…", self._ask_rename), ("Monter", lambda: self.move(-1)),
                           ("Descendre", lambda: self.move(1)), ("Supprimer", self.delete_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton("Fermer")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self._ask_rename())
        QShortcut(QKeySequence.Delete, self.list, self.delete_selected, context=Qt.WidgetShortcut)
        self.resize(460, 360)
        self.reload()

    def reload(self, select_id: Optional[int] = None) -> None:
        current = select_id if select_id is not None else self.selected_id()
        self.list.clear()
        for category in self.context.read(list_categories):
            suffix = f"  ({category.line_count} ligne(s))" if category.line_count else ""
            item = QListWidgetItem(category.name + suffix)
            item.setData(Qt.UserRole, category)
            self.list.addItem(item)
            if category.id == current:
                self.list.setCurrentItem(item)

    def categories(self) -> list[CategoryRow]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]

    def selected(self) -> Optional[CategoryRow]:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item else None

    def selected_id(self) -> Optional[int]:
        category = self.selected()
        return category.id if category else None

    def add(self, name: str) -> Optional[int]:
        changes = self.context.run(self, f"Ajouter la catégorie de budget « {name.strip()} »",
                                   lambda s: add_category(s, name))
        if changes is not None:
            self.reload(changes.value)
            return changes.value
        return None

    def rename_selected(self, name: str) -> bool:
        category = self.selected()
        if category is None:
            return False
        changes = self.context.run(self, f"Renommer la catégorie « {category.name} »",
                                   lambda s: rename_category(s, category.id, name, expected=category.seen))
        self.reload(category.id)
        return changes is not None

    def move(self, offset: int) -> None:
        category = self.selected()
        if category is not None:
            self.context.run(self, f"Déplacer la catégorie « {category.name} »",
                             lambda s: move_category(s, category.id, offset, expected=category.seen))
            self.reload(category.id)

    def delete_selected(self) -> bool:
        category = self.selected()
        if category is None:
            return False
        if category.line_count == 0:
            if not kit.confirm(self, "Supprimer la catégorie",
                               f"Supprimer la catégorie « {category.name} » ? Elle n'a aucune ligne.", "Supprimer", "Annuler"):
                return False
        # A used category is refused by the core with a message saying which lines hold it.
        changes = self.context.run(self, f"Supprimer la catégorie « {category.name} »",
                                   lambda s: delete_category(s, category.id, expected=category.seen))
        self.reload()
        return changes is not None

    def _ask_add(self) -> None:
        name, ok = QInputDialog.getText(self, "Nouvelle catégorie", "Nom de la catégorie :")
        if ok and name.strip():
            self.add(name)

    def _ask_rename(self) -> None:
        category = self.selected()
        if category is None:
            return
        name, ok = QInputDialog.getText(self, "Renommer la catégorie", "Nouveau nom :", text=category.name)
        if ok:
            self.rename_selected(name)


class BudgetTab(BaseTab):
    """Budget lines and totals of the current edition, the envelope warning, charts and exports."""

    title = "Budget"
    tables = ("budget_lines", "budget_categories", "editions")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.summary: Optional[BudgetSummary] = None
        self._charts: Optional[dict] = None
        self._last_view: QTableView

        # Actions: shortcuts live on the tab so they work from either table.
        self.action_new = self._action("Nouvelle ligne", "Ctrl+N", self.new_line)
        self.action_edit = self._action("Modifier", None, self.edit_selected)
        self.action_delete = self._action("Supprimer", QKeySequence.Delete, self.delete_selected)
        toolbar = QHBoxLayout()
        for action in (self.action_new, self.action_edit, self.action_delete):
            button = QPushButton(action.text())
            button.setToolTip(f"{action.text()} ({action.shortcut().toString(QKeySequence.NativeText)})"
                              if not action.shortcut().isEmpty() else action.text())
            button.clicked.connect(action.trigger)
            toolbar.addWidget(button)
        self.categories_button = QPushButton("Catégories…")
        self.categories_button.clicked.connect(self.edit_categories)
        self.export_button = QPushButton("Exporter…")
        self.export_button.setToolTip("Exporter le budget de l'édition en XLSX ou en CSV pour Excel")
        self.export_button.clicked.connect(self.export_dialog)
        self.charts_button = QPushButton("Graphiques PNG…")
        self.charts_button.setToolTip("Enregistrer les trois graphiques du budget en images PNG")
        self.charts_button.clicked.connect(self.save_charts_dialog)
        for button in (self.categories_button, self.export_button, self.charts_button):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        self.search = QLineEdit(placeholderText="Rechercher (libellé, fournisseur, référence)…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search.textChanged.connect(self._on_search)
        toolbar.addWidget(self.search)
        self.include_overheads = QCheckBox("inclure les frais généraux")
        self.include_overheads.setToolTip("Compter les frais généraux (temps des agents, véhicules) dans les totaux TTC")
        self.include_overheads.toggled.connect(lambda _checked: self.reload())
        toolbar.addWidget(self.include_overheads)

        self.banner = QLabel()
        self.banner.setObjectName("budgetWarning")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)

        # Lines: counted spending above, overheads below (shown apart, outside the TTC total).
        self.model = RowTableModel(LINE_COLUMNS, self)
        self.proxy = LineProxy(lambda r: not r.is_overhead, self)
        self.proxy.setSourceModel(self.model)
        self.view = self._make_view(self.proxy)
        self.overhead_proxy = LineProxy(lambda r: r.is_overhead, self)
        self.overhead_proxy.setSourceModel(self.model)
        self.overhead_view = self._make_view(self.overhead_proxy)
        self.overhead_view.setObjectName("budgetOverheadView")
        self._last_view = self.view
        self.overhead_title = QLabel()
        self.overhead_title.setObjectName("budgetOverheadTitle")
        lines_box = QWidget()
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addWidget(self.view, 3)
        lines_layout.addWidget(self.overhead_title)
        lines_layout.addWidget(self.overhead_view, 1)

        self.lines_splitter = QSplitter(Qt.Horizontal)
        self.lines_splitter.addWidget(lines_box)
        self.lines_splitter.addWidget(self._build_totals_panel())
        self.lines_splitter.setStretchFactor(0, 3)
        self.lines_splitter.setStretchFactor(1, 1)

        self.charts_page = QWidget()
        self.charts_page.setObjectName("budgetChartsPage")
        self.inner_tabs = QTabWidget()
        self.inner_tabs.addTab(self.lines_splitter, "Lignes et totaux")
        self.inner_tabs.addTab(self.charts_page, "Graphiques")
        self.inner_tabs.currentChanged.connect(self._on_inner_tab)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.inner_tabs, 1)
        self.reload()
        self._size_columns()

    # -- building --------------------------------------------------------------------------------

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_view(self, proxy) -> QTableView:
        view = make_table_view(self)
        view.setModel(proxy)
        view.doubleClicked.connect(lambda _index, v=view: self._edit_from(v))
        view.installEventFilter(self)
        view.setMinimumHeight(90)
        return view

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        from PySide6.QtCore import QEvent

        if watched in (self.view, self.overhead_view):
            if event.type() == QEvent.FocusIn:
                self._last_view = watched
            elif event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                    and not event.modifiers() & ~Qt.KeypadModifier:
                # Entrée edits the current line (the view itself would only emit activated()).
                self._edit_from(watched)
                return True
        return super().eventFilter(watched, event)

    def _build_totals_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("budgetTotalsPanel")
        panel.setMinimumWidth(400)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)

        envelope_box = QGroupBox("Enveloppe de l'édition (TTC)")
        envelope_layout = QGridLayout(envelope_box)
        self.envelope = QLineEdit()
        self.envelope.setObjectName("budgetEnvelope")
        self.envelope.setAlignment(Qt.AlignRight)
        self.envelope.setPlaceholderText("ex. 42 000,00")
        self.envelope.returnPressed.connect(self.save_envelope)
        save = QPushButton("Enregistrer")
        save.clicked.connect(self.save_envelope)
        envelope_layout.addWidget(self.envelope, 0, 0)
        envelope_layout.addWidget(QLabel("€"), 0, 1)
        envelope_layout.addWidget(save, 0, 2)
        self.totals = QLabel()
        self.totals.setObjectName("budgetTotals")
        self.totals.setTextFormat(Qt.RichText)
        self.totals.setTextInteractionFlags(Qt.TextSelectableByMouse)
        envelope_layout.addWidget(self.totals, 1, 0, 1, 3)
        layout.addWidget(envelope_box)

        self.category_model = RowTableModel(CATEGORY_COLUMNS, self)
        self.category_view = make_table_view(self)
        self.category_view.setObjectName("budgetCategoryTotals")
        self.category_view.setModel(self.category_model)
        self.category_view.setSortingEnabled(False)
        self.category_view.setSelectionMode(QAbstractItemView.NoSelection)
        self.category_view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(QLabel("<b>Par catégorie</b> (TTC ; réel = engagé + facturé + payé)"))
        layout.addWidget(self.category_view, 1)
        return panel

    def _size_columns(self) -> None:
        # The line tables size themselves (widgets/table_view.py); the totals share their panel.
        header = self.category_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)
        self.lines_splitter.setSizes([930, 420])

    def _build_charts(self) -> None:
        from ...render.budget_charts import CHART_TITLES, build_chart_widgets

        self._charts = build_chart_widgets(None, self.charts_page)
        grid = QGridLayout(self.charts_page)
        grid.addWidget(self._charts["planned_vs_actual"], 0, 0)
        grid.addWidget(self._charts["cumulative"], 0, 1)
        grid.addWidget(self._charts["editions"], 1, 0, 1, 2)
        for key, widget in self._charts.items():
            widget.setObjectName(f"budgetChart_{key}")
            widget.setToolTip(CHART_TITLES[key])
        from .. import theme

        theme.notifier().changed.connect(self._restyle_charts)

    # -- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        edition_id = self.context.edition_id
        include = self.include_overheads.isChecked()
        self.summary = self.context.read(lambda s: budget_summary(s, edition_id, include)) if edition_id else None
        # The edition row as shown: the envelope is saved against this version.
        self.envelope_seen = self.context.read(lambda s: snapshot(s, Edition, edition_id)) if edition_id else None
        summary = self.summary
        rows = list(summary.lines) if summary else []
        self.model.set_rows(rows, search_text)
        if summary is None:
            self.category_model.set_rows([])
            self.totals.setText("Aucune édition : créez-en une par Fichier → « Nouvelle édition… » (Ctrl+E).")
            self.envelope.setText("")
            self.banner.setVisible(False)
            self.overhead_title.setText("Frais généraux")
            return
        self.category_model.set_rows(list(summary.by_category))
        if not self.envelope.hasFocus():
            self.envelope.setText(_amount_text(summary.envelope) if summary.envelope is not None else "")
        self.totals.setText(self.totals_text(summary))
        scope = "comptés dans les totaux" if include else "hors total TTC"
        self.overhead_title.setText(
            f"<b>Frais généraux</b> (temps des agents, véhicules ; valorisés, {scope}) : "
            f"{money(summary.overheads_ttc)}"
        )
        warning = summary.warning
        self.banner.setVisible(bool(warning))
        self.banner.setText(f"⚠ {warning}")
        self.banner.setStyleSheet(WARNING_STYLE if summary.over_envelope else CAUTION_STYLE)
        # Charts are drawn when their page is shown (see _on_inner_tab), not on every change.
        if self._charts is not None and self.inner_tabs.currentWidget() is self.charts_page:
            self.refresh_charts()

    @staticmethod
    def totals_text(summary: BudgetSummary) -> str:
        scope = "frais généraux inclus" if summary.include_overheads else "hors frais généraux"
        rows = [
            ("Total TTC", f"<b>{money(summary.total_ttc)}</b>"),
            ("Total HT", money(summary.total_ht)),
        ]
        rows += [(f"&nbsp;&nbsp;{status}", money(summary.by_status[status])) for status in BUDGET_STATUSES]
        rows.append(("Engagé + facturé + payé", f"<b>{money(summary.spent)}</b>"))
        if summary.credit_notes_ttc:
            rows.append(("dont avoirs", money(summary.credit_notes_ttc)))
        if summary.envelope is not None:
            remaining = summary.remaining
            color = "#b00020" if remaining < 0 else "#1e7b34"
            rows.append(("Reste sur l'enveloppe", f"<b style='color:{color}'>{money(remaining)}</b>"))
        else:
            rows.append(("Reste sur l'enveloppe", "enveloppe non définie"))
        rows.append((f"Frais généraux ({summary.overhead_count})", money(summary.overheads_ttc)))
        cells = "".join(f"<tr><td>{label}</td><td align='right'>&nbsp;&nbsp;{value}</td></tr>" for label, value in rows)
        return f"<table>{cells}</table><i>Totaux {scope}.</i>"

    def _on_inner_tab(self, _index: int) -> None:
        if self.inner_tabs.currentWidget() is self.charts_page:
            if self._charts is None:
                self._build_charts()
            self.refresh_charts()

    def refresh_charts(self) -> None:
        from ...render.budget_charts import DRAWERS

        if self._charts is None:
            self._build_charts()
        edition_id = self.context.edition_id
        if not edition_id:
            return
        include = self.include_overheads.isChecked()
        data = self.context.read(lambda s: budget_chart_data(s, edition_id, include))
        for key, widget in self._charts.items():
            DRAWERS[key](widget, data)
        from .. import theme

        if theme.is_dark():
            self._restyle_charts(True)

    def _restyle_charts(self, dark: bool) -> None:
        """The charts on screen follow the theme (they are drawn light, as printed)."""
        from ...render.charts import DARK_CHART, LIGHT_CHART, restyle_chart

        for widget in (self._charts or {}).values():
            restyle_chart(widget, DARK_CHART if dark else LIGHT_CHART)

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self.overhead_proxy.set_search(text)

    # -- selection and actions -------------------------------------------------------------------

    def selected_rows(self, view: Optional[QTableView] = None) -> list[BudgetLineRow]:
        view = view or self._last_view
        rows = [index.data(ROW_ROLE) for index in view.selectionModel().selectedRows()]
        return [row for row in rows if row is not None]

    def new_line(self) -> Optional[BudgetLineDialog]:
        if not self.context.edition_id:
            show_error(self, BonsJoursError("Choisissez d'abord une édition."))
            return None
        dialog = BudgetLineDialog(self.context, self.context.edition_id, parent=self,
                                  overhead=self._last_view is self.overhead_view)
        self._open(dialog)
        return dialog

    def _edit_from(self, view: QTableView) -> None:
        self._last_view = view
        self.edit_selected()

    def edit_selected(self) -> Optional[BudgetLineDialog]:
        rows = self.selected_rows()
        if not rows:
            index = self._last_view.currentIndex()
            row = index.data(ROW_ROLE) if index.isValid() else None
            rows = [row] if row is not None else []
        if not rows:
            return None
        dialog = self.line_dialog(rows[0])
        self._open(dialog)
        return dialog

    def line_dialog(self, row: BudgetLineRow) -> BudgetLineDialog:
        return BudgetLineDialog(self.context, self.context.edition_id, row, parent=self)

    def _open(self, dialog: QDialog) -> None:
        # Tests drive dialogs without a nested event loop (see BRIEF: no exec in tests).
        if getattr(self._app(), "bonsjours_no_modal", False):
            dialog.show()
        else:
            dialog.exec()

    @staticmethod
    def _app():
        from PySide6.QtWidgets import QApplication

        return QApplication.instance()

    def delete_selected(self) -> bool:
        rows = self.selected_rows()
        if not rows:
            return False
        if len(rows) == 1:
            row = rows[0]
            question = (f"Supprimer la ligne « {row.label} » ({money(row.amount_ttc)} TTC, {row.status}) ?\n"
                        "Vous pourrez annuler avec Ctrl+Z.")
        else:
            total = sum((r.amount_ttc for r in rows), Decimal("0.00"))
            question = (f"Supprimer les {len(rows)} lignes sélectionnées ({money(total)} TTC au total) ?\n"
                        "Vous pourrez annuler avec Ctrl+Z.")
        if not kit.confirm(self, "Supprimer", question, "Supprimer", "Annuler"):
            return False
        shots = [r.seen for r in rows]
        description = f"Supprimer la ligne de budget « {rows[0].label} »" if len(rows) == 1 else \
            f"Supprimer {len(rows)} lignes de budget"
        return self.context.run(self, description, lambda s: delete_lines(s, shots), on_reload=self.reload) is not None

    def save_envelope(self) -> bool:
        edition_id = self.context.edition_id
        if not edition_id:
            return False
        text = self.envelope.text()
        current = self.summary.envelope if self.summary else None
        if (current is None and not text.strip()) or (current is not None and text.strip() == _amount_text(current)):
            return False
        shot = self.envelope_seen
        changes = self.context.run(self, "Modifier l'enveloppe budgétaire",
                                   lambda s: set_envelope(s, edition_id, text, expected=shot),
                                   on_reload=self._reload_envelope)
        if changes is None:
            return False
        self.envelope.clearFocus()
        self.reload()
        return True

    def _reload_envelope(self) -> None:
        """After a refused envelope save: show the envelope as it is now (what the user typed is dropped)."""
        self.envelope.clearFocus()
        self.reload()
        summary = self.summary
        self.envelope.setText(_amount_text(summary.envelope) if summary and summary.envelope is not None else "")

    def edit_categories(self) -> CategoriesDialog:
        dialog = CategoriesDialog(self.context, self)
        self._open(dialog)
        return dialog

    def export_dialog(self) -> Optional[Path]:
        if not self.summary:
            return None
        slug = re.sub(r"[^\w-]+", "-", self.summary.edition_name.lower()).strip("-")
        path = kit.save_file_as(self, "Exporter le budget", f"budget-{slug}.xlsx",
                                "Classeur Excel (*.xlsx);;CSV pour Excel (*.csv)")
        if path is None:
            return None
        return self.export_to(path)

    def export_to(self, path: Path) -> Optional[Path]:
        from ...core.io.budget_io import export_budget

        edition_id = self.context.edition_id
        include = self.include_overheads.isChecked()
        try:
            written = self.context.read(lambda s: export_budget(s, edition_id, path, None, include))
        except Exception as exc:  # noqa: BLE001 - shown to the user in French
            show_error(self, exc)
            return None
        self._status(f"Budget exporté : {written}")
        return written

    def save_charts_dialog(self) -> Optional[dict]:
        folder = QFileDialog.getExistingDirectory(self, "Dossier où enregistrer les graphiques")
        if not folder:
            return None
        return self.save_charts(Path(folder))

    def save_charts(self, folder: Path) -> Optional[dict]:
        from ...render.budget_charts import save_budget_charts

        if not self.context.edition_id:
            return None
        try:
            paths = save_budget_charts(self.context.edition_id, folder, self.context,
                                       include_overheads=self.include_overheads.isChecked())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None
        self._status(f"{len(paths)} graphiques enregistrés dans {folder}")
        return paths

    def _status(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(text, 5000)

    def navigate_to(self, payload) -> None:
        line_id = (payload or {}).get("budget_line_id")
        row = self.model.row_of(lambda r: r.id == line_id)
        if row < 0:
            return
        source = self.model.index(row, 0)
        for view, proxy in ((self.view, self.proxy), (self.overhead_view, self.overhead_proxy)):
            index = proxy.mapFromSource(source)
            if index.isValid():
                self.inner_tabs.setCurrentIndex(0)
                view.selectRow(index.row())
                view.scrollTo(index)
                self._last_view = view
