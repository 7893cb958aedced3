"""Fichier → Réglages… : the coordinator's département (maps, postal codes and EPCI follow it), the
territories' public names (what the directory and press kits print) and whether the planning's bars
land on working days when dragged."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import geo, working_days
from ..context import AppContext


class SettingsDialog(QDialog):
    """Choose the département; saved as one undoable operation."""

    def __init__(self, context: AppContext, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Réglages")
        self.departement_combo = QComboBox(objectName="departementCombo")
        self.departement_combo.setEditable(True)  # type "44" or "Loire" to find it
        self.departement_combo.setInsertPolicy(QComboBox.NoInsert)
        for dep in geo.departements():
            self.departement_combo.addItem(f"{dep.code} – {dep.name}", dep.code)
        current = context.read(geo.coordinator_departement)
        self.departement_combo.setCurrentIndex(self.departement_combo.findData(current))
        note = QLabel("La carte des boutiques, la couverture de l'annuaire, les codes postaux proposés et les "
                      "territoires (EPCI) déduits des communes suivent ce département.")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Département de la coordination :", self.departement_combo)
        self.territories = context.read(geo.territory_names)
        self.territory_table = QTableWidget(len(self.territories), 2, objectName="territoryTable")
        self.territory_table.setHorizontalHeaderLabels(["Territoire (nom officiel)", "Nom public (annuaire, presse)"])
        self.territory_table.verticalHeader().setVisible(False)
        self.territory_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.territory_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        for row, (_id, name, public) in enumerate(self.territories):
            official = QTableWidgetItem(name)
            official.setFlags(official.flags() & ~Qt.ItemIsEditable)
            self.territory_table.setItem(row, 0, official)
            self.territory_table.setItem(row, 1, QTableWidgetItem(public))
        self.snap_check = QCheckBox("Caler les tâches sur les jours ouvrés", objectName="snapWorkingDaysCheck")
        self.snap_check.setToolTip(
            "Planning : une barre déplacée à la souris se pose sur des jours ouvrés (du lundi au vendredi, "
            "hors jours fériés, ou un jour de l'évènement) : lâchée sur un samedi elle revient au vendredi, "
            "sur un dimanche elle va au lundi.")
        self.snap_check.setChecked(context.read(working_days.snap_enabled))
        snap_note = QLabel("Une barre du planning lâchée sur un samedi revient au vendredi, sur un dimanche va au "
                           "lundi ; les jours fériés sont sautés. Les dates tapées dans une tâche restent libres.")
        snap_note.setWordWrap(True)
        self.resize(720, 480)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Enregistrer")
        buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(QLabel("Noms publics des territoires (vide : le nom officiel est imprimé) :"))
        layout.addWidget(self.territory_table, 1)
        planning = QFormLayout()
        planning.addRow("Planning :", self.snap_check)
        layout.addLayout(planning)
        layout.addWidget(snap_note)
        layout.addWidget(buttons)

    def chosen_code(self) -> str:
        index = self.departement_combo.findText(self.departement_combo.currentText())
        if index >= 0:
            return self.departement_combo.itemData(index)
        # typed by hand: "44", "2a"…
        return self.departement_combo.currentText().split("–")[0].strip()

    def accept(self) -> None:
        code = self.chosen_code()
        public = {tid: self.territory_table.item(row, 1).text() for row, (tid, _n, _p) in enumerate(self.territories)}

        snap = self.snap_check.isChecked()

        def save(session):
            geo.set_coordinator_departement(session, code)
            geo.set_territory_public_names(session, public)
            if working_days.snap_enabled(session) != snap:
                working_days.set_snap_enabled(session, snap)

        changes = self.context.run(self, "Modifier les réglages", save)
        if changes is not None:
            super().accept()
