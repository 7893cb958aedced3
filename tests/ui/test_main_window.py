"""Main window: tabs on the demo data, undo from the keyboard, errors, single instance, state."""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core.errors import AlreadyOpenError
from bonsjours_desktop.core.instance_lock import InstanceLock
from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.ui.main_window import TAB_SPECS


def test_title_edition_selector_and_status_bar(main_window, demo_db):
    assert main_window.tab_titles()[0] == "Tableau de bord"
    base_tabs = ["Boutiques", "Planning", "Partenaires", "Budget"]
    assert [t for t in main_window.tab_titles() if t in base_tabs] == base_tabs
    combo = main_window.edition_combo
    assert [combo.itemText(i).split(" — ")[0] for i in range(combo.count())] == ["Novembre 2013", "Avril 2014"]
    assert str(demo_db.path) in main_window.db_label.text()


@pytest.mark.parametrize("title", [spec[0] for spec in TAB_SPECS])
def test_each_tab_opens_on_the_demo(main_window, title):
    tab = main_window.show_tab(title)
    assert tab.isVisible()
    assert main_window.tab_widget.currentWidget() is tab


def test_tabs_follow_the_edition(main_window):
    planning = main_window.show_tab("Planning")
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Novembre 2013", Qt.MatchStartsWith))
    assert planning.model.rowCount() == 11
    combo.setCurrentIndex(combo.findText("Avril 2014", Qt.MatchStartsWith))
    assert planning.model.rowCount() == 0


def test_ctrl_z_undoes_a_change_and_views_refresh(main_window, qtbot, demo_db):
    shops_tab = main_window.show_tab("Boutiques")

    def rename(session):
        session.scalars(select(Shop).filter_by(name="Emmaüs Cholet")).one().name = "Emmaüs Cholet – Le Hangar"

    main_window.context.run(main_window, "Renommer la boutique", rename)
    names = [r.name for r in shops_tab.model.rows()]
    assert "Emmaüs Cholet – Le Hangar" in names
    assert main_window.action_undo.text() == "Annuler : Renommer la boutique"
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier)
    assert "Emmaüs Cholet" in [r.name for r in shops_tab.model.rows()]
    qtbot.keyClick(main_window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert "Emmaüs Cholet – Le Hangar" in [r.name for r in shops_tab.model.rows()]


def test_unexpected_error_shows_a_french_dialog_and_writes_nothing(main_window, demo_db, qapp_no_modal):
    def broken(session):
        session.scalars(select(Shop)).first().name = "à moitié"
        session.flush()
        raise ZeroDivisionError("boum")

    assert main_window.context.run(main_window, "Action cassée", broken) is None
    boxes = [w for w in qapp_no_modal.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "erreur inattendue" in boxes[-1].text()
    assert "ZeroDivisionError" in boxes[-1].detailedText()
    with demo_db.session() as s:
        assert "à moitié" not in [shop.name for shop in s.scalars(select(Shop))]

    for box in boxes:
        box.close()


def test_excepthook_shows_dialog_and_logs(qapp_no_modal, tmp_path):
    from bonsjours_desktop.core.logs import log_file, setup_logging
    from bonsjours_desktop.ui.errors import install_excepthook

    setup_logging()
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise RuntimeError("panne imprévue")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    boxes = [w for w in qapp_no_modal.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "panne imprévue" in boxes[-1].detailedText()
    assert "panne imprévue" in log_file().read_text(encoding="utf-8")
    for box in boxes:
        box.close()


def test_second_instance_is_refused(db_path, qapp_no_modal, capsys):
    from bonsjours_desktop.ui.app import run

    with InstanceLock(db_path):
        with pytest.raises(AlreadyOpenError, match="déjà ouverte"):
            InstanceLock(db_path).acquire()
        assert run(str(db_path)) == 1
    assert "déjà ouverte" in capsys.readouterr().err
    lock = InstanceLock(db_path)
    lock.acquire()  # free again once the first holder released it
    lock.release()


def test_window_state_and_tab_are_remembered(qtbot, qapp_no_modal, demo_db, monkeypatch):
    from bonsjours_desktop.ui.app import create_main_window
    from bonsjours_desktop.ui.main_window import MainWindow

    first = create_main_window(demo_db)
    qtbot.addWidget(first)
    first.show()
    first.show_tab("Budget")
    first.resize(1000, 600)
    saved = first.saveGeometry()
    first.close()
    restored = []
    original = MainWindow.restoreGeometry
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(bytes(g)) or original(self, g))
    second = create_main_window(demo_db)
    qtbot.addWidget(second)
    assert second.tab_widget.tabText(second.tab_widget.currentIndex()) == "Budget"
    # The offscreen screen is small and clamps sizes, so check what was handed back to Qt.
    assert restored == [bytes(saved)]


def test_dark_theme_is_remembered(main_window, qapp_no_modal):
    from bonsjours_desktop.ui.main_window import settings

    main_window.action_dark.setChecked(True)
    assert settings().value("theme/dark", type=bool) is True
    assert qapp_no_modal.property("bonsjours_dark") is True
    main_window.action_dark.setChecked(False)
    assert qapp_no_modal.property("bonsjours_dark") is False


def test_open_another_database_moves_the_lock(main_window, tmp_path, qtbot, demo_db):
    other_path = tmp_path / "autre.sqlite"
    from bonsjours_desktop.cli import main as cli_main

    cli_main(["demo", "--db", str(other_path)])
    main_window.instance_lock = InstanceLock(demo_db.path)
    main_window.instance_lock.acquire()
    new_window = main_window.open_other_database(str(other_path))
    qtbot.addWidget(new_window)
    assert new_window is not main_window and new_window.context.db.path == other_path
    assert not main_window.isVisible()
    with pytest.raises(AlreadyOpenError):
        InstanceLock(other_path).acquire()
    lock = InstanceLock(demo_db.path)
    lock.acquire()  # the first file is free again
    lock.release()
    new_window.close()
