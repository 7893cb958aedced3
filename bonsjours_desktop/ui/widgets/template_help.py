"""« Aide sur les modèles » : the variables a Word template may use, with values from the chosen edition."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from ...core.documents.contexts import KIND_LABELS, Variable
from ..models.table import Column, RowTableModel, SearchProxyModel
from ..tabs.base import make_table_view

VARIABLE_COLUMNS = [
    Column[Variable]("Variable", lambda v: v.name, tooltip=lambda v: "{{ " + v.name.replace("[]", "") + " }}"),
    Column[Variable]("Description", lambda v: v.description),
    Column[Variable]("Exemple (édition choisie)", lambda v: v.example, tooltip=lambda v: v.example),
]

HOW_TO = ("Dans Word, écrivez <b>{{ edition.name }}</b> là où le nom de l'édition doit paraître. "
          "« shops[] » désigne une boutique de la liste : répétez un paragraphe avec "
          "<b>{%p for shop in shops %}</b> … {{ shop.name }} … <b>{%p endfor %}</b>, une ligne de tableau "
          "avec {%tr for … %}. Filtres : |date_long (mercredi 2 avril 2014), |date_short (02/04/2014), "
          "|money (41 500,00 €). Vérifiez ensuite votre modèle avec « Vérifier le modèle ».")


class TemplateHelpDialog(QDialog):
    """Non-modal: it stays open beside Word while the template is edited; follows the tab's document and edition."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Aide sur les modèles")
        self.setObjectName("templateHelp")
        self.resize(980, 620)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        how_to = QLabel(HOW_TO)
        how_to.setWordWrap(True)
        self.variables_model = RowTableModel(VARIABLE_COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.variables_model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(False)
        self.search = QLineEdit(placeholderText="Rechercher une variable…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("Fermer")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(how_to)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def show_variables(self, kind: str, edition_name: Optional[str], variables: list[Variable]) -> None:
        where = f"valeurs de l'édition « {edition_name} »" if edition_name else "aucune édition choisie"
        self.heading.setText(f"<b>{KIND_LABELS.get(kind, kind)}</b> — {len(variables)} variables ; exemples : {where}.")
        self.variables_model.set_rows(variables, lambda v: f"{v.name} {v.description} {v.example}")
        self.view.setColumnWidth(0, 260)
        self.view.setColumnWidth(1, 360)
