"""Dialogs of the Planning tab: the task/milestone form (dates, anchor, owner, dependencies)."""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...core.errors import ValidationError
from ...core.formatting import date_abbr
from ...core.models import TASK_STATUSES
from ...core.planning import (
    OwnerChoice,
    TaskData,
    TaskRow,
    apply_offset,
    format_offset,
    offset_for,
    parse_offset,
    save_task,
    task_row,
)
from ..context import AppContext
from ..widgets import kit
from ..widgets.form_dialog import FormDialog


class TaskDialog(FormDialog):
    """Create or edit a task or milestone; saved through AppContext.run with the task's version, the core's
    messages under their fields. An anchor (« J-30 jours ») moves the dates when it is committed (field
    left, Entrée, « Enregistrer »), never while it is being typed."""

    def __init__(self, context: AppContext, parent: Optional[QWidget], *, edition_id: Optional[int],
                 task: Optional[TaskRow], milestone: bool, first_day: Optional[dt.date],
                 owners: Sequence[OwnerChoice], phases: Sequence[str], other_tasks: Sequence[TaskRow],
                 default_day: dt.date):
        is_milestone = task.milestone if task else milestone
        kind = "jalon" if is_milestone else "tâche"
        title = (f"Modifier le {kind}" if task and is_milestone else f"Modifier la {kind}" if task else
                 "Nouveau jalon" if is_milestone else "Nouvelle tâche")
        super().__init__(context, title, parent, object_name="taskDialog", minimum_width=720)
        self.edition_id = edition_id
        self.task = task
        self.seen = task.seen if task else None
        self.first_day = first_day

        self.title_edit = QLineEdit(task.title if task else "")
        self.title_edit.setPlaceholderText("ex. Réunion des animateurs de prévention des EPCI")
        self.milestone_check = QCheckBox("Jalon (un seul jour, affiché en losange)")
        self.milestone_check.setChecked(is_milestone)
        start = task.start if task else default_day
        self.start_edit = kit.DateEdit(start)
        self.end_edit = kit.DateEdit(task.end if task else start + dt.timedelta(days=0 if is_milestone else 13))
        self.anchor_edit = QLineEdit(task.anchor if task else "")
        self.anchor_edit.setPlaceholderText("ex. J-30 jours, J-13 mois, J+2 mois (vide : dates libres)")
        self.anchor_hint = QLabel()
        self.anchor_hint.setObjectName("anchorHint")
        self.anchor_hint.setWordWrap(True)
        self.anchor_hint.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        # Two lines kept whatever the hint says: the fields below never move.
        self.anchor_hint.setFixedHeight(self.anchor_hint.fontMetrics().lineSpacing() * 2 + 2)
        self.anchor_button = QPushButton("Ancrer à la date de début")
        self.anchor_button.setToolTip("Calcule le décalage entre le début et le 1er jour de l'évènement.")
        self.anchor_button.setEnabled(first_day is not None)
        self.owner_combo = QComboBox()
        self.owner_combo.addItem("(aucun)", None)
        for owner in owners:
            self.owner_combo.addItem(owner.name, owner.id)
            self.owner_combo.setItemData(self.owner_combo.count() - 1, owner.kind, Qt.ToolTipRole)
        if task and task.owner_id is not None:
            self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(task.owner_id)))
        self.phase_combo = QComboBox()
        self.phase_combo.setEditable(True)
        self.phase_combo.addItems(list(phases))
        self.phase_combo.setCurrentText(task.phase if task else "")
        self.status_combo = QComboBox()
        self.status_combo.addItems(TASK_STATUSES)
        self.status_combo.setCurrentText(task.status if task else TASK_STATUSES[0])
        self.progress_spin = QSpinBox()
        self.progress_spin.setRange(0, 100)
        self.progress_spin.setSuffix(" %")
        self.progress_spin.setValue(task.progress if task else 0)
        self.notes_edit = QPlainTextEdit(task.notes if task else "")
        self.notes_edit.setFixedHeight(70)

        # Predecessors: (task id, lag) rows.
        self.others = {t.id: t for t in other_tasks if not task or t.id != task.id}
        self.pred_table = QTableWidget(0, 2)
        self.pred_table.setHorizontalHeaderLabels(["Après la tâche", "Décalage (jours)"])
        self.pred_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.pred_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.pred_table.verticalHeader().setVisible(False)
        self.pred_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.pred_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.pred_table.setFixedHeight(110)
        self.pred_combo = QComboBox()
        self.pred_combo.setMinimumContentsLength(30)
        for other in sorted(self.others.values(), key=lambda t: (t.start, t.title)):
            self.pred_combo.addItem(f"{other.title} (fin {date_abbr(other.end)})", other.id)
        self.lag_spin = QSpinBox()
        self.lag_spin.setRange(-3650, 3650)
        self.lag_spin.setSuffix(" j")
        self.lag_spin.setToolTip("Jours entre la fin de la tâche précédente et le début de celle-ci (négatif : chevauchement).")
        add_button = QPushButton("Ajouter")
        remove_button = QPushButton("Retirer")
        add_button.clicked.connect(self._add_predecessor_from_inputs)
        remove_button.clicked.connect(self._remove_selected_predecessor)
        self._predecessors: list[tuple[int, int]] = list(task.predecessors) if task else []
        self._refresh_predecessors()

        form = self.form
        form.addRow("Titre :", self.field_box("title", self.title_edit))
        form.addRow("", self.milestone_check)
        dates = QHBoxLayout()
        dates.setContentsMargins(0, 0, 0, 0)
        dates.addWidget(self.start_edit)
        self.end_label = QLabel("fin :")
        dates.addWidget(self.end_label)
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        form.addRow("Début :", self.field_box("start", _row_widget(dates), shows=("end",)))
        anchor_row = QHBoxLayout()
        anchor_row.setContentsMargins(0, 0, 0, 0)
        anchor_row.addWidget(self.anchor_edit, 1)
        anchor_row.addWidget(self.anchor_button)
        form.addRow("Ancrage :", self.field_box("anchor", _row_widget(anchor_row), lines=2))
        form.addRow("", self.anchor_hint)
        form.addRow("Responsable :", self.field_box("owner", self.owner_combo))
        form.addRow("Phase :", self.phase_combo)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status_combo)
        status_row.addWidget(QLabel("avancement :"))
        status_row.addWidget(self.progress_spin)
        status_row.addStretch(1)
        form.addRow("Statut :", self.field_box("status", _row_widget(status_row), shows=("progress",)))
        form.addRow("Notes :", self.notes_edit)
        pred_inputs = QHBoxLayout()
        pred_inputs.setContentsMargins(0, 0, 0, 0)
        pred_inputs.addWidget(self.pred_combo, 1)
        pred_inputs.addWidget(self.lag_spin)
        pred_inputs.addWidget(add_button)
        pred_inputs.addWidget(remove_button)
        form.addRow("Dépendances :", self.pred_table)
        form.addRow("", self.field_box("predecessor", _row_widget(pred_inputs), shows=("lag", "predecessors")))
        # The red frame goes on the field itself, not on the row holding it.
        self.fields.update(title=self.title_edit, start=self.start_edit, end=self.end_edit, anchor=self.anchor_edit,
                           owner=self.owner_combo, status=self.status_combo, progress=self.progress_spin,
                           predecessor=self.pred_combo, lag=self.lag_spin)
        self.buttons.button(QDialogButtonBox.Save).setAutoDefault(False)
        self.buttons.button(QDialogButtonBox.Save).setDefault(False)

        self.milestone_check.toggled.connect(self._sync_enabled)
        self.anchor_edit.textEdited.connect(self._anchor_typed)
        self.anchor_edit.editingFinished.connect(self.commit_anchor)
        self.anchor_button.clicked.connect(self._anchor_to_start)
        self.status_combo.currentTextChanged.connect(self._status_changed)
        self._sync_enabled()

    # -- behaviour -------------------------------------------------------------------------------

    def _anchored_start(self) -> Optional[dt.date]:
        """The start the anchor gives; None without anchor or event day. Raises ValidationError (the core's
        message) when the anchor cannot be read."""
        text = self.anchor_edit.text().strip()
        if not text or self.first_day is None:
            return None
        offset, unit = parse_offset(text)
        return apply_offset(self.first_day, offset, unit)

    def _anchor_typed(self, _text: str) -> None:
        # Typing changes nothing yet (« J-3 » on the way to « J-30 » must not move the task): the dates and
        # the hint follow when the anchor is committed.
        self.set_error("anchor", "")

    def commit_anchor(self) -> bool:
        """Apply the anchor typed: the dates move to it, or its French message shows under it (dates kept).
        True when the anchor is readable (or empty)."""
        try:
            self._anchored_start()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        self.set_error("anchor", "")
        self._sync_enabled()
        return True

    def _sync_enabled(self, *_args) -> None:
        milestone = self.milestone_check.isChecked()
        self.end_edit.setVisible(not milestone)
        self.end_label.setVisible(not milestone)
        text = self.anchor_edit.text().strip()
        try:
            anchored = self._anchored_start()
        except ValidationError:
            anchored = None
        if not text:
            self.anchor_hint.setText(
                "Sans ancrage, la tâche garde ses dates quand celles de l'évènement changent."
                if self.first_day else "L'édition n'a pas encore de jour d'évènement : pas d'ancrage possible."
            )
            self.start_edit.setEnabled(True)
        elif self.first_day is None:
            self.anchor_hint.setText("L'édition n'a pas encore de jour d'évènement : pas d'ancrage possible.")
        elif anchored is None:
            self.anchor_hint.setText("Ancrage illisible : écrivez par exemple « J-13 mois », « J-30 jours » ou « J+2 mois ».")
        else:
            duration = self.end_edit.value() - self.start_edit.value()
            self.start_edit.set_value(anchored)
            self.end_edit.set_value(anchored + max(duration, dt.timedelta(0)))
            self.start_edit.setEnabled(False)
            self.anchor_hint.setText(
                f"Début le {date_abbr(anchored)}, à {text} du 1er jour de l'évènement ({date_abbr(self.first_day)}) ; "
                "la tâche suivra si les dates de l'évènement changent (tant qu'elle n'est pas terminée)."
            )

    def _anchor_to_start(self) -> None:
        if self.first_day is None:
            return
        offset, unit = offset_for(self.first_day, self.start_edit.value(), "jours")
        self.anchor_edit.setText(format_offset(offset, unit))
        self.commit_anchor()

    def _status_changed(self, status: str) -> None:
        if status == "terminée":
            self.progress_spin.setValue(100)

    def add_predecessor(self, task_id: int, lag: int = 0) -> None:
        self._predecessors = [(p, l) for p, l in self._predecessors if p != task_id] + [(task_id, int(lag))]
        self._refresh_predecessors()

    def _add_predecessor_from_inputs(self) -> None:
        task_id = self.pred_combo.currentData()
        if task_id is not None:
            self.add_predecessor(task_id, self.lag_spin.value())

    def _remove_selected_predecessor(self) -> None:
        rows = sorted({i.row() for i in self.pred_table.selectedIndexes()}, reverse=True)
        for row in rows:
            del self._predecessors[row]
        self._refresh_predecessors()

    def _refresh_predecessors(self) -> None:
        self.pred_table.setRowCount(len(self._predecessors))
        for row, (task_id, lag) in enumerate(self._predecessors):
            other = self.others.get(task_id)
            self.pred_table.setItem(row, 0, QTableWidgetItem(other.title if other else f"tâche n° {task_id}"))
            lag_item = QTableWidgetItem(f"{lag:+d}" if lag else "0")
            lag_item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.pred_table.setItem(row, 1, lag_item)

    def fill(self, task: TaskRow) -> None:
        """Show the task as it is now in the base (after another user changed it), with its version."""
        self.task = task
        self.seen = task.seen
        self.title_edit.setText(task.title)
        self.milestone_check.setChecked(task.milestone)
        self.start_edit.set_value(task.start)
        self.end_edit.set_value(task.end)
        self.anchor_edit.setText(task.anchor)
        self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(task.owner_id)))
        self.phase_combo.setCurrentText(task.phase)
        self.status_combo.setCurrentText(task.status)
        self.progress_spin.setValue(task.progress)
        self.notes_edit.setPlainText(task.notes)
        self._predecessors = list(task.predecessors)
        self._refresh_predecessors()
        self._sync_enabled()
        self.clear_errors()

    # -- result ----------------------------------------------------------------------------------

    def values(self) -> TaskData:
        milestone = self.milestone_check.isChecked()
        start = self.start_edit.value()
        end = start if milestone else self.end_edit.value()
        return TaskData(
            title=self.title_edit.text(), start=start, end=end, milestone=milestone,
            owner_id=self.owner_combo.currentData(), phase=self.phase_combo.currentText(),
            status=self.status_combo.currentText(), progress=self.progress_spin.value(),
            notes=self.notes_edit.toPlainText(), anchor=self.anchor_edit.text(),
            predecessors=list(self._predecessors),
        )

    # -- saving (FormDialog) ---------------------------------------------------------------------

    def data(self) -> TaskData:
        self.commit_anchor()  # « Enregistrer » commits an anchor still being typed
        return self.values()

    def description(self) -> str:
        verb = "Modifier" if self.task else "Ajouter"
        noun = "le jalon" if self.milestone_check.isChecked() else "la tâche"
        return f"{verb} {noun} « {self.title_edit.text().strip()[:60]} »"

    def write(self, session, data: TaskData):
        return save_task(session, self.edition_id, self.task.id if self.task else None, data, expected=self.seen)

    def record(self, session) -> Optional[TaskRow]:
        return task_row(session, self.task.id) if self.task else None

    def show_record(self, record: TaskRow) -> None:
        self.fill(record)


def _row_widget(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget
