"""Forms of the Partenaires tab: organisation, contact, role, booklet relay, meeting, role types.

Each form validates inline: core validators run when a field is left, and the core's ValidationError
on saving is shown under the field it names; the dialog stays open until the data is saved.
"""

from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core import partners as p
from ...core import validation as v
from ...core.errors import ValidationError
from ...core.models import CONTACT_CHANNELS, ORGANISATION_KINDS, ROLE_STATUSES
from ..context import AppContext
from . import kit
from .form_dialog import FormDialog

__all__ = ["FormDialog", "OrganisationDialog", "ContactDialog", "RoleDialog", "RelayDialog", "MeetingDialog",
           "RoleTypesDialog", "CopyRolesDialog", "fill_combo"]


def fill_combo(combo: QComboBox, items: list[tuple[Any, str]], current: Any = None) -> None:
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


def _text(text: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setFixedHeight(height)
    return edit


class OrganisationDialog(FormDialog):
    """New or existing organisation."""

    def __init__(self, context: AppContext, organisation_id: Optional[int] = None, parent=None):
        super().__init__(context, "Modifier l'organisation" if organisation_id else "Nouvelle organisation", parent)
        self.organisation_id = organisation_id
        d = context.read(self.record)
        self.seen = d.seen if d else None
        territories = context.read(p.list_territory_choices)
        self.add_field("name", "Nom *", _line(d.name if d else "", "ex. Emmaüs Angers"))
        kind = QComboBox()
        fill_combo(kind, [(k, k) for k in ORGANISATION_KINDS], d.kind if d else "autre")
        self.add_field("kind", "Type", kind)
        territory = QComboBox()
        fill_combo(territory, [(None, "(aucun)")] + territories, d.territory_id if d else None)
        self.add_field("territory_id", "Territoire", territory)
        self.add_field("address", "Adresse", _line(d.address if d else ""))
        self.add_field("postal_code", "Code postal", _line(d.postal_code if d else "", "49000"), v.postal_code)
        self.add_field("commune", "Commune", _line(d.commune if d else ""))
        self.add_field("website", "Site internet", _line(d.website if d else "", "www.exemple.fr"), v.website)
        self.add_field("email", "Courriel", _line(d.email if d else "", "nom@domaine.fr"), v.email)
        self.add_field("phone", "Téléphone", _line(d.phone if d else "", "02 41 00 00 00"), v.phone)
        self.add_field("notes", "Notes", _text(d.notes if d else ""))
        from ...core.logos import organisation_logo
        from .logo_field import LogoField

        # not one of self.fields: saved by its own service, in the same operation as the form
        self.logo_field = LogoField(self)
        if organisation_id:
            self.logo_field.load(context.read(lambda s: organisation_logo(s, organisation_id)))
        self.form.addRow("Logo", self.logo_field)

    def description(self) -> str:
        name = self.value("name").strip()
        return f"Modifier l'organisation « {name} »" if self.organisation_id else f"Ajouter l'organisation « {name} »"

    def record(self, session):
        return p.organisation_details(session, self.organisation_id) if self.organisation_id else None

    def write(self, session, data):
        from ...core.logos import set_organisation_logo

        if self.organisation_id:
            organisation_id = p.update_organisation(session, self.organisation_id, data, expected=self.seen)
        else:
            organisation_id = p.create_organisation(session, data)
        logo = self.logo_field
        if logo.changed:
            set_organisation_logo(session, organisation_id, logo.data, logo.file_name, expected=logo.seen)
        return organisation_id

    def show_domain_error(self, exc: BaseException) -> bool:
        if isinstance(exc, ValidationError) and "logo" in exc.errors:
            self.logo_field.set_error(exc.errors["logo"])
            return True
        return super().show_domain_error(exc)


class ContactDialog(FormDialog):
    """New or existing contact person."""

    def __init__(self, context: AppContext, contact_id: Optional[int] = None, organisation_id: Optional[int] = None,
                 parent=None):
        super().__init__(context, "Modifier le contact" if contact_id else "Nouveau contact", parent)
        self.contact_id = contact_id
        c = context.read(self.record)
        self.seen = c.seen if c else None
        organisations = [(o.id, o.name) for o in context.read(p.list_organisation_rows)]
        combo = QComboBox()
        fill_combo(combo, organisations, c.organisation_id if c else organisation_id)
        self.add_field("organisation_id", "Organisation *", combo)
        self.add_field("name", "Nom *", _line(c.name if c else "", "Prénom Nom"))
        self.add_field("function", "Fonction", _line(c.function if c else ""))
        self.add_field("email", "Courriel", _line(c.email if c else "", "nom@domaine.fr"), v.email)
        self.add_field("phone", "Téléphone", _line(c.phone if c else "", "02 41 00 00 00"), v.phone)
        channel = QComboBox()
        fill_combo(channel, [(k, k) for k in CONTACT_CHANNELS], c.preferred_channel if c else "courriel")
        self.add_field("preferred_channel", "Moyen préféré", channel)
        self.add_field("notes", "Notes", _text(c.notes if c else ""))

    def description(self) -> str:
        name = self.value("name").strip()
        return f"Modifier le contact « {name} »" if self.contact_id else f"Ajouter le contact « {name} »"

    def record(self, session):
        return p.contact_row(session, self.contact_id) if self.contact_id else None

    def write(self, session, data):
        if self.contact_id:
            return p.update_contact(session, self.contact_id, data, expected=self.seen)
        return p.create_contact(session, data)


class RoleDialog(FormDialog):
    """A role of an organisation in the current edition."""

    def __init__(self, context: AppContext, role_id: Optional[int] = None, *, organisation_id: Optional[int] = None,
                 role_type_id: Optional[int] = None, parent=None):
        super().__init__(context, "Modifier le rôle" if role_id else "Nouveau rôle", parent)
        self.role_id = role_id
        r = context.read(self.record)
        self.seen = r.seen if r else None
        self.edition_id = r.edition_id if r else context.edition_id
        self.contacts = context.read(p.list_contact_rows)
        organisation = QComboBox()
        fill_combo(organisation, [(o.id, o.name) for o in context.read(p.list_organisation_rows)],
                   r.organisation_id if r else organisation_id)
        self.add_field("organisation_id", "Organisation *", organisation)
        role_type = QComboBox()
        fill_combo(role_type, [(t.id, t.name) for t in context.read(p.list_role_types)],
                   r.role_type_id if r else role_type_id)
        self.add_field("role_type_id", "Rôle *", role_type)
        status = QComboBox()
        fill_combo(status, [(s, s) for s in ROLE_STATUSES], r.status if r else "invité")
        self.add_field("status", "Engagement", status)
        self.add_field("contact_id", "Contact", QComboBox())
        self.add_field("description", "Ce qu'elle fait", _text(r.description if r else ""))
        organisation.currentIndexChanged.connect(lambda _i: self._fill_contacts(None))
        self._fill_contacts(r.contact_id if r else None)

    def _fill_contacts(self, current: Optional[int]) -> None:
        organisation_id = self.value("organisation_id")
        items = [(c.id, f"{c.name} — {c.function}" if c.function else c.name)
                 for c in self.contacts if c.organisation_id == organisation_id]
        if current is None and items:
            current = items[0][0]
        fill_combo(self.fields["contact_id"], [(None, "(personne)")] + items, current)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "edition_id": self.edition_id}

    def description(self) -> str:
        combo: QComboBox = self.fields["organisation_id"]
        role: QComboBox = self.fields["role_type_id"]
        what = f"« {role.currentText()} » pour « {combo.currentText()} »"
        return f"Modifier le rôle {what}" if self.role_id else f"Ajouter le rôle {what}"

    def record(self, session):
        return p.role_row(session, self.role_id) if self.role_id else None

    def write(self, session, data):
        if self.role_id:
            return p.update_role(session, self.role_id, data, expected=self.seen)
        return p.create_role(session, data)


class RelayDialog(FormDialog):
    """Booklets handed to a relay for the current edition."""

    def __init__(self, context: AppContext, relay_id: Optional[int] = None, parent=None):
        super().__init__(context, "Modifier la remise d'annuaires" if relay_id else "Nouvelle remise d'annuaires", parent)
        self.relay_id = relay_id
        r = context.read(self.record)
        self.seen = r.seen if r else None
        self.edition_id = r.edition_id if r else context.edition_id
        organisations = context.read(p.list_organisation_rows)
        # Relays are usually Maisons des solidarités and CCAS: list them first.
        relay_kinds = ("Maison des solidarités", "CCAS", "collectivité/EPCI")
        organisations.sort(key=lambda o: (o.kind not in relay_kinds, v.fold(o.name)))
        combo = QComboBox()
        fill_combo(combo, [(o.id, o.name) for o in organisations], r.organisation_id if r else None)
        self.add_field("organisation_id", "Relais *", combo)
        self.add_field("quantity", "Nombre d'annuaires *", _line(str(r.quantity) if r else "", "ex. 150"), p.parse_quantity)
        date = kit.DateEdit(r.date if r else clock.today())
        self.add_field("date", "Date de remise", date)
        self.add_field("notes", "Notes", _text(r.notes if r else ""))

    def values(self) -> dict[str, Any]:
        return {**super().values(), "edition_id": self.edition_id}

    def description(self) -> str:
        return "Modifier la remise d'annuaires" if self.relay_id else "Ajouter une remise d'annuaires"

    def record(self, session):
        return p.booklet_relay_row(session, self.relay_id) if self.relay_id else None

    def write(self, session, data):
        if self.relay_id:
            return p.update_booklet_relay(session, self.relay_id, data, expected=self.seen)
        return p.create_booklet_relay(session, data)


class MeetingDialog(FormDialog):
    """A meeting: date, subject, minutes, and the organisations invited (and whether they came)."""

    def __init__(self, context: AppContext, meeting_id: Optional[int] = None, parent=None):
        super().__init__(context, "Modifier la réunion" if meeting_id else "Nouvelle réunion", parent)
        self.setMinimumSize(640, 640)
        self.meeting_id = meeting_id
        m = context.read(self.record)
        self.seen = m.seen if m else None
        self.edition_id = m.edition_id if m else context.edition_id
        date = kit.DateEdit(m.date if m else clock.today())
        self.add_field("date", "Date *", date)
        self.add_field("subject", "Objet *", _line(m.subject if m else "", "ex. Réunion de lancement"))
        self.add_field("minutes", "Compte rendu", _text(m.minutes if m else "", 110))
        organisations = context.read(p.list_organisation_rows)
        self.attendee_filter = QLineEdit(placeholderText="Filtrer les organisations…")
        self.attendee_filter.setClearButtonEnabled(True)
        self.attendees = QTableWidget(len(organisations), 3)
        self.attendees.setObjectName("attendeesTable")
        self.attendees.setHorizontalHeaderLabels(["Organisation", "Invitée", "Présente"])
        self.attendees.verticalHeader().setVisible(False)
        self.attendees.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for column in (1, 2):
            self.attendees.horizontalHeader().setSectionResizeMode(column, QHeaderView.Fixed)
            self.attendees.setColumnWidth(column, 110)
        self.attendees.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for row, organisation in enumerate(organisations):
            name = QTableWidgetItem(organisation.name)
            name.setData(Qt.UserRole, organisation.id)
            self.attendees.setItem(row, 0, name)
            for column in (1, 2):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Unchecked)
                self.attendees.setItem(row, column, item)
        self._show_attendees(m)
        self.attendees.itemChanged.connect(self._coherent)
        self.attendee_filter.textChanged.connect(self._filter)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.attendee_filter)
        column.addWidget(self.attendees)
        self.form.addRow("Invitations", box)

    def _show_attendees(self, m: Optional[p.MeetingRow]) -> None:
        invited = {a.organisation_id: a.attended for a in m.attendees} if m else {}
        self.attendees.blockSignals(True)
        for row in range(self.attendees.rowCount()):
            organisation_id = self.attendees.item(row, 0).data(Qt.UserRole)
            for column, checked in ((1, organisation_id in invited), (2, invited.get(organisation_id, False))):
                self.attendees.item(row, column).setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.attendees.blockSignals(False)

    def reload(self) -> None:
        super().reload()
        if self.buttons.button(QDialogButtonBox.Save).isEnabled():
            self._show_attendees(self.context.read(self.record))

    def _filter(self, text: str) -> None:
        needle = v.fold(text)
        for row in range(self.attendees.rowCount()):
            self.attendees.setRowHidden(row, bool(needle) and needle not in v.fold(self.attendees.item(row, 0).text()))

    def _coherent(self, item: QTableWidgetItem) -> None:
        # Present implies invited; not invited implies absent.
        row = item.row()
        invited, present = self.attendees.item(row, 1), self.attendees.item(row, 2)
        if invited is None or present is None:
            return
        self.attendees.blockSignals(True)
        if item.column() == 2 and present.checkState() == Qt.Checked:
            invited.setCheckState(Qt.Checked)
        if item.column() == 1 and invited.checkState() == Qt.Unchecked:
            present.setCheckState(Qt.Unchecked)
        self.attendees.blockSignals(False)

    def set_attendance(self, organisation_id: int, invited: bool, present: bool = False) -> None:
        for row in range(self.attendees.rowCount()):
            if self.attendees.item(row, 0).data(Qt.UserRole) == organisation_id:
                self.attendees.item(row, 1).setCheckState(Qt.Checked if invited else Qt.Unchecked)
                self.attendees.item(row, 2).setCheckState(Qt.Checked if present else Qt.Unchecked)

    def values(self) -> dict[str, Any]:
        attendees = {}
        for row in range(self.attendees.rowCount()):
            if self.attendees.item(row, 1).checkState() == Qt.Checked:
                attendees[self.attendees.item(row, 0).data(Qt.UserRole)] = self.attendees.item(row, 2).checkState() == Qt.Checked
        return {**super().values(), "edition_id": self.edition_id, "attendees": attendees}

    def description(self) -> str:
        subject = self.value("subject").strip()
        return f"Modifier la réunion « {subject} »" if self.meeting_id else f"Ajouter la réunion « {subject} »"

    def record(self, session):
        return p.meeting_row(session, self.meeting_id) if self.meeting_id else None

    def write(self, session, data):
        if self.meeting_id:
            return p.update_meeting(session, self.meeting_id, data, expected=self.seen)
        return p.create_meeting(session, data)


class RoleTypesDialog(QDialog):
    """The editable list of roles: add, rename, reorder, delete (each step undoable)."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Types de rôles")
        self.setMinimumSize(460, 420)
        self.list = QListWidget()
        self.name = QLineEdit(placeholderText="Nom du rôle")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet(kit.ERROR_STYLE)
        self.error.hide()
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Ajouter")
        self.rename_button = QPushButton("Renommer")
        self.up_button = QPushButton("Monter")
        self.down_button = QPushButton("Descendre")
        self.delete_button = QPushButton("Supprimer")
        for button in (self.add_button, self.rename_button, self.up_button, self.down_button, self.delete_button):
            buttons.addWidget(button)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.delete_button.clicked.connect(self.delete)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_checked)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Rôles que les partenaires peuvent tenir dans une édition (l'ordre est celui de la matrice) :"))
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Case cochée : les partenaires qui tiennent ce rôle reçoivent le dossier de presse "
                                "(décochez les rôles des services internes).", wordWrap=True))
        layout.addWidget(self.name)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.reload()

    def reload(self, select: Optional[int] = None) -> None:
        current = select if select is not None else self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.context.read(p.list_role_types):
            press = " — reçoit le dossier de presse" if row.receives_press_kit else ""
            item = QListWidgetItem(f"{row.name}  ({row.use_count} rôle(s) dans les éditions){press}")
            item.setData(Qt.UserRole, row.id)
            item.setData(Qt.UserRole + 1, row.name)
            item.setData(Qt.UserRole + 2, row.seen)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if row.receives_press_kit else Qt.Unchecked)
            item.setToolTip("Cochée : reçoit le dossier de presse")
            self.list.addItem(item)
            if row.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def current_id(self) -> Optional[int]:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item else None

    def _on_current(self, item, _previous=None) -> None:
        if item is not None:
            self.name.setText(item.data(Qt.UserRole + 1))

    def current_seen(self):
        item = self.list.currentItem()
        return item.data(Qt.UserRole + 2) if item else None

    def _on_checked(self, item: QListWidgetItem) -> None:
        role_type_id, name = item.data(Qt.UserRole), item.data(Qt.UserRole + 1)
        receives = item.checkState() == Qt.Checked
        description = (f"« {name} » reçoit le dossier de presse" if receives
                       else f"« {name} » ne reçoit plus le dossier de presse")
        seen = item.data(Qt.UserRole + 2)
        if self._run(description, lambda s: p.set_role_type_press_kit(s, role_type_id, receives, expected=seen)) is not None:
            self.reload(role_type_id)

    def _run(self, description: str, action) -> Optional[int]:
        self.error.hide()

        def show(exc: BaseException) -> bool:
            self.error.setText(" ".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc))
            self.error.show()
            return True

        changes = self.context.run(self, description, action, on_reload=self.reload, on_error=show)
        return changes.value if changes is not None else None

    def add(self) -> None:
        name = self.name.text()
        new_id = self._run(f"Ajouter le type de rôle « {name.strip()} »", lambda s: p.create_role_type(s, name))
        if new_id is not None:
            self.reload(new_id)

    def rename(self) -> None:
        role_type_id, name, shot = self.current_id(), self.name.text(), self.current_seen()
        if role_type_id is not None and self._run(f"Renommer le type de rôle en « {name.strip()} »",
                                                  lambda s: p.rename_role_type(s, role_type_id, name, expected=shot)) is not None:
            self.reload(role_type_id)

    def move(self, step: int) -> None:
        role_type_id, shot = self.current_id(), self.current_seen()
        if role_type_id is not None and self._run("Déplacer un type de rôle",
                                                  lambda s: p.move_role_type(s, role_type_id, step, expected=shot)) is not None:
            self.reload(role_type_id)

    def delete(self) -> None:
        role_type_id, shot = self.current_id(), self.current_seen()
        if role_type_id is not None and self._run(f"Supprimer le type de rôle « {self.name.text().strip()} »",
                                                  lambda s: p.delete_role_type(s, role_type_id, expected=shot)) is not None:
            self.reload()


class CopyRolesDialog(QDialog):
    """Choose the edition whose partners are invited again to the current edition."""

    def __init__(self, editions: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Reprendre les rôles d'une autre édition")
        self.combo = QComboBox()
        fill_combo(self.combo, editions)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Reprendre")
        buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Inviter à nouveau les partenaires de l'édition :"))
        layout.addWidget(self.combo)
        layout.addWidget(QLabel("Les rôles repris sont « invité » jusqu'à ce que le partenaire confirme."))
        layout.addWidget(buttons)
