"""Bar charts comparing editions (shops, visitors, costs) with pyqtgraph, each savable as a PNG."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional, Sequence

import pyqtgraph as pg
from PySide6.QtWidgets import QFileDialog, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..core.errors import BonsJoursError
from ..core.formatting import integer, money
from ..core.comparison import EditionComparison
from .charts import LIGHT_CHART, ChartStyle, restyle_chart

BAR_COLOUR = "#2e7d32"


@dataclass(frozen=True)
class Metric:
    """One compared figure: its chart title, file name, value and how its value reads."""

    key: str
    title: str
    value: Callable[[EditionComparison], Optional[int | Decimal]]
    label: Callable[[int | Decimal], str]


METRICS = [
    Metric("boutiques", "Boutiques participantes", lambda c: c.shops, lambda v: integer(int(v))),
    Metric("visiteurs", "Visiteurs (estimation)", lambda c: c.visitors if c.visitors_known else None,
           lambda v: integer(int(v))),
    Metric("cout-par-boutique", "Coût par boutique (TTC)", lambda c: c.cost_per_shop, lambda v: money(Decimal(v))),
    Metric("cout-par-visiteur", "Coût par visiteur (TTC)", lambda c: c.cost_per_visitor, lambda v: money(Decimal(v))),
]


class ComparisonChart(QWidget):
    """One bar per edition for one metric; editions without a value keep their place, without a bar."""

    def __init__(self, metric: Metric, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.spec = metric
        self.setObjectName(f"chart_{metric.key}")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setTitle(metric.title, color="#222222", size="11pt")
        self.plot.getAxis("left").setPen("#555555")
        self.plot.getAxis("left").setTextPen("#333333")
        # Fixed width: the axis would widen itself only once painted on screen, too late for a PNG.
        self.plot.getAxis("left").setWidth(56)
        self.plot.getAxis("bottom").setPen("#555555")
        self.plot.getAxis("bottom").setTextPen("#333333")
        self.plot.showGrid(y=True, alpha=0.2)
        self.plot.setMinimumHeight(180)
        self.bars: Optional[pg.BarGraphItem] = None
        self.labels: list[pg.TextItem] = []
        self.points: list[tuple[str, int | Decimal]] = []
        self.style = LIGHT_CHART  # on screen, the theme's (set_style); a saved PNG is always light

        self.save_button = QPushButton("Enregistrer en PNG…")
        self.save_button.setToolTip(f"Enregistrer le graphique « {metric.title} » en image PNG pour le rapport de bilan")
        self.save_button.clicked.connect(self.ask_and_save)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)

    def set_data(self, comparisons: Sequence[EditionComparison]) -> None:
        plot = self.plot.getPlotItem()
        if self.bars is not None:
            plot.removeItem(self.bars)
            self.bars = None
        for label in self.labels:
            plot.removeItem(label)
        self.labels = []
        self.points = []
        xs, heights = [], []
        for position, comparison in enumerate(comparisons):
            value = self.spec.value(comparison)
            if value is None:
                continue
            self.points.append((comparison.name, value))
            xs.append(position)
            # Plot coordinates only: the labels are formatted from the exact Decimal value.
            heights.append(float(value))
            text = pg.TextItem(self.spec.label(value), color="#222222", anchor=(0.5, 1.0))
            text.setPos(position, float(value))
            plot.addItem(text)
            self.labels.append(text)
        if xs:
            self.bars = pg.BarGraphItem(x=xs, height=heights, width=0.55, brush=BAR_COLOUR, pen=None)
            plot.addItem(self.bars)
        self.plot.getAxis("bottom").setTicks([[(i, c.name) for i, c in enumerate(comparisons)]])
        top = max(heights, default=1.0) or 1.0
        plot.setXRange(-0.6, max(len(comparisons), 1) - 0.4, padding=0)
        plot.setYRange(0, top * 1.2, padding=0)
        if self.style != LIGHT_CHART:
            restyle_chart(self.plot, self.style)

    def set_style(self, style: ChartStyle) -> None:
        self.style = style
        restyle_chart(self.plot, style)

    def plotted_count(self) -> int:
        """Number of bars actually drawn (one per edition that has a value)."""
        if self.bars is None:
            return 0
        return len(self.bars.opts["x"])

    def save_png(self, path: str | Path, width: int = 1000) -> Path:
        if self.style == LIGHT_CHART:
            return save_plot_png(self.plot, path, width)
        restyle_chart(self.plot, LIGHT_CHART)  # for the bilan and print: light whatever the screen's theme
        try:
            return save_plot_png(self.plot, path, width)
        finally:
            restyle_chart(self.plot, self.style)

    def ask_and_save(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, f"Enregistrer « {self.spec.title} »", f"bilan-{self.spec.key}.png", "Image PNG (*.png)"
        )
        if not target:
            return
        try:
            saved = self.save_png(target)
        except BonsJoursError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Bons Jours", str(exc))
            return
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Graphique enregistré : {saved}", 5000)


def save_plot_png(plot: pg.PlotWidget, path: str | Path, width: int = 1000) -> Path:
    """Export a plot to PNG without any dialog (works offscreen)."""
    from pyqtgraph.exporters import ImageExporter

    target = Path(path)
    if target.suffix.lower() != ".png":
        target = target.with_suffix(".png")
    exporter = ImageExporter(plot.getPlotItem())
    exporter.parameters()["width"] = int(width)
    from ..core.io.safe_write import atomic_write, check_output_folder

    check_output_folder(target.parent)

    def save(temporary: Path) -> None:
        exporter.export(str(temporary))
        if not temporary.exists() or not temporary.stat().st_size:
            raise OSError(f"Impossible d'enregistrer l'image « {target} ».")

    return atomic_write(target, save)


def render_comparison_pngs(comparisons: Sequence[EditionComparison], folder: str | Path,
                           width: int = 1000, height: int = 560) -> list[Path]:
    """Draw every comparison chart offscreen and save them as PNG files in folder (needs a QApplication)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QApplication

    paths = []
    for metric in METRICS:
        chart = ComparisonChart(metric)
        chart.set_data(comparisons)
        # Never shown: give the plot item its size ourselves (a shown widget would get it from its view),
        # then let the axes' layout settle before exporting.
        chart.plot.resize(width, height)
        chart.plot.getPlotItem().setGeometry(QRectF(0, 0, width, height))
        QApplication.processEvents()
        paths.append(chart.save_png(Path(folder) / f"bilan-{metric.key}.png", width))
        chart.deleteLater()
    return paths


class ComparisonCharts(QWidget):
    """The four comparison charts in a 2×2 grid."""

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.charts = [ComparisonChart(metric, self) for metric in METRICS]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, chart in enumerate(self.charts):
            grid.addWidget(chart, index // 2, index % 2)

    def set_data(self, comparisons: Sequence[EditionComparison]) -> None:
        for chart in self.charts:
            chart.set_data(comparisons)

    def set_style(self, style: ChartStyle) -> None:
        for chart in self.charts:
            chart.set_style(style)

    def chart(self, key: str) -> ComparisonChart:
        return next(c for c in self.charts if c.spec.key == key)

    def save_all(self, folder: str | Path, width: int = 1000) -> list[Path]:
        return [chart.save_png(Path(folder) / f"bilan-{chart.spec.key}.png", width) for chart in self.charts]

