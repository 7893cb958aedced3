"""Base class of the main window's tabs and the common table view set-up."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QWidget

from ...core.operations import Changes
from ..context import AppContext
from ..widgets.table_view import TableView, guard_headers


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

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Tables with their own widths (grids, editors) keep their headers whole too.
        guard_headers(self)

    def navigate_to(self, payload: object) -> None:
        """Show the place named by payload (e.g. {"shop_id": 3}); tabs override what they support."""


def make_table_view(parent: Optional[QWidget] = None, key: str = "") -> TableView:
    """The shared table view (widgets/table_view.py). key names the table whose widths are remembered; by
    default the class of the page holding it, numbered when a page holds several (« BudgetTab.2 »)."""
    if not key and parent is not None:
        siblings = [v for v in parent.findChildren(TableView) if v.parent() is parent]
        key = type(parent).__name__ + (f".{len(siblings) + 1}" if siblings else "")
    return TableView(parent, key)
