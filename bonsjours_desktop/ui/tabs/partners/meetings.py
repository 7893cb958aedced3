"""Réunions: the partners' meetings, invited and present."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ....core import partners as p
from ....core.formatting import date_long
from ...models.table import RowTableModel
from ...widgets.partner_forms import (
    MeetingDialog,
)
from ..base import make_table_view
from .common import (
    MEETING_COLUMNS,
    FilterProxy,
    button,
    confirm,
    select_ids,
    selected_rows,
    wire_view,
)

if TYPE_CHECKING:
    from . import PartnersTab


class MeetingsPage(QWidget):
    """Meetings of the edition, with who was invited, who came and the minutes."""

    def __init__(self, tab: PartnersTab):
        super().__init__()
        self.tab = tab
        self.context = tab.context
        self.model = RowTableModel(MEETING_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("meetingsView")
        self.view.setModel(self.proxy)
        wire_view(self.view, self.edit_meeting, self.delete_meeting)
        self.details = QTextBrowser()
        self.details.setObjectName("meetingDetails")
        buttons = QHBoxLayout()
        buttons.addWidget(button("Nouvelle réunion", self.new_meeting, "Ctrl+N"))
        buttons.addWidget(button("Modifier", self.edit_meeting, "Entrée ou double-clic"))
        buttons.addWidget(button("Supprimer", self.delete_meeting, "Suppr"))
        buttons.addStretch(1)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setSizes([660, 640])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence.New, self, activated=self.new_meeting, context=Qt.WidgetWithChildrenShortcut)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_details())

    def reload(self) -> None:
        keep = {r.id for r in selected_rows(self.view)}
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: p.list_meetings(s, edition_id))
        self.model.set_rows(rows, lambda r: f"{r.subject} {r.minutes}")
        select_ids(self.view, keep or ({rows[0].id} if rows else set()))
        self.show_details()

    def show_details(self) -> None:
        from html import escape

        rows = selected_rows(self.view)
        if not rows:
            self.details.setHtml("<p><i>Aucune réunion sélectionnée.</i></p>" if self.model.rowCount()
                                 else "<p><i>Aucune réunion pour cette édition.</i></p>")
            return
        m = rows[0]
        came = [a.organisation for a in m.attendees if a.attended]
        absent = [a.organisation for a in m.attendees if not a.attended]
        html = [f"<h3>{escape(m.subject)}</h3><p>{escape(date_long(m.date))}</p>"]
        html.append(f"<p><b>Présents ({len(came)}) :</b> {escape(', '.join(came)) or '—'}</p>")
        html.append(f"<p><b>Invités absents ({len(absent)}) :</b> {escape(', '.join(absent)) or '—'}</p>")
        if m.minutes:
            html.append("<p><b>Compte rendu :</b></p>" + "".join(f"<p>{escape(line)}</p>" for line in m.minutes.splitlines()))
        # The theme colours text browsers like links; minutes read better in the ordinary text colour.
        from PySide6.QtWidgets import QApplication

        dark = bool(QApplication.instance() and QApplication.instance().property("bonsjours_dark"))
        self.details.setHtml(f"<div style='color:{'#e6e6e6' if dark else '#1f1f1f'}'>{''.join(html)}</div>")

    def new_meeting(self) -> Optional[MeetingDialog]:
        if self.context.edition_id is None:
            return None
        dialog = MeetingDialog(self.context, parent=self)
        dialog.open()
        return dialog

    def edit_meeting(self) -> Optional[MeetingDialog]:
        rows = selected_rows(self.view)
        if not rows:
            return None
        dialog = MeetingDialog(self.context, rows[0].id, parent=self)
        dialog.open()
        return dialog

    def delete_meeting(self) -> None:
        rows = selected_rows(self.view)
        if not rows or not confirm(self, "Supprimer la réunion",
                                   f"Supprimer la réunion « {rows[0].subject} » et sa liste d'invités ?\n\n"
                                   "Vous pourrez annuler avec Ctrl+Z."):
            return
        meeting_id, shot = rows[0].id, rows[0].seen
        self.context.run(self, f"Supprimer la réunion « {rows[0].subject} »",
                         lambda s: p.delete_meeting(s, meeting_id, expected=shot), on_reload=self.reload)
