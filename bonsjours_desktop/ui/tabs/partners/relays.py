"""Relais de l'annuaire: who hands out the directory booklet, and how many."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ....core import partners as p
from ....core.formatting import count
from ...models.table import RowTableModel
from ...widgets.partner_forms import (
    RelayDialog,
)
from ..base import make_table_view
from .common import (
    RELAY_COLUMNS,
    FilterProxy,
    button,
    confirm,
    selected_rows,
    wire_view,
)

if TYPE_CHECKING:
    from . import PartnersTab


class RelaysPage(QWidget):
    """Directory booklets handed to relays (Maisons des solidarités, CCAS) for the edition."""

    def __init__(self, tab: PartnersTab):
        super().__init__()
        self.tab = tab
        self.context = tab.context
        self.model = RowTableModel(RELAY_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("relaysView")
        self.view.setModel(self.proxy)
        wire_view(self.view, self.edit_relay, self.delete_relay)
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addWidget(button("Nouvelle remise", self.new_relay, "Ctrl+N"))
        buttons.addWidget(button("Modifier", self.edit_relay, "Entrée ou double-clic"))
        buttons.addWidget(button("Supprimer", self.delete_relay, "Suppr"))
        buttons.addStretch(1)
        buttons.addWidget(self.total)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Annuaires « Boutiques solidaires de l'occasion » remis aux relais pour l'édition :"))
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        QShortcut(QKeySequence.New, self, activated=self.new_relay, context=Qt.WidgetWithChildrenShortcut)

    def reload(self) -> None:
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: p.list_booklet_relays(s, edition_id))
        self.model.set_rows(rows, lambda r: f"{r.organisation} {r.notes}")
        total = sum(r.quantity for r in rows)
        relays = len({r.organisation_id for r in rows})
        self.total.setText(f"Total : {count(total)} annuaire(s) remis à {relays} relais")

    def new_relay(self) -> Optional[RelayDialog]:
        if self.context.edition_id is None:
            return None
        dialog = RelayDialog(self.context, parent=self)
        dialog.open()
        return dialog

    def edit_relay(self) -> Optional[RelayDialog]:
        rows = selected_rows(self.view)
        if not rows:
            return None
        dialog = RelayDialog(self.context, rows[0].id, parent=self)
        dialog.open()
        return dialog

    def delete_relay(self) -> None:
        rows = selected_rows(self.view)
        if not rows or not confirm(self, "Supprimer des remises",
                                   f"Supprimer {len(rows)} remise(s) d'annuaires ?\n\nVous pourrez annuler avec Ctrl+Z."):
            return
        shots = [r.seen for r in rows]
        self.context.run(self, f"Supprimer {len(shots)} remise(s) d'annuaires",
                         lambda s: [p.delete_booklet_relay(s, x.ident, expected=x) for x in shots],
                         on_reload=self.reload)
