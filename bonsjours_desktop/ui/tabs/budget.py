"""Budget tab: the spending lines of the current edition and their totals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from ...core.budget import BudgetLineRow, list_line_rows, total_ttc
from ...core.formatting import money, rate
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view

RIGHT = Qt.AlignRight | Qt.AlignVCenter

COLUMNS = [
    Column[BudgetLineRow]("Catégorie", lambda r: r.category),
    Column[BudgetLineRow]("Libellé", lambda r: r.label + (" (frais généraux)" if r.is_overhead else "")),
    Column[BudgetLineRow]("Fournisseur", lambda r: r.supplier),
    Column[BudgetLineRow]("HT", lambda r: money(r.amount_ht), sort_key=lambda r: r.amount_ht, align=RIGHT),
    Column[BudgetLineRow]("TVA", lambda r: rate(r.vat_rate), sort_key=lambda r: r.vat_rate, align=RIGHT),
    Column[BudgetLineRow]("TTC", lambda r: money(r.amount_ttc), sort_key=lambda r: r.amount_ttc, align=RIGHT),
    Column[BudgetLineRow]("Statut", lambda r: r.status),
]


class BudgetTab(BaseTab):
    """Budget lines and totals of the current edition."""

    title = "Budget"
    tables = ("budget_lines", "budget_categories", "editions")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.totals = QLabel()
        self.totals.setObjectName("budgetTotals")
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        self.reload()
        self.view.setColumnWidth(1, 420)

    def reload(self) -> None:
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: list_line_rows(s, edition_id)) if edition_id else []
        self.model.set_rows(rows)
        overheads = total_ttc([r for r in rows if r.is_overhead], include_overheads=True)
        self.totals.setText(
            f"Total TTC : {money(total_ttc(rows))}   —   frais généraux (hors total) : {money(overheads)}"
        )
