"""Planning tab: table and Gantt in sync, drag-to-move with undo, dialogs, templates, exports."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox
from sqlalchemy import select

from bonsjours_desktop.core import clock
from bonsjours_desktop.core import planning as P
from bonsjours_desktop.core.models import Task
from bonsjours_desktop.ui.widgets.gantt import day_x
from bonsjours_desktop.ui.widgets import kit

D = dt.date


def open_planning(main_window, edition="Novembre 2013"):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText(edition, Qt.MatchStartsWith))
    return main_window.show_tab("Planning")


def task_id(window, prefix):
    return window.context.read(lambda s: s.scalars(select(Task.id).where(Task.title.startswith(prefix))).first())


def dates(window, tid):
    return window.context.read(lambda s: (s.get(Task, tid).start, s.get(Task, tid).end))


@pytest.fixture
def today_nov_2013():
    clock.set_today(D(2013, 11, 1))
    yield
    clock.set_today(None)


def test_chart_shows_demo_with_event_days_today_and_groups(main_window, today_nov_2013):
    tab = open_planning(main_window)
    assert tab.model.rowCount() == 11
    chart = tab.gantt
    assert len(chart.item.rows) == 15 and chart.item.rows[0].is_group
    assert chart.today_x() == day_x(D(2013, 11, 1)) + 0.5
    assert chart.event_x() == day_x(D(2013, 11, 13))
    assert chart.item.boundingRect().left() <= day_x(D(2012, 10, 1))
    assert chart.item.boundingRect().right() >= day_x(D(2014, 1, 15))
    assert len(chart.item.milestone_marks) == 2
    tab.group_combo.setCurrentIndex(tab.group_combo.findData("phase"))
    assert [r.label for r in chart.item.rows if r.is_group][0] == "Préparation"
    # Axis labels are French: a year on 700 px names its months (abbreviated), the year on the row below.
    boxes, _ticks = chart.date_axis.layout_labels(day_x(D(2013, 1, 1)), day_x(D(2013, 12, 31)), 0, 700)
    months = [text for _box, text, row in boxes if row == "month"]
    assert months[0] in ("janvier", "janv.") and {"juillet", "juil."} & set(months) and {"décembre", "déc."} & set(months)
    assert [text for _box, text, row in boxes if row == "minor"] == ["2013"]


def test_tooltip_dates_are_french(main_window, today_nov_2013):
    tab = open_planning(main_window)
    event = next(t for t in tab.snapshot.tasks if t.start == D(2013, 11, 13))
    from bonsjours_desktop.ui.widgets.gantt import task_tooltip

    text = task_tooltip(event, clock.today())
    assert "mer. 13 nov. 2013" in text and "sam. 16 nov. 2013" in text and "4 jours" in text


def test_selection_is_synced_both_ways(main_window, today_nov_2013):
    tab = open_planning(main_window)
    tid = task_id(main_window, "Fourniture du dossier")
    tab.select_tasks([tid])
    assert tab.gantt.item._selected == {tid}
    assert len(tab.gantt.item.selection_items) == 1
    other = task_id(main_window, "Création de la page")
    tab.gantt.item.taskClicked.emit(other, Qt.NoModifier)
    assert tab.selected_ids() == [other]
    assert tab.gantt.item._selected == {other}
    tab.gantt.item.taskClicked.emit(tid, Qt.ControlModifier)
    assert sorted(tab.selected_ids()) == sorted([tid, other])


def test_drag_to_move_is_one_undoable_operation_and_pushes_dependants(main_window, today_nov_2013):
    tab = open_planning(main_window)
    context = main_window.context
    # An open task with an open successor, so the push is visible.
    tid = task_id(main_window, "Création de la page")
    succ = task_id(main_window, "Déploiement de la campagne")
    context.run(None, "rouvrir", lambda s: [P.set_status(s, i, "en cours", 50, expected=P.task_row(s, i).seen) for i in (tid, succ)])
    before, succ_before = dates(main_window, tid), dates(main_window, succ)
    undo_depth = len(context.ops._undo)
    item = tab.gantt.item
    tab.gantt.set_snap(False)  # calendar days here; landing on working days is tested below
    assert item.begin_drag(tid, "move")
    item.update_drag(10)
    assert item.ghost.isVisible()
    assert item.update_drag(40) == (before[0] + dt.timedelta(days=40), before[1] + dt.timedelta(days=40))
    item.finish_drag()
    assert dates(main_window, tid) == (D(2013, 10, 12), D(2013, 11, 9))
    assert dates(main_window, succ)[0] == D(2013, 11, 10)  # pushed: starts the day after
    assert len(context.ops._undo) == undo_depth + 1
    assert "Déplacer" in context.ops.undo_text
    # The chart was redrawn from the new data.
    assert tab.gantt.item.snapshot.task(tid).start == D(2013, 10, 12)
    context.ops.undo()
    assert dates(main_window, tid) == before and dates(main_window, succ) == succ_before
    assert tab.gantt.item.snapshot.task(tid).start == before[0]


def test_drag_the_end_resizes(main_window, today_nov_2013):
    tab = open_planning(main_window)
    tid = task_id(main_window, "Livraison des documents")
    start, end = dates(main_window, tid)
    item = tab.gantt.item
    tab.gantt.set_snap(False)
    item.begin_drag(tid, "resize")
    item.update_drag(-5)
    item.finish_drag()
    assert dates(main_window, tid) == (start, end - dt.timedelta(days=5))
    assert "Redimensionner" in main_window.context.ops.undo_text


def test_drag_with_real_mouse_events(main_window, qtbot, today_nov_2013):
    tab = open_planning(main_window)
    tab.gantt.zoom_to("mois")
    tid = task_id(main_window, "Livraison des documents")
    start, end = dates(main_window, tid)
    tab.gantt.scroll_to_task(tid)
    qtbot.waitUntil(lambda: tab.gantt.view_box.width() > 100)
    index = tab.gantt.item.row_of_task[tid]
    view = tab.gantt.plot
    vb = tab.gantt.view_box
    mid = day_x(start) + (end - start).days / 2
    vb.setXRange(mid - 40, mid + 40, padding=0)
    QApplication.processEvents()

    def to_viewport(x, y):
        scene = vb.mapViewToScene(QPointF(x, y))
        return view.mapFromScene(scene)

    press = to_viewport(mid, index)
    drop = to_viewport(mid + 7, index)
    viewport = view.viewport()

    def send(kind, pos, buttons):
        event = QMouseEvent(kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), Qt.LeftButton, buttons, Qt.NoModifier)
        QApplication.sendEvent(viewport, event)

    send(QEvent.MouseButtonPress, press, Qt.LeftButton)
    for step in range(1, 6):
        point = QPoint(press.x() + (drop.x() - press.x()) * step // 5, press.y())
        send(QEvent.MouseMove, point, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, drop, Qt.NoButton)
    assert dates(main_window, tid) == (start + dt.timedelta(days=7), end + dt.timedelta(days=7))
    main_window.context.ops.undo()
    assert dates(main_window, tid) == (start, end)


def test_zoom_presets(main_window, today_nov_2013):
    tab = open_planning(main_window)
    for level, ppd in (("semaine", 40), ("mois", 10), ("trimestre", 3)):
        tab.zoom_actions[level].trigger()
        assert tab.gantt.pixels_per_day() == pytest.approx(ppd, rel=0.01)
    tab.gantt.zoom_by(2)
    assert tab.gantt.pixels_per_day() == pytest.approx(6, rel=0.01)


def test_new_task_dialog_saves_and_keeps_errors_open(main_window, today_nov_2013, monkeypatch):
    tab = open_planning(main_window)
    dialog = tab.make_dialog(None)
    dialog.title_edit.setText("Commande des sacs réutilisables")
    dialog.anchor_edit.setText("J-2 mois")
    dialog.anchor_edit.editingFinished.emit()  # the anchor applies when committed
    assert not dialog.start_edit.isEnabled()
    assert "ven. 13 sept. 2013" in dialog.anchor_hint.text()
    pred = task_id(main_window, "Définition du thème")
    dialog.add_predecessor(pred, 0)
    dialog.owner_combo.setCurrentIndex(dialog.owner_combo.findText("Département – Équipe logistique"))
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    created = next(t for t in tab.snapshot.tasks if t.title == "Commande des sacs réutilisables")
    assert (created.start, created.anchor, created.owner) == (D(2013, 9, 13), "J-2 mois", "Département – Équipe logistique")
    assert created.predecessors == ((pred, 0),)
    assert tab.model.rowCount() == 12
    bad = tab.make_dialog(None)
    bad.title_edit.setText("")
    bad.accept()
    assert bad.result() != QDialog.Accepted
    # The core's message under the title, framed in red; no box to close.
    assert "titre" in bad.error_text("title") and kit.has_error_mark(bad.title_edit)
    assert not any(w.objectName() == "errorDialog" and w.isVisible() for w in QApplication.topLevelWidgets())
    bad.close()


def test_double_click_opens_editor_and_ctrl_n_new(main_window, today_nov_2013, monkeypatch):
    tab = open_planning(main_window)
    opened = []
    monkeypatch.setattr("bonsjours_desktop.ui.tabs.planning.TaskDialog.exec",
                        lambda self: opened.append(self.windowTitle()) or QDialog.Rejected)
    tab.gantt.item.taskActivated.emit(task_id(main_window, "Fourniture du dossier"))
    tab.new_action.trigger()
    tab.milestone_action.trigger()
    assert opened == ["Modifier la tâche", "Nouvelle tâche", "Nouveau jalon"]
    assert tab.new_action.shortcut().toString() == "Ctrl+N"


def test_delete_asks_then_undo_restores(main_window, today_nov_2013, monkeypatch):
    tab = open_planning(main_window)
    tid = task_id(main_window, "Reprise des outils")
    tab.select_tasks([tid])
    questions = []
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: questions.append(a[2]) or True)
    tab.delete_action.trigger()
    assert "Reprise des outils" in questions[0] and "dépendance" in questions[0]
    assert tab.model.rowCount() == 10
    main_window.context.ops.undo()
    assert tab.model.rowCount() == 11


def test_create_april_2014_from_template_in_the_tab(main_window, today_nov_2013, monkeypatch):
    tab = open_planning(main_window, "Avril 2014")
    assert tab.model.rowCount() == 0
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k: (items[0], True))
    tab.template_action.trigger()
    assert tab.model.rowCount() == 11
    event = next(t for t in tab.snapshot.tasks if t.title.startswith("Évènement"))
    assert (event.start, event.end) == (D(2014, 4, 2), D(2014, 4, 5))
    # Copy from Novembre 2013, replacing after confirmation.
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k: ("Novembre 2013", True))
    monkeypatch.setattr(kit, "confirm", lambda *a, **k: True)
    tab.copy_action.trigger()
    assert any(t.title.startswith("1er évènement") and t.start == D(2014, 4, 2) for t in tab.snapshot.tasks)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Modèle avril", True))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    tab.save_template_action.trigger()
    assert "Modèle avril" in [t.name for t in main_window.context.read(P.list_templates)]


def test_event_date_change_reanchors_open_tasks(main_window, today_nov_2013, monkeypatch):
    tab = open_planning(main_window, "Avril 2014")
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k: (items[0], True))
    tab.template_action.trigger()
    edition = main_window.context.edition_id
    main_window.context.run(None, "Dates", lambda s: P.set_event_days_and_reanchor(s, edition, [D(2014, 4, 9), D(2014, 4, 12)]))
    event = next(t for t in tab.snapshot.tasks if t.title.startswith("Évènement"))
    assert event.start == D(2014, 4, 9)
    assert tab.gantt.event_x() == day_x(D(2014, 4, 9))


def test_a3_pdf_export_from_the_tab(main_window, today_nov_2013, tmp_path):
    tab = open_planning(main_window)
    target = tab.export("pdf", str(tmp_path / "affiche"), paper="a3")
    assert target.name == "affiche.pdf"
    assert b"/MediaBox [0 0 1191" in target.read_bytes()  # A3 landscape


def test_png_export_from_the_tab(main_window, today_nov_2013, tmp_path):
    tab = open_planning(main_window)
    target = tab.export("png", str(tmp_path / "chart"))
    assert target.name == "chart.png"
    image = QImage(str(target))
    assert image.width() > 1000 and image.height() > 300


def test_hit_testing_tells_move_from_resize_and_sets_tooltip(main_window, today_nov_2013):
    tab = open_planning(main_window)
    tab.gantt.zoom_to("mois")
    tid = task_id(main_window, "Livraison des documents")
    tab.gantt.scroll_to_task(tid)
    QApplication.processEvents()
    item = tab.gantt.item
    row = item.row_of_task[tid]
    start, end = dates(main_window, tid)
    task, mode = item.task_at(QPointF(day_x(start) + 5, row))
    assert (task.id, mode) == (tid, "move")
    task, mode = item.task_at(QPointF(day_x(end) + 1.0, row))
    assert (task.id, mode) == (tid, "resize")
    assert item.task_at(QPointF(day_x(end) + 20, row)) == (None, "")
    assert item.task_at(QPointF(day_x(start) + 5, row + 0.49))[0] is None

    class Hover:
        def isExit(self):
            return False

        def pos(self):
            return QPointF(day_x(start) + 5, row)

        def acceptDrags(self, button):
            pass

    item.hoverEvent(Hover())
    assert "Du mar. 1 oct. 2013 au jeu. 31 oct. 2013" in item.toolTip()


def test_template_choice_adds_nothing_to_the_history_before_it_is_accepted(qtbot, qapp_no_modal, db, ops, monkeypatch):
    """On a base without any template, opening the choice used to create « le modèle intégré » (an undo
    entry) before OK; now the template comes with the planning, in one operation, or not at all."""
    from bonsjours_desktop.core.editions import create_edition
    from bonsjours_desktop.core.models import PlanningTemplate
    from bonsjours_desktop.ui.app import create_main_window

    ops.run("Édition", lambda s: create_edition(s, "Printemps 2027", [D(2027, 3, 3), D(2027, 3, 6)]) and None)
    window = create_main_window(db)
    qtbot.addWidget(window)
    window.show()
    tab = window.show_tab("Planning")
    seen = []

    def answer(ok):
        def get_item(parent, title, label, items, *a, **k):
            seen.append((window.context.ops.undo_text, list(items)))
            return items[0], ok
        return get_item

    monkeypatch.setattr(QInputDialog, "getItem", answer(False))
    tab.template_action.trigger()
    assert seen[0][0] == "" and seen[0][1][0].startswith(P.BUILTIN_TEMPLATE_NAME)
    assert not window.context.ops.can_undo
    assert window.context.read(lambda s: s.scalars(select(PlanningTemplate)).all()) == []

    monkeypatch.setattr(QInputDialog, "getItem", answer(True))
    tab.template_action.trigger()
    assert seen[1][0] == "" and tab.model.rowCount() == 11
    assert window.context.ops.undo_text.startswith("Créer le planning depuis le modèle")
    window.context.ops.undo()
    assert not window.context.ops.can_undo and tab.model.rowCount() == 0
    assert window.context.read(lambda s: s.scalars(select(PlanningTemplate)).all()) == []


# --- Where the chart opens, its axis, labels, legend (issue #21, item 7) ------------------------------


def view_days(chart):
    (x0, x1), _ = chart.view_box.viewRange()
    return x0, x1


def test_chart_opens_around_today_and_mois_centres_on_today_and_the_event(main_window):
    clock.set_today(D(2013, 11, 1))  # twelve days before the event, tasks under way
    tab = open_planning(main_window)
    chart = tab.gantt
    x0, x1 = view_days(chart)
    assert x0 <= chart.today_x() <= x1 and x0 <= chart.event_x() <= x1
    assert x1 - x0 <= 100  # a few weeks, not the fifteen months of the whole plan
    assert x0 >= day_x(D(2013, 9, 1))
    tab.zoom_actions["trimestre"].trigger()
    tab.zoom_actions["mois"].trigger()
    x0, x1 = view_days(chart)
    assert chart.pixels_per_day() == pytest.approx(10, rel=0.01)
    # Today and the event fit together: the middle of the view is between them.
    assert (x0 + x1) / 2 == pytest.approx((chart.today_x() + chart.event_x() + 0.5) / 2, abs=0.6)
    # From « Tout voir » too (it used to jump to the middle of the fifteen months: May–June 2013).
    chart.fit_all()
    tab.zoom_actions["mois"].trigger()
    x0, x1 = view_days(chart)
    assert x0 <= chart.today_x() <= x1 and x0 <= chart.event_x() <= x1


def test_chart_opens_on_the_event_when_today_is_outside_the_edition(main_window):
    clock.set_today(D(2016, 5, 4))  # long after Novembre 2013
    tab = open_planning(main_window)
    chart = tab.gantt
    x0, x1 = view_days(chart)
    assert x0 <= chart.event_x() <= x1 and x1 - x0 <= 100
    assert not x0 <= chart.today_x() <= x1
    tab.zoom_actions["semaine"].trigger()
    x0, x1 = view_days(chart)
    assert (x0 + x1) / 2 == pytest.approx(chart.event_x() + 0.5, abs=0.6)


def test_axis_names_the_months_at_the_default_zoom(main_window):
    clock.set_today(D(2013, 11, 1))
    tab = open_planning(main_window)
    tab.gantt.grab()  # paints the axis
    labels = tab.gantt.date_axis.last_labels
    months = [text for _box, text, row in labels if row == "month"]
    # The year on the first month named (and on January), the next months by their name.
    assert months[0] in ("octobre 2013", "oct. 2013") and ("novembre" in months or "nov." in months)
    # Weeks (or days) on the row below, and no two labels on top of each other.
    assert [text for _box, text, row in labels if row == "minor"]
    boxes = [box for box, _text, _row in labels]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # Zoomed in to days, the month is still named.
    tab.zoom_actions["semaine"].trigger()
    tab.gantt.grab()
    assert [text for _box, text, row in tab.gantt.date_axis.last_labels if row == "month"]


def test_today_and_event_labels_never_overlap(main_window):
    clock.set_today(D(2013, 11, 12))  # the day before the event: the two lines almost touch
    tab = open_planning(main_window)
    tab.gantt.grab()
    boxes = dict(tab.gantt.item.marker_boxes)
    assert set(boxes) == {"jour J", "aujourd'hui"}
    assert not boxes["jour J"].intersects(boxes["aujourd'hui"])


def test_marker_labels_stack_when_close_and_stay_in_view():
    from PySide6.QtGui import QFont, QFontMetrics

    from bonsjours_desktop.ui.widgets.gantt import marker_label_boxes

    metrics = QFontMetrics(QFont())
    far = marker_label_boxes([(100, "jour J"), (400, "aujourd'hui")], metrics, 0, 0, 800)
    assert far[0].top() == far[1].top()  # room enough: side by side on one line
    close = marker_label_boxes([(100, "jour J"), (104, "aujourd'hui")], metrics, 0, 0, 800)
    assert not close[0].intersects(close[1]) and close[1].top() > close[0].top()
    edge = marker_label_boxes([(795, "aujourd'hui")], metrics, 0, 0, 800)
    assert edge[0].right() <= 795  # written left of its line rather than cut by the edge


def test_legend_names_the_chart_colours(main_window):
    clock.set_today(D(2013, 11, 1))
    tab = open_planning(main_window)
    legend = tab.gantt.legend
    assert legend.isVisible()
    labels = legend.labels()
    for expected in ("terminée", "en retard", "jalon", "jour de l’évènement", "aujourd’hui"):
        assert expected in labels
    assert "chaîne critique" not in labels
    tab.critical_check.setChecked(True)
    assert "chaîne critique" in legend.labels()
    image = legend.grab().toImage()
    assert image.height() >= legend.LINE_PX


def test_a_drop_on_a_sunday_lands_on_monday_and_undo_restores(main_window):
    clock.set_today(D(2013, 11, 1))
    tab = open_planning(main_window)
    tid = task_id(main_window, "Réunion « bilan »")  # a milestone on Tuesday 14 January 2014
    assert dates(main_window, tid) == (D(2014, 1, 14), D(2014, 1, 14))
    item = tab.gantt.item
    assert item.snap_working_days  # the setting is on by default
    item.begin_drag(tid, "move")
    assert item.update_drag(5) == (D(2014, 1, 20), D(2014, 1, 20))  # Sunday 19 → Monday 20
    item.update_drag(4)  # Saturday 18 → Friday 17
    assert item.finish_drag() == (tid, D(2014, 1, 17), D(2014, 1, 17))
    assert dates(main_window, tid) == (D(2014, 1, 17), D(2014, 1, 17))
    main_window.context.ops.undo()
    assert dates(main_window, tid) == (D(2014, 1, 14), D(2014, 1, 14))


def test_with_the_setting_off_a_drop_on_a_sunday_stays_there(main_window, qtbot):
    from bonsjours_desktop.core import working_days

    clock.set_today(D(2013, 11, 1))
    tab = open_planning(main_window)
    dialog = main_window.open_settings()
    qtbot.addWidget(dialog)
    assert dialog.snap_check.isChecked()
    dialog.snap_check.setChecked(False)
    dialog.accept()
    assert main_window.context.read(working_days.snap_enabled) is False
    assert tab.gantt.item.snap_working_days is False  # the tab re-read the setting
    tid = task_id(main_window, "Réunion « bilan »")
    tab.gantt.item.begin_drag(tid, "move")
    tab.gantt.item.update_drag(5)
    tab.gantt.item.finish_drag()
    assert dates(main_window, tid) == (D(2014, 1, 19), D(2014, 1, 19))


def test_hovering_a_public_holiday_names_it(main_window):
    clock.set_today(D(2013, 11, 1))
    item = open_planning(main_window).gantt.item

    class Hover:
        def isExit(self):
            return False

        def pos(self):
            return QPointF(day_x(D(2013, 11, 11)) + 0.5, 0)  # row 0 is a group heading: no bar

    item.hoverEvent(Hover())
    assert item.toolTip() == "lun. 11 nov. 2013 — jour férié (Armistice)"
