"""Partenaires tab: organisations and contacts, roles per edition, role matrix, booklet relays, meetings."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence, QPen, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHeaderView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTabWidget,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import partners as p
from ...core.editions import list_editions
from ...core.formatting import date_long, date_short
from ...core.models import ORGANISATION_KINDS, ROLE_STATUSES
from ..models.table import Column, RowTableModel, SearchProxyModel
from ..widgets.partner_forms import (
    ContactDialog,
    CopyRolesDialog,
    MeetingDialog,
    OrganisationDialog,
    RelayDialog,
    RoleDialog,
    RoleTypesDialog,
)
from .base import BaseTab, make_table_view
from ..widgets import kit

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
    Column[p.BookletRelayRow]("Annuaires", lambda r: f"{r.quantity:,}".replace(",", "\u202f"), sort_key=lambda r: r.quantity,
                              align=NUMBER),
    Column[p.BookletRelayRow]("Remis le", lambda r: date_short(r.date) if r.date else "",
                              sort_key=lambda r: r.date.toordinal() if r.date else 0),
    Column[p.BookletRelayRow]("Notes", lambda r: r.notes),
]
MEETING_COLUMNS = [
    Column[p.MeetingRow]("Date", lambda r: date_short(r.date), sort_key=lambda r: r.date.toordinal()),
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


# --- pages ---------------------------------------------------------------------------------------


class OrganisationsPage(QWidget):
    """Organisations (search, filters) above the contacts of the selected ones."""

    def __init__(self, tab: "PartnersTab"):
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
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.reload_contacts())
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
        select_ids(self.view, keep)
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
        from ...core.errors import BonsJoursError
        from ...core.io.partners_io import contacts_bytes, format_of, write_file

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
            from ..errors import show_error

            show_error(self, exc)
            return None
        self.feedback.setText(f"{len(export)} contact(s) exporté(s) dans {path}.")
        return path


class RolesPage(QWidget):
    """The roles of the current edition: who does what, contact person, commitment."""

    def __init__(self, tab: "PartnersTab"):
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


class MatrixPage(QWidget):
    """Organisations × roles of the edition, to show at a kick-off meeting, exportable."""

    def __init__(self, tab: "PartnersTab"):
        super().__init__()
        self.tab = tab
        self.context = tab.context
        self.matrix: Optional[p.RoleMatrix] = None
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.all_organisations = QCheckBox("Toutes les organisations")
        self.all_organisations.setToolTip("Afficher aussi les organisations sans rôle dans cette édition")
        self.used_only = QCheckBox("Masquer les rôles que personne ne tient")
        self.used_only.setChecked(True)
        legend = QLabel(" ".join(
            f"<span style='background:{STATUS_COLORS[s]}; color:#1f1f1f; padding:2px 6px;'>&nbsp;{STATUS_MARKS[s]}&nbsp;</span>"
            for s in ROLE_STATUSES
        ))
        self.summary = QLabel()
        self.model = MatrixModel([], self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("matrixView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QTableView.SelectItems)
        self.view.setSelectionMode(QTableView.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setItemDelegate(StatusDelegate(self.view))
        # Role names in capitals with the theme's wide padding do not fit; show them as written.
        self.view.horizontalHeader().setStyleSheet(
            "QHeaderView::section { text-transform: none; padding: 0 4px; height: 56px; font-weight: bold; }"
        )
        self.view.doubleClicked.connect(self.open_cell)
        for key in (Qt.Key_Return, Qt.Key_Enter):
            QShortcut(QKeySequence(key), self.view, activated=lambda: self.open_cell(self.view.currentIndex()),
                      context=Qt.WidgetShortcut)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(button("Exporter la matrice…", self.export, "Classeur Excel ou CSV"))
        options = QHBoxLayout()
        options.addWidget(self.all_organisations)
        options.addWidget(self.used_only)
        options.addStretch(1)
        options.addWidget(legend)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        self.all_organisations.toggled.connect(lambda _on: self.reload())
        self.used_only.toggled.connect(lambda _on: self.reload())

    def reload(self) -> None:
        edition_id = self.context.edition_id
        if edition_id is None:
            self.matrix = None
            self.model.columns = []
            self.model.set_rows([])
            self.title.setText("Matrice des rôles : aucune édition")
            self.summary.clear()
            return
        self.matrix = self.context.read(lambda s: p.role_matrix(
            s, edition_id, all_organisations=self.all_organisations.isChecked(),
            used_role_types_only=self.used_only.isChecked()))
        columns: list[Column] = [
            Column[p.RoleMatrixRow]("Organisation", lambda r: r.organisation, tooltip=lambda r: r.organisation),
            Column[p.RoleMatrixRow]("Type", lambda r: r.kind, tooltip=lambda r: r.kind),
        ]
        for index, (_id, name) in enumerate(self.matrix.role_types):
            columns.append(Column[p.RoleMatrixRow](
                wrap_header(name, 11),
                lambda r, i=index: STATUS_MARKS.get(r.cells[i], "") if r.cells[i] else "",
                sort_key=lambda r, i=index: (r.cells[i] is None, r.cells[i] or ""),
                align=CENTER,
                tooltip=lambda r, i=index, n=name: f"{r.organisation} — {n} : {r.cells[i]}\n{r.descriptions[i]}".strip()
                if r.cells[i] else f"{r.organisation} — {n} : pas de rôle (double-clic pour l'ajouter)",
            ))
        self.model.columns = columns
        self.model.set_rows(list(self.matrix.rows), lambda r: f"{r.organisation} {r.kind}")
        self.title.setText(f"Qui fait quoi — {self.matrix.edition_name}")
        confirmed = sum(1 for r in self.matrix.rows for c in r.cells if c == "confirmé")
        total = sum(r.role_count for r in self.matrix.rows)
        self.summary.setText(
            f"{len(self.matrix.rows)} organisation(s), {total} rôle(s) dont {confirmed} confirmé(s). "
            "Double-clic sur une case pour modifier ou ajouter le rôle."
        )
        header = self.view.horizontalHeader()
        header.setMinimumHeight(56)
        # The organisation column takes what the role columns leave, so the grid fits a projector.
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        self.view.setColumnWidth(1, 128)
        for column in range(2, len(columns)):
            self.view.setColumnWidth(column, 114)

    def open_cell(self, index) -> Optional[RoleDialog]:
        if self.matrix is None or not index.isValid() or index.column() < 2:
            return None
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        role_type_id = self.matrix.role_types[index.column() - 2][0]
        roles = self.tab.roles_page
        existing = next((r for r in roles.model.rows()
                         if r.organisation_id == row.organisation_id and r.role_type_id == role_type_id), None)
        if existing is not None:
            return roles.edit_role(existing.id)
        return roles.new_role(row.organisation_id, role_type_id)

    def export(self) -> Optional[Path]:
        from ...core.errors import BonsJoursError
        from ...core.io.partners_io import format_of, role_matrix_bytes, write_file

        if self.matrix is None:
            return None
        slug = self.matrix.edition_name.lower().replace(" ", "-")
        path = ask_save_path(self, "Exporter la matrice des rôles", f"matrice-des-roles-{slug}.xlsx",
                             "Classeur Excel (*.xlsx);;CSV pour Excel (*.csv)")
        if path is None:
            return None
        try:
            fmt = format_of(path)
            if fmt == "vcf":
                raise BonsJoursError("La matrice des rôles s'exporte en .xlsx ou .csv.")
            write_file(path, role_matrix_bytes(self.matrix, fmt))
        except BonsJoursError as exc:
            from ..errors import show_error

            show_error(self, exc)
            return None
        self.summary.setText(f"Matrice exportée dans {path}.")
        return path


class RelaysPage(QWidget):
    """Directory booklets handed to relays (Maisons des solidarités, CCAS) for the edition."""

    def __init__(self, tab: "PartnersTab"):
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
        self.total.setText(f"Total : {total:,} annuaire(s) remis à {relays} relais".replace(",", "\u202f"))

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


class MeetingsPage(QWidget):
    """Meetings of the edition, with who was invited, who came and the minutes."""

    def __init__(self, tab: "PartnersTab"):
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


# --- the tab -------------------------------------------------------------------------------------


class PartnersTab(BaseTab):
    """Partner organisations, their contacts and what each one does in the current edition."""

    title = "Partenaires"
    tables = ("organisations", "contacts", "territories", "edition_roles", "role_types", "booklet_relays",
              "meetings", "meeting_attendees", "editions")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.organisations_page = OrganisationsPage(self)
        self.roles_page = RolesPage(self)
        self.matrix_page = MatrixPage(self)
        self.relays_page = RelaysPage(self)
        self.meetings_page = MeetingsPage(self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("partnersPages")
        self.pages.addTab(self.organisations_page, "Organisations et contacts")
        self.pages.addTab(self.roles_page, "Rôles de l'édition")
        self.pages.addTab(self.matrix_page, "Matrice des rôles")
        self.pages.addTab(self.relays_page, "Relais de l'annuaire")
        self.pages.addTab(self.meetings_page, "Réunions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.reload()

    # Kept for callers of the first version of the tab.
    @property
    def model(self) -> RowTableModel:
        return self.organisations_page.model

    def reload(self) -> None:
        for page in (self.organisations_page, self.roles_page, self.matrix_page, self.relays_page, self.meetings_page):
            page.reload()

    def show_page(self, title: str) -> QWidget:
        for index in range(self.pages.count()):
            if self.pages.tabText(index) == title:
                self.pages.setCurrentIndex(index)
                return self.pages.widget(index)
        raise KeyError(title)

    def navigate_to(self, payload) -> None:
        payload = payload or {}
        if "organisation_id" in payload:
            self.pages.setCurrentWidget(self.organisations_page)
            self.organisations_page._select_organisation(payload["organisation_id"])
        elif payload.get("page"):
            self.show_page(payload["page"])
