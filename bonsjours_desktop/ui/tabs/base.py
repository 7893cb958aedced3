"""Base class of the main window's tabs and the common table view set-up."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ...core.operations import Changes
from ..context import AppContext


class BaseTab(QWidget):
    """A tab: built when first shown, refreshed from Changes and from the current edition."""

    title = ""
    # Tables whose changes this tab shows; on_changes reloads only when one of them changed.
    tables: tuple[str, ...] = ()

    def __init__(self, context: AppContext, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName(f"tab_{type(self).__name__}")

    def reload(self) -> None:
        """Re-read what the tab shows from the core."""

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(*self.tables):
            self.reload()

    def on_edition_changed(self, edition_id: Optional[int]) -> None:
        self.reload()

    def navigate_to(self, payload: object) -> None:
        """Show the place named by payload (e.g. {"shop_id": 3}); tabs override what they support."""


def make_table_view(parent: Optional[QWidget] = None) -> QTableView:
    view = QTableView(parent)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    view.horizontalHeader().setHighlightSections(False)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.sortByColumn(0, Qt.AscendingOrder)
    return view
