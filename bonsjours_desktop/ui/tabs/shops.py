"""Boutiques tab: the directory of shops with instant search."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from ...core.shops import ShopRow, list_shop_rows
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view


def _yes(value: bool) -> str:
    return "oui" if value else "non"


COLUMNS = [
    Column[ShopRow]("Nom", lambda r: r.name),
    Column[ShopRow]("Réseau", lambda r: r.network),
    Column[ShopRow]("Commune", lambda r: r.commune),
    Column[ShopRow]("Territoire", lambda r: r.territory),
    Column[ShopRow]("Adresse", lambda r: r.address),
    Column[ShopRow](
        "Peut communiquer",
        lambda r: _yes(r.may_promote),
        tooltip=lambda r: "" if r.may_promote else "Entreprise d'insertion : ne peut pas faire la promotion de sa boutique.",
    ),
    Column[ShopRow]("Participe", lambda r: _yes(r.participates)),
]


def search_text(row: ShopRow) -> str:
    return " ".join((row.name, row.commune, row.network, row.address, row.postal_code))


class ShopsTab(BaseTab):
    """The shops of the département, searchable and sortable."""

    title = "Boutiques"
    tables = ("shops", "participations", "territories")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.search = QLineEdit(placeholderText="Rechercher (nom, commune, réseau, adresse)…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        self.search.textChanged.connect(self._on_search)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.reload()
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(0, 320)

    def reload(self) -> None:
        rows = self.context.read(lambda s: list_shop_rows(s, self.context.edition_id))
        self.model.set_rows(rows, search_text)
        self._update_count()

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.proxy.rowCount()} boutique(s) sur {self.model.rowCount()}")

    def navigate_to(self, payload) -> None:
        shop_id = (payload or {}).get("shop_id")
        row = self.model.row_of(lambda r: r.id == shop_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.view.selectRow(index.row())
            self.view.scrollTo(index)
