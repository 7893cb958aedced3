"""Participations tab: which shops take part in the current edition, their animations per day, their animator."""

from __future__ import annotations

import logging
from typing import Any, Callable, Optional

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.editions import list_editions
from ...core.errors import BonsJoursError
from ...core.formatting import date_abbr
from ...core.models import ANIMATION_CATEGORIES, PARTICIPATION_STATUSES
from ...core.participations import (
    AnimationInput,
    AnimationRow,
    EventDayRow,
    ParticipationDetail,
    ParticipationRow,
    animator_choices,
    copy_participations,
    copy_preview,
    list_event_days,
    list_participation_rows,
    participation_detail,
    set_participations,
    update_participation,
    weekday_name,
)
from ..context import AppContext
from ..errors import show_error
from ..models.table import Column, RowTableModel, SearchProxyModel
from ..collector import long_lived
from .base import BaseTab, make_table_view
from ..widgets import kit

log = logging.getLogger(__name__)

FILTERS = ["Toutes les boutiques", "Participantes", "Non participantes", "Avec une alerte"]
PREDICATES: list[Optional[Callable[[ParticipationRow], bool]]] = [
    None,
    lambda r: r.participates,
    lambda r: not r.participates,
    lambda r: r.participates and bool(r.warnings),
]
_DISPLAY, _DECORATION = int(Qt.DisplayRole.value), int(Qt.DecorationRole.value)
GREY = QBrush(QColor("#888888"))
WARNING_COLOUR = QBrush(QColor("#b35900"))


def search_text(row: ParticipationRow) -> str:
    return " ".join((row.shop_name, row.commune, row.network, row.territory, row.animator, row.status))


def _closed_text(row: ParticipationRow) -> str:
    if row.closed_days:
        names = " et ".join(dict.fromkeys(weekday_name(d) for d in row.closed_days))
        return f"Fermée le {names} : horaires à saisir" if row.participates else f"(fermée le {names})"
    if row.participates and row.warnings:
        return "Horaires à corriger"
    return ""


def _day_column(day: EventDayRow) -> Column[ParticipationRow]:
    return Column[ParticipationRow](
        date_abbr(day.day),
        lambda r, d=day.id: " ; ".join(
            " ".join(p for p in (a.hours(), a.category) if p) for a in r.animations_on(d)
        ),
        tooltip=lambda r, d=day.id: "\n".join(a.summary() for a in r.animations_on(d)),
    )


def build_columns(days: list[EventDayRow]) -> list[Column[ParticipationRow]]:
    columns: list[Column[ParticipationRow]] = [
        Column[ParticipationRow]("Participe", lambda r: "", sort_key=lambda r: (not r.participates, r.shop_name.casefold()),
                                 check=lambda r: r.participates),
        Column[ParticipationRow]("Boutique", lambda r: r.shop_name + ("" if r.shop_active else " (boutique fermée)"),
                                 tooltip=lambda r: f"{r.shop_name}\n{r.network} · {r.territory}".strip(" ·\n")),
        Column[ParticipationRow]("Commune", lambda r: r.commune),
        Column[ParticipationRow]("Statut", lambda r: r.status),
    ]
    columns.extend(_day_column(day) for day in days)
    columns.append(Column[ParticipationRow]("Animateur", lambda r: r.animator,
                                            tooltip=lambda r: "Animateur de prévention des déchets : " + r.animator
                                            if r.animator else ""))
    columns.append(
        Column[ParticipationRow](
            "Alertes",
            _closed_text,
            sort_key=lambda r: (not (r.participates and r.warnings), _closed_text(r)),
            tooltip=lambda r: "\n".join(r.warnings),
            foreground=lambda r: WARNING_COLOUR if r.participates else GREY,
        )
    )
    return columns


# The shared proxy re-filters with the Qt 6.10 API and reads row snapshots directly.
FilterProxy = SearchProxyModel


class ParticipationTableModel(RowTableModel[ParticipationRow]):
    """Rows of shops; the "Participe" column is a checkbox that asks the tab to (un)register the shop."""

    def __init__(self, on_check: Callable[[ParticipationRow, bool], None], parent=None):
        super().__init__([], parent)
        self.on_check = on_check
        self.warning_icon = QApplication.style().standardIcon(QStyle.SP_MessageBoxWarning)

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid() and self.columns[index.column()].check is not None:
            flags |= Qt.ItemIsUserCheckable
        return flags

    def data(self, index, role=_DISPLAY):
        # role as a plain int: comparing it with a Qt enum cost more than the rest of the call
        if role == _DECORATION and index.isValid() and index.column() == len(self.columns) - 1:
            row = self.row_at(index.row())
            return self.warning_icon if row.participates and row.warnings else None
        return super().data(index, role)

    def setData(self, index, value, role=Qt.EditRole) -> bool:  # noqa: N802 - Qt name
        if role != Qt.CheckStateRole or not index.isValid() or self.columns[index.column()].check is None:
            return False
        state = value.value if hasattr(value, "value") else int(value)
        self.on_check(self.row_at(index.row()), state == Qt.Checked.value)
        return True


def run_inline(context: AppContext, parent: QWidget, error_label: QLabel, description: str, action,
               on_reload: Optional[Callable[[], None]] = None):
    """Run an operation through AppContext.run; domain errors go to error_label (one line per field),
    a colleague's newer version offers « Recharger » (on_reload), others go to a dialog."""
    error_label.clear()

    def show(exc: BaseException) -> bool:
        messages = getattr(exc, "errors", None)
        error_label.setText("\n".join(messages.values()) if messages else str(exc))
        return True

    return context.run(parent, description, action, on_reload=on_reload, on_error=show)


class ParticipationEditor(QWidget):
    """Bottom panel: status, animator, notes and the animations per event day of one participation."""

    COLUMNS = ["Jour", "Catégorie", "Description", "Début", "Fin"]

    def __init__(self, tab: ParticipationsTab):
        super().__init__(tab)
        self.tab = tab
        self.context = tab.context
        self.setObjectName("participationEditor")
        self.row: Optional[ParticipationRow] = None
        self.detail: Optional[ParticipationDetail] = None
        self.dirty = False
        self._loading = False

        self.stack = QStackedWidget(self)
        # Page 0: nothing chosen.
        self.empty_label = QLabel("Choisissez une boutique dans la liste pour voir ou modifier sa participation.")
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.stack.addWidget(self.empty_label)
        # Page 1: the shop does not take part.
        absent = QWidget(self)
        self.absent_label = QLabel(absent)
        self.absent_label.setWordWrap(True)
        self.join_button = QPushButton("Inscrire cette boutique à l'édition", absent)
        self.join_button.clicked.connect(lambda: self.tab.set_selected_participation(True))
        absent_layout = QVBoxLayout(absent)
        absent_layout.addStretch(1)
        self.absent_label.setAlignment(Qt.AlignCenter)
        absent_layout.addWidget(self.absent_label)
        absent_layout.addWidget(self.join_button, 0, Qt.AlignCenter)
        absent_layout.addStretch(1)
        self.stack.addWidget(absent)
        # Page 2: the editor.
        editor = QWidget(self)
        self.heading = QLabel(editor)
        self.heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.warning_label = QLabel(editor)
        self.warning_label.setObjectName("participationWarnings")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b35900;")
        self.status_combo = QComboBox(editor)
        self.status_combo.addItems(PARTICIPATION_STATUSES)
        self.animator_combo = QComboBox(editor)
        self.animator_combo.setToolTip(
            "Les animateurs de prévention de l'EPCI de la boutique sont proposés en premier ; "
            "tout autre contact peut être choisi."
        )
        self.animator_combo.setMinimumContentsLength(24)
        self.notes_edit = QPlainTextEdit(editor)
        self.notes_edit.setPlaceholderText("Notes sur la participation…")
        form = QFormLayout()
        form.addRow("&Statut :", self.status_combo)
        form.addRow("A&nimateur prévention :", self.animator_combo)
        form.addRow("N&otes :", self.notes_edit)
        # Hours of each event day: empty = the weekly hours; "fermé" = does not take part that day.
        self.hours_form = QFormLayout()
        self.hours_edits: dict[int, QLineEdit] = {}

        self.animations = QTableWidget(0, len(self.COLUMNS), editor)
        self.animations.setObjectName("animationsTable")
        self.animations.setHorizontalHeaderLabels(self.COLUMNS)
        self.animations.verticalHeader().setVisible(False)
        self.animations.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.animations.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.animations.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.animations.setColumnWidth(0, 175)  # « mer. 20 janv. 2027 » whole beside the combo's arrow
        self.animations.setColumnWidth(1, 235)
        self.animations.setColumnWidth(3, 85)
        self.animations.setColumnWidth(4, 85)
        self.add_button = QPushButton("Ajouter une animation", editor)
        self.add_button.setToolTip("Ajouter une animation pour un jour d'évènement (Ctrl+Maj+A)")
        self.add_button.clicked.connect(lambda: self.add_animation_row())
        self.remove_button = QPushButton("Retirer l'animation", editor)
        self.remove_button.setToolTip("Retirer l'animation où se trouve le curseur")
        self.remove_button.clicked.connect(lambda: self.remove_animation_row())
        self.error_label = QLabel(editor)
        self.error_label.setObjectName("participationError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.save_button = QPushButton("Enregistrer", editor)
        self.save_button.setToolTip("Enregistrer la participation (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Abandonner les modifications", editor)
        self.revert_button.clicked.connect(self.revert)

        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.warning_label)
        left.addLayout(form, 1)
        hours_title = QLabel("Horaires les jours de l'évènement :", editor)
        hours_title.setToolTip("Vide : les horaires habituels de ce jour de la semaine. « fermé » : la boutique "
                               "ne participe pas ce jour-là. Sinon, ex. 09:30-12:00 14:00-18:00.")
        left.addWidget(hours_title)
        left.addLayout(self.hours_form)
        right = QVBoxLayout()
        right.addWidget(QLabel("Animations par jour d'évènement :", editor))
        right.addWidget(self.animations, 1)
        animation_buttons = QHBoxLayout()
        animation_buttons.addWidget(self.add_button)
        animation_buttons.addWidget(self.remove_button)
        animation_buttons.addStretch(1)
        right.addLayout(animation_buttons)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(columns, 1)
        editor_layout.addLayout(bottom)
        self.stack.addWidget(editor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.stack)

        self.status_combo.currentIndexChanged.connect(self._mark_dirty)
        self.animator_combo.currentIndexChanged.connect(self._mark_dirty)
        self.notes_edit.textChanged.connect(self._mark_dirty)
        save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        save_shortcut.setContext(Qt.WidgetWithChildrenShortcut)
        add_shortcut = QShortcut(QKeySequence("Ctrl+Shift+A"), self, activated=lambda: self.add_animation_row())
        add_shortcut.setContext(Qt.WidgetWithChildrenShortcut)
        self._update_buttons()

    # -- showing ---------------------------------------------------------------------------------

    def _mark_dirty(self, *_args) -> None:
        if not self._loading:
            self.dirty = True
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)

    def show_row(self, row: Optional[ParticipationRow], edition_name: str = "") -> None:
        """Show a shop's participation; unsaved edits of the same participation are kept."""
        if row is not None and self.dirty and self.row is not None and row.participation_id == self.row.participation_id:
            self.row = row
            self.warning_label.setText("\n".join(row.warnings))
            return
        self.row = row
        self.dirty = False
        self.error_label.clear()
        if row is None:
            self.detail = None
            self.stack.setCurrentIndex(0)
        elif not row.participates:
            self.detail = None
            self.absent_label.setText(f"« {row.shop_name} » ne participe pas à l'édition « {edition_name} ».")
            self.stack.setCurrentIndex(1)
        else:
            participation_id = row.participation_id
            try:
                self.detail = self.context.read(lambda s: participation_detail(s, participation_id))
                choices = self.context.read(lambda s: animator_choices(s, row.shop_id))
            except BonsJoursError as exc:
                show_error(self, exc)
                self.stack.setCurrentIndex(0)
                return
            self._fill(self.detail, choices)
            self.stack.setCurrentIndex(2)
        self._update_buttons()

    def _fill(self, detail: ParticipationDetail, choices) -> None:
        self._loading = True
        try:
            self.heading.setText(detail.shop_name)
            self.warning_label.setText("\n".join(detail.warnings))
            self.status_combo.setCurrentText(detail.status)
            self.animator_combo.clear()
            self.animator_combo.addItem("— aucun animateur —", None)
            local = [c for c in choices if c.local]
            others = [c for c in choices if not c.local]
            for choice in local:
                self.animator_combo.addItem(f"{choice.label} (EPCI de la boutique)", choice.id)
            if local and others:
                self.animator_combo.insertSeparator(self.animator_combo.count())
            for choice in others:
                self.animator_combo.addItem(choice.label, choice.id)
            index = self.animator_combo.findData(detail.animator_id) if detail.animator_id is not None else 0
            self.animator_combo.setCurrentIndex(max(index, 0))
            self.notes_edit.setPlainText(detail.notes)
            self.animations.setRowCount(0)
            for animation in detail.animations:
                self.add_animation_row(animation)
            self._fill_hours(detail.participation_id)
        finally:
            self._loading = False
        self.dirty = False

    def _fill_hours(self, participation_id: int) -> None:
        from ...core.event_hours import FROM_WEEKLY, NOT_OPEN, shop_day_hours

        while self.hours_form.rowCount():
            self.hours_form.removeRow(0)
        self.hours_edits = {}
        for event_day_id, hours in self.context.read(lambda s: shop_day_hours(s, participation_id)):
            edit = QLineEdit(self)
            edit.setObjectName(f"eventHours{event_day_id}")
            if hours.source == FROM_WEEKLY:
                edit.setPlaceholderText(f"habituels : {hours.text()}" if hours.opens
                                        else "normalement fermée : saisissez les horaires")
            else:
                edit.setText("fermé" if hours.source == NOT_OPEN else hours.text())
            edit.textChanged.connect(self._mark_dirty)
            self.hours_edits[event_day_id] = edit
            self.hours_form.addRow(date_abbr(hours.day) + " :", edit)

    def hours_inputs(self) -> dict[int, str]:
        return {event_day_id: edit.text() for event_day_id, edit in self.hours_edits.items()}

    # -- animation rows --------------------------------------------------------------------------

    def add_animation_row(self, animation: Optional[AnimationRow] = None) -> int:
        """Append an editable animation row (a new one goes on the first day without animation)."""
        if self.detail is None:
            return -1
        days = self.detail.event_days
        row = self.animations.rowCount()
        self.animations.insertRow(row)
        day_combo = QComboBox(self.animations)
        for day in days:
            day_combo.addItem(date_abbr(day.day), day.id)
        category_combo = QComboBox(self.animations)
        category_combo.addItems(ANIMATION_CATEGORIES)
        description = QLineEdit(self.animations)
        description.setPlaceholderText("ex. Musique et chansons en boutique")
        start = QLineEdit(self.animations)
        start.setPlaceholderText("14:00")
        end = QLineEdit(self.animations)
        end.setPlaceholderText("18:00")
        if animation is not None:
            index = day_combo.findData(animation.event_day_id) if animation.event_day_id is not None else -1
            if index < 0:
                day_combo.addItem("(jour retiré)", None)
                index = day_combo.count() - 1
            day_combo.setCurrentIndex(index)
            if category_combo.findText(animation.category) < 0:
                category_combo.addItem(animation.category)
            category_combo.setCurrentText(animation.category)
            description.setText(animation.description)
            description.setCursorPosition(0)  # show the beginning of a long description
            start.setText(animation.start_time)
            end.setText(animation.end_time)
        else:
            used = {self._widget(r, 0).currentData() for r in range(row)}
            free = [i for i, day in enumerate(days) if day.id not in used]
            day_combo.setCurrentIndex(free[0] if free else 0)
            category_combo.setCurrentText("autre")
        for column, widget in enumerate((day_combo, category_combo, description, start, end)):
            self.animations.setCellWidget(row, column, widget)
        for combo in (day_combo, category_combo):
            combo.currentIndexChanged.connect(self._mark_dirty)
        for edit in (description, start, end):
            edit.textChanged.connect(self._mark_dirty)
        if animation is None:
            self._mark_dirty()
            self.animations.setCurrentCell(row, 2)
            description.setFocus()
        return row

    def _widget(self, row: int, column: int) -> Any:
        return self.animations.cellWidget(row, column)

    def _focused_row(self) -> int:
        focus = QApplication.focusWidget()
        for row in range(self.animations.rowCount()):
            for column in range(len(self.COLUMNS)):
                widget = self._widget(row, column)
                if widget is not None and focus is not None and (widget is focus or widget.isAncestorOf(focus)):
                    return row
        return self.animations.currentRow()

    def remove_animation_row(self, row: Optional[int] = None) -> None:
        if row is None:
            row = self._focused_row()
        if row is None or row < 0:
            row = self.animations.rowCount() - 1
        if 0 <= row < self.animations.rowCount():
            self.animations.removeRow(row)
            self._mark_dirty()

    def animation_inputs(self) -> list[AnimationInput]:
        return [
            AnimationInput(
                event_day_id=self._widget(row, 0).currentData(),
                category=self._widget(row, 1).currentText(),
                description=self._widget(row, 2).text(),
                start_time=self._widget(row, 3).text(),
                end_time=self._widget(row, 4).text(),
            )
            for row in range(self.animations.rowCount())
        ]

    # -- saving ----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write status, animator, notes and animations in one undoable operation."""
        if self.detail is None or not self.dirty:
            return self.detail is not None
        participation_id, seen = self.detail.participation_id, self.detail.seen
        status = self.status_combo.currentText()
        animator_id = self.animator_combo.currentData()
        notes = self.notes_edit.toPlainText()
        animations = self.animation_inputs()
        hours = self.hours_inputs()

        def write(session):
            from ...core.event_hours import set_event_hours

            update_participation(session, participation_id, status=status, animator_id=animator_id, notes=notes,
                                 animations=animations, expected=seen)
            return [c.message for c in set_event_hours(session, participation_id, hours)]

        # Not dirty while the operation's changes reload the tab, so the saved values are shown.
        self.dirty = False
        changes = run_inline(
            self.context, self, self.error_label, f"Modifier la participation de « {self.detail.shop_name} »", write,
            on_reload=self._reload_after_conflict,
        )
        if changes is None:
            self.dirty = True
            self._update_buttons()
            return False
        self._update_buttons()
        self.tab.show_message("Participation enregistrée. " + " ".join(changes.value or []))
        return True

    def revert(self) -> None:
        self.dirty = False
        self.show_row(self.row, self.tab.edition_name)

    def _reload_after_conflict(self) -> None:
        """« Recharger » after a colleague's save: the participation as it is now, with its version."""
        self.dirty = False
        self.tab.reload()
        self.show_row(self.row, self.tab.edition_name)


class CopyParticipationsDialog(QDialog):
    """Choose the edition whose participations are copied into the current one; shows what will happen."""

    def __init__(self, context: AppContext, target_id: int, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.target_id = target_id
        self.setWindowTitle("Copier les participations d'une édition précédente")
        self.combo = QComboBox(self)
        for summary in context.read(list_editions):
            if summary.id != target_id:
                days = " et ".join(date_abbr(d) for d in summary.days) or "dates à fixer"
                self.combo.addItem(f"{summary.name} — {days} ({summary.shop_count} boutique(s))", summary.id)
        # The latest other edition is the most likely source.
        self.combo.setCurrentIndex(self.combo.count() - 1)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText("Copier")
        self.buttons.button(QDialogButtonBox.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Copier les boutiques participantes, leurs animations et leur animateur depuis :"))
        layout.addWidget(self.combo)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.combo.currentIndexChanged.connect(self._update_preview)
        self._update_preview()
        self.resize(560, 200)

    def source_id(self) -> Optional[int]:
        return self.combo.currentData()

    def _update_preview(self) -> None:
        source = self.source_id()
        if source is None:
            self.preview.setText("Aucune autre édition à copier.")
            self.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
            return
        preview = self.context.read(lambda s: copy_preview(s, source, self.target_id))
        if preview.to_copy:
            text = f"{preview.to_copy} boutique(s) seront ajoutées, au statut « pressentie »."
        else:
            text = "Aucune boutique à ajouter."
        if preview.already:
            text += f" {preview.already} boutique(s) déjà inscrites resteront telles quelles."
        if preview.inactive:
            text += f" {preview.inactive} boutique(s) fermées ne seront pas copiées."
        if preview.to_copy:
            text += " Les animations sont reportées sur les jours de l'édition dans l'ordre (1er jour → 1er jour…)."
        self.preview.setText(text)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(preview.to_copy > 0)


class ParticipationsTab(BaseTab):
    """The shops of the current edition: tick who takes part, plan their animations and animator."""

    title = "Participations"
    tables = ("participations", "animations", "shops", "event_days", "editions", "contacts", "organisations",
              "territories")

    @long_lived()
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.edition_name = ""
        self.days: list[EventDayRow] = []
        self._current_shop_id: Optional[int] = None
        self._restoring = False
        self._in_current_change = False

        self.edition_label = QLabel(self)
        self.edition_label.setObjectName("editionSummary")
        self.edition_label.setStyleSheet("font-weight: bold;")
        self.edition_label.setWordWrap(True)
        self.editions_button = QPushButton("Éditions…", self)
        self.editions_button.setToolTip("Créer, modifier ou supprimer des éditions et leurs jours d'évènement")
        self.editions_button.clicked.connect(self.open_editions)
        self.copy_button = QPushButton("Copier les participations d'une édition précédente…", self)
        self.copy_button.clicked.connect(self.open_copy)
        top = QHBoxLayout()
        top.addWidget(self.edition_label, 1)
        top.addWidget(self.editions_button)
        top.addWidget(self.copy_button)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Rechercher (boutique, commune, réseau, animateur)…")
        self.search.setClearButtonEnabled(True)
        self.filter_combo = QComboBox(self)
        self.filter_combo.addItems(FILTERS)
        self.count_label = QLabel(self)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.filter_combo)
        filters.addWidget(self.count_label)

        self.model = ParticipationTableModel(self._on_check, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = make_table_view(self)
        self.view.setObjectName("participationsView")
        self.view.setModel(self.proxy)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _index: self.focus_editor())
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.search.textChanged.connect(self._on_search)
        self.filter_combo.currentIndexChanged.connect(self._on_filter)

        self.editor = ParticipationEditor(self)
        splitter = QSplitter(Qt.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.editor)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 260])
        self.view.sortByColumn(1, Qt.AscendingOrder)

        self.message = QLabel(self)
        self.message.setObjectName("participationMessage")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self._columns_key: tuple = ()
        self.reload()

    # -- loading ---------------------------------------------------------------------------------

    @long_lived()
    def reload(self) -> None:
        edition_id = self.context.edition_id
        summary = next((s for s in self.context.read(list_editions) if s.id == edition_id), None)
        self.edition_name = summary.name if summary else ""
        self.days = self.context.read(lambda s: list_event_days(s, edition_id)) if edition_id is not None else []
        rows = self.context.read(lambda s: list_participation_rows(s, edition_id))
        key = tuple((d.id, d.day) for d in self.days)
        if key != self._columns_key or not self.model.columns:
            self._columns_key = key
            self.model.set_columns(build_columns(self.days))  # the view sizes the new columns itself
        selected = {r.shop_id for r in self.selected_rows()} if self.model.rowCount() else set()
        self._restoring = True
        try:
            self.model.set_rows(rows, search_text)
            self._restore_current()
            self._restore_selection(selected - {self._current_shop_id})
        finally:
            self._restoring = False
        if summary is None:
            self.edition_label.setText("Aucune édition : créez-en une par Fichier → « Nouvelle édition… » (Ctrl+E) ou le bouton « Éditions… ».")
        else:
            days = " et ".join(date_abbr(d) for d in summary.days) or "dates à fixer"
            self.edition_label.setText(f"Édition « {summary.name} » — {days} · {summary.status}")
        self.copy_button.setEnabled(summary is not None)
        self._update_count()

    def _restore_current(self) -> None:
        row = self.model.row_of(lambda r: r.shop_id == self._current_shop_id) if self._current_shop_id else -1
        if row < 0 and self.proxy.rowCount():
            # Nothing chosen yet: show the first shop rather than an empty editor.
            row = self.proxy.mapToSource(self.proxy.index(0, 1)).row()
            self._current_shop_id = self.model.row_at(row).shop_id
        if row < 0:
            self.editor.show_row(None)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 1))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.selectRow(index.row())
        self.editor.show_row(self.model.row_at(row), self.edition_name)

    def _restore_selection(self, shop_ids: set[int]) -> None:
        """Keep a multiple selection across reloads, so Espace can be pressed again on the same rows."""
        selection = self.view.selectionModel()
        for shop_id in shop_ids:
            row = self.model.row_of(lambda r, i=shop_id: r.shop_id == i)
            index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
            if index.isValid():
                selection.select(index, QItemSelectionModel.Select | QItemSelectionModel.Rows)

    def _update_count(self) -> None:
        rows = self.model.rows()
        participating = sum(r.participates for r in rows)
        alerts = sum(1 for r in rows if r.participates and r.warnings)
        text = f"{self.proxy.rowCount()} affichée(s) · {participating} participante(s) sur {len(rows)} boutique(s)"
        if alerts:
            text += f" · {alerts} alerte(s)"
        self.count_label.setText(text)

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _on_filter(self, index: int) -> None:
        self.proxy.set_predicate(PREDICATES[index])
        self._update_count()

    def show_message(self, text: str) -> None:
        self.message.setText(text.strip())

    # -- selection -------------------------------------------------------------------------------

    def row_at_proxy(self, proxy_row: int) -> ParticipationRow:
        return self.model.row_at(self.proxy.mapToSource(self.proxy.index(proxy_row, 0)).row())

    def selected_rows(self) -> list[ParticipationRow]:
        rows = {index.row() for index in self.view.selectionModel().selectedRows()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        return [self.row_at_proxy(r) for r in sorted(rows)]

    def select_shop(self, shop_id: int) -> bool:
        row = self.model.row_of(lambda r: r.shop_id == shop_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 1))
        if not index.isValid():
            self.search.clear()
            self.filter_combo.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, 1))
        self.view.setCurrentIndex(index)
        # Saving the previous participation may have reloaded the model: look the row up again.
        row = self.model.row_of(lambda r: r.shop_id == shop_id)
        index = self.proxy.mapFromSource(self.model.index(row, 1))
        if index.isValid():
            self.view.selectRow(index.row())
            self.view.scrollTo(index)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        row = self.row_at_proxy(current.row()) if current.isValid() else None
        if row is not None and row.shop_id == self._current_shop_id and self.editor.row is not None:
            return
        self._current_shop_id = row.shop_id if row is not None else None
        # Resetting the model inside the selection model's signal would pull the rug from under
        # the view: a save here defers the reload to the next turn of the event loop.
        self._in_current_change = True
        try:
            leave = self.maybe_save_editor(can_stay=True)
        finally:
            self._in_current_change = False
        if not leave:  # « Annuler »: stay on the participation being edited
            self._current_shop_id = self.editor.row.shop_id
            self._restoring = True
            try:
                self.select_shop(self.editor.row.shop_id)
            finally:
                self._restoring = False
            return
        self.editor.show_row(row, self.edition_name)

    def on_changes(self, changes) -> None:
        if self._in_current_change and changes.touches(*self.tables):
            QTimer.singleShot(0, lambda: BaseTab.on_changes(self, changes))
        else:
            super().on_changes(changes)

    def maybe_save_editor(self, can_stay: bool = False) -> bool:
        """Before the editor shows something else: offer to save its unsaved changes.

        Enregistrer / Ne pas enregistrer, and « Annuler » (stay) when can_stay: False then means
        the caller must leave the editor as it is."""
        if self.editor.dirty and self.editor.row is not None:
            buttons = QMessageBox.Save | QMessageBox.Discard
            if can_stay:
                buttons |= QMessageBox.Cancel
            answer = QMessageBox.question(
                self,
                "Modifications non enregistrées",
                f"Enregistrer les modifications de la participation de « {self.editor.row.shop_name} » ?",
                buttons,
                QMessageBox.Save,
            )
            if can_stay and answer not in (QMessageBox.Save, QMessageBox.Discard):
                return False
            if answer == QMessageBox.Save:
                self.editor.save()
            self.editor.dirty = False
        return True

    def on_edition_changed(self, edition_id) -> None:
        self.maybe_save_editor()
        self.refresh()

    def navigate_to(self, payload) -> None:
        shop_id = (payload or {}).get("shop_id") if isinstance(payload, dict) else None
        if shop_id is not None:
            self.select_shop(shop_id)

    def focus_editor(self) -> None:
        if self.editor.stack.currentIndex() == 2:
            self.editor.status_combo.setFocus()
        elif self.editor.stack.currentIndex() == 1:
            self.editor.join_button.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if watched is self.view and event.type() == QEvent.KeyPress:
            key = event.key()
            if key == Qt.Key_Space and not event.modifiers():
                self.toggle_selected()
                return True
            if key == Qt.Key_Delete:
                self.set_selected_participation(False)
                return True
            if key in (Qt.Key_Return, Qt.Key_Enter):
                self.focus_editor()
                return True
        return super().eventFilter(watched, event)

    # -- participation changes -------------------------------------------------------------------

    def _on_check(self, row: ParticipationRow, checked: bool) -> None:
        self._current_shop_id = row.shop_id
        self.set_participation([row], checked)

    def toggle_selected(self) -> None:
        """Espace: register the selected shops, or unregister them when all already take part."""
        rows = self.selected_rows()
        if rows:
            self.set_participation(rows, not all(r.participates for r in rows))

    def set_selected_participation(self, participates: bool) -> None:
        rows = self.selected_rows()
        if rows:
            self.set_participation(rows, participates)

    def set_participation(self, rows: list[ParticipationRow], participates: bool) -> bool:
        """(Un)register shops in one undoable operation; asks first when animations would go."""
        edition_id = self.context.edition_id
        if edition_id is None:
            return False
        targets = [r for r in rows if r.participates != participates]
        if not targets:
            return False
        names = f"« {targets[0].shop_name} »" if len(targets) == 1 else f"{len(targets)} boutiques"
        if not participates:
            animations = sum(len(r.animations) for r in targets)
            if animations:
                if not kit.confirm(
                    self,
                    "Retirer de l'édition",
                    f"Retirer {names} de l'édition « {self.edition_name} » ?\n\n"
                    f"{animations} animation(s) prévue(s) seront supprimées avec la participation.\n"
                    "Ctrl+Z permet d'annuler.", "Retirer", "Annuler",
                ):
                    return False
        if not self.maybe_save_editor(can_stay=True):
            return False
        shop_ids = [r.shop_id for r in targets]
        shots = [r.seen for r in targets]
        description = (
            f"Inscrire {names} à l'édition « {self.edition_name} »"
            if participates
            else f"Retirer {names} de l'édition « {self.edition_name} »"
        )
        changes = self.context.run(self, description, lambda s: set_participations(s, edition_id, shop_ids, participates,
                                                                                  expected=shots),
                                   on_reload=self.reload)
        if changes is None:
            return False
        warnings = changes.value or []
        self.show_message(description + (" — " + " ".join(warnings) if warnings else "") + " (Ctrl+Z pour annuler)")
        return True

    # -- dialogs ---------------------------------------------------------------------------------

    def open_editions(self) -> None:
        from ..widgets.editions_dialog import EditionsDialog

        main = self.window()
        if hasattr(main, "open_editions"):  # one way to the dialog, shared with Fichier → Éditions…
            main.open_editions()
            return
        dialog = EditionsDialog(self.context, self, select=self.context.edition_id)
        dialog.exec()
        self.after_editions_dialog(dialog)

    def after_editions_dialog(self, dialog) -> None:
        """Show a just-created edition in the main window's edition selector."""
        main = self.window()
        if dialog.last_created_id is not None and hasattr(main, "reload_editions"):
            main.reload_editions(select=dialog.last_created_id)

    def open_copy(self) -> None:
        if self.context.edition_id is None:
            return
        dialog = CopyParticipationsDialog(self.context, self.context.edition_id, self)
        if dialog.exec() == QDialog.Accepted and dialog.source_id() is not None:
            self.copy_from(dialog.source_id())

    def copy_from(self, source_id: int) -> Optional[int]:
        target_id = self.context.edition_id
        if target_id is None:
            return None
        changes = self.context.run(
            self, f"Copier les participations dans « {self.edition_name} »",
            lambda s: copy_participations(s, source_id, target_id),
        )
        if changes is None:
            return None
        self.show_message(f"{changes.value} participation(s) copiée(s) (Ctrl+Z pour annuler).")
        return changes.value
