"""Starting the GUI: application, theme, database opening, single instance, first-start demo, screenshots."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Optional

from . import pyside_sources  # noqa: F401 - first: the modules imported after it are not read into memory
from PySide6.QtWidgets import QApplication, QMessageBox

import logging

from ..core.db import (
    Database,
    EmptyDatabaseError,
    ensure_daily_backup,
    list_backups,
    open_database,
    resolve_url,
    sqlite_backup,
    sqlite_path,
)
from ..core.errors import AlreadyOpenError, BonsJoursError
from ..core.instance_lock import InstanceLock
from ..core.operations import OperationRunner
from .context import AppContext
from .errors import install_excepthook, show_error
from .main_window import MainWindow, settings


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Bons Jours")
        app.setOrganizationName("BonsJours")
        # No setApplicationDisplayName: Qt would append it to every window title
        # ("Bons Jours — base — Bons Jours"); the main window puts the name first itself.
        # Qt's French catalogue is installed below, on any instance (also one made by the tests).
        from PySide6.QtGui import QIcon

        from ..core.resources import resource_path

        app.setWindowIcon(QIcon(str(resource_path("icons", "bonsjours.png"))))
    install_french(app)
    return app  # type: ignore[return-value]


# Qt's own French catalogues: standard buttons (Oui/Non/Annuler/Enregistrer…), file dialogs,
# context menus of text fields. Kept referenced here: a translator garbage-collected is removed.
_TRANSLATORS: list = []


def qt_translations_dirs() -> list[Path]:
    """Where Qt's .qm files may be: Qt's own idea, then the PySide6 package (wheel, PyInstaller folder)."""
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):  # pragma: no cover - PySide6 is always there
        pass
    return dirs


def _wording_translator():
    """Words of ours over Qt's catalogue: in Bons Jours, « Discard » always answers « Enregistrer les
    modifications ? », where qtbase_fr's « Ne pas tenir compte » reads oddly. And what qtbase_fr.qm lacks:
    Qt 6 added accelerators to two labels of its own file dialog (« &Look in: », « Files of &type: »), which
    the shipped catalogue still has without, and the file list's kinds « Folder » and « Drive »."""
    from PySide6.QtCore import QTranslator

    class Wording(QTranslator):
        WORDS = {
            ("QPlatformTheme", "Discard"): "Ne pas enregistrer",
            ("QPlatformTheme", "Don't Save"): "Ne pas enregistrer",
            ("QFileDialog", "&Look in:"): "&Voir dans\u00a0:",
            ("QFileDialog", "Files of &type:"): "Fichiers de &type\u00a0:",
            ("QAbstractFileIconProvider", "Folder"): "Dossier",
            ("QAbstractFileIconProvider", "Drive"): "Lecteur",
        }

        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001 - Qt's signature
            return self.WORDS.get((context, source))  # None: not ours, next catalogue

        def isEmpty(self) -> bool:  # noqa: N802 - Qt name
            return False

    return Wording()


def install_french(app: QApplication) -> bool:
    """Load qtbase_fr.qm into app (once), and our own wording over it; True when Qt now speaks French."""
    from PySide6.QtCore import QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.French, QLocale.France))
    if _TRANSLATORS:
        return True
    loaded = False
    for folder in qt_translations_dirs():
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.French, QLocale.France), "qtbase", "_", str(folder)):
            app.installTranslator(translator)
            _TRANSLATORS.append(translator)
            loaded = True
            break
    if not loaded:
        logging.getLogger(__name__).warning("Traductions françaises de Qt introuvables : boutons standard en anglais.")
    wording = _wording_translator()
    app.installTranslator(wording)  # installed last: asked first
    _TRANSLATORS.append(wording)
    return loaded


def is_empty(db: Database) -> bool:
    from sqlalchemy import exists, select

    from ..core.models import Edition, Shop

    with db.session() as session:
        return not session.scalar(select(exists().where(Shop.id.isnot(None)))) and not session.scalar(
            select(exists().where(Edition.id.isnot(None)))
        )


CREATE_FIRST = "Créer ma première édition"
DISCOVER = "Découvrir avec l'exemple"
LATER = "Plus tard"


def welcome_box(parent) -> QMessageBox:
    """The welcome of an empty base: create a first edition, discover the example, or later."""
    box = QMessageBox(QMessageBox.Question, "Bienvenue dans Bons Jours",
                      "La base est vide. Par quoi voulez-vous commencer ?", QMessageBox.NoButton, parent)
    box.setInformativeText(
        "« Créer ma première édition » : son nom, ses deux journées (un mercredi et le samedi qui suit) et "
        "son enveloppe budgétaire ; vous ajouterez ensuite les boutiques (onglet « Boutiques »).\n\n"
        "« Découvrir avec l'exemple » : les éditions de novembre 2013 et d'avril 2014 du Maine-et-Loire, et "
        "une édition d'exemple dans quelques semaines pour voir le tableau de bord à l'œuvre. Les boutiques, "
        "personnes et éditions inventées sont marquées comme exemples.\n\n"
        "« Plus tard » : la base reste vide ; Fichier → « Nouvelle édition… » (Ctrl+E) crée une édition "
        "quand vous le voulez.")
    box.addButton(CREATE_FIRST, QMessageBox.AcceptRole)
    box.addButton(DISCOVER, QMessageBox.ActionRole)
    later = box.addButton(LATER, QMessageBox.RejectRole)
    box.setEscapeButton(later)
    box.setDefaultButton(box.buttons()[0])
    return box


def offer_demo(parent, context: AppContext) -> Optional[str]:
    """Ask how to start on an empty base and do it; returns the button chosen (closed: « Plus tard »)."""
    box = welcome_box(parent)
    box.exec()
    clicked = box.clickedButton()
    choice = clicked.text() if clicked is not None else LATER
    if choice == CREATE_FIRST:
        create_first_edition(parent, context)
    elif choice == DISCOVER:
        from ..core.demo import load_demo

        context.run(parent, "Charger l'exemple", lambda s: load_demo(s) and None)
        if hasattr(parent, "reload_editions"):
            parent.reload_editions()
    return choice


def create_first_edition(parent, context: AppContext) -> Optional[int]:
    """The short form of a first edition; the window then opens on it (its dashboard)."""
    from .widgets.first_edition_dialog import FirstEditionDialog

    dialog = FirstEditionDialog(context, parent)
    dialog.exec()
    if dialog.created_id is not None and hasattr(parent, "reload_editions"):
        parent.reload_editions(select=dialog.created_id)
        parent.show_tab("Tableau de bord")
    return dialog.created_id


def ask_initialise(display_name: str, parent=None) -> bool:
    """« La base … est vide. L'initialiser ? », Oui / Non (Non by default: nothing is created)."""
    from .widgets import kit

    return kit.confirm(parent, "Base vide", f"La base {display_name} est vide. L'initialiser ?", "Oui", "Non",
                       informative="Oui : Bons Jours y crée ses tables et ses données de référence. Non : rien "
                                   "n'est créé (vérifiez l'adresse de la base si elle devait déjà servir).")


def open_offering_initialisation(error: EmptyDatabaseError, db_target: Optional[str], parent=None,
                                 ask=ask_initialise) -> Optional[Database]:
    """An empty server base: ask before preparing it; None when the answer is no (nothing created)."""
    if not ask(error.display_name, parent):
        return None
    try:
        return open_database(db_target, initialise=True)
    except BonsJoursError as exc:
        show_error(parent, exc, "Impossible de préparer la base")
        return None


def offer_latest_backup(error: BonsJoursError, db_target: Optional[str]) -> Optional[Database]:
    """The file cannot be opened: say why and offer to open a copy of its latest backup.

    The damaged file is never modified: the backup is copied beside it under a new name."""
    import datetime as dt

    path = sqlite_path(resolve_url(db_target))
    backups = list_backups(path)
    if not backups:
        show_error(None, error, "Impossible d'ouvrir la base")
        return None
    latest = backups[0]
    box = QMessageBox(QMessageBox.Warning, "Impossible d'ouvrir la base", str(error))
    box.setInformativeText(
        f"La dernière sauvegarde date du {dt.datetime.fromtimestamp(latest.stat().st_mtime):%d/%m/%Y à %H:%M}. "
        "Voulez-vous en ouvrir une copie ? Le fichier actuel ne sera pas modifié."
    )
    box.setStandardButtons(QMessageBox.Open | QMessageBox.Cancel)
    if box.exec() != QMessageBox.Open:
        return None
    copy = path.with_name(f"{path.stem}-restauree-{dt.datetime.now():%Y-%m-%d_%H-%M-%S}.sqlite")
    try:
        sqlite_backup(latest, copy)
        return open_database(str(copy))
    except BonsJoursError as exc:
        show_error(None, exc, "Impossible d'ouvrir la sauvegarde")
        return None


def create_main_window(db: Database) -> MainWindow:
    context = AppContext(db=db, ops=OperationRunner(db))
    return MainWindow(context)


def run(db_target: Optional[str] = None, screenshot: Optional[str] = None, tab: Optional[str] = None,
        size: Optional[str] = None) -> int:
    app = application()
    from .theme import apply_theme

    apply_theme(app, settings().value("theme/dark", False, type=bool))
    install_excepthook()
    try:
        db = open_database(db_target)
    except BonsJoursError as exc:
        if screenshot:
            raise
        # An empty server base is offered to be initialised; anything else, the latest backup.
        offer = open_offering_initialisation if isinstance(exc, EmptyDatabaseError) else offer_latest_backup
        db = offer(exc, db_target)
        if db is None:
            return 1
    lock: Optional[InstanceLock] = None
    try:
        if db.path is not None and not screenshot:
            lock = InstanceLock(db.path)
            try:
                lock.acquire()
            except BonsJoursError as exc:
                lock = None
                print(f"bonsjours : {exc}", file=sys.stderr)
                show_error(None, exc, "Base déjà ouverte" if isinstance(exc, AlreadyOpenError) else "Base inaccessible")
                return 1
        if db.path is not None and not screenshot:
            try:
                ensure_daily_backup(db.path)
            except (OSError, BonsJoursError) as exc:
                logging.getLogger(__name__).warning("Sauvegarde quotidienne impossible : %s", exc)
        # What the start has built so far (the libraries, the models, the theme: ~80 000 objects) lives
        # as long as the process: out of the garbage collector's sight, each full collection (while the
        # tabs load their rows, and release_window's) skips it: 90 -> 30 ms for release_window's at 10x.
        gc.freeze()
        window = create_main_window(db)
        if screenshot:
            return _screenshot(app, window, Path(screenshot), tab, size)
        window.instance_lock, lock = lock, None  # the window releases it when it closes
        window.show()
        if tab:
            window.show_tab(tab)
        if is_empty(db):
            offer_demo(window, window.context)
        code = app.exec()
        release_window(app, window)
        return code
    finally:
        gc.unfreeze()
        if lock is not None:
            lock.release()
        db.dispose()


def release_window(app: QApplication, window: MainWindow) -> None:
    """Destroy the window while Qt is still alive: left to interpreter shutdown, some charts' C++
    objects are freed in the wrong order and Python aborts on exit."""
    window.close()
    window.deleteLater()
    app.processEvents()
    del window
    gc.collect()


def _screenshot(app: QApplication, window: MainWindow, target: Path, tab: Optional[str], size: Optional[str]) -> int:
    width, height = 1366, 768
    if size:
        try:
            width, height = (int(v) for v in size.lower().split("x"))
        except ValueError:
            raise BonsJoursError(f"Taille « {size} » invalide (exemple : 1366x768).") from None
    window.resize(width, height)
    window.show()
    if tab:
        window.show_tab(tab)
    for _ in range(5):
        app.processEvents()
    picture = window.grab()
    from ..core.io.safe_write import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)

    def save(temporary: Path) -> None:
        if not picture.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire la capture « {target} ».")

    atomic_write(target, save)
    print(f"Capture enregistrée : {target}")
    release_window(app, window)
    return 0
