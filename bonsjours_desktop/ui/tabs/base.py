"""Base class of the main window's tabs and the common table view set-up."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QWidget

from ...core.operations import Changes
from ..context import AppContext
from ..widgets.table_view import TableView, guard_headers


class BaseTab(QWidget):
    """A tab: built when first shown, refreshed from Changes and from the current edition.

    Refresh when shown: a change touching the tab's tables (or a new current edition) reloads the
    tab at once only if it is the one shown; a hidden tab just marks itself stale and reloads when
    it is shown again (MainWindow calls refresh_if_stale when its page becomes current). The tab
    that made a change (Changes.initiator is one of its widgets or dialogs) gets
    apply_own_changes instead: by default a reload too, so its own change is always on screen;
    a tab that can update the few rows it changed in place overrides it."""

    title = ""
    # Tables this tab's reload() reads (tests/ui/test_refresh_on_show.py checks it against the SQL).
    tables: tuple[str, ...] = ()

    def __init__(self, context: AppContext, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.stale = False
        self.setObjectName(f"tab_{type(self).__name__}")

    def reload(self) -> None:
        """Re-read what the tab shows from the core."""

    # -- refresh when shown ----------------------------------------------------------------------

    def is_shown(self) -> bool:
        """True when this is the current page of its window (whether or not the window is on screen)."""
        return not self.isHidden()

    def refresh(self) -> None:
        """Reload now if the tab is shown, else remember to reload when it is."""
        if self.is_shown():
            self.stale = False
            self.reload()
        else:
            self.stale = True

    def refresh_if_stale(self) -> None:
        if self.stale:
            self.stale = False
            self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        self.refresh_if_stale()
        super().showEvent(event)
        # Tables with their own widths (grids, editors) keep their headers whole too.
        guard_headers(self)

    def made(self, changes: Changes) -> bool:
        """True when the change was asked for from this tab (one of its widgets or their dialogs)."""
        widget = changes.initiator
        while isinstance(widget, QWidget):
            if widget is self:
                return True
            widget = widget.parentWidget()
        return False

    def on_changes(self, changes: Changes) -> None:
        if not changes.touches(*self.tables):
            return
        if self.made(changes):
            self.apply_own_changes(changes)
        else:
            self.refresh()

    def apply_own_changes(self, changes: Changes) -> None:
        """Show a change this tab made; tabs that can patch the rows in place override it."""
        self.stale = False
        self.reload()

    def on_edition_changed(self, edition_id: Optional[int]) -> None:
        self.refresh()

    def navigate_to(self, payload: object) -> None:
        """Show the place named by payload (e.g. {"shop_id": 3}); tabs override what they support."""


def make_table_view(parent: Optional[QWidget] = None, key: str = "") -> TableView:
    """The shared table view (widgets/table_view.py). key names the table whose widths are remembered; by
    default the class of the page holding it, numbered when a page holds several (« BudgetTab.2 »)."""
    if not key and parent is not None:
        siblings = [v for v in parent.findChildren(TableView) if v.parent() is parent]
        key = type(parent).__name__ + (f".{len(siblings) + 1}" if siblings else "")
    return TableView(parent, key)
