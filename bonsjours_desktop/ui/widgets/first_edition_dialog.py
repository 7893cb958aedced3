"""« Créer ma première édition »: the welcome's short form (name, the two days, the envelope).

A Wednesday about two months ahead and the Saturday after it are proposed (the days of the case sheet);
the Saturday follows the Wednesday until the user changes it. Errors are shown under the form, the
dialog stays open, and nothing is saved (nor enters the undo history) before « Créer l'édition »."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core.formatting import month_year
from ..context import AppContext
from . import kit

LEAD_WEEKS = 8


def proposed_wednesday(today: dt.date) -> dt.date:
    day = today + dt.timedelta(weeks=LEAD_WEEKS)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


class FirstEditionDialog(QDialog):
    def __init__(self, context: AppContext, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.created_id: Optional[int] = None
        self.setWindowTitle("Créer ma première édition")
        wednesday = proposed_wednesday(clock.today())
        intro = QLabel(
            "Une édition, ce sont les journées de l'évènement dans les boutiques : en général un mercredi "
            "et le samedi qui suit. Tout se modifie ensuite par Fichier → « Éditions… ».", self)
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(month_year(wednesday).capitalize(), self)
        self.name_edit.setPlaceholderText("ex. Novembre 2014")
        self.first_day = kit.DateEdit(wednesday, self, display_format=kit.LONG_DATE_FORMAT)
        self.second_day = kit.DateEdit(wednesday + dt.timedelta(days=3), self, display_format=kit.LONG_DATE_FORMAT)
        self._second_follows = True
        self.first_day.dateChanged.connect(self._first_changed)
        self.second_day.dateChanged.connect(self._second_changed)
        self.envelope_edit = QLineEdit(self)
        self.envelope_edit.setPlaceholderText("ex. 30 000 (facultatif)")
        form = QFormLayout()
        form.addRow("Nom de l'édition :", self.name_edit)
        form.addRow("Premier jour :", self.first_day)
        form.addRow("Second jour :", self.second_day)
        form.addRow("Enveloppe budgétaire (€ TTC) :", self.envelope_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton("Créer l'édition", QDialogButtonBox.AcceptRole)
        self.buttons.addButton("Annuler", QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _first_changed(self, value: QDate) -> None:
        if self._second_follows:
            self.second_day.blockSignals(True)
            self.second_day.setDate(value.addDays(3))
            self.second_day.blockSignals(False)

    def _second_changed(self, _value: QDate) -> None:
        self._second_follows = False

    def days(self) -> list[dt.date]:
        return sorted({self.first_day.value(), self.second_day.value()})

    def create(self) -> None:
        from ...core.editions import create_edition

        name, days, envelope = self.name_edit.text(), self.days(), self.envelope_edit.text().strip() or None

        def show_in_place(exc: BaseException) -> bool:
            self.error_label.setText(str(exc))
            return True

        created: list[int] = []
        changes = self.context.run(
            self, f"Créer l'édition « {name.strip()} »",
            lambda s: created.append(create_edition(s, name, days, budget_envelope=envelope)),
            on_error=show_in_place,
        )
        if changes is None or not created:
            return
        self.created_id = created[0]
        self.accept()
