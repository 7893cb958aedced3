"""Dark theme: a quick switch under a busy cursor, and the Gantt, the map and the charts follow it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from bonsjours_desktop.core import clock
from bonsjours_desktop.ui import theme


def lightness(widget, x=None, y=None) -> int:
    """Lightness (0–255) of a pixel of the widget as drawn (near its bottom-right corner by default)."""
    image = widget.grab().toImage()
    x = image.width() - 6 if x is None else x
    y = image.height() - 6 if y is None else y
    return image.pixelColor(x, y).lightness()


def budget_charts(main_window):
    tab = main_window.show_tab("Budget")
    tab.inner_tabs.setCurrentWidget(tab.charts_page)
    return tab._charts


def test_gantt_map_and_charts_turn_dark_and_back(main_window):
    clock.set_today(dt.date(2013, 11, 1))
    gantt = main_window.show_tab("Planning").gantt
    canvas = main_window.show_tab("Boutiques").map.canvas
    charts = budget_charts(main_window)
    chart = charts["planned_vs_actual"]
    # The Gantt's empty area under its last row, the map's corner, the chart's corner: light first.
    assert lightness(gantt.plot) > 200 and lightness(chart) > 200 and lightness(canvas, 3, 3) > 200
    main_window.action_dark.setChecked(True)
    assert lightness(gantt.plot) < 80
    assert lightness(gantt.legend) < 80
    assert lightness(chart) < 80
    assert lightness(canvas, 3, 3) < 80
    main_window.action_dark.setChecked(False)
    assert lightness(gantt.plot) > 200 and lightness(chart) > 200 and lightness(canvas, 3, 3) > 200


def test_tabs_built_in_the_dark_start_dark(main_window):
    main_window.action_dark.setChecked(True)
    gantt = main_window.show_tab("Planning").gantt
    assert lightness(gantt.plot) < 80
    review = main_window.show_tab("Bilan")
    assert lightness(review.charts.charts[0].plot) < 80


def test_switch_shows_a_busy_cursor_and_leaves_no_application_style_sheet(main_window, monkeypatch):
    cursors = []
    original = QApplication.setOverrideCursor
    monkeypatch.setattr(QApplication, "setOverrideCursor", lambda cursor: cursors.append(cursor) or original(cursor))
    main_window.action_dark.setChecked(True)
    assert cursors and cursors[0] == Qt.WaitCursor
    assert QApplication.overrideCursor() is None  # restored
    # The style sheet is on the window's pieces: on the application, Qt re-polished every widget once per
    # ancestor at each switch (5 s with the nine tabs built).
    assert QApplication.instance().styleSheet() == ""
    assert main_window.tab_widget.currentWidget().styleSheet() == theme.stylesheet(True)
    assert "Thème sombre" in main_window.statusBar().currentMessage()


def test_a_tab_hidden_during_the_switch_is_restyled_when_shown(main_window):
    budget = main_window.show_tab("Budget")
    main_window.show_tab("Boutiques")
    main_window.action_dark.setChecked(True)
    assert budget.styleSheet() == theme.stylesheet(False)  # not shown: not re-styled yet
    main_window.show_tab("Budget")
    assert budget.styleSheet() == theme.stylesheet(True)


def test_dialogs_of_the_window_take_the_theme(main_window, qtbot):
    main_window.action_dark.setChecked(True)
    dialog = main_window.open_settings()
    qtbot.addWidget(dialog)
    assert dialog.styleSheet() == theme.stylesheet(True)
    dialog.reject()


def test_saved_comparison_chart_stays_light_in_the_dark(main_window, tmp_path):
    from PySide6.QtGui import QImage

    main_window.action_dark.setChecked(True)
    chart = main_window.show_tab("Bilan").charts.charts[0]
    path = chart.save_png(tmp_path / "boutiques.png", width=600)
    image = QImage(str(path))
    assert image.pixelColor(image.width() - 3, image.height() - 3).lightness() > 200
    assert lightness(chart.plot) < 80  # the screen stays dark
