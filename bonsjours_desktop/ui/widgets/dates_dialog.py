"""Fichier → Concertation sur les dates… : candidates, the answers grid, the ranking, the choice.

Every change is one undoable operation (Ctrl+Z in the main window); the grid is coloured by answer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import clock
from ...core import concertation as cc
from ...core.editions import list_editions
from ...core.formatting import date_abbr
from ...core.models import Edition
from ...core.versions import snapshot
from ..context import AppContext
from . import kit

ANSWER_COLOURS = {"oui": "#2E7D32", "si besoin": "#E08A00", "non": "#C62828"}
FIXED_COLUMNS = ["Nom", "Commune", "Jours habituels"]
RESPONDENT_ROLE = Qt.UserRole + 1
SEEN_ROLE = Qt.UserRole + 2  # the answer as loaded: what the save checks a colleague did not change


def next_wednesday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(2 - today.weekday()) % 7 or 7)


class AnswerDelegate(QStyledItemDelegate):
    """A drop-down « — / oui / si besoin / non » in each answer cell."""

    CHOICES = ["", "oui", "si besoin", "non"]

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        combo = QComboBox(parent)
        combo.addItems(["—"] + self.CHOICES[1:])
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentIndex(max(0, self.CHOICES.index(index.data(Qt.EditRole) or "")))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, self.CHOICES[editor.currentIndex()], Qt.EditRole)

    def paint(self, painter, option, index):
        """The answer on its colour (painted here: the theme's style sheet would hide item backgrounds)."""
        colour = ANSWER_COLOURS.get(index.data(Qt.DisplayRole) or "")
        if not colour:
            super().paint(painter, option, index)
            return
        painter.save()
        painter.fillRect(option.rect.adjusted(1, 1, -1, -1), QColor(colour))
        painter.setPen(QColor("white"))
        painter.drawText(option.rect, Qt.AlignCenter, index.data(Qt.DisplayRole))
        painter.restore()


class DatesDialog(QDialog):
    def __init__(self, context: AppContext, parent: Optional[QWidget] = None, edition_id: Optional[int] = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Concertation sur les dates")
        self.resize(1300, 720)
        self.candidates: list[cc.Candidate] = []
        self._loading = False

        self.edition_combo = QComboBox()
        self.edition_combo.setAccessibleName("Édition")
        for summary in self.context.read(list_editions):
            self.edition_combo.addItem(summary.name, summary.id)
        if edition_id is not None and self.edition_combo.findData(edition_id) >= 0:
            self.edition_combo.setCurrentIndex(self.edition_combo.findData(edition_id))
        self.edition_combo.currentIndexChanged.connect(lambda _: self.reload())

        # Candidates: a Wednesday and the Saturday after it by default; any two days allowed.
        first = next_wednesday(clock.today())
        self.first_edit, self.second_edit = kit.DateEdit(first), kit.DateEdit(first + dt.timedelta(days=3))
        for edit, name in ((self.first_edit, "Premier jour"), (self.second_edit, "Second jour")):
            edit.setAccessibleName(name)
        self.first_edit.dateChanged.connect(self._follow_first_day)
        self.add_button = QPushButton("Proposer ces dates")
        self.add_button.clicked.connect(self.add_candidate)
        self.remove_button = QPushButton("Retirer le candidat…")
        self.remove_button.setToolTip("Retire le candidat de la colonne choisie, avec ses réponses")
        self.remove_button.clicked.connect(self.remove_candidate)

        self.grid = QTableWidget(0, 0)
        self.grid.setItemDelegate(QStyledItemDelegate(self.grid))
        self.grid.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.grid.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                  | QAbstractItemView.AnyKeyPressed)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setSortingEnabled(False)
        self.grid.itemChanged.connect(self._answer_edited)
        self.grid.setAccessibleName("Réponses des boutiques")

        self.ranking_list = QListWidget()
        self.ranking_list.setAccessibleName("Classement des candidats")
        self.ranking_list.setWordWrap(True)
        self.choose_button = QPushButton("Retenir ce candidat…")
        self.choose_button.setToolTip("Les jours du candidat deviennent ceux de l'édition ; le planning suit")
        self.choose_button.clicked.connect(self.choose_selected)
        self.ranking_list.itemDoubleClicked.connect(lambda _: self.choose_selected())

        self.form_button = QPushButton("Formulaire de réponse…")
        self.form_button.setToolTip("Classeur XLSX : une ligne par boutique, une liste oui / si besoin / non par candidat")
        self.form_button.clicked.connect(lambda: self.write_form())  # not clicked(bool) into path
        self.import_button = QPushButton("Importer les réponses…")
        self.import_button.clicked.connect(lambda: self.import_answers())
        self.status = QLabel()
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("Édition :"))
        top.addWidget(self.edition_combo, 1)
        candidates_box = QGroupBox("Dates candidates")
        candidates_layout = QHBoxLayout(candidates_box)
        candidates_layout.addWidget(QLabel("Jours :"))
        candidates_layout.addWidget(self.first_edit)
        candidates_layout.addWidget(QLabel("et"))
        candidates_layout.addWidget(self.second_edit)
        candidates_layout.addWidget(self.add_button)
        candidates_layout.addStretch(1)
        candidates_layout.addWidget(self.remove_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Réponses (double-clic ou frappe pour choisir oui / si besoin / non) :"))
        left_layout.addWidget(self.grid)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Classement (oui, puis si besoin, puis territoires couverts) :"))
        right_layout.addWidget(self.ranking_list, 1)
        right_layout.addWidget(self.choose_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([840, 310])

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.form_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(candidates_box)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+I"), self, activated=self.import_answers)
        # An undo in the main window (or a colleague's change picked up there) refreshes the grid.
        context.signals.changed.connect(self._on_changes)
        self.finished.connect(lambda _: context.signals.changed.disconnect(self._on_changes))
        self.reload()

    def _on_changes(self, changes) -> None:
        """Every operation (this dialog's, an undo, a colleague's change picked up) reloads the grid once."""
        if changes.touches("date_candidates", "date_answers", "shops", "editions", "event_days"):
            self.reload()

    # -- loading ---------------------------------------------------------------------------------

    @property
    def edition_id(self) -> Optional[int]:
        return self.edition_combo.currentData()

    def _follow_first_day(self, day: QDate) -> None:
        self.second_edit.setDate(day.addDays(3))

    def reload(self) -> None:
        edition_id = self.edition_id
        has_edition = edition_id is not None
        for widget in (self.add_button, self.form_button, self.import_button):
            widget.setEnabled(has_edition)
        if not has_edition:
            self.grid.setRowCount(0)
            self.status.setText("Créez d'abord une édition (Fichier → Nouvelle édition…).")
            return

        def load(session):
            return (cc.list_candidates(session, edition_id), cc.respondents(session, edition_id=edition_id),
                    cc.answers_grid(session, edition_id), cc.ranking(session, edition_id),
                    snapshot(session, Edition, edition_id))

        self.candidates, people, answers, ranked, self.edition_seen = self.context.read(load)
        self._loading = True
        try:
            self.grid.clear()
            self.grid.setColumnCount(len(FIXED_COLUMNS) + len(self.candidates))
            self.grid.setRowCount(len(people))
            for column, title in enumerate(FIXED_COLUMNS):
                self.grid.setHorizontalHeaderItem(column, QTableWidgetItem(title))
            for offset, candidate in enumerate(self.candidates):
                days = "\n".join(date_abbr(day).rsplit(" ", 1)[0] for day in candidate.days)
                header = QTableWidgetItem(f"{'⚠ ' if candidate.flags else ''}Choix {candidate.position}"
                                          f"{' (retenu)' if candidate.chosen else ''}\n{days}")
                header.setToolTip(candidate.label + "\n" + ("\n".join(candidate.flags)
                                                             or "Ni jour férié ni vacances scolaires"))
                self.grid.setHorizontalHeaderItem(len(FIXED_COLUMNS) + offset, header)
            for row, person in enumerate(people):
                for column, text in enumerate((person.name, person.commune, person.usual_days)):
                    item = QTableWidgetItem(text)
                    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                    item.setData(RESPONDENT_ROLE, person.key)
                    self.grid.setItem(row, column, item)
                for offset, candidate in enumerate(self.candidates):
                    seen = answers.get((person.key, candidate.position))
                    item = QTableWidgetItem(seen or "")
                    item.setData(RESPONDENT_ROLE, person.key)
                    item.setData(SEEN_ROLE, seen)
                    self._colour(item)
                    self.grid.setItem(row, len(FIXED_COLUMNS) + offset, item)
            for offset in range(len(self.candidates)):
                self.grid.setItemDelegateForColumn(len(FIXED_COLUMNS) + offset, AnswerDelegate(self.grid))
            header = self.grid.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.Interactive)
            header.setFixedHeight(28 + 18 * max((len(c.days) for c in self.candidates), default=0))
            self.grid.resizeColumnsToContents()
            self.grid.setColumnWidth(0, max(220, min(self.grid.columnWidth(0), 320)))
            for offset in range(len(self.candidates)):
                self.grid.setColumnWidth(len(FIXED_COLUMNS) + offset, 120)
        finally:
            self._loading = False
        self.ranking_list.clear()
        for rank, item in enumerate(ranked, start=1):
            text = f"{'⚠ ' if item.candidate.flags else ''}{rank}. {item.candidate.label}{' — retenu' if item.candidate.chosen else ''}\n{item.sentence()}"
            if item.cannot:
                text += "\nNe peuvent pas : " + ", ".join(item.cannot)
            entry = QListWidgetItem(text)
            entry.setData(Qt.UserRole, item.candidate.position)
            if item.candidate.flags:
                entry.setToolTip("\n".join(item.candidate.flags))
            self.ranking_list.addItem(entry)
        if ranked:
            self.ranking_list.setCurrentRow(0)
        self.choose_button.setEnabled(bool(ranked))
        self.remove_button.setEnabled(bool(self.candidates))
        if not self.candidates:
            self.status.setText("Aucune date candidate : choisissez deux jours et « Proposer ces dates ».")
        else:
            self.status.clear()
            # The next proposal starts a week after the last one (a Wednesday stays a Wednesday).
            last = max(day for candidate in self.candidates for day in candidate.days)
            first = min(self.candidates[-1].days) + dt.timedelta(days=7)
            if first <= last:
                first = last + dt.timedelta(days=(2 - last.weekday()) % 7 or 7)
            self.first_edit.set_value(first)

    def _colour(self, item: QTableWidgetItem) -> None:
        colour = ANSWER_COLOURS.get(item.text())
        item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
        item.setForeground(QBrush(QColor("white")) if colour else QBrush())
        item.setTextAlignment(Qt.AlignCenter)

    # -- editing ---------------------------------------------------------------------------------

    def _answer_edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() < len(FIXED_COLUMNS):
            return
        candidate = self.candidates[item.column() - len(FIXED_COLUMNS)]
        key = item.data(RESPONDENT_ROLE)
        answer = item.text() or None
        seen = item.data(SEEN_ROLE) or None
        name = self.grid.item(item.row(), 0).text()
        reloaded = []
        saved = self.context.run(self, f"Réponse de « {name} » pour le {candidate.label.split(' : ')[0].lower()} : "
                                       f"{answer or 'effacée'}",
                                 lambda s: cc.set_answer(s, candidate.id, key, answer, expected=seen),
                                 on_reload=lambda: reloaded.append(self.reload()))
        if saved is None and not reloaded:  # nothing saved: the cell shows what the base holds, not the typing
            self._loading = True
            try:
                item.setText(seen or "")
                self._colour(item)
            finally:
                self._loading = False

    def add_candidate(self) -> None:
        days = sorted({self.first_edit.value(), self.second_edit.value()})
        edition_id = self.edition_id
        changes = self.context.run(self, f"Proposer les dates {cc.candidate_label(days)}",
                                   lambda s: cc.propose_candidates(s, edition_id, [days]))
        if changes is not None:
            candidate = self.candidates[-1]
            self.status.setText(f"{candidate.label} proposé."
                                + (" Attention : " + " ; ".join(candidate.flags) + "." if candidate.flags else ""))

    def _selected_candidate(self) -> Optional[cc.Candidate]:
        column = self.grid.currentColumn()
        if column >= len(FIXED_COLUMNS):
            return self.candidates[column - len(FIXED_COLUMNS)]
        return None

    def remove_candidate(self) -> None:
        candidate = self._selected_candidate()
        if candidate is None:
            self.status.setText("Choisissez d'abord une cellule de la colonne du candidat à retirer.")
            return
        if not kit.confirm(self, "Retirer le candidat", f"Retirer « {candidate.label} » et ses réponses ?\n\n"
                           "(Ctrl+Z dans la fenêtre principale permet d'annuler.)", "Retirer", "Annuler"):
            return
        edition_id = self.edition_id
        if self.context.run(self, f"Retirer le candidat {candidate.label}",
                            lambda s: cc.remove_candidate(s, edition_id, candidate.position),
                            on_reload=self.reload) is None:
            return

    def choose_selected(self) -> None:
        entry = self.ranking_list.currentItem()
        if entry is None:
            return
        position = entry.data(Qt.UserRole)
        candidate = next(c for c in self.candidates if c.position == position)
        warning = ("\n\nAttention : " + " ; ".join(candidate.flags) + ".") if candidate.flags else ""
        if not kit.confirm(
            self, "Retenir les dates",
            f"Retenir {candidate.label} ?\n\nCes jours deviennent ceux de l'édition « "
            f"{self.edition_combo.currentText()} » ; les tâches ancrées du planning suivent.{warning}\n\n"
            "(Ctrl+Z dans la fenêtre principale permet d'annuler.)", "Retenir", "Annuler"):
            return
        edition_id, seen = self.edition_id, self.edition_seen
        changes = self.context.run(self, f"Choisir les dates {cc.candidate_label(candidate.days)}",
                                   lambda s: cc.choose_candidate(s, edition_id, position, expected=seen),
                                   on_reload=self.reload)
        if changes is not None:
            self.status.setText(f"Dates retenues : {cc.candidate_label(candidate.days)}."
                                + (f" {changes.value} animation(s) des jours retirés supprimée(s)."
                                   if changes.value else ""))

    # -- files -----------------------------------------------------------------------------------

    def write_form(self, path: Optional[str] = None) -> Optional[Path]:
        edition_id = self.edition_id
        if path is None:
            suggested = f"dates-{self.edition_combo.currentText()}.xlsx".replace("/", "-")
            chosen = kit.save_file_as(self, "Formulaire de réponse", suggested, "Classeur Excel (*.xlsx)")
            if chosen is None:
                return None
            path = str(chosen)
        from ..errors import show_error

        try:
            rows = self.context.read(lambda s: cc.write_reply_form(s, edition_id, Path(path)))
        except Exception as exc:  # noqa: BLE001 - shown in French; nothing half-written (atomic save)
            show_error(self, exc)
            return None
        self.status.setText(f"Formulaire écrit : {path} ({rows} ligne{'s' if rows > 1 else ''}).")
        return Path(path)

    def confirm_partial_import(self, imported: cc.AnswerImport) -> bool:
        """Some lines or cells could not be read: say so (details: each line) and ask to go on."""
        box = QMessageBox(QMessageBox.Warning, "Importer les réponses",
                          f"{len(imported.answers)} réponse(s) lisibles ; {len(imported.problems)} ligne(s) ou "
                          "cellule(s) laissées de côté (détails ci-dessous). Importer les réponses lisibles ?",
                          QMessageBox.Yes | QMessageBox.No, self)
        box.setDetailedText("\n".join(imported.problems))
        box.button(QMessageBox.Yes).setText("Importer")
        box.button(QMessageBox.No).setText("Annuler")
        return box.exec() == QMessageBox.Yes

    def import_answers(self, path: Optional[str] = None) -> Optional[int]:
        edition_id = self.edition_id
        if edition_id is None:
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Importer les réponses", "",
                                                  "Classeurs et CSV (*.xlsx *.csv);;Tous les fichiers (*)")
            if not path:
                return None
        from ..errors import show_error

        try:
            imported = self.context.read(lambda s: cc.read_answers(s, edition_id, path))
        except Exception as exc:  # noqa: BLE001 - a French message for a bad file
            show_error(self, exc)
            return None
        if imported.problems and not self.confirm_partial_import(imported):
            return None
        changes = self.context.run(self, "Importer les réponses sur les dates",
                                   lambda s: cc.apply_answers(s, edition_id, imported))
        if changes is None:
            return None
        self.status.setText(f"{changes.value} réponse(s) importée(s)"
                            + (f" ; {len(imported.problems)} problème(s) signalé(s)." if imported.problems else "."))
        return changes.value
