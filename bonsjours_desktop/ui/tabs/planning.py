"""Planning tab: the edition's retro-planning as a task table beside an interactive Gantt chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
)

from ...core import clock, working_days
from ...core.editions import list_editions
from ...core.errors import BonsJoursError
from ...core.formatting import date_abbr
from ...core.planning import (
    PlanningSnapshot,
    TaskRow,
    copy_planning_from_edition,
    create_planning_from_template,
    delete_tasks,
    ensure_builtin_template,
    list_owner_choices,
    list_phases,
    list_task_rows,
    list_templates,
    move_task,
    planning_snapshot,
    save_as_template,
)
from ..models.table import ROW_ROLE, Column, RowTableModel, SearchProxyModel
from ..collector import long_lived
from ..widgets.after_first_image import AfterFirstImage
from .base import BaseTab, make_table_view
from .planning_dialogs import TaskDialog
from ..widgets import kit

RIGHT = Qt.AlignRight | Qt.AlignVCenter
LATE_COLOUR = QColor("#c2410c")


def _late(row: TaskRow) -> bool:
    return row.is_late(clock.today())


COLUMNS = [
    Column[TaskRow]("Tâche", lambda r: ("◆ " if r.milestone else "") + r.title, tooltip=lambda r: r.notes or r.title,
                    foreground=lambda r: LATE_COLOUR if _late(r) else None),
    Column[TaskRow]("Début", lambda r: date_abbr(r.start), sort_key=lambda r: r.start),
    Column[TaskRow]("Fin", lambda r: date_abbr(r.end), sort_key=lambda r: r.end,
                    foreground=lambda r: LATE_COLOUR if _late(r) else None,
                    tooltip=lambda r: "En retard : la fin est passée et la tâche n'est pas terminée." if _late(r) else ""),
    Column[TaskRow]("Durée", lambda r: "jalon" if r.milestone else f"{r.duration_days} j",
                    sort_key=lambda r: r.duration_days, align=RIGHT),
    Column[TaskRow]("Ancrage", lambda r: r.anchor, sort_key=lambda r: (r.anchor_offset is None, r.start)),
    Column[TaskRow]("Responsable", lambda r: r.owner),
    Column[TaskRow]("Phase", lambda r: r.phase),
    Column[TaskRow]("Statut", lambda r: r.status),
    Column[TaskRow]("Avancement", lambda r: f"{r.progress} %", sort_key=lambda r: r.progress, align=RIGHT),
]

__all__ = ["PlanningTab", "list_task_rows"]

if TYPE_CHECKING:
    from ..widgets.gantt import GanttChart


class ChartSlot(QLabel):
    """The chart's place until it is built. The chart needs pyqtgraph (~250 ms to import at first use,
    the most of opening the tab at 10× scale): the tab's first image shows the table with this line, and
    the chart is built right after that image, while the tab is still shown (widgets/after_first_image)."""

    def __init__(self, job: AfterFirstImage, parent=None):
        super().__init__("Diagramme de Gantt en préparation…", parent)
        self.setObjectName("ganttPlaceholder")
        self.setAlignment(Qt.AlignCenter)
        self.setMinimumHeight(200)
        self._job = job

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self._job.painted()


def search_text(row: TaskRow) -> str:
    return " ".join((row.title, row.owner, row.phase, row.status, row.notes))


class PlanningTab(BaseTab):
    """Retro-planning of the current edition: table and Gantt chart kept in sync, templates, exports."""

    title = "Planning"
    tables = ("tasks", "task_dependencies", "event_days", "organisations", "editions", "settings")

    @long_lived()
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.snapshot: Optional[PlanningSnapshot] = None
        self._syncing = False

        self.summary = QLabel()
        self.summary.setObjectName("planningSummary")
        self.search = QLineEdit(placeholderText="Filtrer (titre, responsable, phase, statut)…")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(320)
        self.model = RowTableModel(COLUMNS, self)
        self.proxy = SearchProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.max_width = 280  # a long title is elided in the middle (whole in its tooltip): Fin stays in view
        self.view.setModel(self.proxy)
        self.view.sortByColumn(1, Qt.AscendingOrder)
        self._gantt: Optional[GanttChart] = None
        self._snap = False
        self._chart_job = AfterFirstImage(self, self._build_chart)
        self.chart_slot = ChartSlot(self._chart_job, self)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("planningToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        # Chart controls on a second bar so nothing hides in an overflow menu on a laptop screen.
        self.view_toolbar = QToolBar(self)
        self.view_toolbar.setObjectName("planningViewToolbar")
        self.view_toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self._build_actions()

        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.chart_slot)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        self.splitter = splitter

        top = QHBoxLayout()
        top.addWidget(self.toolbar)
        top.addStretch(1)
        top.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view_toolbar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self.proxy.set_search)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._table_selection_changed)

        self._splitter_fitted = False
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._splitter_fitted:
            self.fit_splitter()

    def fit_splitter(self) -> None:
        """Give the table the room of its Tâche, Début and Fin columns (at most 55 % of the width), and of
        Durée and Ancrage too on a wide screen (up to 40 %); the chart takes the rest. On a 1366 px screen
        the table's Fin column stays visible."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        wanted = max(self.view.columns_width(3), min(self.view.columns_width(5), int(total * 0.4)))
        table = min(wanted, int(total * 0.55))
        self.splitter.setSizes([table, total - table])
        self._splitter_fitted = True

    # -- toolbar ---------------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the Planning tab has focus, so other tabs keep their own Ctrl+N / Suppr.
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.toolbar
        self.new_action = self._action("Nouvelle tâche", self.new_task, QKeySequence.New, "Ajouter une tâche (Ctrl+N)")
        self.milestone_action = self._action("Nouveau jalon", self.new_milestone, "Ctrl+J", "Ajouter un jalon (Ctrl+J)")
        self.edit_action = self._action("Modifier", self.edit_selected, Qt.Key_Return, "Modifier la tâche choisie (Entrée)")
        self.delete_action = self._action("Supprimer", self.delete_selected, QKeySequence.Delete,
                                          "Supprimer les tâches choisies (Suppr)")
        for action in (self.new_action, self.milestone_action, self.edit_action, self.delete_action):
            bar.addAction(action)
        bar.addSeparator()

        templates = QToolButton(self)
        templates.setText("Modèles")
        templates.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(templates)
        self.template_action = menu.addAction("Créer le planning depuis un modèle…", self.create_from_template)
        self.copy_action = menu.addAction("Copier le planning d'une édition précédente…", self.copy_from_edition)
        self.save_template_action = menu.addAction("Enregistrer comme modèle…", self.save_as_template)
        templates.setMenu(menu)
        bar.addWidget(templates)
        bar.addSeparator()
        exports = QToolButton(self)
        exports.setText("Exporter")
        exports.setPopupMode(QToolButton.InstantPopup)
        export_menu = QMenu(exports)
        for fmt, paper, label in (("pdf", "a4", "PDF (A4 paysage, pour imprimer)…"),
                                  ("pdf", "a3", "PDF (A3 paysage, pour afficher)…"), ("png", "a4", "Image PNG…"),
                                  ("ics", "a4", "Agenda iCalendar (.ics)…"), ("csv", "a4", "Tableur CSV…")):
            export_menu.addAction(label, lambda fmt=fmt, paper=paper: self.export(fmt, paper=paper))
        exports.setMenu(export_menu)
        bar.addWidget(exports)

        bar = self.view_toolbar
        bar.addWidget(QLabel(" Zoom : "))
        self.zoom_actions = {}
        for level, label in (("semaine", "Semaine"), ("mois", "Mois"), ("trimestre", "Trimestre")):
            action = self._action(label, lambda level=level: self.gantt.zoom_to(level), tip=f"Échelle : {label.lower()}")
            bar.addAction(action)
            self.zoom_actions[level] = action
        bar.addAction(self._action("+", lambda: self.gantt.zoom_by(1.5), "Ctrl++", "Zoomer (Ctrl++ ou molette)"))
        bar.addAction(self._action("−", lambda: self.gantt.zoom_by(1 / 1.5), "Ctrl+-", "Dézoomer (Ctrl+- ou molette)"))
        bar.addAction(self._action("Tout voir", lambda: self.gantt.fit_all(), tip="Tout le planning"))
        bar.addAction(self._action("Aujourd'hui", lambda: self.gantt.show_today(), tip="Centrer sur aujourd'hui"))
        bar.addSeparator()

        bar.addWidget(QLabel(" Regrouper par : "))
        self.group_combo = QComboBox(self)
        self.group_combo.addItem("responsable", "owner")
        self.group_combo.addItem("phase", "phase")
        self.group_combo.addItem("aucun", "none")
        self.group_combo.currentIndexChanged.connect(lambda _i: self._chart_option(
            lambda chart: chart.set_group_by(self.group_combo.currentData())))
        bar.addWidget(self.group_combo)
        self.critical_check = QCheckBox("Chaîne critique")
        self.critical_check.setToolTip("Souligne en rouge l'enchaînement de tâches qui mène au jour de l'évènement.")
        self.critical_check.toggled.connect(lambda on: self._chart_option(lambda chart: chart.set_show_critical(on)))
        bar.addWidget(self.critical_check)

    # -- the chart, built after the tab's first image --------------------------------------------

    @property
    def gantt(self) -> GanttChart:
        """The Gantt chart, built now if it was not yet (whoever asks for it uses it)."""
        self._chart_job.cancel()
        self._build_chart()
        return self._gantt

    def chart_built(self) -> bool:
        return self._gantt is not None

    def _build_chart(self) -> None:
        if self._gantt is None:
            self._gantt = self._make_chart()

    def _make_chart(self) -> GanttChart:
        from ..widgets.gantt import GanttChart

        chart = GanttChart(self)
        chart.set_group_by(self.group_combo.currentData())
        chart.set_show_critical(self.critical_check.isChecked())
        chart.set_snap(self._snap)
        chart.taskClicked.connect(self._chart_clicked)
        chart.taskActivated.connect(self.edit_task)
        chart.taskMoved.connect(self.move_task)
        self.splitter.replaceWidget(1, chart)
        self.chart_slot.hide()
        self.chart_slot.deleteLater()
        chart.set_snapshot(self.snapshot, clock.today())
        chart.set_selected(set(self.selected_ids()))
        return chart

    def _chart_option(self, change) -> None:
        """A chart option changed (grouping, critical chain): applied now if the chart is built, else
        read from the controls when it is."""
        if self._gantt is not None:
            change(self._gantt)

    # -- data ------------------------------------------------------------------------------------

    @long_lived()
    def reload(self) -> None:
        edition_id = self.context.edition_id
        selected = self.selected_ids()
        if edition_id is None:
            self.snapshot = None
            self.model.set_rows([])
            if self._gantt is not None:
                self._gantt.set_snapshot(None, clock.today())
            self.summary.setText("Aucune édition : créez-en une par Fichier → « Nouvelle édition… » (Ctrl+E).")
            return
        snapshot = self.context.read(lambda s: planning_snapshot(s, edition_id))
        self._snap = self.context.read(working_days.snap_enabled)
        self.snapshot = snapshot
        self.model.set_rows(list(snapshot.tasks), search_text)
        if self._gantt is not None:
            self._gantt.set_snap(self._snap)
            self._gantt.set_snapshot(snapshot, clock.today())
        self._update_summary()
        self.select_tasks([i for i in selected if snapshot.task(i)], scroll=False)

    def _update_summary(self) -> None:
        snapshot = self.snapshot
        rows = snapshot.tasks
        milestones = sum(1 for r in rows if r.milestone)
        late = sum(1 for r in rows if r.is_late(clock.today()))
        days = ", ".join(date_abbr(d) for d in snapshot.event_days) or "pas encore fixés"
        parts = [f"{len(rows)} tâche(s), dont {milestones} jalon(s)"]
        if late:
            parts.append(f"{late} en retard")
        parts.append(f"jours de l'évènement : {days}")
        if not rows:
            parts.append("créez une tâche (Ctrl+N) ou partez d'un modèle (menu « Modèles »)")
        self.summary.setText(" · ".join(parts))

    def task_row(self, task_id: int) -> Optional[TaskRow]:
        return self.snapshot.task(task_id) if self.snapshot else None

    # -- selection in sync -----------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        ids = []
        for index in self.view.selectionModel().selectedRows():
            row = index.data(ROW_ROLE)
            if row is not None:
                ids.append(row.id)
        return ids

    def select_tasks(self, task_ids, scroll: bool = True) -> None:
        selection = QItemSelection()
        for task_id in task_ids:
            source_row = self.model.row_of(lambda r, task_id=task_id: r.id == task_id)
            if source_row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if index.isValid():
                selection.select(index, index)
        self.view.selectionModel().select(
            selection, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
        )
        if scroll and not selection.isEmpty():
            self.view.scrollTo(selection.indexes()[0])

    def _table_selection_changed(self, *_args) -> None:
        if self._gantt is None:
            return  # the chart takes the selection when it is built
        ids = self.selected_ids()
        self._gantt.set_selected(set(ids))
        if ids and not self._syncing:
            self._gantt.scroll_to_task(ids[0])

    def _chart_clicked(self, task_id: int, modifiers) -> None:
        self._syncing = True
        try:
            ids = self.selected_ids()
            if modifiers & Qt.ControlModifier:
                ids = [i for i in ids if i != task_id] if task_id in ids else ids + [task_id]
            else:
                ids = [task_id]
            self.select_tasks(ids)
        finally:
            self._syncing = False

    def navigate_to(self, payload) -> None:
        task_id = (payload or {}).get("task_id")
        if task_id is not None:
            self.select_tasks([task_id])

    # -- editing ---------------------------------------------------------------------------------

    def make_dialog(self, task: Optional[TaskRow], milestone: bool = False) -> TaskDialog:
        owners = self.context.read(list_owner_choices)
        phases = self.context.read(lambda s: list_phases(s))
        first = self.snapshot.first_day if self.snapshot else None
        today = clock.today()
        return TaskDialog(self.context, self, edition_id=self.context.edition_id, task=task, milestone=milestone,
                          first_day=first, owners=owners, phases=phases,
                          other_tasks=self.snapshot.tasks if self.snapshot else (),
                          default_day=max(today, dt.date(today.year, 1, 1)))

    def _run_dialog(self, dialog: TaskDialog) -> bool:
        # The dialog saves itself on accept (and stays open on a validation error).
        return dialog.exec() == QDialog.Accepted

    def new_task(self, milestone: bool = False) -> None:
        if self.context.edition_id is None:
            QMessageBox.information(self, "Planning", "Choisissez d'abord une édition dans la barre du haut.")
            return
        self._run_dialog(self.make_dialog(None, milestone))

    def new_milestone(self) -> None:
        self.new_task(milestone=True)

    def edit_task(self, task_id: int) -> None:
        task = self.task_row(task_id)
        if task is not None:
            self._run_dialog(self.make_dialog(task))

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.edit_task(ids[0])

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self.task_row(i) for i in ids if self.task_row(i)]
        links = sum(
            1 for d in (self.snapshot.dependencies if self.snapshot else ())
            if d.predecessor_id in ids or d.successor_id in ids
        )
        what = f"la tâche « {rows[0].title} »" if len(rows) == 1 else f"ces {len(rows)} tâches"
        detail = f"\n\n{links} lien(s) de dépendance seront supprimés avec." if links else ""
        if kit.confirm(self, "Supprimer", f"Supprimer {what} ?{detail}\n\nVous pourrez annuler avec Ctrl+Z.",
                       "Supprimer", "Annuler"):
            description = f"Supprimer {what}"
            shots = [r.seen for r in rows]
            self.context.run(self, description[:90], lambda s: delete_tasks(s, shots), on_reload=self.reload)

    def move_task(self, task_id: int, start: dt.date, end: dt.date) -> None:
        """Called when a bar is dropped on the chart: one undoable operation (dependants pushed)."""
        task = self.task_row(task_id)
        title = task.title[:60] if task else str(task_id)
        verb = "Redimensionner" if task and start == task.start else "Déplacer"
        seen = task.seen if task else None
        changes = self.context.run(self, f"{verb} « {title} » ({date_abbr(start)} → {date_abbr(end)})",
                                   lambda s: move_task(s, task_id, start, end, expected=seen), on_reload=self.reload)
        if changes is None:
            self.reload()  # the bar goes back to where the task is in the base

    # -- templates -------------------------------------------------------------------------------

    def _confirm_replace(self, action: str) -> Optional[bool]:
        """False when the edition has no tasks; True to replace them; None to give up."""
        count = len(self.snapshot.tasks) if self.snapshot else 0
        if not count:
            return False
        replace = kit.confirm(
            self, action,
            f"L'édition a déjà {count} tâche(s). Les remplacer par le nouveau planning ?\n\n"
            "Elles seront supprimées avec leurs dépendances (annulable avec Ctrl+Z).", "Remplacer", "Annuler",
        )
        return True if replace else None

    def create_from_template(self) -> None:
        edition_id = self.context.edition_id
        if edition_id is None:
            return
        templates = self.context.read(list_templates)
        if not templates:
            # Nothing is saved before the choice is accepted: the built-in template is offered as it
            # would be, and created in the same operation (one undo entry) as the planning.
            from ...core.planning import BUILTIN_TEMPLATE_NAME, TemplateRow
            from ...core.planning_template import builtin_template_specs

            templates = [TemplateRow(0, BUILTIN_TEMPLATE_NAME, True, len(builtin_template_specs()))]
        labels = [f"{t.name} ({t.task_count} tâches)" for t in templates]
        label, ok = QInputDialog.getItem(self, "Créer le planning depuis un modèle", "Modèle :", labels, 0, False)
        if not ok or label not in labels:
            return
        template = templates[labels.index(label)]
        replace = self._confirm_replace("Créer le planning depuis un modèle")
        if replace is None:
            return
        self.context.run(self, f"Créer le planning depuis le modèle « {template.name} »",
                         lambda s: create_planning_from_template(
                             s, edition_id, template.id or ensure_builtin_template(s), replace=replace))

    def copy_from_edition(self) -> None:
        edition_id = self.context.edition_id
        if edition_id is None:
            return
        editions = [e for e in self.context.read(list_editions) if e.id != edition_id]
        if not editions:
            QMessageBox.information(self, "Copier un planning", "Il n'y a pas d'autre édition dont copier le planning.")
            return
        labels = [e.name for e in editions]
        label, ok = QInputDialog.getItem(self, "Copier le planning d'une édition précédente", "Édition :",
                                         labels, len(labels) - 1, False)
        if not ok or label not in labels:
            return
        source = editions[labels.index(label)]
        replace = self._confirm_replace("Copier le planning")
        if replace is None:
            return
        self.context.run(self, f"Copier le planning de « {source.name} »",
                         lambda s: copy_planning_from_edition(s, source.id, edition_id, replace=replace))

    def save_as_template(self) -> None:
        edition_id = self.context.edition_id
        if edition_id is None or self.snapshot is None:
            return
        name, ok = QInputDialog.getText(self, "Enregistrer comme modèle", "Nom du modèle :",
                                        text=f"Planning {self.snapshot.edition_name}")
        if not ok:
            return
        changes = self.context.run(self, f"Enregistrer le modèle « {name.strip()} »",
                                   lambda s: save_as_template(s, edition_id, name))
        if changes is not None:
            QMessageBox.information(self, "Enregistrer comme modèle",
                                    f"Modèle « {name.strip()} » enregistré ({len(self.snapshot.tasks)} tâches).")

    # -- exports ---------------------------------------------------------------------------------

    def export(self, fmt: str, path: Optional[str] = None, paper: str = "a4") -> Optional[Path]:
        if self.snapshot is None:
            return None
        filters = {"pdf": "PDF (*.pdf)", "png": "Image PNG (*.png)", "ics": "iCalendar (*.ics)", "csv": "CSV (*.csv)"}
        if path is None:
            suffix = "-A3" if fmt == "pdf" and paper == "a3" else ""
            suggested = f"planning-{self.snapshot.edition_name}{suffix}.{fmt}".replace(" ", "-")
            chosen = kit.save_file_as(self, "Exporter le planning", suggested, filters[fmt])
            if chosen is None:
                return None
            path = str(chosen)
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        from ..errors import show_error

        try:
            from ...render.gantt_print import export_planning

            export_planning(self.snapshot, target, fmt, clock.today(), self.gantt.group_by, self.gantt.show_critical,
                            paper=paper)
        except (BonsJoursError, OSError) as exc:
            show_error(self, exc if isinstance(exc, BonsJoursError) else BonsJoursError(
                f"Impossible d'écrire « {target} » : {exc.strerror or exc}."))
            return None
        self.summary.setText(f"Planning exporté : {target}")
        return target

