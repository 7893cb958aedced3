"""Planning tab: the tasks and milestones of the current edition."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from ...core.formatting import date_abbr
from ...core.planning import TaskRow, list_task_rows
from ..models.table import Column, RowTableModel, SearchProxyModel
from .base import BaseTab, make_table_view

RIGHT = Qt.AlignRight | Qt.AlignVCenter

COLUMNS = [
    Column[TaskRow]("Tâche", lambda r: ("◆ " if r.milestone else "") + r.title),
    Column[TaskRow]("Début", lambda r: date_abbr(r.start), sort_key=lambda r: r.start),
    Column[TaskRow]("Fin", lambda r: date_abbr(r.end), sort_key=lambda r: r.end),
    Column[TaskRow]("Responsable", lambda r: r.owner),
    Column[TaskRow]("Phase", lambda r: r.phase),
    Column[TaskRow]("Statut", lambda r: r.status),
    Column[TaskRow]("Avancement", lambda r: f"{r.progress} %", sort_key=lambda r: r.progress, align=RIGHT),
]


class PlanningTab(BaseTab):
    """Retro-planning of the current edition."""

    title = "Planning"
    tables = ("tasks", "task_dependencies", "event_days", "organisations")

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.summary = QLabel()
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setModel(self.proxy)
        self.view.sortByColumn(1, Qt.AscendingOrder)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.reload()
        self.view.setColumnWidth(0, 460)

    def reload(self) -> None:
        edition_id = self.context.edition_id
        rows = self.context.read(lambda s: list_task_rows(s, edition_id)) if edition_id else []
        self.model.set_rows(rows)
        milestones = sum(1 for r in rows if r.milestone)
        self.summary.setText(f"{len(rows)} tâche(s), dont {milestones} jalon(s)" if edition_id else "Aucune édition choisie.")
