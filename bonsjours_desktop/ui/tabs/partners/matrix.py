"""Matrice des rôles: organisations × role types, with their commitment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....core import partners as p
from ....core.models import ROLE_STATUSES
from ...models.table import Column
from ...widgets.partner_forms import (
    RoleDialog,
)
from ..base import make_table_view
from .common import (
    CENTER,
    STATUS_COLORS,
    STATUS_MARKS,
    FilterProxy,
    MatrixModel,
    StatusDelegate,
    ask_save_path,
    button,
    wrap_header,
)

if TYPE_CHECKING:
    from . import PartnersTab


class MatrixPage(QWidget):
    """Organisations × roles of the edition, to show at a kick-off meeting, exportable."""

    def __init__(self, tab: PartnersTab):
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
        from ....core.errors import BonsJoursError
        from ....core.io.partners_io import format_of, role_matrix_bytes, write_file

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
            from ...errors import show_error

            show_error(self, exc)
            return None
        self.summary.setText(f"Matrice exportée dans {path}.")
        return path
