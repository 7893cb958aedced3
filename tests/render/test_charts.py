"""Charts for documents: drawn at their printed size with print-sized text, empty series and later editions left out."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsItem

from bonsjours_desktop.core.budget import budget_chart_data
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.render import budget_charts, charts


def _edition(session, name):
    return find_edition(session, name).id


def test_bilan_charts_are_drawn_at_their_printed_size_with_text_of_8_points_or_more(qapp, demo_db, tmp_path):
    with demo_db.session() as session:
        images = budget_charts.budget_chart_images(_edition(session, "Avril 2014"), tmp_path, session)
    assert [caption for _, caption in images] == [
        "Prévu et réel par catégorie", "Dépensé cumulé et enveloppe", "Comparaison des éditions"]
    for path, _ in images:
        image = QImage(str(path))
        dpi = image.dotsPerMeterX() * 0.0254
        assert round(dpi) == 200
        width_mm = image.width() / dpi * 25.4
        assert abs(width_mm - budget_charts.BILAN_CHART_MM[0]) < 0.5  # placed 15 cm wide: 1 pt drawn = 1 pt printed
    # The same widgets as drawn for print: every tick and legend text at least 8 pt, legends scaled with the picture.
    with demo_db.session() as session:
        data = budget_chart_data(session, _edition(session, "Avril 2014"))
    widgets = budget_charts.build_chart_widgets(data)
    for widget in widgets.values():
        charts.print_fonts(widget)
        for item in widget.ci.items:
            if isinstance(item, pg.PlotItem):
                for name in ("left", "bottom"):
                    assert item.getAxis(name).style["tickFont"].pointSizeF() >= charts.PRINT_MIN_POINTS
            if isinstance(item, pg.LegendItem):
                assert not item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
                assert all(label.opts["size"] == "8.5pt" for _, label in item.items)
        widget.deleteLater()


def test_printed_size_is_96_dpi_pixels():
    size = charts.printed_size(150, 90)
    assert (size.width(), size.height()) == (567, 340)


def test_a_series_with_nothing_in_it_is_left_out_of_the_legend(qapp, demo_db):
    with demo_db.session() as session:
        november = budget_chart_data(session, _edition(session, "Novembre 2013"))
        april = budget_chart_data(session, _edition(session, "Avril 2014"))
    assert all(not c.planned for c in november.summary.by_category)  # nothing planned left in 2013: all spent

    def legend_names(data):
        widget = budget_charts.build_chart_widgets(data)["planned_vs_actual"]
        legend = next(item for item in widget.ci.items if isinstance(item, pg.LegendItem))
        names = [label.text for _, label in legend.items]
        widget.deleteLater()
        return names

    assert legend_names(november) == ["Réel (engagé + facturé + payé)"]
    assert legend_names(april) == ["Prévu", "Réel (engagé + facturé + payé)"]


def test_a_bilan_compares_with_earlier_editions_only(qapp, demo_db, tmp_path):
    with demo_db.session() as session:
        november, april = _edition(session, "Novembre 2013"), _edition(session, "Avril 2014")
        data = budget_chart_data(session, november)
        assert [e.name for e in data.editions] == ["Novembre 2013", "Avril 2014"]  # the budget tab shows all
        assert [e.name for e in budget_charts.up_to(data, november).editions] == ["Novembre 2013"]
        assert [e.name for e in budget_charts.up_to(budget_chart_data(session, april), april).editions] == [
            "Novembre 2013", "Avril 2014"]
        images = budget_charts.budget_chart_images(november, tmp_path, session)
    assert "Comparaison des éditions" not in [caption for _, caption in images]
    assert not (tmp_path / budget_charts.CHART_FILES["editions"]).exists()
