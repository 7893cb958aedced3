"""A generic read-only table model over a list of plain row objects, with typed sort keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Optional, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

R = TypeVar("R")
SORT_ROLE = Qt.UserRole + 1
ROW_ROLE = Qt.UserRole + 2
SEARCH_ROLE = Qt.UserRole + 3


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


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Rows are immutable snapshots from a core service; set_rows() replaces them in one reset."""

    def __init__(self, columns: Sequence[Column[R]], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []
        self._search_cache: list[str] = []

    def set_rows(self, rows: Sequence[R], search_text: Optional[Callable[[R], str]] = None) -> None:
        from ...core.validation import fold

        self.beginResetModel()
        self._rows = list(rows)
        if search_text is not None:
            self._search_cache = [fold(search_text(row)) for row in self._rows]
        else:
            self._search_cache = []
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def search_key(self, row: int) -> str:
        """Folded search text of a row ('' when set_rows got no search_text)."""
        return self._search_cache[row] if self._search_cache else ""

    def row_of(self, predicate: Callable[[R], bool]) -> int:
        for index, row in enumerate(self._rows):
            if predicate(row):
                return index
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row).casefold()
        if role == ROW_ROLE:
            return row
        if role == SEARCH_ROLE:
            return self._search_cache[index.row()] if self._search_cache else ""
        if role == Qt.TextAlignmentRole:
            return int(column.align)
        if role == Qt.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role == Qt.ForegroundRole and column.foreground:
            return column.foreground(row)
        if role == Qt.CheckStateRole and column.check:
            return Qt.Checked if column.check(row) else Qt.Unchecked
        return None


class SearchProxyModel(QSortFilterProxyModel):
    """Sorts on SORT_ROLE and filters on folded search text plus any extra predicate on the row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""
        self._predicate: Optional[Callable[[Any], bool]] = None

    def refilter(self, change: Callable[[], None]) -> None:
        """Apply change() to the filter state and re-filter rows (Qt ≥ 6.10 API when available)."""
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateFilter()

    def set_search(self, text: str) -> None:
        from ...core.validation import fold

        needle = fold(text)
        if needle != self._needle:
            self.refilter(lambda: setattr(self, "_needle", needle))

    def set_predicate(self, predicate: Optional[Callable[[Any], bool]]) -> None:
        self.refilter(lambda: setattr(self, "_predicate", predicate))

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            # Straight to the row snapshots: going through data() per row costs more than the test.
            if self._needle and self._needle not in model.search_key(source_row):
                return False
            return self._predicate is None or bool(self._predicate(model.row_at(source_row)))
        index = model.index(source_row, 0, source_parent)
        if self._needle and self._needle not in (model.data(index, SEARCH_ROLE) or ""):
            return False
        if self._predicate is not None and not self._predicate(model.data(index, ROW_ROLE)):
            return False
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            return (a is None) and (b is not None)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
