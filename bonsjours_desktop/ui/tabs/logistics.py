"""Logistique tab: inventory of lendable items, loans of the edition, consumables and delivery rounds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Optional

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core import logistics as L
from ...core.formatting import date_abbr, integer
from ...core.models import ITEM_CONDITIONS, LOAN_STATUSES
from ..collector import long_lived
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view
from ..widgets import kit

RIGHT = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter
OVERDUE_COLOR = QColor("#c62828")
STATUS_COLORS = {
    "à livrer": QColor("#5f6b7a"),
    "livré": QColor("#1d5fbf"),
    "à reprendre": QColor("#b05a00"),
    "rentré": QColor("#2e7d32"),
    "perdu/abîmé": QColor("#8e24aa"),
}
CONDITION_COLORS = {"usé": QColor("#b05a00"), "abîmé": QColor("#8e24aa"), "perdu": OVERDUE_COLOR}
DONE_COLOR = QColor("#8a8f98")


# The shared proxy already re-filters with the Qt 6.10 API.
FilterProxy = SearchProxyModel


class ColoredTextDelegate(QStyledItemDelegate):
    """Paints ForegroundRole colours itself: the qt-material style sheet sets the item text colour,
    which overrides the model's colours, and an overdue loan must show in red."""

    def paint(self, painter, option, index) -> None:
        color = index.data(Qt.ForegroundRole)
        if isinstance(color, QBrush):
            color = color.color()
        if color is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SE_ItemViewItemText, opt, widget).adjusted(3, 0, 0, 0)
        painter.save()
        painter.setPen(QColor(color))
        painter.setFont(opt.font)
        painter.drawText(rect, int(opt.displayAlignment), opt.fontMetrics.elidedText(text, Qt.ElideRight, rect.width()))
        painter.restore()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask before a destructive action (the kit's French question)."""
    return kit.confirm(parent, title, text)


class DestinationModel(QStringListModel):
    """The entries of a destination combo, built once per reload and shared by the tab's two combos:
    shops then organisations, separated; the data (Qt.UserRole) of each entry is its "kind:id" key.
    Plain Python lists: 15 000 QStandardItems (what addItem() makes) cost ~0.1 s to build on a regional
    base, and findData() is a dictionary lookup instead of a scan."""

    def __init__(self, destinations: list[L.DestinationEntry], parent: Optional[QObject] = None):
        """destinations: L.destination_entries (plain tuples, in a Destination's field order)."""
        super().__init__(parent)
        texts = ["— choisir une destination —"]
        keys: list[Optional[str]] = [None]
        self._separators: set[int] = set()
        previous_kind = None
        for kind, row_id, name, commune, _territory, participates in destinations:
            if previous_kind is not None and kind != previous_kind:
                self._separators.add(len(texts))
                texts.append("")
                keys.append(None)
            previous_kind = kind
            if kind == L.SHOP:
                detail = f"boutique, {commune}" if commune else "boutique"
                if not participates:
                    detail += ", ne participe pas"
            else:
                detail = "organisation" + (f", {commune}" if commune else "")
            texts.append(f"{name} ({detail})")
            keys.append(_key(kind, row_id))
        self.setStringList(texts)  # rows counted and texts given by Qt itself
        self._keys = keys
        self._rows = {key: row for row, key in enumerate(keys) if key is not None}

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.UserRole:
            return self._keys[index.row()]
        if role == Qt.AccessibleDescriptionRole:
            # what QComboBox.insertSeparator() marks: drawn as a line
            return "separator" if index.row() in self._separators else None
        return super().data(index, role)

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if index.row() in self._separators:
            return Qt.NoItemFlags
        return Qt.ItemIsSelectable | Qt.ItemIsEnabled

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802 - Qt API
        return False  # read-only: the keys follow the rows

    def row_of(self, key: Optional[str]) -> int:
        return self._rows.get(key, -1) if key is not None else -1

    def match(self, start: QModelIndex, role: int, value: Any, hits: int = 1,
              flags: Qt.MatchFlag = Qt.MatchStartsWith | Qt.MatchWrap) -> list[QModelIndex]:
        # QComboBox.findData() asks for the key: a lookup, not 15 000 data() calls.
        if role == Qt.UserRole and isinstance(value, str) and start.row() == 0:
            row = self.row_of(value)
            return [self.index(row, 0)] if row >= 0 else []
        return super().match(start, role, value, hits, flags)


def destination_combo() -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)
    # One row height for all: otherwise the hidden popup list lays out its 15 000 rows each time the
    # style is applied (half a second when the tab opens on a regional base).
    combo.view().setUniformItemSizes(True)
    return combo


def fill_destinations(combo: QComboBox, destinations: "list[L.DestinationEntry] | DestinationModel") -> None:
    """Give the combo the destination entries (a shared model, or built here from the list), keeping the
    chosen destination."""
    keep = combo.currentData()
    combo.blockSignals(True)
    if isinstance(destinations, DestinationModel):
        combo.setModel(destinations)
    else:
        # Its own model, child of the combo: the combo deletes it when given the next one.
        combo.setModel(DestinationModel(destinations, combo))
    index = combo.findData(keep) if keep is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


@dataclass
class SharedReads:
    """What several pages of the tab show, read once when the whole tab reloads."""

    items: list[L.ItemRow]
    destinations: DestinationModel
    consumables: Optional[list[L.ConsumableRow]]  # None without a current edition


def _key(kind: str, row_id: Optional[int]) -> str:
    # A string, because Qt cannot find a Python tuple back with findData().
    return f"{kind}:{row_id}"


def destination_ids(combo: QComboBox) -> tuple[Optional[int], Optional[int]]:
    data = combo.currentData()
    if not data:
        return None, None
    kind, _sep, row_id = data.partition(":")
    return (int(row_id), None) if kind == L.SHOP else (None, int(row_id))


def select_destination(combo: QComboBox, shop_id: Optional[int], organisation_id: Optional[int]) -> None:
    key = _key(L.SHOP, shop_id) if shop_id is not None else _key(L.ORGANISATION, organisation_id)
    combo.setCurrentIndex(max(combo.findData(key), 0))


class EditorSection(QWidget):
    """A sortable table with a side form: Ctrl+N new, Entrée/double-click edit, Suppr delete."""

    form_title = ""

    def __init__(self, context, columns: list[Column], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.editing_id: Optional[int] = None
        # The row the side form shows, as loaded: saves and deletes are refused over a newer version.
        self.editing_seen: Any = None
        self.model = RowTableModel(columns, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ColoredTextDelegate(self.view))
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.form_box = QGroupBox(self.form_title, self)
        self.form = QFormLayout(self.form_box)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        # What the core refused (validation, a double booking, short stock), under the form on lines kept
        # for it: nothing moves, no box to close.
        self.form_error = kit.ErrorLine("form", lines=3)
        self.new_button = QPushButton("Nouveau")
        self.new_button.setToolTip("Ctrl+N")
        self.save_button = QPushButton("Enregistrer")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("Supprimer")
        self.delete_button.setToolTip("Suppr")
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete_selected)
        for sequence, slot in ((QKeySequence.New, self.new), (QKeySequence(Qt.Key_Delete), self.delete_selected),
                               (QKeySequence(Qt.Key_Return), self.edit_selected),
                               (QKeySequence(Qt.Key_Enter), self.edit_selected)):
            shortcut = QShortcut(sequence, self.view if sequence != QKeySequence.New else self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut if sequence == QKeySequence.New else Qt.WidgetShortcut)
            shortcut.activated.connect(slot)

    def build_layout(self, above_table: Optional[QWidget] = None, below_form: Optional[QWidget] = None) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.form_box)
        side_layout.addWidget(self.form_error)
        side_layout.addLayout(buttons)
        if below_form is not None:
            side_layout.addWidget(below_form)
        side_layout.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        if above_table is not None:
            left_layout.addWidget(above_table)
        left_layout.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        side.setMinimumWidth(340)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- selection ---------------------------------------------------------------------------------

    def selected_rows(self) -> list[Any]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row()) for r in rows]

    def current_row(self) -> Optional[Any]:
        rows = self.selected_rows()
        return rows[0] if rows else None

    def select_id(self, row_id: Optional[int]) -> None:
        row = self.model.row_of(lambda r: r.id == row_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return  # filtered out
        # Not selectRow(): it toggles when Qt believes Ctrl is held, and this must always select.
        flags = QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)

    def _on_selection(self) -> None:
        row = self.current_row()
        if row is not None:
            self.show_in_place("")
            self.editing_id = row.id
            self.editing_seen = row.seen
            self.fill_form(row)
            self.form_box.setTitle(f"{self.form_title} — modification")

    def edit_selected(self) -> None:
        if self.current_row() is not None:
            self.first_field().setFocus()

    def new(self) -> None:
        self.view.clearSelection()
        self.editing_id = None
        self.show_in_place("")
        self.clear_form()
        self.form_box.setTitle(f"{self.form_title} — nouveau")
        self.first_field().setFocus()

    def set_rows(self, rows: list[Any], search: Optional[Callable[[Any], str]] = None) -> None:
        keep = self.editing_id
        self.model.set_rows(rows, search)
        if keep is not None and self.model.row_of(lambda r: r.id == keep) >= 0:
            self.select_id(keep)
        elif keep is not None:
            self.editing_id = None
            self.clear_form()

    def run(self, description: str, action) -> Optional[Any]:
        # A colleague's newer version: « Recharger » re-reads the rows, the form shows the row as it is now.
        # The core's refusals show under the form.
        self.show_in_place("")
        return self.context.run(self, description, action, on_reload=getattr(self, "reload", None),
                                on_error=self._refused)

    def field_widgets(self) -> dict[str, QWidget]:
        """The form's fields by the core's field names, to frame the one a message is about."""
        return {}

    def show_in_place(self, message: str, field: str = "") -> None:
        """message under the form ('' clears it), the field it names framed in red."""
        self.form_error.set_message(message)
        for key, widget in self.field_widgets().items():
            kit.mark_error(widget, bool(message) and key == field)

    def _refused(self, exc: BaseException) -> bool:
        from ...core.errors import ValidationError

        if isinstance(exc, ValidationError):
            self.show_in_place(" ".join(exc.errors.values()), next(iter(exc.errors), ""))
        else:
            self.show_in_place(str(exc))
        return True

    # -- to override -------------------------------------------------------------------------------

    def first_field(self) -> QWidget:
        raise NotImplementedError

    def fill_form(self, row: Any) -> None:
        raise NotImplementedError

    def clear_form(self) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def delete_selected(self) -> None:
        raise NotImplementedError


# --- Inventaire ---------------------------------------------------------------------------------


def _item_color(row: L.ItemRow) -> Optional[QColor]:
    return OVERDUE_COLOR if row.overdue else None


ITEM_COLUMNS = [
    Column[L.ItemRow]("Identifiant", lambda r: r.identifier, foreground=_item_color),
    Column[L.ItemRow]("Description", lambda r: r.kind, foreground=_item_color),
    Column[L.ItemRow]("Situation", lambda r: r.situation, foreground=_item_color,
                      tooltip=lambda r: "\n".join(p for p in (r.situation, r.notes) if p)),
    Column[L.ItemRow]("État", lambda r: r.condition, sort_key=lambda r: ITEM_CONDITIONS.index(r.condition)
                      if r.condition in ITEM_CONDITIONS else 99,
                      foreground=lambda r: CONDITION_COLORS.get(r.condition)),
    Column[L.ItemRow]("Rangement", lambda r: r.storage_place, foreground=_item_color),
    Column[L.ItemRow]("Prêts", lambda r: integer(r.loan_count), sort_key=lambda r: r.loan_count, align=RIGHT),
]


class InventorySection(EditorSection):
    """The lendable items (games, kits) and their condition."""

    form_title = "Objet"

    def __init__(self, context, parent=None):
        super().__init__(context, ITEM_COLUMNS, parent)
        self.setObjectName("inventorySection")
        self.identifier = QLineEdit(placeholderText="ROUE-05")
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.lineEdit().setPlaceholderText("Roue de la prévention des déchets")
        self.storage = QLineEdit(placeholderText="Hangar du Département")
        self.condition = QComboBox()
        self.condition.addItems(ITEM_CONDITIONS)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(80)
        self.form.addRow("Identifiant", self.identifier)
        self.kind.setToolTip("Ce qu'est l'objet, commun aux exemplaires d'un même jeu ou kit.")
        self.form.addRow("Description", self.kind)
        self.form.addRow("Rangement", self.storage)
        self.form.addRow("État", self.condition)
        self.form.addRow("Notes", self.notes)
        self.search = QLineEdit(placeholderText="Rechercher (identifiant, description, situation)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.build_layout(above_table=self.search)
        self.clear_form()

    def reload(self, shared: Optional[SharedReads] = None) -> None:
        rows = shared.items if shared is not None else self.context.read(L.list_item_rows)
        kinds = sorted({r.kind for r in rows}, key=str.casefold)
        text = self.kind.currentText()
        self.kind.clear()
        self.kind.addItems(kinds)
        self.kind.setCurrentText(text)
        self.set_rows(rows, lambda r: " ".join((r.identifier, r.kind, r.storage_place, r.situation, r.notes)))

    def field_widgets(self) -> dict[str, QWidget]:
        return {"identifier": self.identifier, "kind": self.kind, "storage_place": self.storage, "condition": self.condition}

    def first_field(self) -> QWidget:
        return self.identifier

    def fill_form(self, row: L.ItemRow) -> None:
        self.identifier.setText(row.identifier)
        self.kind.setCurrentText(row.kind)
        self.storage.setText(row.storage_place)
        self.condition.setCurrentText(row.condition)
        self.notes.setPlainText(row.notes)

    def clear_form(self) -> None:
        self.identifier.clear()
        self.kind.setCurrentText("")
        self.storage.setText("Hangar du Département")
        self.condition.setCurrentText("bon")
        self.notes.clear()

    def save(self) -> None:
        values = (self.identifier.text(), self.kind.currentText(), self.storage.text(), self.condition.currentText(),
                  self.notes.toPlainText())
        if self.editing_id is None:
            changes = self.run(f"Ajouter l'objet « {values[0].strip()} »", lambda s: L.create_item(s, *values))
            if changes is not None:
                self.editing_id = changes.value
                self.select_id(changes.value)
        else:
            item_id, seen = self.editing_id, self.editing_seen
            self.run(f"Modifier l'objet « {values[0].strip()} »",
                     lambda s: L.update_item(s, item_id, *values, expected=seen))

    def delete_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        count = self.context.read(lambda s: L.item_loan_count(s, row.id))
        extra = f"\n\nSes {count} prêt(s), toutes éditions confondues, seront supprimés avec lui." if count else ""
        if confirm(self, "Supprimer l'objet", f"Supprimer l'objet « {row.identifier} » ({row.kind}) ?{extra}"):
            self.editing_id = None
            self.run(f"Supprimer l'objet « {row.identifier} »", lambda s: L.delete_item(s, row.id, expected=row.seen))


# --- Prêts --------------------------------------------------------------------------------------


def _loan_color(row: L.LoanRow) -> Optional[QColor]:
    return OVERDUE_COLOR if row.overdue else None


def _alert(row: L.LoanRow) -> str:
    if row.overdue:
        return f"non rentré ({row.days_late} j de retard)"
    if row.status == "perdu/abîmé":
        return f"objet {row.item_condition}"
    return ""


LOAN_COLUMNS = [
    Column[L.LoanRow]("Objet", lambda r: r.item_identifier, foreground=_loan_color, tooltip=lambda r: r.item_kind),
    # the code alone (« ECHELLE-03 ») says nothing to whoever did not label the boxes
    Column[L.LoanRow]("Description", lambda r: r.item_kind, foreground=_loan_color),
    Column[L.LoanRow]("Destination", lambda r: r.destination_name, foreground=_loan_color,
                      tooltip=lambda r: ", ".join(p for p in (r.address, r.commune) if p)),
    Column[L.LoanRow]("Livraison", lambda r: date_abbr(r.delivery_date), sort_key=lambda r: r.delivery_date,
                      foreground=_loan_color),
    Column[L.LoanRow]("Reprise prévue", lambda r: date_abbr(r.pickup_date), sort_key=lambda r: r.pickup_date,
                      foreground=_loan_color),
    Column[L.LoanRow]("Statut", lambda r: r.status, sort_key=lambda r: LOAN_STATUSES.index(r.status)
                      if r.status in LOAN_STATUSES else 99,
                      foreground=lambda r: OVERDUE_COLOR if r.overdue else STATUS_COLORS.get(r.status)),
    Column[L.LoanRow]("Alerte", _alert, foreground=lambda r: OVERDUE_COLOR if r.overdue else STATUS_COLORS["perdu/abîmé"],
                      sort_key=lambda r: (not r.overdue, -r.days_late), tooltip=lambda r: r.notes),
    Column[L.LoanRow]("Rentré le", lambda r: date_abbr(r.returned_date),
                      sort_key=lambda r: r.returned_date or dt.date.min),
    Column[L.LoanRow]("Territoire", lambda r: r.territory, foreground=_loan_color),
    Column[L.LoanRow]("Transporteur", lambda r: r.carrier),
]


class LoansSection(EditorSection):
    """Loans of the current edition: who has which game, when it comes back, what is late."""

    form_title = "Prêt"

    def __init__(self, context, parent=None):
        super().__init__(context, LOAN_COLUMNS, parent)
        self.setObjectName("loansSection")
        self.item = QComboBox()
        self.destination = destination_combo()
        self.delivery_date = kit.DateEdit(clock.today())
        self.pickup_date = kit.DateEdit(clock.today())
        self.carrier = QLineEdit(placeholderText="Équipe logistique du Département")
        self.status = QComboBox()
        self.status.addItems(LOAN_STATUSES)
        self.returned = QCheckBox("le")
        self.returned_date = kit.DateEdit(clock.today())
        self.returned_date.setEnabled(False)
        self.returned_date.setMinimumWidth(112)
        self.returned.toggled.connect(self.returned_date.setEnabled)
        returned_row = QHBoxLayout()
        returned_row.addWidget(self.returned)
        returned_row.addWidget(self.returned_date, 1)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        for combo in (self.item, self.destination):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
            combo.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.form.addRow("Objet", self.item)
        self.form.addRow("Destination", self.destination)
        self.form.addRow("Livraison", self.delivery_date)
        self.form.addRow("Reprise prévue", self.pickup_date)
        self.form.addRow("Transporteur", self.carrier)
        self.form.addRow("Statut", self.status)
        self.form.addRow("Rentré", returned_row)
        self.form.addRow("Notes", self.notes)

        self.only_overdue = QCheckBox("Non rentrés seulement")
        self.only_overdue.toggled.connect(self._apply_filter)
        self.search = QLineEdit(placeholderText="Rechercher (objet, destination, territoire, transporteur)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.count_label = QLabel()
        self.count_label.setObjectName("loansCount")
        self.delivered_button = QPushButton("Livré")
        self.returned_button = QPushButton("Rentré")
        self.lost_button = QPushButton("Perdu/abîmé")
        lost_menu = QMenu(self.lost_button)
        self.lost_action = lost_menu.addAction("Perdu (l'objet n'est pas revenu)")
        self.damaged_action = lost_menu.addAction("Abîmé (revenu en mauvais état)")
        self.lost_button.setMenu(lost_menu)
        self.delivered_button.setToolTip("Marquer les prêts sélectionnés comme livrés")
        self.returned_button.setToolTip("Marquer les prêts sélectionnés comme rentrés aujourd'hui")
        self.delivered_button.clicked.connect(lambda: self.mark("livré"))
        self.returned_button.clicked.connect(lambda: self.mark("rentré"))
        self.lost_action.triggered.connect(lambda: self.mark("perdu/abîmé", condition="perdu"))
        self.damaged_action.triggered.connect(lambda: self.mark("perdu/abîmé", condition="abîmé"))
        top = QWidget(self)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.search, 1)
        top_layout.addWidget(self.only_overdue)
        top_layout.addWidget(QLabel("Marquer :"))
        top_layout.addWidget(self.delivered_button)
        top_layout.addWidget(self.returned_button)
        top_layout.addWidget(self.lost_button)
        above = QWidget(self)
        above_layout = QVBoxLayout(above)
        above_layout.setContentsMargins(0, 0, 0, 0)
        above_layout.addWidget(top)
        above_layout.addWidget(self.count_label)
        self.build_layout(above_table=above)
        self.view.sortByColumn(2, Qt.AscendingOrder)
        self._rows: list[L.LoanRow] = []

    def reload(self, shared: Optional[SharedReads] = None) -> None:
        edition_id = self.context.edition_id
        today = clock.today()

        def read(session):
            items = shared.items if shared is not None else L.list_item_rows(session, today)
            destinations = shared.destinations if shared is not None else L.destination_entries(session, edition_id)
            loans = L.list_loan_rows(session, edition_id, today) if edition_id is not None else []
            dates = L.default_loan_dates(session, edition_id)
            return items, destinations, loans, dates

        items, destinations, loans, self.default_dates = self.context.read(read)
        keep_item = self.item.currentData()
        self.item.blockSignals(True)
        self.item.clear()
        self.item.addItem("— choisir un objet —", None)
        for item in items:
            suffix = "" if item.condition == "bon" else f" ({item.condition})"
            self.item.addItem(f"{item.identifier} – {item.kind}{suffix}", item.id)
        self.item.setCurrentIndex(max(self.item.findData(keep_item), 0) if keep_item is not None else 0)
        self.item.blockSignals(False)
        fill_destinations(self.destination, destinations)
        self._rows = loans
        self.set_rows(loans, lambda r: " ".join((r.item_identifier, r.item_kind, r.destination_name, r.territory,
                                                 r.commune, r.carrier, r.status, _alert(r))))
        if self.editing_id is None:
            self.clear_form()
        self._update_count()

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _apply_filter(self, only: bool) -> None:
        self.proxy.set_predicate((lambda r: r.overdue) if only else None)
        self._update_count()

    def _update_count(self) -> None:
        late = sum(1 for r in self._rows if r.overdue)
        text = f"{len(self._rows)} prêt(s) dans l'édition"
        if self.proxy.rowCount() != len(self._rows):
            text += f", {self.proxy.rowCount()} affiché(s)"
        if late:
            text += f" — <span style='color:{OVERDUE_COLOR.name()}'><b>{late} non rentré(s)</b> après la date de reprise</span>"
        else:
            text += " — aucun objet en retard"
        self.count_label.setText(text)

    def field_widgets(self) -> dict[str, QWidget]:
        return {"item": self.item, "destination": self.destination, "delivery_date": self.delivery_date,
                "pickup_date": self.pickup_date, "status": self.status, "returned_date": self.returned_date}

    def first_field(self) -> QWidget:
        return self.item

    def fill_form(self, row: L.LoanRow) -> None:
        self.item.setCurrentIndex(max(self.item.findData(row.item_id), 0))
        select_destination(self.destination, row.shop_id, row.organisation_id)
        self.delivery_date.set_value(row.delivery_date)
        self.pickup_date.set_value(row.pickup_date)
        self.carrier.setText(row.carrier)
        self.carrier.setCursorPosition(0)
        self.status.setCurrentText(row.status)
        self.returned.setChecked(row.returned_date is not None)
        self.returned_date.set_value(row.returned_date or clock.today())
        self.notes.setPlainText(row.notes)

    def clear_form(self) -> None:
        self.item.setCurrentIndex(0)
        self.destination.setCurrentIndex(0)
        start, end = getattr(self, "default_dates", (clock.today(), clock.today()))
        self.delivery_date.set_value(start)
        self.pickup_date.set_value(end)
        self.status.setCurrentText("à livrer")
        self.returned.setChecked(False)
        self.returned_date.set_value(clock.today())
        self.notes.clear()
        # The carrier usually stays the same from one loan to the next, so it is kept.

    def values(self) -> dict[str, Any]:
        shop_id, organisation_id = destination_ids(self.destination)
        return dict(
            shop_id=shop_id, organisation_id=organisation_id, delivery_date=self.delivery_date.value(),
            pickup_date=self.pickup_date.value(), carrier=self.carrier.text(), status=self.status.currentText(),
            returned_date=self.returned_date.value() if self.returned.isChecked() else None,
            notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        item_id = self.item.currentData()
        if item_id is None:
            self.show_in_place("Choisissez l'objet à prêter.", "item")
            return
        values = self.values()
        label = self.item.currentText().split(" – ")[0]
        if self.editing_id is None:
            edition_id = self.context.edition_id
            if edition_id is None:
                self.show_in_place("Choisissez d'abord une édition.")
                return
            changes = self.run(f"Prêter « {label} »", lambda s: L.create_loan(s, edition_id, item_id, **values))
            if changes is not None:
                self.editing_id = changes.value
                self.select_id(changes.value)
        else:
            loan_id, seen = self.editing_id, self.editing_seen
            self.run(f"Modifier le prêt de « {label} »",
                     lambda s: L.update_loan(s, loan_id, item_id=item_id, **values, expected=seen))

    def mark(self, status: str, condition: Optional[str] = None) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        shots = [r.seen for r in rows]
        what = f"« {rows[0].item_identifier} »" if len(rows) == 1 else f"{len(rows)} prêts"
        label = {"perdu/abîmé": condition or "perdu"}.get(status, status)
        self.run(f"Marquer {what} : {label}", lambda s: L.set_loans_status(s, shots, status, condition=condition))

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        names = ", ".join(f"{r.item_identifier} → {r.destination_name}" for r in rows[:5])
        more = f" et {len(rows) - 5} autre(s)" if len(rows) > 5 else ""
        if confirm(self, "Supprimer des prêts", f"Supprimer {len(rows)} prêt(s) : {names}{more} ?"):
            shots = [r.seen for r in rows]
            self.editing_id = None
            self.run(f"Supprimer {len(shots)} prêt(s)", lambda s: [L.delete_loan(s, x.ident, expected=x) for x in shots])


# --- Consommables -------------------------------------------------------------------------------


CONSUMABLE_COLUMNS = [
    Column[L.ConsumableRow]("Consommable", lambda r: r.name, tooltip=lambda r: r.notes),
    Column[L.ConsumableRow]("Stock", lambda r: integer(r.quantity), sort_key=lambda r: r.quantity, align=RIGHT),
    Column[L.ConsumableRow]("Livré", lambda r: integer(r.delivered), sort_key=lambda r: r.delivered, align=RIGHT),
    Column[L.ConsumableRow]("Reste", lambda r: integer(r.remaining), sort_key=lambda r: r.remaining, align=RIGHT,
                            foreground=lambda r: OVERDUE_COLOR if r.remaining < 0 else None),
    Column[L.ConsumableRow]("Unité", lambda r: r.unit),
    Column[L.ConsumableRow]("Destinataires", lambda r: integer(r.delivery_count), sort_key=lambda r: r.delivery_count,
                            align=RIGHT),
]


class ConsumablesSection(EditorSection):
    """The stock of posters, flyers, booklets and signage kits of the edition."""

    form_title = "Consommable"

    def __init__(self, context, parent=None):
        super().__init__(context, CONSUMABLE_COLUMNS, parent)
        self.setObjectName("consumablesSection")
        self.name = QLineEdit(placeholderText="Affiches")
        self.quantity = QSpinBox()
        self.quantity.setRange(0, 10_000_000)
        self.quantity.setGroupSeparatorShown(True)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(["exemplaires", "kits", "lots", "cartons"])
        self.notes = QLineEdit()
        self.form.addRow("Nom", self.name)
        self.form.addRow("Stock", self.quantity)
        self.form.addRow("Unité", self.unit)
        self.form.addRow("Notes", self.notes)
        self.build_layout()
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.clear_form()

    def reload(self, shared: Optional[SharedReads] = None) -> None:
        edition_id = self.context.edition_id
        if shared is not None and shared.consumables is not None:
            rows = shared.consumables
        else:
            rows = self.context.read(lambda s: L.list_consumable_rows(s, edition_id)) if edition_id else []
        self.set_rows(rows)

    def field_widgets(self) -> dict[str, QWidget]:
        return {"name": self.name, "quantity": self.quantity, "unit": self.unit}

    def first_field(self) -> QWidget:
        return self.name

    def fill_form(self, row: L.ConsumableRow) -> None:
        self.name.setText(row.name)
        self.quantity.setValue(row.quantity)
        self.unit.setCurrentText(row.unit)
        self.notes.setText(row.notes)

    def clear_form(self) -> None:
        self.name.clear()
        self.quantity.setValue(0)
        self.unit.setCurrentText("exemplaires")
        self.notes.clear()

    def save(self) -> None:
        values = (self.name.text(), self.quantity.value(), self.unit.currentText(), self.notes.text())
        if self.editing_id is None:
            edition_id = self.context.edition_id
            changes = self.run(f"Ajouter le consommable « {values[0]} »",
                               lambda s: L.create_consumable(s, edition_id, *values))
            if changes is not None:
                self.editing_id = changes.value
                self.select_id(changes.value)
        else:
            consumable_id, seen = self.editing_id, self.editing_seen
            self.run(f"Modifier le consommable « {values[0]} »",
                     lambda s: L.update_consumable(s, consumable_id, *values, expected=seen))

    def delete_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        extra = f"\n\nSes {row.delivery_count} livraison(s) seront supprimées avec lui." if row.delivery_count else ""
        if confirm(self, "Supprimer le consommable", f"Supprimer « {row.name} » (stock {integer(row.quantity)}) ?{extra}"):
            self.editing_id = None
            self.run(f"Supprimer le consommable « {row.name} »",
                     lambda s: L.delete_consumable(s, row.id, expected=row.seen))


DELIVERY_COLUMNS = [
    Column[L.DeliveryRow]("Destination", lambda r: r.destination_name),
    Column[L.DeliveryRow]("Consommable", lambda r: r.consumable_name),
    Column[L.DeliveryRow]("Quantité", lambda r: L.quantity_text(r.quantity, r.unit), sort_key=lambda r: r.quantity,
                          align=RIGHT),
    Column[L.DeliveryRow]("Date", lambda r: date_abbr(r.date) if r.date else "à fixer",
                          sort_key=lambda r: r.date or dt.date.max),
    Column[L.DeliveryRow]("Commune", lambda r: r.commune),
    Column[L.DeliveryRow]("Territoire", lambda r: r.territory),
    Column[L.DeliveryRow]("Transporteur", lambda r: r.carrier),
]


class DeliveriesSection(EditorSection):
    """Quantities of consumables delivered to each shop or organisation."""

    form_title = "Livraison"

    def __init__(self, context, parent=None):
        super().__init__(context, DELIVERY_COLUMNS, parent)
        self.setObjectName("deliveriesSection")
        self.consumable = QComboBox()
        self.destination = destination_combo()
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 10_000_000)
        self.quantity.setGroupSeparatorShown(True)
        self.dated = QCheckBox("Le")
        self.dated.setChecked(True)
        self.date = kit.DateEdit(clock.today())
        self.dated.toggled.connect(self.date.setEnabled)
        date_row = QHBoxLayout()
        date_row.addWidget(self.dated)
        date_row.addWidget(self.date, 1)
        self.carrier = QLineEdit(placeholderText="Équipe logistique du Département")
        self.form.addRow("Consommable", self.consumable)
        self.form.addRow("Destination", self.destination)
        self.form.addRow("Quantité", self.quantity)
        self.form.addRow("Date", date_row)
        self.form.addRow("Transporteur", self.carrier)
        self.all_shops_button = QPushButton("Livrer cette quantité à chaque boutique participante")
        self.all_shops_button.setToolTip("Pour les boutiques de l'édition qui n'ont pas encore reçu ce consommable")
        self.all_shops_button.clicked.connect(self.deliver_to_all)
        self.search = QLineEdit(placeholderText="Rechercher (boutique, commune, consommable)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.build_layout(above_table=self.search, below_form=self.all_shops_button)
        self.filter_id: Optional[int] = None

    def reload(self, shared: Optional[SharedReads] = None) -> None:
        edition_id = self.context.edition_id

        def read(session):
            consumables = (shared.consumables if shared is not None and shared.consumables is not None
                           else L.list_consumable_rows(session, edition_id))
            destinations = shared.destinations if shared is not None else L.destination_entries(session, edition_id)
            return consumables, destinations, L.list_delivery_rows(session, edition_id) if edition_id else []

        consumables, destinations, rows = self.context.read(read)
        keep = self.consumable.currentData()
        self.consumable.clear()
        for consumable in consumables:
            self.consumable.addItem(f"{consumable.name} (reste {integer(consumable.remaining)})", consumable.id)
        if keep is not None and self.consumable.findData(keep) >= 0:
            self.consumable.setCurrentIndex(self.consumable.findData(keep))
        fill_destinations(self.destination, destinations)
        self.set_rows(rows, lambda r: " ".join((r.destination_name, r.commune, r.territory, r.consumable_name,
                                                r.carrier)))
        self.show_consumable(self.filter_id)

    def show_consumable(self, consumable_id: Optional[int]) -> None:
        """Show the deliveries of one consumable (all when None) and preselect it in the form."""
        self.filter_id = consumable_id
        self.proxy.set_predicate((lambda r: r.consumable_id == consumable_id) if consumable_id is not None else None)
        if consumable_id is not None and self.editing_id is None:
            self.consumable.setCurrentIndex(max(self.consumable.findData(consumable_id), 0))

    def field_widgets(self) -> dict[str, QWidget]:
        return {"consumable_id": self.consumable, "destination": self.destination, "quantity": self.quantity,
                "date": self.date}

    def first_field(self) -> QWidget:
        return self.destination

    def fill_form(self, row: L.DeliveryRow) -> None:
        self.consumable.setCurrentIndex(max(self.consumable.findData(row.consumable_id), 0))
        select_destination(self.destination, row.shop_id, row.organisation_id)
        self.quantity.setValue(row.quantity)
        self.dated.setChecked(row.date is not None)
        self.date.set_value(row.date or clock.today())
        self.carrier.setText(row.carrier)

    def clear_form(self) -> None:
        self.destination.setCurrentIndex(0)
        if self.filter_id is not None:
            self.consumable.setCurrentIndex(max(self.consumable.findData(self.filter_id), 0))

    def _values(self) -> Optional[dict[str, Any]]:
        consumable_id = self.consumable.currentData()
        if consumable_id is None:
            self.show_in_place("Ajoutez d'abord un consommable à l'édition (tableau du haut).", "consumable_id")
            return None
        return dict(consumable_id=consumable_id, quantity=self.quantity.value(),
                    date=self.date.value() if self.dated.isChecked() else None, carrier=self.carrier.text())

    def save(self) -> None:
        values = self._values()
        if values is None:
            return
        shop_id, organisation_id = destination_ids(self.destination)
        name = self.consumable.currentText().rsplit(" (reste", 1)[0]
        if self.editing_id is None:
            consumable_id = values.pop("consumable_id")
            changes = self.run(f"Livrer « {name} »", lambda s: L.create_delivery(
                s, consumable_id, shop_id=shop_id, organisation_id=organisation_id, **values))
            if changes is not None:
                self.editing_id = changes.value
                self.select_id(changes.value)
        else:
            delivery_id, seen = self.editing_id, self.editing_seen
            self.run(f"Modifier la livraison de « {name} »", lambda s: L.update_delivery(
                s, delivery_id, shop_id=shop_id, organisation_id=organisation_id, **values, expected=seen))

    def deliver_to_all(self) -> None:
        values = self._values()
        if values is None:
            return
        name = self.consumable.currentText().rsplit(" (reste", 1)[0]
        self.run(f"Livrer « {name} » à toutes les boutiques", lambda s: L.deliver_to_participants(
            s, values["consumable_id"], values["quantity"], values["date"], values["carrier"]))

    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        text = ", ".join(f"{r.consumable_name} → {r.destination_name}" for r in rows[:5])
        if confirm(self, "Supprimer des livraisons", f"Supprimer {len(rows)} livraison(s) : {text} ?"):
            shots = [r.seen for r in rows]
            self.editing_id = None
            self.run(f"Supprimer {len(shots)} livraison(s)",
                     lambda s: [L.delete_delivery(s, x.ident, expected=x) for x in shots])


class ConsumablesView(QWidget):
    """Stock of the edition above, deliveries of the selected consumable below."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.stock = ConsumablesSection(context, self)
        self.deliveries = DeliveriesSection(context, self)
        self.show_all = QCheckBox("Toutes les livraisons (sinon celles du consommable sélectionné)")
        self.show_all.toggled.connect(lambda _checked: self._follow_selection())
        self.stock.view.selectionModel().selectionChanged.connect(lambda *_: self._follow_selection())
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.show_all)
        lower_layout.addWidget(self.deliveries, 1)
        splitter = QSplitter(Qt.Vertical, self)
        splitter.addWidget(self.stock)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def reload(self, shared: Optional[SharedReads] = None) -> None:
        self.stock.reload(shared)
        self.deliveries.reload(shared)
        self._follow_selection()

    def _follow_selection(self) -> None:
        row = self.stock.current_row()
        self.deliveries.show_consumable(None if self.show_all.isChecked() or row is None else row.id)


# --- Tournées -----------------------------------------------------------------------------------


class RoundsView(QWidget):
    """Deliveries and pickups by day and territory, stops in the order the driver can follow."""

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.summary = QLabel()
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("roundsTree")
        self.tree.setHeaderLabels(["Tournée, arrêt, objet", "Adresse", "Contact", "Transporteur / statut"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(ColoredTextDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.header().setSectionResizeMode(QHeaderView.Interactive)
        self.tree.header().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.rounds: list[L.DeliveryRound] = []

    def reload(self) -> None:
        edition_id = self.context.edition_id
        self.rounds = self.context.read(lambda s: L.delivery_rounds(s, edition_id)) if edition_id else []
        self.tree.clear()
        bold = self.font()
        bold.setBold(True)
        for delivery_round in self.rounds:
            stops = len(delivery_round.stops)
            parts = []
            if delivery_round.drop_off_count:
                parts.append(f"{delivery_round.drop_off_count} dépôt(s)")
            if delivery_round.pickup_count:
                parts.append(f"{delivery_round.pickup_count} reprise(s)")
            header = " · ".join([delivery_round.title, f"{stops} arrêt(s), {', '.join(parts)}",
                                 *([", ".join(delivery_round.carriers)] if delivery_round.carriers else [])])
            top = QTreeWidgetItem([header])
            top.setFont(0, bold)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for number, stop in enumerate(delivery_round.stops, start=1):
                contact = " – ".join(p for p in (stop.contact, stop.phone) if p)
                stop_item = QTreeWidgetItem([f"{number}. {stop.name}", stop.full_address, contact,
                                             ", ".join(stop.carriers)])
                top.addChild(stop_item)
                for line in stop.drop_offs + stop.pickups:
                    verb = "Déposer" if line.action == "déposer" else "Reprendre"
                    state = "fait" if line.done else ("à faire" if line.item_identifier == "" else line.status)
                    child = QTreeWidgetItem([f"{verb} : {line.text}", "", "", state])
                    if line.done:
                        child.setForeground(0, DONE_COLOR)
                        child.setForeground(3, DONE_COLOR)
                    elif (line.action == "reprendre" and delivery_round.day is not None
                          and L.is_overdue(line.status, delivery_round.day, clock.today())):
                        child.setForeground(0, OVERDUE_COLOR)
                        child.setForeground(3, OVERDUE_COLOR)
                        child.setText(3, f"{line.status} — non rentré")
                    stop_item.addChild(child)
        self.tree.expandAll()
        total_stops = sum(len(r.stops) for r in self.rounds)
        self.summary.setText(
            f"{len(self.rounds)} tournée(s), {total_stops} arrêt(s) — par jour puis territoire ; dans chaque tournée, "
            f"les arrêts sont classés par commune puis par rue." if self.rounds else
            "Aucune livraison ni reprise pour cette édition.")
        for column, width in enumerate((470, 370, 240)):
            self.tree.setColumnWidth(column, width)


# --- The tab ------------------------------------------------------------------------------------


class LogisticsTab(BaseTab):
    """Inventory, loans, consumables and delivery rounds of the current edition."""

    title = "Logistique"
    tables = ("items", "loans", "consumables", "consumable_deliveries", "shops", "organisations", "contacts",
              "territories", "participations", "editions", "event_days")

    @long_lived()
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.inventory = InventorySection(context, self)
        self.loans = LoansSection(context, self)
        self.consumables = ConsumablesView(context, self)
        self.rounds = RoundsView(context, self)
        self.views = QTabWidget(self)
        self.views.setObjectName("logisticsViews")
        self.views.addTab(self.loans, "Prêts")
        self.views.addTab(self.inventory, "Inventaire")
        self.views.addTab(self.consumables, "Consommables")
        self.views.addTab(self.rounds, "Tournées")
        layout = QVBoxLayout(self)
        layout.addWidget(self.views)
        self._destinations: Optional[DestinationModel] = None
        self.reload()

    @long_lived()
    def reload(self) -> None:
        # The items, destinations and consumables several pages show are read once, and one model of the
        # destinations serves both destination combos.
        edition_id = self.context.edition_id
        today = clock.today()

        def read(session):
            return (L.list_item_rows(session, today), L.destination_entries(session, edition_id),
                    L.list_consumable_rows(session, edition_id) if edition_id else None)

        items, destinations, consumables = self.context.read(read)
        previous, self._destinations = self._destinations, DestinationModel(destinations, self)
        shared = SharedReads(items, self._destinations, consumables)
        self.inventory.reload(shared)
        self.loans.reload(shared)
        self.consumables.reload(shared)
        self.rounds.reload()
        if previous is not None:
            previous.deleteLater()  # both combos show the new model now

    def show_view(self, title: str) -> QWidget:
        titles = [self.views.tabText(i) for i in range(self.views.count())]
        self.views.setCurrentIndex(titles.index(title))
        return self.views.currentWidget()

    def navigate_to(self, payload) -> None:
        payload = payload or {}
        if "loan_id" in payload:
            self.show_view("Prêts")
            self.loans.select_id(payload["loan_id"])
        elif "item_id" in payload:
            self.show_view("Inventaire")
            self.inventory.select_id(payload["item_id"])
        elif "view" in payload:
            self.show_view(payload["view"])
