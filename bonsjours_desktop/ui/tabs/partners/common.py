"""What the Partenaires pages share: columns, selection helpers, status colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QPen, QShortcut
from PySide6.QtWidgets import (
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from ....core import partners as p
from ....core.formatting import count, date_abbr
from ...models.table import Column, RowTableModel, SearchProxyModel
from ...widgets import kit

NUMBER = Qt.AlignRight | Qt.AlignVCenter
CENTER = Qt.AlignCenter
STATUS_COLORS = {"confirmé": "#c8e6c9", "invité": "#fff3c4", "décliné": "#f8d0d0"}
STATUS_MARKS = {"confirmé": "✔ confirmé", "invité": "? invité", "décliné": "✘ décliné"}

ORGANISATION_COLUMNS = [
    Column[p.OrganisationRow]("Organisation", lambda r: r.name),
    Column[p.OrganisationRow]("Type", lambda r: r.kind),
    Column[p.OrganisationRow]("Territoire", lambda r: r.territory),
    Column[p.OrganisationRow]("Commune", lambda r: r.commune),
    Column[p.OrganisationRow]("Contacts", lambda r: str(r.contact_count), sort_key=lambda r: r.contact_count, align=NUMBER),
    Column[p.OrganisationRow]("Rôles", lambda r: str(r.role_count), sort_key=lambda r: r.role_count, align=NUMBER,
                              tooltip=lambda r: f"{r.role_count} rôle(s) dans l'édition choisie"),
]
CONTACT_COLUMNS = [
    Column[p.ContactRow]("Nom", lambda r: r.name),
    Column[p.ContactRow]("Organisation", lambda r: r.organisation),
    Column[p.ContactRow]("Fonction", lambda r: r.function),
    Column[p.ContactRow]("Courriel", lambda r: r.email),
    Column[p.ContactRow]("Téléphone", lambda r: r.phone),
    Column[p.ContactRow]("Moyen préféré", lambda r: r.preferred_channel),
]
ROLE_COLUMNS = [
    Column[p.RoleRow]("Organisation", lambda r: r.organisation),
    Column[p.RoleRow]("Rôle", lambda r: r.role_type),
    Column[p.RoleRow]("Engagement", lambda r: STATUS_MARKS.get(r.status, r.status), sort_key=lambda r: r.status,
                      foreground=lambda r: QBrush(QColor("#b3261e")) if r.status == "décliné" else None),
    Column[p.RoleRow]("Contact", lambda r: r.contact),
    Column[p.RoleRow]("Type", lambda r: r.organisation_kind),
    Column[p.RoleRow]("Ce qu'elle fait", lambda r: r.description, tooltip=lambda r: r.description),
]
RELAY_COLUMNS = [
    Column[p.BookletRelayRow]("Relais", lambda r: r.organisation),
    Column[p.BookletRelayRow]("Type", lambda r: r.organisation_kind),
    Column[p.BookletRelayRow]("Annuaires", lambda r: count(r.quantity), sort_key=lambda r: r.quantity,
                              align=NUMBER),
    Column[p.BookletRelayRow]("Remis le", lambda r: date_abbr(r.date) if r.date else "",
                              sort_key=lambda r: r.date.toordinal() if r.date else 0),
    Column[p.BookletRelayRow]("Notes", lambda r: r.notes),
]
MEETING_COLUMNS = [
    Column[p.MeetingRow]("Date", lambda r: date_abbr(r.date), sort_key=lambda r: r.date.toordinal()),
    Column[p.MeetingRow]("Objet", lambda r: r.subject),
    Column[p.MeetingRow]("Invités", lambda r: str(r.invited_count), sort_key=lambda r: r.invited_count, align=NUMBER),
    Column[p.MeetingRow]("Présents", lambda r: str(r.attended_count), sort_key=lambda r: r.attended_count, align=NUMBER),
]


# --- small helpers -------------------------------------------------------------------------------


def selected_rows(view: QTableView) -> list[Any]:
    """Row objects of the selected lines, in view order."""
    proxy = view.model()
    source = proxy.sourceModel()
    lines = sorted({index.row() for index in view.selectionModel().selectedRows()})
    return [source.row_at(proxy.mapToSource(proxy.index(line, 0)).row()) for line in lines]


def select_ids(view: QTableView, ids: set[int]) -> None:
    proxy = view.model()
    source = proxy.sourceModel()
    selection = view.selectionModel()
    selection.clearSelection()
    first = None
    for row_number, row in enumerate(source.rows()):
        if row.id in ids:
            index = proxy.mapFromSource(source.index(row_number, 0))
            if index.isValid():
                selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
                first = first or index
    if first is not None:
        selection.setCurrentIndex(first, selection.SelectionFlag.NoUpdate)
        view.scrollTo(first)


def wire_view(view: QTableView, edit: Callable[[], None], delete: Callable[[], None]) -> None:
    """Double-click or Entrée edits, Suppr deletes (only while the table has the focus)."""
    view.doubleClicked.connect(lambda _index: edit())
    for key in (Qt.Key_Return, Qt.Key_Enter):
        QShortcut(QKeySequence(key), view, activated=edit, context=Qt.WidgetShortcut)
    QShortcut(QKeySequence.Delete, view, activated=delete, context=Qt.WidgetShortcut)


def button(text: str, slot: Callable[[], None], tooltip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.clicked.connect(lambda _checked=False: slot())
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


def confirm(parent: QWidget, title: str, text: str) -> bool:
    return kit.confirm(parent, title, text)


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> Optional[Path]:
    """The file chosen, with the chosen filter's extension (the kit's « Enregistrer sous »)."""
    return kit.save_file_as(parent, caption, suggested, filters)


def organisation_details_text(row: p.OrganisationRow) -> str:
    """One line: address, website, e-mail, phone and notes of an organisation, what is known of them."""
    place = " ".join(part for part in (row.postal_code, row.commune) if part)
    address = ", ".join(part for part in (row.address, place) if part)
    parts = [address, row.website, row.email, row.phone]
    text = " · ".join(part for part in parts if part)
    if row.notes:
        text += (" — " if text else "") + row.notes.splitlines()[0]
    return text


def wrap_header(text: str, width: int = 16) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


# The shared proxy already re-filters with the Qt 6.10 API.
FilterProxy = SearchProxyModel


class StatusDelegate(QStyledItemDelegate):
    """Paints status cells itself: the theme's style sheet ignores BackgroundRole and ForegroundRole,
    and the pale status colours need dark text in both the light and the dark theme."""

    def paint(self, painter, option, index) -> None:
        brush = index.data(Qt.BackgroundRole)
        if not isinstance(brush, QBrush):
            super().paint(painter, option, index)
            return
        painter.save()
        painter.fillRect(option.rect.adjusted(1, 1, -1, -1), brush)
        if option.state & QStyle.State_Selected:
            painter.setPen(QPen(option.palette.highlight().color(), 2))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
        painter.setPen(QColor("#1f1f1f"))
        painter.setFont(option.font)
        painter.drawText(option.rect, Qt.AlignCenter, str(index.data(Qt.DisplayRole) or ""))
        painter.restore()


class MatrixModel(RowTableModel):
    """The role matrix: RowTableModel plus status colours in the role cells."""

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.BackgroundRole and index.isValid() and index.column() >= 2:
            status = self.row_at(index.row()).cells[index.column() - 2]
            return QBrush(QColor(STATUS_COLORS[status])) if status in STATUS_COLORS else None
        if role == Qt.ForegroundRole and index.isValid() and index.column() >= 2:
            return QBrush(QColor("#1f1f1f"))
        return super().data(index, role)


