"""The three budget charts (planned vs actual, cumulative vs envelope, editions) and their PNG export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

import pyqtgraph as pg
from PySide6.QtCore import QSize

from ..core.budget import BudgetChartData, budget_chart_data
from ..core.formatting import date_short, money
from .charts import (
    PALETTE, BarSeries, EuroAxis, to_plot, FrenchDateAxis, LabelAxis, empty_message, grouped_bars, legend_below, new_chart_widget,
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
    total_plot = new_plot_item(f"Total TTC par édition ({scope})", bottom=LabelAxis("bottom"), left=EuroAxis("left"))
    shop_plot = new_plot_item("TTC par boutique participante", bottom=LabelAxis("bottom"), left=EuroAxis("left"))
    widget.addItem(total_plot, 0, 0)
    widget.addItem(shop_plot, 0, 1)
    if not editions:
        empty_message(total_plot, "Aucune édition.")
        return
    names = [e.name for e in editions]
    grouped_bars(total_plot, names, [BarSeries("Total TTC", [e.total_ttc for e in editions], PALETTE[0])],
                 legend=None)
    per_shop = [e.cost_per_shop if e.cost_per_shop is not None else 0 for e in editions]
    grouped_bars(shop_plot, [f"{e.name}\n({e.shops} boutiques)" for e in editions],
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


def save_budget_charts(edition_id: int, out_dir: Path | str, source: Any, include_overheads: bool = False,
                       size: QSize = QSize(1200, 700)) -> dict[str, Path]:
    """Write the three budget charts of an edition as PNG files in out_dir; returns {key: path}.

    source: a Session, Database, OperationRunner or AppContext to read the budget from.
    """
    _ensure_qapplication()
    data = _read(source, lambda s: budget_chart_data(s, edition_id, include_overheads))
    from ..core.io.safe_write import check_output_folder

    out = check_output_folder(out_dir)
    widgets = build_chart_widgets(data)
    paths = {}
    try:
        for key, widget in widgets.items():
            paths[key] = save_png(widget, out / CHART_FILES[key], size)
    finally:
        from PySide6.QtCore import QCoreApplication, QEvent

        for widget in widgets.values():
            widget.clear()
            widget.deleteLater()
        # Delete now: scenes left for interpreter shutdown crash Qt when a headless app goes away.
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    return paths


def budget_chart_images(edition_id: int, out_dir: Path | str, source: Any) -> list[tuple[Path, str]]:
    """The budget charts as (PNG path, French caption) pairs, ready for the bilan document."""
    paths = save_budget_charts(edition_id, out_dir, source)
    return [(paths[key], CHART_TITLES.get(key, key)) for key in CHART_FILES if key in paths]
