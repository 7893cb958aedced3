"""The editions manager: create, edit and delete editions with their event days, theme, status, envelope."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Callable, Optional

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.editions import (
    EditionDetail,
    animations_on_removed_days,
    create_edition,
    delete_edition,
    edition_detail,
    edition_impact,
    list_editions,
    update_edition,
)
from ...core.errors import BonsJoursError
from ...core.formatting import date_abbr, money
from ...core.models import EDITION_STATUSES
from ..context import AppContext
from ..errors import show_error
from . import kit

log = logging.getLogger(__name__)


class DayRow(QWidget):
    """One event day: a French date editor with a calendar and a button to remove it."""

    def __init__(self, day: dt.date, on_remove: Callable[[DayRow], None], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.edit = kit.DateEdit(day, self, display_format=kit.LONG_DATE_FORMAT)
        self.edit.setMinimumWidth(240)
        self.remove_button = QPushButton("Retirer", self)
        self.remove_button.setToolTip("Retirer ce jour d'évènement")
        self.remove_button.clicked.connect(lambda: on_remove(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.remove_button)

    def day(self) -> dt.date:
        return self.edit.value()


class EditionsDialog(QDialog):
    """List of editions on the left, the selected (or new) edition's form on the right."""

    def __init__(self, context: AppContext, parent: Optional[QWidget] = None, select: Optional[int] = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("editionsDialog")
        self.setWindowTitle("Éditions")
        self.resize(900, 540)
        self.edition_id: Optional[int] = None  # None: the form describes a new edition
        self.seen = None  # the edition as the form loaded it: saves and deletes are refused over a newer version
        self.last_created_id: Optional[int] = None
        self.day_rows: list[DayRow] = []
        self.dirty = False
        self._loading = False

        self.list = QListWidget(self)
        self.list.setObjectName("editionsList")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.new_button = QPushButton("Nouvelle édition", self)
        self.new_button.setToolTip("Créer une édition (Ctrl+N)")
        self.new_button.clicked.connect(self.new_edition)
        self.delete_button = QPushButton("Supprimer…", self)
        self.delete_button.setToolTip("Supprimer l'édition choisie et tout ce qui lui appartient (Suppr)")
        self.delete_button.clicked.connect(self.delete_current)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)

        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("ex. Novembre 2014")
        self.theme_edit = QLineEdit(self)
        self.theme_edit.setPlaceholderText("ex. Stop au gaspillage – Si on donnait une deuxième vie aux objets ?")
        self.status_combo = QComboBox(self)
        self.status_combo.addItems(EDITION_STATUSES)
        self.envelope_edit = QLineEdit(self)
        self.envelope_edit.setPlaceholderText("ex. 41 500,00 (facultatif)")
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setMaximumHeight(70)
        self.days_box = QVBoxLayout()
        self.days_box.setSpacing(4)
        self.add_day_button = QPushButton("Ajouter un jour", self)
        self.add_day_button.clicked.connect(lambda: self.add_day())
        days_widget = QWidget(self)
        days_layout = QVBoxLayout(days_widget)
        days_layout.setContentsMargins(0, 0, 0, 0)
        days_layout.addLayout(self.days_box)
        days_layout.addWidget(self.add_day_button, 0, Qt.AlignLeft)

        form = QFormLayout()
        form.addRow("&Nom :", self.name_edit)
        form.addRow("&Thème :", self.theme_edit)
        form.addRow("&Statut :", self.status_combo)
        form.addRow("Jours d'évènement :", days_widget)
        form.addRow("&Enveloppe budgétaire (€) :", self.envelope_edit)
        form.addRow("N&otes :", self.notes_edit)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("editionError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.info_label = QLabel(self)
        self.info_label.setObjectName("editionInfo")
        self.info_label.setWordWrap(True)
        self.save_button = QPushButton("Enregistrer", self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Enregistrer l'édition (Ctrl+S)")
        self.save_button.clicked.connect(self.save)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addLayout(form)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.info_label)
        right_layout.addStretch(1)
        right_layout.addWidget(self.save_button, 0, Qt.AlignRight)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 570])

        close_box = QDialogButtonBox(QDialogButtonBox.Close, self)
        close_box.button(QDialogButtonBox.Close).setText("Fermer")
        close_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close_box)

        for signal in (self.name_edit.textChanged, self.theme_edit.textChanged, self.envelope_edit.textChanged,
                       self.status_combo.currentIndexChanged, self.notes_edit.textChanged):
            signal.connect(self._mark_dirty)
        QShortcut(QKeySequence.New, self, activated=self.new_edition)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        delete_shortcut = QShortcut(QKeySequence.Delete, self.list, activated=self.delete_current)
        delete_shortcut.setContext(Qt.WidgetShortcut)

        self.reload(select)
        if self.list.count() == 0:
            self.new_edition()
        elif self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    # -- list ------------------------------------------------------------------------------------

    def reload(self, select: Optional[int] = None) -> None:
        summaries = self.context.read(list_editions)
        self.list.blockSignals(True)
        self.list.clear()
        for summary in summaries:
            days = " et ".join(date_abbr(d) for d in summary.days) or "dates à fixer"
            item = QListWidgetItem(f"{summary.name}\n{days}\n{summary.status} · {summary.shop_count} boutique(s)")
            item.setToolTip(item.text())
            item.setData(Qt.UserRole, summary.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        target = select if select is not None else self.edition_id
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.UserRole) == target:
                self.list.setCurrentRow(row)
                return

    def _on_current_changed(self, current: Optional[QListWidgetItem], _previous) -> None:
        if current is None:
            return
        wanted = current.data(Qt.UserRole)
        if not self.dirty:
            self.load_edition(wanted)
            return
        # Saving rebuilds the list: never inside the list's own signal. Stay put, then ask.
        self._select_quietly(self.edition_id)
        QTimer.singleShot(0, lambda: self.switch_to(wanted))

    def _select_quietly(self, edition_id: Optional[int]) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.UserRole) == edition_id:
                self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def switch_to(self, edition_id: int) -> None:
        """Show another edition, offering first to save the unsaved changes of this one."""
        if not self.confirm_leave():
            return
        self._select_quietly(edition_id)
        self.load_edition(edition_id)

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self.dirty = True

    def confirm_leave(self) -> bool:
        """True when the form may be left: nothing unsaved, saved now, or changes abandoned."""
        if not self.dirty:
            return True
        name = self.name_edit.text().strip() or "nouvelle édition"
        answer = QMessageBox.question(
            self,
            "Modifications non enregistrées",
            f"Enregistrer les modifications de l'édition « {name} » ?",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel,
            QMessageBox.Save,
        )
        if answer == QMessageBox.Save:
            return self.save() is not None
        if answer == QMessageBox.Discard:
            self.dirty = False
            return True
        return False

    def reject(self) -> None:
        if self.confirm_leave():
            super().reject()

    # -- form ------------------------------------------------------------------------------------

    def load_edition(self, edition_id: int) -> None:
        try:
            detail: EditionDetail = self.context.read(lambda s: edition_detail(s, edition_id))
        except BonsJoursError as exc:
            show_error(self, exc)
            return
        self._loading = True
        self.edition_id = detail.id
        self.seen = detail.seen  # saved and deleted against this version
        self.heading.setText(f"Édition « {detail.name} »")
        self.name_edit.setText(detail.name)
        self.theme_edit.setText(detail.theme)
        self.theme_edit.setCursorPosition(0)  # show the beginning of a long theme
        self.status_combo.setCurrentText(detail.status)
        self.envelope_edit.setText(money(detail.budget_envelope, symbol=False) if detail.budget_envelope is not None else "")
        self.notes_edit.setPlainText(detail.notes)
        self._set_days(detail.days)
        self._loading = False
        self.dirty = False
        self.error_label.clear()
        self.delete_button.setEnabled(True)

    def new_edition(self) -> None:
        """Empty form for a new edition, with a Wednesday and the following Saturday proposed."""
        if not self.confirm_leave():
            return
        self._loading = True
        self.edition_id = None
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.heading.setText("Nouvelle édition")
        self.name_edit.clear()
        self.theme_edit.clear()
        self.status_combo.setCurrentText("en préparation")
        self.envelope_edit.clear()
        self.notes_edit.clear()
        today = clock.today()
        wednesday = today + dt.timedelta(days=(2 - today.weekday()) % 7)
        self._set_days([wednesday, wednesday + dt.timedelta(days=3)])
        self._loading = False
        self.dirty = False
        self.error_label.clear()
        self.info_label.clear()
        self.delete_button.setEnabled(False)
        self.name_edit.setFocus()

    def _set_days(self, days) -> None:
        for row in self.day_rows:
            self.days_box.removeWidget(row)
            row.deleteLater()
        self.day_rows = []
        for day in days:
            self.add_day(day)

    def add_day(self, day: Optional[dt.date] = None) -> DayRow:
        if day is None:
            # The Saturday after a Wednesday is the usual second day; else the day after the last one.
            last = max((r.day() for r in self.day_rows), default=None)
            if last is None:
                day = clock.today()
            else:
                day = last + dt.timedelta(days=3 if last.weekday() == 2 else 1)
        row = DayRow(day, self.remove_day, self)
        row.edit.dateChanged.connect(self._mark_dirty)
        self.day_rows.append(row)
        self.days_box.addWidget(row)
        self._mark_dirty()
        return row

    def remove_day(self, row: DayRow) -> None:
        if row in self.day_rows:
            self.day_rows.remove(row)
            self.days_box.removeWidget(row)
            row.deleteLater()
            self._mark_dirty()

    def days(self) -> list[dt.date]:
        return [row.day() for row in self.day_rows]

    # -- operations ------------------------------------------------------------------------------

    def _run(self, description: str, action):
        """Run an operation through the one GUI path: a colleague's newer version offers « Recharger »,
        domain errors appear under the form, unexpected ones in a dialog."""
        self.error_label.clear()

        def show(exc: BaseException) -> bool:
            self.error_label.setText(str(exc) if not hasattr(exc, "errors") else "\n".join(exc.errors.values()))
            return True

        return self.context.run(self, description, action, on_reload=self._reload_current, on_error=show)

    def _reload_current(self) -> None:
        """After a refused save: the list and the edition as they are now in the base."""
        edition_id = self.edition_id
        self.reload(edition_id)
        if edition_id is not None:
            self.load_edition(edition_id)

    def save(self) -> Optional[int]:
        """Create or update the edition from the form; returns its id, None when refused."""
        values = dict(
            name=self.name_edit.text(),
            days=self.days(),
            theme=self.theme_edit.text(),
            status=self.status_combo.currentText(),
            budget_envelope=self.envelope_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )
        self.info_label.clear()
        if self.edition_id is None:
            changes = self._run(f"Créer l'édition « {values['name'].strip()} »", lambda s: create_edition(s, **values))
            if changes is None:
                return None
            self.dirty = False
            self.edition_id = changes.value
            self.last_created_id = changes.value
            self.info_label.setText("Édition créée.")
        else:
            edition_id = self.edition_id
            try:
                lost = self.context.read(lambda s: animations_on_removed_days(s, edition_id, values["days"]))
            except BonsJoursError as exc:
                self.error_label.setText(str(exc))
                return None
            if lost:
                if not kit.confirm(
                    self,
                    "Retirer des jours d'évènement",
                    f"Les jours retirés portent {lost} animation(s) de boutiques, qui seront supprimées.\n\n"
                    "Continuer ? (Ctrl+Z dans la fenêtre principale permet d'annuler.)", "Continuer", "Annuler",
                ):
                    return None
            seen = self.seen
            changes = self._run(
                f"Modifier l'édition « {values['name'].strip()} »",
                lambda s: update_edition(s, edition_id, **values, expected=seen),
            )
            if changes is None:
                return None
            self.dirty = False
            removed = changes.value or 0
            self.info_label.setText(
                "Édition enregistrée."
                + (f" {removed} animation(s) des jours retirés ont été supprimées." if removed else "")
            )
        self.reload(self.edition_id)
        self.load_edition(self.edition_id)
        return self.edition_id

    def delete_current(self) -> bool:
        """Delete the selected edition after a confirmation saying what goes with it."""
        if self.edition_id is None:
            return False
        edition_id = self.edition_id
        try:
            impact = self.context.read(lambda s: edition_impact(s, edition_id))
        except BonsJoursError as exc:
            show_error(self, exc)
            return False
        if not kit.confirm(
            self,
            "Supprimer l'édition",
            f"Supprimer l'édition « {impact.name} » ?\n\nSeront aussi supprimés : {impact.describe()}.\n\n"
            "Ctrl+Z dans la fenêtre principale permet d'annuler.", "Supprimer", "Annuler",
        ):
            return False
        seen = self.seen
        changes = self._run(f"Supprimer l'édition « {impact.name} »",
                            lambda s: delete_edition(s, edition_id, expected=seen))
        if changes is None:
            return False
        self.edition_id = None
        self.dirty = False
        self.reload()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.new_edition()
        self.info_label.setText(f"Édition « {impact.name} » supprimée.")
        return True
