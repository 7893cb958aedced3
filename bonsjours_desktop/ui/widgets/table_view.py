"""The one table view of the tabs: columns as wide as their content (measured on a sample of rows), headers
never cut, long similar names elided in the middle with the full text in a tooltip, widths remembered per
table.

- Widths: the first time rows are shown, each column takes the width of its content over the first
  ``SAMPLE_ROWS`` rows (Qt's resizeContentsPrecision: 10 000 rows cost what 200 do), capped at
  ``MAX_WIDTH`` so one long column does not push the others off the screen, and never less than its header.
- A header is never elided: a section made narrower than its title (by a drag, a restored state or the
  stretched last section) goes back to the title's width (text + sort arrow + the style's margins).
- Cells elide in the middle (« Secours Catholique – Bou…ire de Cholet »): similar names differ at their
  end; a cell whose text does not fit shows it whole in its tooltip when the model gives none.
- The widths (and the sort column) are saved in the settings under ``tables/<key>`` when the user changes
  them, and restored when the table is built again (next start, or a new window).
"""

from __future__ import annotations

from typing import Optional

import json

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableView,
    QToolTip,
    QWidget,
)

from ..settings import settings

SAMPLE_ROWS = 200
_DISPLAY, _DECORATION, _CHECK = (int(r.value) for r in (Qt.DisplayRole, Qt.DecorationRole, Qt.CheckStateRole))
MAX_WIDTH = 340
MIN_WIDTH = 48


def header_width(view: QTableView, column: int) -> int:
    """The width the header of column needs: its title (as the style draws it: qt-material writes it in
    capitals), the sort arrow and the style's padding."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return MIN_WIDTH
    title = str(model.headerData(column, Qt.Horizontal, Qt.DisplayRole) or "")
    if not title:
        return MIN_WIDTH
    # The style's own measure (stylesheet padding and sort arrow included)…
    measured = header.sectionSizeFromContents(column).width()
    # …and, in case the stylesheet's capitals escape it, the capitals measured here.
    font = QFont(header.font())
    font.setCapitalization(QFont.AllUppercase)
    capitals = max((QFontMetrics(font).horizontalAdvance(line) for line in title.split("\n")), default=0)
    style = header.style()
    arrow = style.pixelMetric(QStyle.PM_HeaderMarkSize, None, header)
    margin = style.pixelMetric(QStyle.PM_HeaderMargin, None, header)
    return max(measured, capitals + arrow + 4 * margin) + 6


class HeaderGuard(QObject):
    """For a table that sizes its columns itself (fixed widths, grids): its interactive sections are never
    narrower than their titles — widened now, and put back when dragged or set narrower."""

    def __init__(self, view: QTableView):
        super().__init__(view)
        self.setObjectName("headerGuard")
        self.view = view
        self._adjusting = False
        header = view.horizontalHeader()
        header.setTextElideMode(Qt.ElideNone)
        # Long similar names (« Secours Catholique – Boutique solidaire de Saumur / de Segré ») keep the
        # end that tells them apart, as in the tabs' own tables.
        view.setTextElideMode(Qt.ElideMiddle)
        header.sectionResized.connect(self._resized)
        self.widen()

    def widen(self) -> None:
        header = self.view.horizontalHeader()
        for column in range(header.count()):
            self._resized(column, 0, header.sectionSize(column))

    def _resized(self, column: int, _old: int, new: int) -> None:
        header = self.view.horizontalHeader()
        if self._adjusting or header.isSectionHidden(column) or header.sectionResizeMode(column) != QHeaderView.Interactive:
            return
        if new < header_width(self.view, column):
            QTimer.singleShot(0, lambda: self._widen_now(column))  # after Qt's resize (see TableView)

    def _widen_now(self, column: int) -> None:
        if not shiboken6.isValid(self.view):
            return
        header = self.view.horizontalHeader()
        needed = header_width(self.view, column)
        if header.sectionSize(column) < needed:
            self._adjusting = True
            try:
                header.resizeSection(column, needed)
            finally:
                self._adjusting = False


def guard_headers(widget: QWidget) -> None:
    """Every table under widget that is not a TableView keeps its headers whole (see HeaderGuard)."""
    for view in widget.findChildren(QTableView):
        if not isinstance(view, TableView) and view.findChild(HeaderGuard, "headerGuard") is None:
            HeaderGuard(view)
        elif not isinstance(view, TableView):
            view.findChild(HeaderGuard, "headerGuard").widen()


class TableView(QTableView):
    """A read-only, sortable table of rows that sizes its columns once, keeps headers whole and remembers
    the user's widths under settings key tables/<key>."""

    def __init__(self, parent: Optional[QWidget] = None, key: str = ""):
        super().__init__(parent)
        self.key = key
        self.max_width = MAX_WIDTH  # the widest a column gets from its content (a drag may go further)
        self._sized = False
        self._sized_columns = -1  # the column count sized for: a new set of columns is sized again
        self._adjusting = False
        self._in_size_once = False
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.ElideMiddle)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setHighlightSections(False)
        header.setTextElideMode(Qt.ElideNone)
        header.setResizeContentsPrecision(SAMPLE_ROWS)
        header.sectionResized.connect(self._section_resized)
        header.sortIndicatorChanged.connect(lambda *_: self._save())
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.sortByColumn(0, Qt.AscendingOrder)

    # -- sizing ----------------------------------------------------------------------------------

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self._size_once)
            model.rowsInserted.connect(self._size_once)
            model.layoutChanged.connect(self._size_once)
            model.headerDataChanged.connect(lambda *_: self.keep_headers_whole())
        self._size_once()

    def header_width(self, column: int) -> int:
        return header_width(self, column)

    def _resize_interactive(self, width_for) -> None:
        """Resize each interactive, shown column to width_for(column) when it returns a width. A
        ResizeToContents section counts its title already, and asking its size measures every row again
        (300 editions × 10 columns took 2 s in the Bilan's comparison)."""
        model = self.model()
        if model is None:
            return
        header = self.horizontalHeader()
        self._adjusting = True
        try:
            for column in range(model.columnCount()):
                if header.sectionResizeMode(column) != QHeaderView.Interactive or header.isSectionHidden(column):
                    continue
                width = width_for(column)
                if width is not None:
                    header.resizeSection(column, width)
        finally:
            self._adjusting = False

    def keep_headers_whole(self) -> None:
        """Widen every section narrower than its title."""
        header = self.horizontalHeader()

        def wider(column: int) -> Optional[int]:
            needed = self.header_width(column)
            return needed if header.sectionSize(column) < needed else None

        self._resize_interactive(wider)

    def fit_columns(self, maximum: Optional[int] = None) -> None:
        """Each column as wide as its content over a sample of rows, within [header, maximum]."""
        maximum = maximum or self.max_width
        rows = self.model().rowCount() if self.model() is not None else 0

        def fitted(column: int) -> int:
            content = self.content_width(column) + 12 if rows else 0
            return max(self.header_width(column), min(max(content, MIN_WIDTH), maximum))

        self._resize_interactive(fitted)

    def content_width(self, column: int) -> int:
        """sizeHintForColumn(column) over the first SAMPLE_ROWS rows, measured with a few size hints.

        Qt asks the delegate's size of every sampled cell, and the delegate asks the model ~8 roles of
        each (font, alignment, colours, check, icon, text…): 10 columns × 200 rows were 16 000 calls into
        Python, ~35 ms at each first opening of a big table. Here the texts are measured with the font's
        metrics, and Qt's own size hint is asked for the widest few only: the same width, the style's
        padding included. A column whose cells do not all carry (or all lack) an icon or a check box is
        left to Qt."""
        model = self.model()
        rows = min(model.rowCount(), self.horizontalHeader().resizeContentsPrecision())
        if rows <= 0:
            return self.sizeHintForColumn(column)
        metrics = QFontMetricsF(self.font())
        first_row: dict[str, int] = {}  # each distinct text, at its first row
        extras: set[tuple[bool, bool]] = set()
        for row in range(rows):
            index = model.index(row, column)
            extras.add((index.data(_DECORATION) is not None, index.data(_CHECK) is not None))
            text = index.data(_DISPLAY)
            first_row.setdefault("" if text is None else str(text), row)
        if len(extras) > 1:
            return self.sizeHintForColumn(column)
        widths = {text: max(metrics.horizontalAdvance(line) for line in text.split("\n")) for text in first_row}
        widest = max(widths.values())
        # The delegate lays text out with QTextLayout, whose width can differ from the metrics' by a
        # pixel: Qt's hint of every text within 3 px of the widest, not of the widest alone.
        close = sorted((row for text, row in first_row.items() if widths[text] >= widest - 3))[:12]
        hint = max(self.sizeHintForIndex(model.index(row, column)).width() for row in close)
        return hint + 1 if self.showGrid() else hint

    def _size_once(self, *_args) -> None:
        """Restore the remembered widths, or fit the content, the first time there are columns (and rows)."""
        # Restoring the header's state may change the sort, and the model's sort (ui/models/table.py)
        # emits layoutChanged, which calls this again: once is enough.
        if self._in_size_once:
            return
        self._in_size_once = True
        try:
            self._size_now()
        finally:
            self._in_size_once = False

    def _size_now(self) -> None:
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        if self._sized and model.columnCount() == self._sized_columns:
            self.keep_headers_whole()
            return
        self._sized = False
        state = self._stored_state()
        if state is not None and self._restore(state):
            self._sized = True
        elif model.rowCount() == 0:
            self.fit_columns()  # headers whole; the content is measured when rows come
            return
        else:
            self.fit_columns()
            self._sized = True
        self._sized_columns = model.columnCount()
        self.keep_headers_whole()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # The theme's style sheet reaches a tab after it is built (and changes with the dark theme):
        # headers in capitals or another font need other widths, measured once the style is in place.
        super().changeEvent(event)
        if event.type() in (QEvent.StyleChange, QEvent.FontChange) and self.model() is not None:
            QTimer.singleShot(0, self._restyled)

    def _restyled(self) -> None:
        if shiboken6.isValid(self):
            self.keep_headers_whole()

    def columns_width(self, count: int) -> int:
        """Width of the first count visible columns, frame and vertical scroll bar included: what the view
        needs to show them whole."""
        header = self.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)][:count]
        return (sum(header.sectionSize(c) for c in shown) + 2 * self.frameWidth()
                + self.style().pixelMetric(QStyle.PM_ScrollBarExtent, None, self) + 4)

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if self._adjusting:
            return
        if new < self.header_width(column):
            # Widened after Qt has finished this resize: a resizeSection() from inside sectionResized
            # left QHeaderView's length behind its sections (rows were painted only that far).
            QTimer.singleShot(0, self._widen_later)
        if self._sized:
            self._save()

    def _widen_later(self) -> None:
        if shiboken6.isValid(self):
            self.keep_headers_whole()
            self._save()

    # -- remembering -----------------------------------------------------------------------------

    def _settings_key(self) -> str:
        return f"tables/{self.key}/header"

    def _stored_state(self) -> Optional[list]:
        """The remembered widths and sort: [[width, …], sort column, 0|1] (settings, as JSON)."""
        if not self.key:
            return None
        value = settings().value(self._settings_key())
        try:
            state = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None
        return state if isinstance(state, list) and len(state) == 3 and isinstance(state[0], list) else None

    def _restore(self, state: list) -> bool:
        """The widths (not QHeaderView.restoreState: a state saved at another window width left the
        header's length behind its sections, and rows were painted only that far)."""
        widths, column, order = state
        model = self.model()
        if len(widths) != model.columnCount() or not all(isinstance(w, int) and w > 0 for w in widths):
            return False
        header = self.horizontalHeader()
        self._adjusting = True
        try:
            for index, width in enumerate(widths[:-1] if header.stretchLastSection() else widths):
                header.resizeSection(index, width)
        finally:
            self._adjusting = False
        if isinstance(column, int) and 0 <= column < model.columnCount():
            self.sortByColumn(column, Qt.DescendingOrder if order else Qt.AscendingOrder)
        return True

    def _save(self) -> None:
        if self.key and self._sized and not self._adjusting:
            header = self.horizontalHeader()
            state = [[header.sectionSize(c) for c in range(header.count())], header.sortIndicatorSection(),
                     1 if header.sortIndicatorOrder() == Qt.DescendingOrder else 0]
            settings().setValue(self._settings_key(), json.dumps(state))

    # -- tooltips --------------------------------------------------------------------------------

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.ToolTip:
            index = self.indexAt(event.pos())
            if index.isValid() and not index.data(Qt.ToolTipRole):
                text = self.elided_text(index)
                if text:
                    QToolTip.showText(event.globalPos(), text, self.viewport(), self.visualRect(index))
                    return True
        return super().viewportEvent(event)

    def elided_text(self, index: QModelIndex) -> str:
        """The cell's full text when it does not fit its column ('' when it does)."""
        text = index.data(Qt.DisplayRole)
        if not isinstance(text, str) or not text:
            return ""
        available = self.visualRect(index).width() - 10
        return text if self.fontMetrics().horizontalAdvance(text) > available else ""


def make_table_view(parent: Optional[QWidget] = None, key: str = "") -> TableView:
    """The tabs' table view; key names the table in the settings (widths remembered) — '' for none."""
    return TableView(parent, key)
