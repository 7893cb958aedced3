"""The main window: edition selector, lazily built tabs, undo/redo, theme, remembered state."""

from __future__ import annotations

import importlib
import logging
import threading
from typing import Optional

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from .. import __version__
from ..core import clock
from ..core.editions import EditionSummary, current_edition_id, list_editions
from ..core.formatting import date_abbr
from ..core.operations import Changes
from .context import AppContext
from .errors import show_error
from .tabs.base import BaseTab
from .settings import settings
from .widgets import kit

# (title shown, module in ui.tabs, class): the order of the tabs; each is built when first shown.
TAB_SPECS: list[tuple[str, str, str]] = [
    ("Tableau de bord", "dashboard", "DashboardTab"),
    ("Boutiques", "shops", "ShopsTab"),
    ("Participations", "participations", "ParticipationsTab"),
    ("Planning", "planning", "PlanningTab"),
    ("Partenaires", "partners", "PartnersTab"),
    ("Budget", "budget", "BudgetTab"),
    ("Logistique", "logistics", "LogisticsTab"),
    ("Bilan", "review", "ReviewTab"),
    ("Documents", "documents", "DocumentsTab"),
]




def window_title(db) -> str:
    """« Bons Jours — bonsjours.sqlite »: the file's name only (the full path is in the status bar)."""
    name = db.path.name if db.path is not None else db.display_name
    return f"Bons Jours — {name}"


class _DialogStyler(QObject):
    """Gives the window's theme to the dialogs created with the window as parent."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.ChildAdded:
            child = event.child()
            if isinstance(child, QWidget) and child.isWindow():
                from .theme import style_widget

                style_widget(child)
        return False


def prepare_map_in_background(departement_code: str) -> threading.Thread:
    """Build the département's map geometry in a thread (render.geo_map.prepare, ~25 ms with its imports)
    while the user looks at the window: static data, nothing to keep up to date, and the Boutiques tab's
    first map has it ready. A failure there is left to the map, which builds it again when shown and
    says what is wrong then."""

    def prepare() -> None:
        try:
            from ..render import geo_map

            geo_map.prepare(departement_code)
        except Exception:  # noqa: BLE001 - the map reports it when shown
            logging.getLogger(__name__).warning("Carte du département non préparée", exc_info=True)

    thread = threading.Thread(target=prepare, name="carte du département", daemon=True)
    thread.start()
    return thread


class MainWindow(QMainWindow):
    """Top-level window; owns the tabs and relays Changes from operations to them."""

    def __init__(self, context: AppContext, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.context = context
        self.setObjectName("mainWindow")
        self.setWindowTitle(window_title(context.db))
        self.setMinimumSize(900, 560)
        self.resize(1280, 720)
        self._tabs: dict[str, Optional[BaseTab]] = {}
        self.instance_lock = None  # the database file's lock, released when the window closes
        self._map_preparation = None  # the thread building the shops' map geometry (showEvent)

        self.tab_widget = QTabWidget(self)
        self.tab_widget.setDocumentMode(True)
        for title, _module, _cls in TAB_SPECS:
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder_{title}")
            self.tab_widget.addTab(placeholder, title)
            self._tabs[title] = None
        self.tab_widget.currentChanged.connect(self._ensure_current_tab)
        self.setCentralWidget(self.tab_widget)

        self._build_actions()
        self._build_toolbar()
        self.db_label = QLabel(f"Base : {context.db.display_name}")
        self.statusBar().addPermanentWidget(self.db_label)

        context.ops.listeners.append(self._relay_changes)
        context.signals.changed.connect(self._on_changes)
        context.signals.navigate.connect(self.navigate)

        self._style_pieces()
        summaries = self.context.read(list_editions)  # read once at start: the choice and the selector
        self.reload_editions(select=self._initial_edition(summaries), summaries=summaries)
        self._restore_state()
        self._ensure_current_tab(self.tab_widget.currentIndex())

    # -- theme -----------------------------------------------------------------------------------

    def _style_pieces(self) -> None:
        """The theme's style sheet on each piece of the window rather than on the window: a switch then
        re-styles what is shown, a hidden tab when it is next shown (see ui/theme.py)."""
        from .theme import style_widget

        style_widget(self.menuBar())
        style_widget(self.toolbar, extra=self._toolbar_rules)
        style_widget(self.statusBar())
        style_widget(self.tab_widget.tabBar())
        # Each tab page takes the theme when it is built (tab()); the empty placeholders need none.
        # A dialog made with the window as parent (message boxes, Réglages…) takes the theme too. Not
        # while the window builds its own pieces: QChildEvent.child() costs ~10 ms each in PySide. An
        # event filter (a child object, gone before the window's own destruction) rather than an
        # event() override: the override was called while the window was being deleted, and crashed.
        self._dialog_styler = _DialogStyler(self)
        self.installEventFilter(self._dialog_styler)

    # -- actions ---------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menu_file = self.menuBar().addMenu("&Fichier")
        self.action_new_edition = QAction("&Nouvelle édition…", self)
        self.action_new_edition.setShortcut(QKeySequence("Ctrl+E"))
        self.action_new_edition.setStatusTip("Créer une édition et ses journées")
        self.action_new_edition.triggered.connect(lambda: self.open_editions(new=True))
        menu_file.addAction(self.action_new_edition)
        self.action_editions = QAction("É&ditions…", self)
        self.action_editions.setStatusTip("Voir, modifier ou supprimer les éditions et leurs journées")
        self.action_editions.triggered.connect(lambda: self.open_editions())
        menu_file.addAction(self.action_editions)
        self.action_dates = QAction("Concertation sur les d&ates…", self)
        self.action_dates.setShortcut(QKeySequence("Ctrl+D"))
        self.action_dates.setStatusTip("Proposer des dates candidates, recueillir les réponses des boutiques, choisir")
        self.action_dates.triggered.connect(lambda: self.open_dates())
        menu_file.addAction(self.action_dates)
        self.action_settings = QAction("Ré&glages…", self)
        self.action_settings.setStatusTip("Département de la coordination (cartes, codes postaux, territoires)")
        self.action_settings.triggered.connect(self.open_settings)
        menu_file.addAction(self.action_settings)
        menu_file.addSeparator()
        self.action_open = QAction("&Ouvrir une base…", self)
        self.action_open.setShortcut(QKeySequence.Open)
        self.action_open.triggered.connect(self.open_dialog)
        menu_file.addAction(self.action_open)
        menu_file.addSeparator()
        self.action_backup_now = QAction("&Sauvegarder maintenant", self)
        self.action_backup_now.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.action_backup_now.triggered.connect(self.backup_now)
        menu_file.addAction(self.action_backup_now)
        self.action_backup = QAction("Enregistrer une &copie de la base…", self)
        self.action_backup.triggered.connect(self.save_backup_copy)
        menu_file.addAction(self.action_backup)
        self.action_restore = QAction("&Restaurer une sauvegarde…", self)
        self.action_restore.triggered.connect(self.restore_dialog)
        menu_file.addAction(self.action_restore)
        local = self.context.db.path is not None
        for action in (self.action_backup_now, self.action_backup, self.action_restore):
            action.setEnabled(local)
        menu_file.addSeparator()
        quit_action = QAction("&Quitter", self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        menu_file.addAction(quit_action)

        # « Modifier », not « Édition »: the toolbar's « Édition : » selector means an edition of the event.
        menu_edit = self.menuBar().addMenu("&Modifier")
        self.action_undo = QAction("Annuler", self)
        self.action_undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.action_undo.triggered.connect(self.undo)
        self.action_redo = QAction("Rétablir", self)
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.action_redo.triggered.connect(self.redo)
        menu_edit.addAction(self.action_undo)
        menu_edit.addAction(self.action_redo)

        menu_view = self.menuBar().addMenu("&Affichage")
        self.action_dark = QAction("Thème &sombre", self, checkable=True)
        self.action_dark.setChecked(settings().value("theme/dark", False, type=bool))
        self.action_dark.toggled.connect(self.set_dark_theme)
        menu_view.addAction(self.action_dark)
        for number, (title, _m, _c) in enumerate(TAB_SPECS, start=1):
            if number > 9:
                break
            action = QAction(f"Onglet « {title} »", self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, t=title: self.show_tab(t))
            menu_view.addAction(action)

        menu_help = self.menuBar().addMenu("Ai&de")  # Alt+A is « Affichage »
        about = QAction("À &propos de Bons Jours", self)
        about.triggered.connect(self.about)
        menu_help.addAction(about)
        self._update_undo_actions()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Édition en cours", self)
        toolbar.setObjectName("editionToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel("  Édition : "))
        self.edition_combo = QComboBox(self)
        self.edition_combo.setObjectName("editionCombo")
        self.edition_combo.setMinimumWidth(320)
        self.edition_combo.currentIndexChanged.connect(self._on_edition_selected)
        toolbar.addWidget(self.edition_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.action_undo)
        toolbar.addAction(self.action_redo)
        # Greyed out when there is nothing to undo or redo, whatever the theme says (kept after the theme's rules).
        self._toolbar_rules = "\nQToolButton:disabled { color: palette(mid); }"
        toolbar.setStyleSheet(self._toolbar_rules)
        self.toolbar = toolbar
        self.addToolBar(Qt.TopToolBarArea, toolbar)

    # -- editions --------------------------------------------------------------------------------

    def _initial_edition(self, summaries: list[EditionSummary]) -> Optional[int]:
        remembered = settings().value(f"edition/{self.context.db.display_name}", None)
        ids = {s.id for s in summaries}
        try:
            if remembered is not None and int(remembered) in ids:
                return int(remembered)
        except (TypeError, ValueError):
            pass
        return self.context.read(lambda s: current_edition_id(s, clock.today()))

    def reload_editions(self, select: Optional[int] = None, summaries: Optional[list[EditionSummary]] = None) -> None:
        """Refill the edition selector (from summaries when the caller has just read them)."""
        if summaries is None:
            summaries = self.context.read(list_editions)
        keep = select if select is not None else self.context.edition_id
        self.edition_combo.blockSignals(True)
        self.edition_combo.clear()
        for summary in summaries:
            days = " et ".join(date_abbr(d) for d in summary.days) or "dates à fixer"
            self.edition_combo.addItem(f"{summary.name} — {days}", summary.id)
        index = self.edition_combo.findData(keep) if keep is not None else -1
        if index < 0 and summaries:
            index = 0
        self.edition_combo.setCurrentIndex(index)
        self.edition_combo.blockSignals(False)
        new_id = self.edition_combo.currentData()
        if new_id != self.context.edition_id:
            self._set_edition(new_id)

    def _on_edition_selected(self, _index: int) -> None:
        self._set_edition(self.edition_combo.currentData())

    def _set_edition(self, edition_id: Optional[int]) -> None:
        self.context.edition_id = edition_id
        if edition_id is not None:
            settings().setValue(f"edition/{self.context.db.display_name}", edition_id)
        for tab in self._tabs.values():
            if tab is not None:
                tab.on_edition_changed(edition_id)
        self.context.signals.edition_changed.emit(edition_id)

    def open_editions(self, new: bool = False):
        """The editions dialog (Fichier → Éditions…, or a blank new edition: Fichier → Nouvelle édition…)."""
        from .widgets.editions_dialog import EditionsDialog

        dialog = EditionsDialog(self.context, self, select=self.context.edition_id)
        if new:
            dialog.new_edition()
        dialog.exec()
        if dialog.last_created_id is not None:
            self.reload_editions(select=dialog.last_created_id)
        return dialog

    def open_dates(self, show: bool = True):
        """Fichier → Concertation sur les dates… on the current edition."""
        from .widgets.dates_dialog import DatesDialog

        dialog = DatesDialog(self.context, self, edition_id=self.context.edition_id)
        if show:
            dialog.exec()
        return dialog

    # -- tabs ------------------------------------------------------------------------------------

    def open_settings(self):
        from .widgets.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        dialog.open()
        return dialog

    def _ensure_current_tab(self, index: int) -> None:
        if 0 <= index < len(TAB_SPECS):
            # A tab hidden when data changed reloads now that it is shown (refresh when shown).
            self.tab(TAB_SPECS[index][0]).refresh_if_stale()

    def tab(self, title: str) -> BaseTab:
        """The tab with that title, built now if it was not yet, up to date (whoever asks for a tab uses it)."""
        existing = self._tabs.get(title)
        if existing is not None:
            existing.refresh_if_stale()
            return existing
        position = [spec[0] for spec in TAB_SPECS].index(title)
        _title, module_name, class_name = TAB_SPECS[position]
        module = importlib.import_module(f"{__package__}.tabs.{module_name}")
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            widget: BaseTab = getattr(module, class_name)(self.context)
        finally:
            QApplication.restoreOverrideCursor()
        self._tabs[title] = widget
        from .theme import style_widget

        current = self.tab_widget.currentIndex()
        self.tab_widget.blockSignals(True)
        old = self.tab_widget.widget(position)
        self.tab_widget.removeTab(position)
        self.tab_widget.insertTab(position, widget, title)
        # Styled once inserted: a widget inserted with its style sheet already set has the style of its
        # whole subtree resolved again (35–75 ms more for the big tabs at 10× scale).
        style_widget(widget)
        self.tab_widget.setCurrentIndex(current)
        self.tab_widget.blockSignals(False)
        old.deleteLater()
        return widget

    def tab_titles(self) -> list[str]:
        return [self.tab_widget.tabText(i) for i in range(self.tab_widget.count())]

    def show_tab(self, title: str) -> BaseTab:
        titles = self.tab_titles()
        if title not in titles:
            from ..core.errors import NotFoundError

            raise NotFoundError(f"Aucun onglet « {title} ». Onglets : {', '.join(titles)}.")
        widget = self.tab(title)
        self.tab_widget.setCurrentIndex(titles.index(title))
        return widget

    def navigate(self, title: str, payload: object) -> None:
        self.show_tab(title).navigate_to(payload)

    # -- changes, undo ---------------------------------------------------------------------------

    def _relay_changes(self, changes: Changes) -> None:
        self.context.relay(changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("editions", "event_days"):
            self.reload_editions()
        for tab in self._tabs.values():
            if tab is not None:
                tab.on_changes(changes)
        self._update_undo_actions()
        if changes.description:
            self.statusBar().showMessage(changes.description, 5000)

    def _update_undo_actions(self) -> None:
        ops = self.context.ops
        # The menu shows the whole action, the toolbar a short label with the whole action in its tooltip.
        for action, short, can, text, keys in (
            (self.action_undo, "Annuler", ops.can_undo, ops.undo_text, "Ctrl+Z"),
            (self.action_redo, "Rétablir", ops.can_redo, ops.redo_text, "Ctrl+Maj+Z"),
        ):
            action.setEnabled(can)
            action.setText(f"{short} : {text}" if can else short)
            action.setIconText(short)
            action.setToolTip(f"{short} : {text} ({keys})" if can else f"Rien à {short.lower()}")

    def undo(self) -> None:
        try:
            self.context.ops.undo()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
        self._update_undo_actions()

    def redo(self) -> None:
        try:
            self.context.ops.redo()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
        self._update_undo_actions()

    # -- misc ------------------------------------------------------------------------------------

    def set_dark_theme(self, dark: bool) -> None:
        """Affichage → Thème sombre: remembered, applied under a busy cursor (well under a second)."""
        from .theme import switch_theme

        settings().setValue("theme/dark", dark)
        switch_theme(QApplication.instance(), dark)
        self.statusBar().showMessage("Thème sombre appliqué" if dark else "Thème clair appliqué", 3000)

    def save_backup_copy(self) -> None:

        from ..core.db import save_copy

        if self.context.db.path is None:
            show_error(self, RuntimeError("Pas de copie locale pour une base sur serveur."))
            return
        target = kit.save_file_as(self, "Enregistrer une copie de la base", "bonsjours-copie.sqlite",
                                  "Base Bons Jours (*.sqlite)")
        if target:
            try:
                target = save_copy(self.context.db, target)  # never onto the open base, its journal or lock
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
                return
            self.statusBar().showMessage(f"Copie enregistrée : {target}", 5000)

    def open_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        target, ok = QInputDialog.getText(
            self, "Ouvrir une base",
            "Fichier Bons Jours (.sqlite) ou adresse d'un serveur partagé\n"
            "(ex. postgresql+psycopg://coordination@serveur/bonsjours) :",
            text=str(self.context.db.path or ""),
        )
        if ok and target.strip():
            self.open_other_database(target.strip())

    def open_other_database(self, target: str) -> Optional["MainWindow"]:
        """Open another database in a new window and close this one (each window holds its file's lock)."""
        from ..core.db import open_database
        from ..core.instance_lock import InstanceLock
        from ..core.operations import OperationRunner

        from ..core.db import EmptyDatabaseError

        try:
            db = open_database(target)
        except EmptyDatabaseError as exc:
            from .app import open_offering_initialisation

            db = open_offering_initialisation(exc, target, self)
            if db is None:
                return None
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None
        lock = None
        if db.path is not None and db.path != self.context.db.path:
            lock = InstanceLock(db.path)
            try:
                lock.acquire()
            except Exception as exc:  # noqa: BLE001
                db.dispose()
                show_error(self, exc)
                return None
        elif db.path is not None:
            db.dispose()
            return self
        window = MainWindow(AppContext(db=db, ops=OperationRunner(db)))
        window.instance_lock = lock
        window.show()
        self.close()
        return window

    def backup_now(self) -> None:
        from ..core.db import make_backup

        try:
            destination = make_backup(self.context.db.path, "manuelle")
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.statusBar().showMessage(f"Sauvegarde enregistrée : {destination.name}", 5000)

    def restore_dialog(self) -> None:
        from .backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.context.db.path, self)
        if dialog.exec() == BackupsDialog.Accepted and dialog.selected_backup() is not None:
            if kit.confirm(
                self, "Restaurer une sauvegarde",
                "Remplacer les données actuelles par cette sauvegarde ? La base actuelle est d'abord "
                "sauvegardée, vous pourrez y revenir.", "Restaurer", "Annuler",
            ):
                self.restore_backup(dialog.selected_backup())

    def restore_backup(self, backup) -> None:
        """Put backup in place of the open file, reopen it and refresh every view."""
        from ..core.db import restore_open_database
        from ..core.models import Base

        try:
            safety = restore_open_database(self.context.db, backup)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.context.ops.clear_history()
        self.reload_editions()
        everything = Changes("Sauvegarde restaurée", frozenset(Base.metadata.tables))
        self.context.signals.changed.emit(everything)
        note = f" (ancienne base sauvegardée : {safety.name})" if safety else ""
        self.statusBar().showMessage(f"Sauvegarde « {backup.name} » restaurée{note}", 10000)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "À propos de Bons Jours",
            f"<b>Bons Jours</b> {__version__}<br>Préparer « Les bons jours de l'occasion » : boutiques, "
            f"éditions, planning, partenaires, budget et documents.<br><br>Base : {self.context.db.display_name}",
        )

    def _restore_state(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        tab = store.value("window/tab")
        if tab in self.tab_titles():
            self.tab_widget.setCurrentIndex(self.tab_titles().index(tab))

    def save_state(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/tab", self.tab_widget.tabText(self.tab_widget.currentIndex()))
        store.sync()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._map_preparation is None:
            from ..core.geo import coordinator_departement

            self._map_preparation = prepare_map_in_background(self.context.read(coordinator_departement))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self._map_preparation is not None:
            self._map_preparation.join(timeout=10)  # Qt objects are being made there: not at exit
        self.save_state()
        if self._relay_changes in self.context.ops.listeners:
            self.context.ops.listeners.remove(self._relay_changes)
        lock = getattr(self, "instance_lock", None)
        if lock is not None:
            lock.release()
            self.instance_lock = None
        super().closeEvent(event)
