"""Opening a big tab: its first image comes before its slow parts (Gantt chart, comparison charts, the
Boutiques map), which are built right after while the tab is shown; and no collector pass while a tab
builds its rows (issue #24: tabs at 10 000 shops)."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt

from bonsjours_desktop.ui.collector import long_lived


def _open(main_window, title):
    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Novembre 2013", Qt.MatchStartsWith))
    return main_window.show_tab(title)


def _paint(qapp, widget):
    qapp.processEvents()  # the first image: paints the tab (and the placeholders ask for what comes next)
    widget.grab()


def test_planning_chart_is_built_after_the_first_image_while_shown(main_window, qapp):
    tab = _open(main_window, "Planning")
    assert not tab.chart_built() and tab.chart_slot.text() == "Diagramme de Gantt en préparation…"
    tab.group_combo.setCurrentIndex(tab.group_combo.findData("phase"))  # before the chart: kept for it
    tab.critical_check.setChecked(True)
    _paint(qapp, main_window)
    assert not tab.chart_built()  # not inside the first image
    qapp.processEvents()
    assert tab.chart_built()
    chart = tab.gantt
    assert tab.splitter.widget(1) is chart
    assert chart.group_by == "phase" and chart.show_critical
    assert len(chart.item.rows) > tab.model.rowCount()  # tasks and their phase groups


def test_planning_chart_waits_while_the_tab_is_hidden(main_window, qapp):
    tab = _open(main_window, "Planning")
    _paint(qapp, main_window)
    main_window.show_tab("Partenaires")  # left before the chart came
    qapp.processEvents()
    assert not tab.chart_built()
    main_window.show_tab("Planning")
    _paint(qapp, main_window)
    qapp.processEvents()
    assert tab.chart_built()


def test_planning_chart_is_built_at_once_for_whoever_asks(main_window):
    tab = _open(main_window, "Planning")
    selected = tab.model.row_at(0).id
    tab.select_tasks([selected])
    chart = tab.gantt  # e.g. a zoom button, or these tests
    assert tab.chart_built() and chart.snapshot is tab.snapshot
    assert chart.item._selected == {selected} and chart.name_axis.selected == {selected}


def test_review_comparison_charts_are_built_when_their_page_is_shown(main_window, qapp):
    tab = _open(main_window, "Bilan")
    _paint(qapp, main_window)
    assert tab._charts is None
    tab.pages.setCurrentIndex(1)
    assert tab._charts is not None and tab.charts_box.layout().indexOf(tab.charts) == 0
    assert tab.charts.chart("boutiques").plotted_count() == 2


def test_boutiques_map_is_filled_after_the_first_image_while_shown(main_window, qapp):
    tab = _open(main_window, "Boutiques")
    assert tab.map.canvas.map is None and tab.model.rowCount() == 20  # the table is there at once
    _paint(qapp, main_window)
    assert tab.map.canvas.map is None
    qapp.processEvents()
    assert len(tab.map.shown_ids()) == 20  # every shop of the demo has coordinates
    assert "boutique(s) sur la carte" in tab.map.missing_label.text()


def test_boutiques_map_waits_while_the_tab_is_hidden(main_window, qapp):
    tab = _open(main_window, "Boutiques")
    _paint(qapp, main_window)
    main_window.show_tab("Participations")
    qapp.processEvents()
    assert tab.map.canvas.map is None
    main_window.show_tab("Boutiques")
    _paint(qapp, main_window)
    qapp.processEvents()
    assert tab.map.canvas.map is not None


def test_long_lived_builds_without_collector_passes_then_freezes_what_it_built():
    passes = []

    def count(phase, _info):
        if phase == "start":
            passes.append(1)

    frozen = gc.get_freeze_count()
    gc.callbacks.append(count)
    try:
        with long_lived():
            assert not gc.isenabled()
            with long_lived():  # nested: the outer one restores
                pass
            assert not gc.isenabled()
            rows = [{"id": i, "names": [str(i)]} for i in range(50_000)]
            assert passes == []
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(count)
    assert len(passes) == 1  # the young pass that frees the build's cycles before freezing
    assert gc.get_freeze_count() >= frozen + len(rows)
