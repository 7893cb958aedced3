"""Organisations et contacts: the list, the selected one's contacts and details."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ....core import partners as p
from ....core.models import ORGANISATION_KINDS
from ...models.table import RowTableModel
from ...widgets.partner_forms import (
    ContactDialog,
    OrganisationDialog,
)
from ..base import make_table_view
from .common import (
    CONTACT_COLUMNS,
    ORGANISATION_COLUMNS,
    FilterProxy,
    ask_save_path,
    button,
    confirm,
    organisation_details_text,
    select_ids,
    selected_rows,
    wire_view,
)

if TYPE_CHECKING:
    from . import PartnersTab


class OrganisationsPage(QWidget):
    """Organisations (search, filters) above the contacts of the selected ones."""

    def __init__(self, tab: PartnersTab):
        super().__init__()
        self.tab = tab
        self.context = tab.context
        self.search = QLineEdit(placeholderText="Rechercher une organisation (nom, type, territoire, commune)…")
        self.search.setClearButtonEnabled(True)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Tous les types", None)
        for kind in ORGANISATION_KINDS:
            self.kind_filter.addItem(kind, kind)
        self.territory_filter = QComboBox()
        self.territory_filter.setMinimumWidth(220)
        self.count_label = QLabel()
        self.model = RowTableModel(ORGANISATION_COLUMNS, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("organisationsView")
        self.view.setModel(self.proxy)
        wire_view(self.view, self.edit_organisation, self.delete_organisation)

        self.contact_model = RowTableModel(CONTACT_COLUMNS, self)
        self.contact_proxy = FilterProxy(self)
        self.contact_proxy.setSourceModel(self.contact_model)
        self.contact_view = make_table_view(self)
        self.contact_view.setObjectName("contactsView")
        self.contact_view.setModel(self.contact_proxy)
        wire_view(self.contact_view, self.edit_contact, self.delete_contact)
        self.contacts_title = QLabel()
        self.contacts_title.setStyleSheet("font-weight: bold;")
        self.details = QLabel()
        self.details.setObjectName("organisationDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.all_contacts = QCheckBox("Tous les contacts")
        self.all_contacts.setToolTip("Afficher les contacts de toutes les organisations, pour préparer un envoi")
        self.feedback = QLabel()
        self.feedback.setObjectName("contactsFeedback")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(QLabel("Type :"))
        filters.addWidget(self.kind_filter)
        filters.addWidget(QLabel("Territoire :"))
        filters.addWidget(self.territory_filter)
        filters.addWidget(self.count_label)
        org_buttons = QHBoxLayout()
        org_buttons.addWidget(button("Nouvelle organisation", self.new_organisation, "Ctrl+N"))
        org_buttons.addWidget(button("Modifier", self.edit_organisation, "Entrée ou double-clic"))
        org_buttons.addWidget(button("Supprimer", self.delete_organisation, "Suppr"))
        org_buttons.addStretch(1)

        contact_bar = QHBoxLayout()
        contact_bar.addWidget(self.contacts_title)
        contact_bar.addWidget(self.all_contacts)
        contact_bar.addStretch(1)
        contact_bar.addWidget(button("Nouveau contact", self.new_contact, "Ctrl+Maj+N"))
        contact_bar.addWidget(button("Modifier", self.edit_contact))
        contact_bar.addWidget(button("Supprimer", self.delete_contact))
        self.copy_button = button("Copier les adresses", self.copy_addresses,
                                  "Copie les courriels des contacts sélectionnés, séparés par « ; » (Outlook)")
        contact_bar.addWidget(self.copy_button)
        contact_bar.addWidget(button("Exporter les contacts…", self.export_contacts,
                                     "Contacts sélectionnés (ou tous ceux affichés) en CSV, XLSX ou vCard"))

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addLayout(org_buttons)
        top_layout.addWidget(self.view, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.details)
        bottom_layout.addLayout(contact_bar)
        bottom_layout.addWidget(self.contact_view, 1)
        bottom_layout.addWidget(self.feedback)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        QShortcut(QKeySequence.New, self, activated=self.new_organisation, context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.new_contact, context=Qt.WidgetWithChildrenShortcut)
        self.search.textChanged.connect(self._apply_filters)
        self.kind_filter.currentIndexChanged.connect(self._apply_filters)
        self.territory_filter.currentIndexChanged.connect(self._apply_filters)
        self._reselecting = False
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.all_contacts.toggled.connect(lambda _on: self.reload_contacts())

    # -- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        keep = {r.id for r in selected_rows(self.view)}
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: p.list_organisation_rows(s, edition_id))
        territory = self.territory_filter.currentData()
        self.territory_filter.blockSignals(True)
        self.territory_filter.clear()
        self.territory_filter.addItem("Tous les territoires", None)
        self.territory_filter.addItem("(sans territoire)", 0)
        for territory_id, name in self.context.read(p.list_territory_choices):
            self.territory_filter.addItem(name, territory_id)
        index = self.territory_filter.findData(territory)
        self.territory_filter.setCurrentIndex(max(index, 0))
        self.territory_filter.blockSignals(False)
        self.model.set_rows(rows, lambda r: f"{r.name} {r.kind} {r.territory} {r.commune} {r.email}")
        self._apply_filters()
        if not keep and self.proxy.rowCount():
            # Start with the first organisation selected so its contacts show, not an empty panel.
            keep = {self.model.row_at(self.proxy.mapToSource(self.proxy.index(0, 0)).row()).id}
        # The contacts are read once for the selection put back, not once per selected line.
        self._reselecting = True
        try:
            select_ids(self.view, keep)
        finally:
            self._reselecting = False
        self.reload_contacts()

    def _selection_changed(self) -> None:
        if not self._reselecting:
            self.reload_contacts()

    def _apply_filters(self) -> None:
        kind = self.kind_filter.currentData()
        territory = self.territory_filter.currentData()

        def accept(row: p.OrganisationRow) -> bool:
            if kind is not None and row.kind != kind:
                return False
            if territory == 0:
                return row.territory_id is None
            return territory is None or row.territory_id == territory

        self.proxy.set_search(self.search.text())
        self.proxy.set_predicate(accept if kind is not None or territory is not None else None)
        self.count_label.setText(f"{self.proxy.rowCount()} organisation(s) sur {self.model.rowCount()}")

    def reload_contacts(self) -> None:
        keep = {r.id for r in selected_rows(self.contact_view)}
        organisations = selected_rows(self.view)
        if self.all_contacts.isChecked():
            rows = self.context.read(p.list_contact_rows)
            self.contacts_title.setText("Contacts de toutes les organisations")
        elif organisations:
            ids = [o.id for o in organisations]
            rows = self.context.read(lambda s: p.list_contact_rows(s, ids))
            self.contacts_title.setText(
                f"Contacts de « {organisations[0].name} »" if len(organisations) == 1
                else f"Contacts des {len(organisations)} organisations sélectionnées"
            )
        else:
            rows = []
            self.contacts_title.setText("Contacts : sélectionnez une ou plusieurs organisations")
        self.contact_model.set_rows(rows, lambda r: f"{r.name} {r.organisation} {r.function} {r.email}")
        known = organisation_details_text(organisations[0]) if len(organisations) == 1 else ""
        self.details.setText(f"Coordonnées de « {organisations[0].name} » : {known}" if known else "")
        self.details.setVisible(bool(self.details.text()))
        self.contact_view.setColumnHidden(1, not self.all_contacts.isChecked() and len(organisations) <= 1)
        select_ids(self.contact_view, keep)

    def current_organisation(self) -> Optional[p.OrganisationRow]:
        index = self.view.currentIndex()
        rows = selected_rows(self.view)
        if index.isValid():
            row = self.model.row_at(self.proxy.mapToSource(index).row())
            if row in rows:
                return row
        return rows[0] if rows else None

    def current_contact(self) -> Optional[p.ContactRow]:
        rows = selected_rows(self.contact_view)
        return rows[0] if rows else None

    # -- organisations ---------------------------------------------------------------------------

    def new_organisation(self) -> OrganisationDialog:
        dialog = OrganisationDialog(self.context, parent=self)
        dialog.accepted.connect(lambda: self._select_organisation(dialog.saved_id))
        dialog.open()
        return dialog

    def edit_organisation(self) -> Optional[OrganisationDialog]:
        row = self.current_organisation()
        if row is None:
            return None
        dialog = OrganisationDialog(self.context, row.id, parent=self)
        dialog.open()
        return dialog

    def _select_organisation(self, organisation_id: Optional[int]) -> None:
        if organisation_id is not None:
            self.search.clear()
            self.kind_filter.setCurrentIndex(0)
            self.territory_filter.setCurrentIndex(0)
            select_ids(self.view, {organisation_id})

    def delete_organisation(self) -> None:
        rows = selected_rows(self.view)
        if not rows:
            return
        impacts = [self.context.read(lambda s, i=r.id: p.deletion_impact(s, i)) for r in rows]
        if len(impacts) == 1:
            text = impacts[0].message()
        else:
            text = f"Supprimer ces {len(rows)} organisations ?\n" + "\n".join(
                f"• {i.name}" + (f" : {', '.join(i.lines())}" if i.lines() else "") for i in impacts
            )
        text += "\n\nVous pourrez annuler avec Ctrl+Z."
        if not confirm(self, "Supprimer des organisations" if len(rows) > 1 else "Supprimer l'organisation", text):
            return
        shots = [r.seen for r in rows]
        label = f"Supprimer l'organisation « {rows[0].name} »" if len(rows) == 1 else f"Supprimer {len(rows)} organisations"
        self.context.run(self, label, lambda s: [p.delete_organisation(s, x.ident, expected=x) for x in shots],
                         on_reload=self.reload)

    # -- contacts --------------------------------------------------------------------------------

    def new_contact(self) -> ContactDialog:
        organisation = self.current_organisation()
        dialog = ContactDialog(self.context, organisation_id=organisation.id if organisation else None, parent=self)
        dialog.open()
        return dialog

    def edit_contact(self) -> Optional[ContactDialog]:
        row = self.current_contact()
        if row is None:
            return None
        dialog = ContactDialog(self.context, row.id, parent=self)
        dialog.open()
        return dialog

    def delete_contact(self) -> None:
        rows = selected_rows(self.contact_view)
        if not rows:
            return
        impacts = [self.context.read(lambda s, i=r.id: p.contact_deletion_impact(s, i)) for r in rows]
        text = impacts[0].message() if len(rows) == 1 else f"Supprimer ces {len(rows)} contacts ?\n" + "\n".join(
            f"• {i.name}" + (f" : {', '.join(i.lines())}" if i.lines() else "") for i in impacts
        )
        if not confirm(self, "Supprimer des contacts", text + "\n\nVous pourrez annuler avec Ctrl+Z."):
            return
        shots = [r.seen for r in rows]
        label = f"Supprimer le contact « {rows[0].name} »" if len(rows) == 1 else f"Supprimer {len(rows)} contacts"
        self.context.run(self, label, lambda s: [p.delete_contact(s, x.ident, expected=x) for x in shots],
                         on_reload=self.reload_contacts)

    def copy_addresses(self) -> str:
        rows = selected_rows(self.contact_view) or self.contact_model.rows()
        text = p.email_list(rows)
        QGuiApplication.clipboard().setText(text)
        missing = sum(1 for r in rows if not r.email.strip())
        count = len(text.split("; ")) if text else 0
        message = f"{count} adresse(s) copiée(s) dans le presse-papiers"
        if missing:
            message += f" ({missing} contact(s) sans adresse)"
        self.feedback.setText(message + ".")
        return text

    def export_contacts(self) -> Optional[Path]:
        from ....core.errors import BonsJoursError
        from ....core.io.partners_io import contacts_bytes, format_of, write_file

        rows = selected_rows(self.contact_view) or self.contact_model.rows()
        if not rows:
            self.feedback.setText("Aucun contact à exporter : sélectionnez des organisations ou cochez « Tous les contacts ».")
            return None
        path = ask_save_path(self, "Exporter les contacts", "contacts-partenaires.xlsx",
                             "Classeur Excel (*.xlsx);;CSV pour Excel (*.csv);;Carnet d'adresses vCard (*.vcf)")
        if path is None:
            return None
        edition_id = self.context.edition_id
        ids = [r.id for r in rows]
        try:
            fmt = format_of(path)
            export = self.context.read(lambda s: p.contact_export_rows(s, edition_id, contact_ids=ids))
            write_file(path, contacts_bytes(export, fmt))
        except BonsJoursError as exc:
            from ...errors import show_error

            show_error(self, exc)
            return None
        self.feedback.setText(f"{len(export)} contact(s) exporté(s) dans {path}.")
        return path
