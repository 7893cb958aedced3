"""The GUI import of a large file: checked and written in a worker thread behind a progress dialog with
« Annuler »; cancelling the check or the write leaves the base as it was; Ctrl+Z undoes a finished import."""

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from bonsjours_desktop.core.io import shops_io
from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.ui.widgets.shop_import import prepare_import


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "boutiques.csv"
    lines = ["Nom;Commune;Code postal;Jours d'ouverture"]
    lines += [f"Boutique {i};Angers;49000;du mardi au samedi de 10h à 19h" for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shop_count(window):
    return window.context.read(lambda s: s.scalar(select(func.count()).select_from(Shop)))


def test_check_and_write_run_in_a_worker_with_progress_then_undo(main_window, qtbot, big_file, monkeypatch):
    from bonsjours_desktop.ui.widgets import progress

    before = shop_count(main_window)
    seen = []  # (thread, step, done, total) as the worker reports them
    dialogs = []
    drawn_in = []  # the thread each update of the progress dialog runs in
    set_value = progress.QProgressDialog.setValue
    monkeypatch.setattr(progress.QProgressDialog, "setValue",
                        lambda self, value: (drawn_in.append(threading.current_thread()), set_value(self, value)))

    def watch(worker, dialog):
        dialogs.append(dialog)
        worker.progressed.connect(
            lambda step, done, total: seen.append((threading.current_thread(), step, done, total)),
            Qt.DirectConnection)

    heard_in = []  # the thread the main window hears of the change in (ops.run ran in the worker)
    update_undo = type(main_window)._update_undo_actions
    monkeypatch.setattr(type(main_window), "_update_undo_actions",
                        lambda self: (heard_in.append(threading.current_thread()), update_undo(self)))
    dialog = prepare_import(main_window.context, str(big_file), main_window, on_worker=watch)
    qtbot.addWidget(dialog)
    assert dialog.plan.created == 3000
    assert dialogs[0].windowTitle() == "Vérifier le fichier" and dialogs[0].labelText().startswith("Vérification")
    assert dialog.do_import(on_worker=watch)
    assert shop_count(main_window) == before + 3000
    assert dialogs[1].labelText() == "Écriture dans la base : 3\u202f000 / 3\u202f000"
    steps = {step for _t, step, _d, _n in seen}
    assert {"Lecture du fichier", shops_io.CHECKING, shops_io.WRITING} <= steps
    assert all(thread is not threading.main_thread() for thread, *_ in seen)  # never the GUI thread
    assert drawn_in and set(drawn_in) == {threading.main_thread()}  # the dialog only from the GUI thread
    # the main window heard of the change (queued to its thread) and Ctrl+Z undoes the whole import
    qtbot.waitUntil(lambda: main_window.action_undo.isEnabled())
    assert heard_in and set(heard_in) == {threading.main_thread()}
    main_window.action_undo.trigger()
    assert shop_count(main_window) == before


def test_cancel_during_the_write_rolls_it_back(main_window, qtbot, big_file, monkeypatch):
    before = shop_count(main_window)
    dialog = prepare_import(main_window.context, str(big_file), main_window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(shops_io, "WRITE_CHUNK", 1000)
    written = []

    def cancel_after_first_chunk(worker, progress_dialog):
        def on_progress(step, done, total):
            written.append(done)
            if step == shops_io.WRITING and done >= 1000:
                worker.cancel_requested.set()  # what « Annuler » does (clicked in the test below)
        worker.progressed.connect(on_progress, Qt.DirectConnection)

    assert not dialog.do_import(on_worker=cancel_after_first_chunk)
    assert 1000 in written and 3000 not in written  # stopped in the middle of the write
    assert dialog.cancelled and dialog.status.text() == "Import annulé : rien n'a été écrit dans la base."
    assert shop_count(main_window) == before
    assert not main_window.context.ops.can_undo


def test_cancel_while_checking_gives_no_dialog_and_writes_nothing(main_window, qtbot, big_file):
    before = shop_count(main_window)
    def click_cancel(worker, progress_dialog):
        button = progress_dialog.findChild(QPushButton)
        assert button.text() == "Annuler"
        button.click()
        assert worker.cancel_requested.is_set()

    dialog = prepare_import(main_window.context, str(big_file), main_window, on_worker=click_cancel)
    assert dialog is None
    assert shop_count(main_window) == before


def test_a_shop_changed_by_someone_else_after_the_check_closes_the_stale_preview(main_window, qtbot, tmp_path):
    from bonsjours_desktop.core.shops import shop_input, update_shop
    from bonsjours_desktop.core.versions import seen
    from bonsjours_desktop.ui import errors

    path = tmp_path / "b.csv"
    path.write_text("Nom;Commune;Notes\nEmmaüs Cholet;Cholet;Par l'import\n", encoding="utf-8")
    dialog = prepare_import(main_window.context, str(path), main_window)
    qtbot.addWidget(dialog)
    assert dialog.plan.updated == 1
    ops = main_window.context.ops
    shop_id = dialog.plan.rows[0].shop_id
    shown = ops.read(lambda s: seen(s.get(Shop, shop_id)))
    data = ops.read(lambda s: shop_input(s, shop_id))
    data.notes = "Saisie d'une collègue"
    ops.run("Modifier", lambda s: update_shop(s, shop_id, data, expected=shown))
    closed = []
    dialog.rejected.connect(lambda: closed.append(True))
    assert not dialog.do_import()
    assert dialog.result is None and closed == [True]  # closed: the preview is stale
    assert any("modifiée par quelqu'un d'autre" in box.text() for box in errors._OPEN_BOXES)
    assert ops.read(lambda s: s.get(Shop, shop_id).notes) == "Saisie d'une collègue"



def test_an_error_before_the_work_starts_leaves_no_progress_dialog_to_appear_later(qtbot):
    """The dialog's own timer shows it after its minimum duration: an error raised before the work starts
    (here by on_worker) must still close it, or it appears afterwards, busy for ever, over the error."""
    from PySide6.QtCore import QTimer

    from bonsjours_desktop.ui.widgets.progress import run_with_progress

    dialogs = []

    def on_worker(worker, dialog):
        dialogs.append(dialog)
        raise TypeError("'bool' object is not callable")

    with pytest.raises(TypeError):
        run_with_progress(None, "Importer des boutiques", lambda progress: None, shops_io.ImportCancelled,
                          on_worker=on_worker)
    (dialog,) = dialogs
    assert not [timer for timer in dialog.findChildren(QTimer) if timer.isActive()]
