"""Starting the GUI: application, theme, database opening, single instance, first-start demo, screenshots."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.db import Database, open_database
from ..core.errors import BonsJoursError
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
        app.setApplicationDisplayName("Bons Jours")
    return app  # type: ignore[return-value]


def is_empty(db: Database) -> bool:
    from sqlalchemy import exists, select

    from ..core.models import Edition, Shop

    with db.session() as session:
        return not session.scalar(select(exists().where(Shop.id.isnot(None)))) and not session.scalar(
            select(exists().where(Edition.id.isnot(None)))
        )


def offer_demo(parent, context: AppContext) -> None:
    answer = QMessageBox.question(
        parent,
        "Bienvenue dans Bons Jours",
        "La base est vide. Voulez-vous la remplir avec l'exemple du Maine-et-Loire "
        "(éditions de novembre 2013 et d'avril 2014) pour découvrir l'application ?\n\n"
        "Les boutiques et personnes inventées sont marquées comme exemples.",
    )
    if answer == QMessageBox.Yes:
        from ..core.demo import load_demo

        context.run(parent, "Charger l'exemple", lambda s: load_demo(s) and None)


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
        show_error(None, exc, "Impossible d'ouvrir la base")
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
                show_error(None, exc, "Base déjà ouverte")
                return 1
        window = create_main_window(db)
        if screenshot:
            return _screenshot(app, window, Path(screenshot), tab, size)
        window.show()
        if tab:
            window.show_tab(tab)
        if is_empty(db):
            offer_demo(window, window.context)
        return app.exec()
    finally:
        if lock is not None:
            lock.release()
        db.dispose()


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
    target.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(target), "PNG"):
        raise BonsJoursError(f"Impossible d'écrire la capture « {target} ».")
    print(f"Capture enregistrée : {target}")
    window.close()
    return 0
