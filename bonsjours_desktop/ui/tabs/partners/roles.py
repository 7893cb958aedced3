"""Rôles de l'édition: what each organisation does in the chosen edition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ....core import partners as p
from ....core.editions import list_editions
from ....core.models import ROLE_STATUSES
from ...models.table import RowTableModel
from ...widgets.partner_forms import (
    CopyRolesDialog,
    RoleDialog,
    RoleTypesDialog,
)
from ..base import make_table_view
from .common import (
    ROLE_COLUMNS,
    STATUS_MARKS,
    FilterProxy,
    button,
    confirm,
    select_ids,
    selected_rows,
    wire_view,
)

if TYPE_CHECKING:
    from . import PartnersTab


class RolesPage(QWidget):
    """The roles of the current edition: who does what, contact person, commitment."""

    def __init__(self, tab: PartnersTab):
        super().__init__()
        self.tab = tab
        self.context = tab.context
        self.search = QLineEdit(placeholderText="Rechercher (organisation, rôle, contact)…")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Tous les engagements", None)
        for status in ROLE_STATUSES:
            self.status_filter.addItem(status, status)
        self.count_label = QLabel()
        self.model = RowTableModel(ROLE_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("rolesView")
        self.view.setModel(self.proxy)
        wire_view(self.view, self.edit_role, self.delete_role)
        status_button = QToolButton()
        status_button.setText("Engagement")
        status_button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(status_button)
        for status in ROLE_STATUSES:
            menu.addAction(STATUS_MARKS[status], lambda s=status: self.set_status(s))
        status_button.setMenu(menu)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(button("Nouveau rôle", self.new_role, "Ctrl+N"))
        buttons.addWidget(button("Modifier", self.edit_role, "Entrée ou double-clic"))
        buttons.addWidget(button("Supprimer", self.delete_role, "Suppr"))
        buttons.addWidget(status_button)
        buttons.addStretch(1)
        buttons.addWidget(button("Reprendre une autre édition…", self.copy_roles,
                                 "Inviter à nouveau les partenaires d'une édition précédente"))
        buttons.addWidget(button("Types de rôles…", self.edit_role_types, "Modifier la liste des rôles"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        QShortcut(QKeySequence.New, self, activated=self.new_role, context=Qt.WidgetWithChildrenShortcut)
        self.search.textChanged.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)

    def reload(self) -> None:
        keep = {r.id for r in selected_rows(self.view)}
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: p.list_role_rows(s, edition_id))
        self.model.set_rows(rows, lambda r: f"{r.organisation} {r.role_type} {r.contact} {r.description} {r.status}")
        self._apply_filters()
        select_ids(self.view, keep)

    def _apply_filters(self) -> None:
        status = self.status_filter.currentData()
        self.proxy.set_search(self.search.text())
        self.proxy.set_predicate((lambda r: r.status == status) if status else None)
        confirmed = sum(1 for r in self.model.rows() if r.status == "confirmé")
        self.count_label.setText(f"{self.proxy.rowCount()} rôle(s) affiché(s), {confirmed} confirmé(s) sur {self.model.rowCount()}")

    def _needs_edition(self) -> bool:
        if self.context.edition_id is None:
            QMessageBox.information(self, "Rôles", "Créez ou choisissez d'abord une édition.")
            return True
        return False

    def new_role(self, organisation_id: Optional[int] = None, role_type_id: Optional[int] = None) -> Optional[RoleDialog]:
        if self._needs_edition():
            return None
        dialog = RoleDialog(self.context, organisation_id=organisation_id, role_type_id=role_type_id, parent=self)
        dialog.open()
        return dialog

    def edit_role(self, role_id: Optional[int] = None) -> Optional[RoleDialog]:
        if role_id is None:
            rows = selected_rows(self.view)
            if not rows:
                return None
            role_id = rows[0].id
        dialog = RoleDialog(self.context, role_id, parent=self)
        dialog.open()
        return dialog

    def delete_role(self) -> None:
        rows = selected_rows(self.view)
        if not rows:
            return
        names = "\n".join(f"• {r.organisation} : {r.role_type}" for r in rows)
        if not confirm(self, "Supprimer des rôles", f"Supprimer ces rôles de l'édition ?\n{names}\n\nVous pourrez annuler avec Ctrl+Z."):
            return
        shots = [r.seen for r in rows]
        self.context.run(self, f"Supprimer {len(shots)} rôle(s)",
                         lambda s: [p.delete_role(s, x.ident, expected=x) for x in shots], on_reload=self.reload)

    def set_status(self, status: str) -> None:
        rows = selected_rows(self.view)
        if not rows:
            return
        shots = [r.seen for r in rows]
        label = f"Marquer « {status} » : {rows[0].organisation} ({rows[0].role_type})" if len(rows) == 1 \
            else f"Marquer {len(rows)} rôles « {status} »"
        self.context.run(self, label, lambda s: [p.set_role_status(s, x.ident, status, expected=x) for x in shots],
                         on_reload=self.reload)

    def edit_role_types(self) -> RoleTypesDialog:
        dialog = RoleTypesDialog(self.context, self)
        dialog.open()
        return dialog

    def copy_roles(self) -> Optional[CopyRolesDialog]:
        if self._needs_edition():
            return None
        current = self.context.edition_id
        others = [(e.id, e.name) for e in self.context.read(list_editions) if e.id != current]
        if not others:
            QMessageBox.information(self, "Rôles", "Il n'y a pas d'autre édition dont reprendre les rôles.")
            return None
        dialog = CopyRolesDialog(others, self)

        def done() -> None:
            source = dialog.combo.currentData()
            changes = self.context.run(self, f"Reprendre les rôles de « {dialog.combo.currentText()} »",
                                       lambda s: p.copy_roles(s, source, current))
            if changes is not None:
                self.count_label.setText(f"{changes.value} rôle(s) repris, à confirmer.")

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
