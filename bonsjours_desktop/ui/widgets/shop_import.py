"""Shop import dialog: preview of every row (what will be created or updated, and what is wrong)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ...core.io.shops_io import ImportPlan, RawTable, field_of_header, import_shops, plan_import
from ..context import AppContext
from ..models.table import Column, RowTableModel
from ..tabs.base import make_table_view


@dataclass(frozen=True)
class PreviewRow:
    """One line of the file as the preview shows it."""

    line: int
    action: str
    name: str
    commune: str
    network: str
    hours: str
    problem: str


ERROR_COLOUR = QColor("#c62828")

COLUMNS = [
    Column[PreviewRow]("Ligne", lambda r: str(r.line), sort_key=lambda r: r.line, align=Qt.AlignRight | Qt.AlignVCenter),
    Column[PreviewRow]("Action", lambda r: r.action,
                       foreground=lambda r: ERROR_COLOUR if r.problem else None),
    Column[PreviewRow]("Nom", lambda r: r.name),
    Column[PreviewRow]("Commune", lambda r: r.commune),
    Column[PreviewRow]("Réseau", lambda r: r.network),
    Column[PreviewRow]("Jours d'ouverture", lambda r: r.hours),
    Column[PreviewRow]("Problème", lambda r: r.problem, tooltip=lambda r: r.problem,
                       foreground=lambda r: ERROR_COLOUR),
]


def preview_rows(table: RawTable, plan: ImportPlan) -> list[PreviewRow]:
    problems: dict[int, list[str]] = {}
    for problem in plan.problems:
        where = f"« {problem.column} » : " if problem.column else ""
        problems.setdefault(problem.line, []).append(where + problem.message)
    planned = {row.line: row for row in plan.rows}
    # The first column of each kind wins, as in the import itself.
    index = {field_of_header(h): i for i, h in reversed(list(enumerate(table.headers)))}

    def cell(raw, key: str) -> str:
        i = index.get(key)
        return raw.cells[i] if i is not None and i < len(raw.cells) else ""

    result = []
    for raw in table.rows:
        row = planned.get(raw.line)
        if row is not None:
            hours = "; ".join(f"{d} {r}" for d, r in row.data.opening_hours.items())
            result.append(PreviewRow(raw.line, row.action, row.data.name, row.data.commune, row.data.network, hours, ""))
        else:
            result.append(PreviewRow(raw.line, "erreur", cell(raw, "name"), cell(raw, "commune"), cell(raw, "network"),
                                     cell(raw, "opening_hours"), " ; ".join(problems.get(raw.line, []))))
    return result


class ShopImportDialog(QDialog):
    """Shows what the file would do; the user imports the valid rows, or nothing."""

    def __init__(self, context: AppContext, table: RawTable, file_name: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.table = table
        self.result = None
        self.setObjectName("shopImportDialog")
        self.setWindowTitle(f"Importer des boutiques — {file_name}")
        self.resize(1100, 560)
        self.plan = context.read(lambda s: plan_import(s, table))

        summary = [f"Fichier lu : {table.description} ; {self.plan.total_rows} ligne(s) de données."]
        summary.append(f"{self.plan.created} boutique(s) à créer, {self.plan.updated} à mettre à jour "
                       "(même nom et même commune).")
        if self.plan.problems:
            summary.append(f"<span style='color:#c62828'><b>{len(self.plan.invalid_lines)} ligne(s) invalide(s)</b> "
                           "(détail ci-dessous) : elles ne seront pas importées.</span>")
        if self.plan.ignored_columns:
            summary.append("Colonnes ignorées : " + ", ".join(f"« {c} »" for c in self.plan.ignored_columns) + ".")
        if self.plan.new_territories:
            summary.append("Territoire(s) nouveau(x), créé(s) à l'import : " + ", ".join(self.plan.new_territories) + ".")
        self.summary = QLabel("<br>".join(summary), objectName="importSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.RichText)

        self.model = RowTableModel(COLUMNS, self)
        self.model.set_rows(preview_rows(table, self.plan))
        self.view = make_table_view(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        self.view.resizeColumnsToContents()
        for column, width in ((2, 300), (5, 220)):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), width))

        # Every problem in full, one per line, easy to copy into a message to whoever made the file.
        self.problems = QPlainTextEdit(objectName="importProblems", readOnly=True)
        self.problems.setPlainText("\n".join(p.sentence() for p in self.plan.problems))
        self.problems.setMaximumHeight(110)
        self.problems.setVisible(bool(self.plan.problems))

        self.buttons = QDialogButtonBox()
        valid = len(self.plan.rows)
        label = (f"Importer les {valid} ligne(s) valide(s)" if self.plan.problems else f"Importer ({valid} ligne(s))")
        self.import_button = QPushButton(label, objectName="importButton")
        self.import_button.setEnabled(valid > 0)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.addButton(self.import_button, QDialogButtonBox.AcceptRole)
        cancel = self.buttons.addButton("Ne rien importer", QDialogButtonBox.RejectRole)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def do_import(self) -> bool:
        """Import the valid rows in one undoable operation."""
        table = self.table
        changes = self.context.run(self, "Importer des boutiques",
                                   lambda s: import_shops(s, table, skip_invalid=True))
        if changes is None:
            return False
        self.result = changes.value
        self.accept()
        return True
