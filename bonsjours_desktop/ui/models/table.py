"""A generic read-only table model over a list of plain row objects, sorted and filtered without per-comparison Python.

Sorting: QSortFilterProxyModel compares rows by calling the model's data() (Python) twice per comparison:
10 000 rows took 0.7 s even with precomputed keys, 3.2 s through a Python lessThan. Here the model sorts
itself: one sort key per row and column, computed once (French order: case and accents ignored, numbers
as numbers, dates as dates, empty cells last), then one Python `sorted` over them (a few milliseconds)
and a layout change that keeps the selection. The proxy only filters, from a list of accepted rows
computed once per search or filter change, so each row costs Qt one cheap call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Generic, Optional, Sequence, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from ...core.validation import fold, fold_many

R = TypeVar("R")
SORT_ROLE = Qt.UserRole + 1
ROW_ROLE = Qt.UserRole + 2
SEARCH_ROLE = Qt.UserRole + 3

# Roles as plain ints: data() runs for every visible cell and role on each repaint, and comparing
# Qt enums in Python costs more than the rest of the call.
_DISPLAY, _ALIGN, _TOOLTIP, _FOREGROUND, _CHECK = (
    int(r.value) for r in (Qt.DisplayRole, Qt.TextAlignmentRole, Qt.ToolTipRole, Qt.ForegroundRole,
                           Qt.CheckStateRole)
)
_SORT, _ROW, _SEARCH = (int(r) for r in (SORT_ROLE, ROW_ROLE, SEARCH_ROLE))
# The key of an empty cell: after every other key, whatever the order asked.
EMPTY_KEY: tuple = (9,)


def _text_key(text: str, folded: str) -> tuple:
    return (2, folded, text) if folded else EMPTY_KEY


def collation_key(value: Any) -> tuple:
    """A sort key in French order for any cell value: numbers, then dates, then text (case and
    accents ignored: « Église » between « Eau » and « Fer »), then tuples element by element;
    None and blank text give EMPTY_KEY."""
    if value is None:
        return EMPTY_KEY
    if isinstance(value, str):
        return _text_key(value, fold(value))
    if isinstance(value, (bool, int, float, Decimal)):
        return (0, value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date: ISO text orders both
        return (1, value.isoformat())
    if isinstance(value, (tuple, list)):
        return (3, tuple(collation_key(item) for item in value)) if value else EMPTY_KEY
    return collation_key(str(value))


def sorted_order(keys: Sequence[tuple], descending: bool = False) -> list[int]:
    """Positions of keys in sorted order, stable, empty keys last in both orders."""
    filled = [i for i, key in enumerate(keys) if key is not EMPTY_KEY and key != EMPTY_KEY]
    empty = [i for i, key in enumerate(keys) if key is EMPTY_KEY or key == EMPTY_KEY]
    # sorted(reverse=True) keeps equal keys in their original order, like the ascending sort.
    return sorted(filled, key=keys.__getitem__, reverse=descending) + empty


def collation_keys(column: "Column[R]", rows: Sequence[R]) -> list[tuple]:
    """column.collation(row) of each row, computed once per distinct value: communes, statuses, networks
    and « oui »/« non » repeat across 10 000 rows, and folding each cell was most of a first sort's time.
    Values equal in Python collate equal, so sharing their key changes no order. The distinct texts are
    folded together (fold_many: 10 000 shop names in one pass rather than one call each)."""
    value_of = column.sort_key if column.sort_key is not None else column.text
    values = [value_of(row) for row in rows]
    memo: dict[Any, tuple] = {}
    texts = list(dict.fromkeys(value for value in values if type(value) is str))
    for text, folded in zip(texts, fold_many(texts)):
        memo[text] = _text_key(text, folded)
    keys = []
    append = keys.append
    for value in values:
        try:
            key = memo.get(value)
        except TypeError:  # a list or another unhashable value: its own key
            append(collation_key(value))
            continue
        if key is None:
            key = memo[value] = collation_key(value)
        append(key)
    return keys


@dataclass
class Column(Generic[R]):
    """One column: its title, the text shown, and how it sorts (numbers and dates sort as such)."""

    title: str
    text: Callable[[R], str]
    sort_key: Optional[Callable[[R], Any]] = None
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter
    tooltip: Optional[Callable[[R], str]] = None
    foreground: Optional[Callable[[R], Any]] = None
    check: Optional[Callable[[R], bool]] = None

    def collation(self, row: R) -> tuple:
        return collation_key(self.sort_key(row) if self.sort_key is not None else self.text(row))


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows are immutable snapshots from a core service; set_rows() replaces them in one reset.

    The model keeps its rows in the order last asked by sort() (a view with sorting enabled, or a
    SearchProxyModel above it, calls it) and keeps that order across set_rows()."""

    def __init__(self, columns: Sequence[Column[R]], parent=None):
        super().__init__(parent)
        self._rows: list[R] = []
        self._search_cache: list[str] = []
        self._keys: dict[int, list[tuple]] = {}
        self.sort_column = -1
        self.sort_order = Qt.AscendingOrder
        # Bumped whenever rows are replaced or reordered: what a proxy computed per row is then stale.
        self.generation = 0
        self._set_columns(columns)

    # -- content ---------------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column[R]]:
        return self._columns

    @columns.setter
    def columns(self, columns: Sequence[Column[R]]) -> None:
        """Assigning columns (then set_rows) is allowed: the per-column caches follow."""
        self._set_columns(columns)

    def _set_columns(self, columns: Sequence[Column[R]]) -> None:
        self._columns = list(columns)
        self._text = [c.text for c in self.columns]
        self._tooltip = [c.tooltip for c in self.columns]
        self._foreground = [c.foreground for c in self.columns]
        self._check = [c.check for c in self.columns]
        self._align = [int(c.align.value) if hasattr(c.align, "value") else int(c.align) for c in self.columns]
        self._keys = {}

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        """Replace the columns (e.g. one per event day); the rows stay, sorted again."""
        self.beginResetModel()
        self._set_columns(columns)
        if self.sort_column >= len(self.columns):
            self.sort_column = -1
        self._apply_sort()
        self.generation += 1
        self.endResetModel()

    def set_rows(self, rows: Sequence[R], search_text: Optional[Callable[[R], str]] = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._search_cache = [fold(search_text(row)) for row in self._rows] if search_text is not None else []
        self._keys = {}
        self._apply_sort()
        self.generation += 1
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def search_key(self, row: int) -> str:
        """Folded search text of a row ('' when set_rows got no search_text)."""
        return self._search_cache[row] if self._search_cache else ""

    def search_keys(self) -> list[str]:
        return self._search_cache

    def row_of(self, predicate: Callable[[R], bool]) -> int:
        for index, row in enumerate(self._rows):
            if predicate(row):
                return index
        return -1

    # -- sorting ---------------------------------------------------------------------------------

    def sort_keys(self, column: int) -> list[tuple]:
        """The collation keys of a column, one per row in the current order (computed once)."""
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = collation_keys(self.columns[column], self._rows)
        return keys

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:  # noqa: D401 - Qt API
        if column < 0:
            return
        if column >= len(self.columns):
            # Asked before the columns exist (a view sorted while its tab builds, the columns coming
            # with the edition's days): kept, and applied by set_columns — the header's arrow showed
            # « Boutique » while the rows stayed in the base's order.
            self.sort_column, self.sort_order = column, order
            return
        unchanged = (column, order) == (self.sort_column, self.sort_order)
        self.sort_column, self.sort_order = column, order
        permutation = self._permutation()
        if permutation is None and unchanged:
            return  # already in that order: no layout change for the views to redo
        self.layoutAboutToBeChanged.emit()
        if permutation is not None:
            new_position = [0] * len(permutation)
            for new, old in enumerate(permutation):
                new_position[old] = new
            before = self.persistentIndexList()
            after = [self.index(new_position[index.row()], index.column()) if index.isValid() else index
                     for index in before]
            self._reorder(permutation)
            self.changePersistentIndexList(before, after)
        self.generation += 1
        self.layoutChanged.emit()

    def _permutation(self) -> Optional[list[int]]:
        if not 0 <= self.sort_column < len(self.columns) or not self._rows:
            return None
        order = sorted_order(self.sort_keys(self.sort_column), self.sort_order == Qt.DescendingOrder)
        return None if all(i == n for n, i in enumerate(order)) else order

    def _apply_sort(self) -> None:
        permutation = self._permutation()
        if permutation is not None:
            self._reorder(permutation)

    def _reorder(self, permutation: list[int]) -> None:
        rows = self._rows
        self._rows = [rows[i] for i in permutation]
        if self._search_cache:
            cache = self._search_cache
            self._search_cache = [cache[i] for i in permutation]
        self._keys = {column: [keys[i] for i in permutation] for column, keys in self._keys.items()}

    # -- Qt API ----------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == _DISPLAY and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        row, column = index.row(), index.column()
        rows = self._rows
        if not (0 <= row < len(rows) and 0 <= column < len(self._text)) or not index.isValid():
            return None
        if role == _DISPLAY:
            return self._text[column](rows[row])
        if role == _ALIGN:
            return self._align[column]
        if role == _TOOLTIP:
            tooltip = self._tooltip[column]
            return tooltip(rows[row]) if tooltip else None
        if role == _FOREGROUND:
            foreground = self._foreground[column]
            return foreground(rows[row]) if foreground else None
        if role == _CHECK:
            check = self._check[column]
            return (Qt.Checked if check(rows[row]) else Qt.Unchecked) if check else None
        if role == _SORT:
            sort_key = self.columns[column].sort_key
            return sort_key(rows[row]) if sort_key else self._text[column](rows[row]).casefold()
        if role == _ROW:
            return rows[row]
        if role == _SEARCH:
            return self._search_cache[row] if self._search_cache else ""
        return None


class SearchProxyModel(QSortFilterProxyModel):
    """Filters on folded search text plus any extra predicate on the row; sorting is the source's.

    Over a RowTableModel, sort() asks the model to reorder itself (see the module's docstring) and
    the proxy keeps the source order; the rows a search or predicate accepts are computed once per
    change (or per new source content), so filterAcceptsRow is a list lookup."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""
        self._predicate: Optional[Callable[[Any], bool]] = None
        self._accepted: Optional[list[bool]] = None
        self._accepted_generation = -1

    def refilter(self, change: Callable[[], None]) -> None:
        """Apply change() to the filter state and re-filter rows (Qt ≥ 6.10 API when available)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self._accepted = None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self._accepted = None
            self.invalidateFilter()

    def set_search(self, text: str) -> None:
        needle = fold(text)
        if needle != self._needle:
            self.refilter(lambda: setattr(self, "_needle", needle))

    def set_predicate(self, predicate: Optional[Callable[[Any], bool]]) -> None:
        self.refilter(lambda: setattr(self, "_predicate", predicate))

    def _accepted_rows(self, model: RowTableModel) -> list[bool]:
        needle, predicate = self._needle, self._predicate
        if needle:
            accepted = [needle in key for key in model.search_keys()] or [False] * model.rowCount()
        else:
            accepted = [True] * model.rowCount()
        if predicate is not None:
            rows = model._rows
            accepted = [ok and bool(predicate(row)) for ok, row in zip(accepted, rows)]
        self._accepted, self._accepted_generation = accepted, model.generation
        return accepted

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            if not self._needle and self._predicate is None:
                return True
            accepted = self._accepted
            if accepted is None or self._accepted_generation != model.generation:
                accepted = self._accepted_rows(model)
            return source_row < len(accepted) and accepted[source_row]
        index = model.index(source_row, 0, source_parent)
        if self._needle and self._needle not in (model.data(index, SEARCH_ROLE) or ""):
            return False
        if self._predicate is not None and not self._predicate(model.data(index, ROW_ROLE)):
            return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:  # noqa: D401 - Qt API
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def sortColumn(self) -> int:  # noqa: N802 - Qt name
        model = self.sourceModel()
        return model.sort_column if isinstance(model, RowTableModel) else super().sortColumn()

    def sortOrder(self) -> Qt.SortOrder:  # noqa: N802 - Qt name
        model = self.sourceModel()
        return model.sort_order if isinstance(model, RowTableModel) else super().sortOrder()
