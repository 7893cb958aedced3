"""Partenaires tab: the partner organisations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from ...core.partners import OrganisationRow, list_organisation_rows
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view

COLUMNS = [
    Column[OrganisationRow]("Organisation", lambda r: r.name),
    Column[OrganisationRow]("Type", lambda r: r.kind),
    Column[OrganisationRow]("Territoire", lambda r: r.territory),
    Column[OrganisationRow]("Commune", lambda r: r.commune),
    Column[OrganisationRow]("Contacts", lambda r: str(r.contact_count), sort_key=lambda r: r.contact_count,
                            align=Qt.AlignRight | Qt.AlignVCenter),
]


class PartnersTab(BaseTab):
    """Organisations taking part in the operation."""

    title = "Partenaires"
    tables = ("organisations", "contacts", "territories")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.search = QLineEdit(placeholderText="Rechercher une organisation…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        self.search.textChanged.connect(self.proxy.set_search)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.reload()
        self.view.setColumnWidth(0, 380)

    def reload(self) -> None:
        rows = self.context.read(list_organisation_rows)
        self.model.set_rows(rows, lambda r: f"{r.name} {r.kind} {r.territory} {r.commune}")
        self.count_label.setText(f"{len(rows)} organisation(s)")
