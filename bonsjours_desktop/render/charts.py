"""Reusable pyqtgraph charts with French labels: grouped bars, date step curves, reference lines, PNG export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem, QWidget

from ..core.formatting import MONTH_ABBR, group_thousands, money
from ..core.io.safe_write import atomic_write

BACKGROUND = "#ffffff"
FOREGROUND = "#333333"
GRID_ALPHA = 0.15
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]


@dataclass(frozen=True)
class ChartStyle:
    """A chart's surroundings: background, text and axes, muted messages. The bars and curves keep their
    colours (chosen readable on both); printed and exported charts are always drawn LIGHT."""

    background: str = BACKGROUND
    foreground: str = FOREGROUND
    axis: str = "#555555"
    muted: str = "#777777"


LIGHT_CHART = ChartStyle()
DARK_CHART = ChartStyle(background="#232629", foreground="#e8ecef", axis="#9aa5b1", muted="#9aa5b1")
MUTED = "bonsjours_muted"  # attribute of a TextItem written in the muted colour (an empty chart's message)


def restyle_chart(widget: QWidget, style: ChartStyle) -> None:
    """Repaint an already drawn chart (a GraphicsLayoutWidget or a PlotWidget) in style's colours: its
    background, titles, axes, legends and value labels."""
    widget.setBackground(style.background)
    items = widget.ci.items if isinstance(widget, pg.GraphicsLayoutWidget) else [widget.getPlotItem()]
    for item in items:
        if isinstance(item, pg.PlotItem):
            for name in ("left", "bottom", "top", "right"):
                axis = item.getAxis(name) if name in item.axes else None
                if axis is not None:
                    axis.setPen(pg.mkPen(style.axis))
                    axis.setTextPen(pg.mkPen(style.foreground))
            if item.titleLabel.isVisible() and item.titleLabel.text:
                item.titleLabel.setAttr("color", style.foreground)
                item.titleLabel.setText(item.titleLabel.text)
            for child in item.items:
                if isinstance(child, pg.TextItem):
                    child.setColor(style.muted if getattr(child, MUTED, False) else style.foreground)
            legend = item.legend
            if legend is not None:
                legend.setLabelTextColor(style.foreground)
                for _sample, label in legend.items:
                    label.setText(label.text)
        elif isinstance(item, pg.LegendItem):
            item.setLabelTextColor(style.foreground)
            for _sample, label in item.items:
                label.setText(label.text)


def to_plot(value: Decimal | int | None) -> float:
    """The one place where an exact amount becomes a float: pixel positions only, never totals."""
    return float(value) if value is not None else 0.0


def euros_short(value: float) -> str:
    """Axis tick in whole euros with French thousands: 12 500 €."""
    return f"{group_thousands(str(int(round(value))), ' ')} €"


class EuroAxis(pg.AxisItem):
    """Amount axis in euros, grouped in thousands the French way, without SI prefixes."""

    def __init__(self, orientation: str = "left", **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        # Room for "150 000 €": the automatic width is computed too late for an offscreen export.
        self.setWidth(84)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph name
        return [euros_short(v * scale) for v in values]


class LabelAxis(pg.AxisItem):
    """Category axis: one label per integer position, long labels wrapped on two lines."""

    def __init__(self, orientation: str = "bottom", **kwargs):
        super().__init__(orientation, **kwargs)
        self._labels: list[str] = []

    def set_labels(self, labels: Sequence[str]) -> None:
        self._labels = [wrap_label(label) for label in labels]
        self.setTicks([[(index, label) for index, label in enumerate(self._labels)], []])
        lines = max((label.count("\n") + 1 for label in self._labels), default=1)
        self.setHeight(18 * lines + 12)


def wrap_label(label: str, width: int = 18) -> str:
    """Split a long label on the space nearest its middle (axis ticks have little room)."""
    if len(label) <= width or " " not in label or "\n" in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return label[:cut] + "\n" + label[cut + 1:]


class FrenchDateAxis(pg.DateAxisItem):
    """Date axis with French ticks: '13/11' for days, 'nov. 2013' for months."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph name
        texts = []
        for value in values:
            try:
                day = dt.datetime.fromtimestamp(value).date()
            except (OverflowError, OSError, ValueError):
                texts.append("")
                continue
            if spacing >= 25 * 86400:
                texts.append(f"{MONTH_ABBR[day.month - 1]} {day.year}")
            else:
                texts.append(f"{day.day:02d}/{day.month:02d}")
        return texts


def timestamp(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, 12).timestamp()


def new_plot_item(title: str, bottom: Optional[pg.AxisItem] = None, left: Optional[pg.AxisItem] = None) -> pg.PlotItem:
    """A white-themed plot with a title, y grid and legend; axes chosen by the caller."""
    axes = {"bottom": bottom or pg.AxisItem("bottom"), "left": left or EuroAxis("left")}
    item = pg.PlotItem(axisItems=axes)
    item.setTitle(title, color=FOREGROUND, size="12pt")
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(FOREGROUND))
        axis.setTextPen(pg.mkPen(FOREGROUND))
    item.showGrid(x=False, y=True, alpha=GRID_ALPHA)
    item.setMenuEnabled(False)
    item.hideButtons()
    return item


def new_chart_widget(parent: Optional[QWidget] = None) -> pg.GraphicsLayoutWidget:
    widget = pg.GraphicsLayoutWidget(parent)
    widget.setBackground(BACKGROUND)
    widget.setMinimumSize(QSize(320, 220))
    return widget


@dataclass(frozen=True)
class BarSeries:
    """A named series of exact amounts, one per category, drawn in one colour."""

    name: str
    values: Sequence[Decimal]
    color: str


def legend_below(widget: pg.GraphicsLayoutWidget, row: int = 1, col: int = 0, columns: int = 3) -> pg.LegendItem:
    """A legend in its own layout row under the plot: inside the plot it would hide bars or curves."""
    legend = pg.LegendItem(colCount=columns, labelTextColor=FOREGROUND)
    widget.addItem(legend, row=row, col=col)
    # The plot row takes the spare height; the legend row only what its text needs.
    widget.ci.layout.setRowStretchFactor(row - 1, 10)
    widget.ci.layout.setRowStretchFactor(row, 0)
    return legend


def grouped_bars(plot: pg.PlotItem, labels: Sequence[str], series: Sequence[BarSeries],
                 value_labels: bool = True, legend: Optional[pg.LegendItem] = None) -> None:
    """Bars side by side per label; the exact French amount written above each bar."""
    axis = plot.getAxis("bottom")
    if isinstance(axis, LabelAxis):
        axis.set_labels(labels)
    # A series with nothing in it (no planned amount typed) would only add a legend entry for no bar.
    series = [one for one in series if any(value for value in one.values)]
    count = max(len(series), 1)
    width = 0.8 / count
    top = Decimal(0)
    for index, one in enumerate(series):
        offsets = [position - 0.4 + width * (index + 0.5) for position in range(len(labels))]
        bars = pg.BarGraphItem(x=offsets, height=[to_plot(v) for v in one.values], width=width * 0.92,
                               brush=pg.mkBrush(one.color), pen=pg.mkPen(QColor(one.color).darker(130)))
        plot.addItem(bars)
        if legend is not None:
            legend.addItem(bars, one.name)
        for x, value in zip(offsets, one.values):
            top = max(top, value)
            if value_labels and value:
                text = pg.TextItem(money(value), color=FOREGROUND, anchor=(0.5, 1.0))
                text.setFont(_small_font())
                text.setPos(x, to_plot(value))
                plot.addItem(text)
    plot.setXRange(-0.6, len(labels) - 0.4, padding=0)
    plot.setYRange(0, to_plot(top) * 1.15 or 1, padding=0)


def step_curve(plot: pg.PlotItem, days: Sequence[dt.date], totals: Sequence[Decimal], name: str, color: str,
               until: Optional[dt.date] = None, legend: Optional[pg.LegendItem] = None) -> None:
    """A running total drawn as steps (it only changes on the days money moved)."""
    xs: list[float] = []
    ys: list[float] = []
    previous = 0.0
    for day, total in zip(days, totals):
        x = timestamp(day)
        xs += [x, x]
        ys += [previous, to_plot(total)]
        previous = to_plot(total)
    if until is not None and (not days or until > days[-1]):
        xs.append(timestamp(until))
        ys.append(previous)
    curve = pg.PlotDataItem(xs, ys, pen=pg.mkPen(color, width=3), name=name)
    plot.addItem(curve)
    if legend is not None:
        legend.addItem(curve, name)
    if days:
        dots = pg.ScatterPlotItem([timestamp(d) for d in days], [to_plot(t) for t in totals], size=8,
                                  brush=pg.mkBrush(color), pen=pg.mkPen("w"))
        plot.addItem(dots)


def reference_line(plot: pg.PlotItem, value: Decimal, label: str, color: str = "#c0392b",
                   legend: Optional[pg.LegendItem] = None) -> pg.InfiniteLine:
    """A dashed horizontal line (an envelope, a target), named in the plot's legend."""
    pen = pg.mkPen(color, width=2, style=Qt.DashLine)
    line = pg.InfiniteLine(pos=to_plot(value), angle=0, movable=False, pen=pen)
    plot.addItem(line)
    _legend_entry(legend, pen, label)
    return line


def vertical_marker(plot: pg.PlotItem, day: dt.date, label: str, color: str = "#555555",
                    legend: Optional[pg.LegendItem] = None) -> pg.InfiniteLine:
    """A dotted vertical line on a day (the event), named in the plot's legend."""
    pen = pg.mkPen(color, width=1.5, style=Qt.DotLine)
    line = pg.InfiniteLine(pos=timestamp(day), angle=90, movable=False, pen=pen)
    plot.addItem(line)
    _legend_entry(legend, pen, label)
    return line


def _legend_entry(legend: Optional[pg.LegendItem], pen, label: str) -> None:
    # Labels drawn on the lines collide with the curve; an empty curve with the same pen names them in the legend.
    if legend is not None:
        legend.addItem(pg.PlotDataItem([], [], pen=pen), label)


def empty_message(plot: pg.PlotItem, text: str) -> None:
    message = pg.TextItem(text, color=LIGHT_CHART.muted, anchor=(0.5, 0.5))
    setattr(message, MUTED, True)
    plot.addItem(message)
    message.setPos(0.5, 0.5)
    plot.setXRange(0, 1)
    plot.setYRange(0, 1)


def _small_font() -> QFont:
    font = QFont()
    font.setPointSize(8)
    return font


# Charts printed in documents: drawn at their printed size, so a point is a printed point.
SCREEN_DPI = 96.0
PRINT_DPI = 200.0
PRINT_MIN_POINTS = 8.0  # no text of a printed chart is smaller


def printed_size(width_mm: float, height_mm: float) -> QSize:
    """The widget size (in 96-dpi pixels) of a chart printed width_mm × height_mm: fonts then print at
    their own point size, whatever the picture's resolution."""
    return QSize(round(width_mm / 25.4 * SCREEN_DPI), round(height_mm / 25.4 * SCREEN_DPI))


def print_fonts(widget: pg.GraphicsLayoutWidget, points: float = 8.5) -> None:
    """Every text of a chart (axis ticks, legends) at least points: read on paper, not on a screen."""
    font = QFont()
    font.setPointSizeF(max(points, PRINT_MIN_POINTS))
    for item in widget.ci.items:
        if isinstance(item, pg.PlotItem):
            for name in ("left", "bottom"):
                item.getAxis(name).setStyle(tickFont=font)
            item.titleLabel.setText(item.titleLabel.text, size=f"{font.pointSizeF() + 1.5:g}pt")
        elif isinstance(item, pg.LegendItem):
            # A legend ignores transformations (it keeps its size when the view zooms): drawn into a
            # scaled-up picture it would stay at screen size, half the printed size.
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
            for _, label in item.items:
                label.setText(label.text, size=f"{font.pointSizeF():g}pt")


def save_png(widget: QWidget, path: Path, size: QSize = QSize(1200, 700), dpi: Optional[float] = None) -> Path:
    """Render a chart widget to PNG at a fixed size, shown or not (works headless with offscreen Qt).

    With dpi, size is the printed size (see printed_size) and the picture is drawn at dpi: a chart for
    a document, sharp on paper with text at its real point size."""
    from PySide6.QtGui import QImage, QPainter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = widget.size()
    widget.resize(size)
    # A hidden widget lays itself out only when asked: do it so the scene fits the new size.
    widget.ensurePolished()
    if widget.layout() is not None:
        widget.layout().activate()
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    if dpi is None:
        picture = widget.grab()
    else:
        # The scene laid out at the printed size, drawn scaled up (vector): sharp, same proportions.
        widget.grab()  # a hidden widget gets its pending resize (and lays its scene out) only when drawn
        ratio = dpi / SCREEN_DPI
        picture = QImage(round(size.width() * ratio), round(size.height() * ratio), QImage.Format_ARGB32)
        # Text is laid out for 96 dpi (a new QImage says 72: its point sizes would shrink by a quarter).
        picture.setDotsPerMeterX(round(SCREEN_DPI / 0.0254))
        picture.setDotsPerMeterY(round(SCREEN_DPI / 0.0254))
        picture.fill(QColor(BACKGROUND))
        source = widget.mapToScene(widget.viewport().rect()).boundingRect()
        painter = QPainter(picture)
        try:
            painter.setRenderHint(QPainter.Antialiasing, True)
            painter.setRenderHint(QPainter.TextAntialiasing, True)
            widget.scene().render(painter, QRectF(picture.rect()), source)
        finally:
            painter.end()
        # Only now the real resolution: drawing on a 200-dpi device would enlarge the text again.
        picture.setDotsPerMeterX(round(dpi / 0.0254))
        picture.setDotsPerMeterY(round(dpi / 0.0254))

    def save(temporary: Path) -> None:
        if not picture.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire l'image « {path} ».")

    atomic_write(path, save)
    if widget.isVisible():
        widget.resize(previous)
    return path
