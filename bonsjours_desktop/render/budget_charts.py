"""The three budget charts (planned vs actual, cumulative vs envelope, editions) and their PNG export."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

import pyqtgraph as pg
from PySide6.QtCore import QSize

from ..core.budget import BudgetChartData, budget_chart_data
from ..core.formatting import date_short, money
from .charts import (
    PALETTE, PRINT_DPI, print_fonts, printed_size, BarSeries, EuroAxis, to_plot, FrenchDateAxis, LabelAxis, empty_message, grouped_bars, legend_below, new_chart_widget,
    new_plot_item, reference_line, save_png, step_curve, vertical_marker,
)

PLANNED_COLOR = "#9fb8d4"
ACTUAL_COLOR = "#e07b39"
CUMULATIVE_COLOR = "#2f6fb0"
# File names written by save_budget_charts, by chart key (other areas can rely on them).
CHART_FILES = {
    "planned_vs_actual": "budget-prevu-reel.png",
    "cumulative": "budget-depenses-cumulees.png",
    "editions": "budget-comparaison-editions.png",
}
CHART_TITLES = {
    "planned_vs_actual": "Prévu et réel par catégorie",
    "cumulative": "Dépensé cumulé et enveloppe",
    "editions": "Comparaison des éditions",
}


def draw_planned_vs_actual(widget: pg.GraphicsLayoutWidget, data: BudgetChartData) -> None:
    widget.clear()
    plot = new_plot_item(f"{CHART_TITLES['planned_vs_actual']} (TTC) — {data.summary.edition_name}",
                         bottom=LabelAxis("bottom"), left=EuroAxis("left"))
    widget.addItem(plot, row=0, col=0)
    categories = data.summary.by_category
    if not categories:
        empty_message(plot, "Aucune ligne de budget pour cette édition.")
        return
    grouped_bars(plot, [c.category for c in categories], [
        BarSeries("Prévu", [c.planned for c in categories], PLANNED_COLOR),
        BarSeries("Réel (engagé + facturé + payé)", [c.actual for c in categories], ACTUAL_COLOR),
    ], legend=legend_below(widget))


def draw_cumulative(widget: pg.GraphicsLayoutWidget, data: BudgetChartData) -> None:
    widget.clear()
    summary = data.summary
    # "Dépensé" = engagé + facturé + payé, as everywhere in the tab.
    plot = new_plot_item(f"{CHART_TITLES['cumulative']} (TTC) — {summary.edition_name}",
                         bottom=FrenchDateAxis(orientation="bottom"), left=EuroAxis("left"))
    widget.addItem(plot, row=0, col=0)
    points = data.cumulative
    if not points and summary.envelope is None:
        empty_message(plot, "Aucune dépense engagée, facturée ou payée pour cette édition.")
        return
    legend = legend_below(widget)
    last_day = max([p.day for p in points] + ([data.first_day] if data.first_day else []), default=None)
    step_curve(plot, [p.day for p in points], [p.total for p in points],
               "Dépenses cumulées", CUMULATIVE_COLOR, until=last_day, legend=legend)
    top = max([p.total for p in points], default=Decimal(0))
    if summary.envelope is not None:
        reference_line(plot, summary.envelope, f"Enveloppe {money(summary.envelope)}", legend=legend)
        top = max(top, summary.envelope)
    if data.first_day is not None:
        vertical_marker(plot, data.first_day, f"1er jour {date_short(data.first_day)}", legend=legend)
    days = [p.day for p in points] + ([data.first_day] if data.first_day else [])
    if days:
        start, end = min(days), max(days)
        margin = max((end - start).days * 0.05, 3)
        from .charts import timestamp

        plot.setXRange(timestamp(start - dt.timedelta(days=margin)), timestamp(end + dt.timedelta(days=margin)),
                       padding=0)
    plot.setYRange(0, to_plot(top) * 1.12 or 1, padding=0)


def draw_editions(widget: pg.GraphicsLayoutWidget, data: BudgetChartData) -> None:
    widget.clear()
    editions = data.editions
    scope = "frais généraux inclus" if data.summary.include_overheads else "hors frais généraux"
    # Titles on two lines: side by side, each plot has half the width (7 cm when printed in the bilan).
    total_plot = new_plot_item(f"Total TTC par édition<br>({scope})", bottom=LabelAxis("bottom"), left=EuroAxis("left"))
    shop_plot = new_plot_item("TTC par boutique<br>participante", bottom=LabelAxis("bottom"), left=EuroAxis("left"))
    widget.addItem(total_plot, 0, 0)
    widget.addItem(shop_plot, 0, 1)
    if not editions:
        empty_message(total_plot, "Aucune édition.")
        return
    names = [e.name for e in editions]
    grouped_bars(total_plot, names, [BarSeries("Total TTC", [e.total_ttc for e in editions], PALETTE[0])],
                 legend=None)
    per_shop = [e.cost_per_shop if e.cost_per_shop is not None else 0 for e in editions]
    grouped_bars(shop_plot, [f"{e.name}\n{e.shops} boutique{'s' if e.shops > 1 else ''}" for e in editions],
                 [BarSeries("TTC par boutique", per_shop, PALETTE[2])])


DRAWERS: dict[str, Callable[[pg.GraphicsLayoutWidget, BudgetChartData], None]] = {
    "planned_vs_actual": draw_planned_vs_actual,
    "cumulative": draw_cumulative,
    "editions": draw_editions,
}


def build_chart_widgets(data: Optional[BudgetChartData], parent=None) -> dict[str, pg.GraphicsLayoutWidget]:
    widgets = {key: new_chart_widget(parent) for key in DRAWERS}
    if data is not None:
        for key, widget in widgets.items():
            DRAWERS[key](widget, data)
    return widgets


def _read(source: Any, query: Callable):
    """source may be a Session, a Database, an OperationRunner or an AppContext."""
    from sqlalchemy.orm import Session

    if isinstance(source, Session):
        return query(source)
    if hasattr(source, "read"):
        return source.read(query)
    with source.session() as session:
        return query(session)


def _ensure_qapplication() -> None:
    """Charts need a QApplication; a command-line caller gets an offscreen one."""
    from .headless import ensure_application

    ensure_application()


def up_to(data: BudgetChartData, edition_id: int) -> BudgetChartData:
    """The chart data with only this edition and the earlier ones (a bilan never compares with the future)."""
    current = next((e for e in data.editions if e.edition_id == edition_id), None)
    if current is None or current.first_day is None:
        kept = (current,) if current is not None else ()
    else:
        kept = tuple(e for e in data.editions if e.edition_id == edition_id
                     or (e.first_day is not None and e.first_day < current.first_day))
    return dataclasses.replace(data, editions=kept)


def save_budget_charts(edition_id: int, out_dir: Path | str, source: Any, include_overheads: bool = False,
                       size: QSize = QSize(1200, 700), dpi: Optional[float] = None,
                       earlier_only: bool = False) -> dict[str, Path]:
    """Write the three budget charts of an edition as PNG files in out_dir; returns {key: path}.

    source: a Session, Database, OperationRunner or AppContext to read the budget from.
    dpi: size is the printed size (charts.printed_size), drawn at dpi with print-sized text.
    earlier_only: the editions chart shows this edition and the earlier ones only, and is left out
    when there is no earlier edition.
    """
    _ensure_qapplication()
    data = _read(source, lambda s: budget_chart_data(s, edition_id, include_overheads))
    if earlier_only:
        data = up_to(data, edition_id)
    from ..core.io.safe_write import check_output_folder

    out = check_output_folder(out_dir)
    widgets = build_chart_widgets(data)
    if earlier_only and len(data.editions) < 2:
        widgets.pop("editions").deleteLater()
    paths = {}
    try:
        for key, widget in widgets.items():
            if dpi is not None:
                print_fonts(widget)
            paths[key] = save_png(widget, out / CHART_FILES[key], size, dpi=dpi)
    finally:
        from PySide6.QtCore import QCoreApplication, QEvent

        for widget in widgets.values():
            widget.clear()
            widget.deleteLater()
        # Delete now: scenes left for interpreter shutdown crash Qt when a headless app goes away.
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return paths


# The bilan places its charts 15 cm wide (contexts.bilan_context); they are drawn at that size.
BILAN_CHART_MM = (150.0, 90.0)


def budget_chart_images(edition_id: int, out_dir: Path | str, source: Any) -> list[tuple[Path, str]]:
    """The budget charts as (PNG path, French caption) pairs, ready for the bilan document: drawn at
    their printed size (15 × 9 cm, 200 dpi, text ≥ 8 pt), compared with earlier editions only."""
    paths = save_budget_charts(edition_id, out_dir, source, size=printed_size(*BILAN_CHART_MM), dpi=PRINT_DPI,
                               earlier_only=True)
    return [(paths[key], CHART_TITLES.get(key, key)) for key in CHART_FILES if key in paths]
