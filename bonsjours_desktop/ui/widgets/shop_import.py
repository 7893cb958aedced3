"""Shop import dialog: preview of every row (what will be created or updated), every error and warning
in a sortable table (ligne, colonne, valeur, message), how the file was read, and the import on request.

Reading and checking a large file, then writing it, run in a worker thread behind a progress dialog with
« Annuler » (widgets/progress.py): the check holds no transaction, the write is one transaction, so a
cancel at any moment leaves the base as it was."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.formatting import count
from ...core.shops import format_opening_hours
from ...core.io.shops_io import (
    ImportCancelled,
    ImportPlan,
    RawTable,
    RowProblem,
    field_of_header,
    import_shops,
    load_import_context,
    plan_rows,
    read_table,
)
from ..context import AppContext
from .progress import run_with_progress
from ..models.table import Column, RowTableModel, SearchProxyModel
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
    warning: str = ""


ERROR_COLOUR = QColor("#c62828")
WARNING_COLOUR = QColor("#a15c00")

COLUMNS = [
    Column[PreviewRow]("Ligne", lambda r: str(r.line), sort_key=lambda r: r.line, align=Qt.AlignRight | Qt.AlignVCenter),
    Column[PreviewRow]("Action", lambda r: r.action,
                       foreground=lambda r: ERROR_COLOUR if r.problem else None),
    Column[PreviewRow]("Nom", lambda r: r.name),
    Column[PreviewRow]("Commune", lambda r: r.commune),
    Column[PreviewRow]("Réseau", lambda r: r.network),
    Column[PreviewRow]("Jours d'ouverture", lambda r: r.hours),
    Column[PreviewRow]("Problème", lambda r: r.problem or r.warning, tooltip=lambda r: r.problem or r.warning,
                       foreground=lambda r: ERROR_COLOUR if r.problem else WARNING_COLOUR),
]


def _level_colour(problem: RowProblem) -> QColor:
    return WARNING_COLOUR if problem.is_warning else ERROR_COLOUR


# Errors keep their row out of the import; warnings let it in (to look at afterwards).
ISSUE_COLUMNS = [
    Column[RowProblem]("Ligne", lambda p: str(p.line), sort_key=lambda p: (p.line, p.is_warning),
                       align=Qt.AlignRight | Qt.AlignVCenter),
    Column[RowProblem]("Niveau", lambda p: "avertissement" if p.is_warning else "erreur",
                       sort_key=lambda p: (p.is_warning, p.line), foreground=_level_colour),
    Column[RowProblem]("Colonne", lambda p: p.column),
    Column[RowProblem]("Valeur", lambda p: p.value.replace("\n", " ⏎ "), tooltip=lambda p: p.value),
    Column[RowProblem]("Message", lambda p: p.message, tooltip=lambda p: p.message, foreground=_level_colour),
]


def preview_rows(table: RawTable, plan: ImportPlan) -> list[PreviewRow]:
    problems: dict[int, list[str]] = {}
    for problem in plan.problems:
        where = f"« {problem.column} » : " if problem.column else ""
        problems.setdefault(problem.line, []).append(where + problem.message)
    warnings: dict[int, list[str]] = {}
    for warning in plan.warnings:
        where = f"« {warning.column} » : " if warning.column else ""
        warnings.setdefault(warning.line, []).append(where + warning.message)
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
            hours = format_opening_hours(row.clean.opening_hours)
            result.append(PreviewRow(raw.line, row.action, row.clean.name, row.clean.commune, row.clean.network, hours,
                                     "", " ; ".join(warnings.get(raw.line, []))))
        else:
            result.append(PreviewRow(raw.line, "erreur", cell(raw, "name"), cell(raw, "commune"), cell(raw, "network"),
                                     cell(raw, "opening_hours"), " ; ".join(problems.get(raw.line, []))))
    return result


class ShopImportDialog(QDialog):
    """Shows what the file would do; the user imports the valid rows, or nothing."""

    def __init__(self, context: AppContext, table: RawTable, file_name: str, parent: Optional[QWidget] = None,
                 plan: Optional[ImportPlan] = None):
        super().__init__(parent)
        self.context = context
        self.table = table
        self.result = None
        self.cancelled = False  # the user stopped the write: nothing was imported
        self.setObjectName("shopImportDialog")
        self.setWindowTitle(f"Importer des boutiques — {file_name}")
        self.resize(1100, 560)
        if plan is None:
            plan = plan_rows(context.read(lambda s: load_import_context(s, table)), table)
        self.plan = plan

        info = self.plan.read_info
        summary = [f"Fichier lu : {table.description} ; {count(self.plan.total_rows)} ligne(s) de données."]
        if info is not None:
            summary += info.sentences()[1:]  # sheet, header row, encoding when the reader says them
        summary.append(f"{count(self.plan.created)} boutique(s) à créer, {count(self.plan.updated)} à mettre à jour "
                       "(même nom et même commune).")
        if self.plan.problems:
            summary.append(f"<span style='color:#c62828'><b>{count(len(self.plan.invalid_lines))} ligne(s) invalide(s)</b> "
                           "(détail ci-dessous) : elles ne seront pas importées.</span>")
        if self.plan.warnings:
            summary.append(f"<span style='color:#a15c00'>{html.escape(self.plan.warnings_sentence())}</span>")
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
        self.view.setTextElideMode(Qt.ElideRight)  # « Problème » is a sentence: cut at its end (tooltip: whole)
        self.view.resizeColumnsToContents()
        for column, width in ((2, 300), (5, 220)):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), width))

        # Every error and warning, one per row, sortable by line, level or column.
        self.issues_model = RowTableModel(ISSUE_COLUMNS, self)
        self.issues_model.set_rows(list(self.plan.issues))
        self.issues_proxy = SearchProxyModel(self)
        self.issues_proxy.setSourceModel(self.issues_model)
        self.issues = make_table_view(self)
        self.issues.setObjectName("importIssues")
        self.issues.setTextElideMode(Qt.ElideRight)  # messages and values too
        self.issues.setModel(self.issues_proxy)
        self.issues.sortByColumn(0, Qt.AscendingOrder)
        self.issues.resizeColumnsToContents()
        for column, width in ((2, 180), (3, 260)):
            self.issues.setColumnWidth(column, min(self.issues.columnWidth(column), width))
        self.issues_title = QLabel(
            f"Erreurs et avertissements ({count(len(self.plan.issues))}) — cliquez sur un titre de colonne pour trier :",
            objectName="importIssuesTitle")
        issues_box = QWidget()
        issues_layout = QVBoxLayout(issues_box)
        issues_layout.setContentsMargins(0, 0, 0, 0)
        issues_layout.addWidget(self.issues_title)
        issues_layout.addWidget(self.issues)
        issues_box.setVisible(bool(self.plan.issues))

        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(issues_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.buttons = QDialogButtonBox()
        valid = len(self.plan.rows)
        label = (f"Importer les {count(valid)} ligne(s) valide(s)" if self.plan.problems else f"Importer ({count(valid)} ligne(s))")
        self.import_button = QPushButton(label, objectName="importButton")
        self.import_button.setEnabled(valid > 0)
        self.import_button.clicked.connect(lambda: self.do_import())  # not clicked(bool) into on_worker
        self.buttons.addButton(self.import_button, QDialogButtonBox.AcceptRole)
        cancel = self.buttons.addButton("Ne rien importer", QDialogButtonBox.RejectRole)
        cancel.clicked.connect(self.reject)
        # The whole report as text, to send to whoever made the file.
        self.copy_button = QPushButton("Copier le compte rendu", objectName="copyReport")
        self.copy_button.setEnabled(bool(self.plan.issues))
        self.copy_button.clicked.connect(self.copy_report)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        self.status = QLabel(objectName="importStatus", wordWrap=True)
        self.status.setStyleSheet("color: #a15c00; font-weight: bold")
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def report_text(self) -> str:
        return "\n".join(p.sentence() for p in self.plan.issues)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())

    def do_import(self, on_worker=None) -> bool:
        """Import the valid rows in one undoable operation, in a worker thread behind a progress dialog;
        « Annuler » rolls the write back. on_worker: see run_with_progress (tests)."""
        from ...core.errors import DatabaseBusyError
        from ...core.versions import ConcurrentEditError
        from ..context import ask_retry
        from ..errors import show_error

        table, plan, ops = self.table, self.plan, self.context.ops

        def work(progress):
            return ops.run("Importer des boutiques",
                           lambda s: import_shops(s, table, skip_invalid=True, plan=plan, progress=progress))

        while True:
            try:
                changes = run_with_progress(self, "Importer des boutiques", work, ImportCancelled,
                                            label="Écriture dans la base…", on_worker=on_worker)
            except ImportCancelled as exc:
                self.cancelled = True  # the dialog stays open: import again, or close it
                self.status.setText(str(exc))
                self.status.show()
                return False
            except DatabaseBusyError as exc:
                if ask_retry(self, exc):
                    continue
                return False
            except ConcurrentEditError as exc:
                # the base changed since the check: this preview is stale, the import is to be started again
                show_error(self, exc)
                self.reject()
                return False
            except Exception as exc:  # noqa: BLE001 - shown in French, never half-written
                show_error(self, exc)
                return False
            break
        self.result = changes.value
        self.accept()
        return True


def prepare_import(context: AppContext, path: str, parent: Optional[QWidget] = None,
                   on_worker=None) -> Optional[ShopImportDialog]:
    """Read and check the file in a worker thread behind a progress dialog (« Annuler » stops it; nothing
    is written either way), then build the preview dialog; None when cancelled. Errors (unreadable file…)
    are raised for the caller to show."""
    from pathlib import Path

    def work(progress):
        progress("Lecture du fichier", 0, 1)
        table = read_table(path)
        progress("Lecture de la base", 0, 1)
        known = context.read(lambda s: load_import_context(s, table))
        return table, plan_rows(known, table, progress)

    try:
        table, plan = run_with_progress(parent, "Vérifier le fichier", work, ImportCancelled,
                                        label=f"Lecture de {Path(path).name}…", on_worker=on_worker)
    except ImportCancelled:
        return None
    return ShopImportDialog(context, table, Path(path).name, parent, plan=plan)
