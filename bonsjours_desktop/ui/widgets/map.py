"""Map of the shops (pyqtgraph): points coloured by network, legend, hover tooltip, click to select."""

from __future__ import annotations

import math
from html import escape
from typing import Optional, Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.models import NETWORKS
from ...core.shops import ShopRow

# Distinct colours readable on a light background; reference networks keep the same colour.
PALETTE = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173",
]
NO_NETWORK = "Sans réseau"


def network_colour(network: str, others: Sequence[str] = ()) -> QColor:
    if network in NETWORKS:
        return QColor(PALETTE[NETWORKS.index(network) % len(PALETTE)])
    extra = sorted(set(others) - set(NETWORKS))
    index = len(NETWORKS) + (extra.index(network) if network in extra else 0)
    return QColor(PALETTE[index % len(PALETTE)])


def _tip_text(row: ShopRow) -> str:
    lines = [row.name, f"{row.network or NO_NETWORK} – {row.commune}"]
    if row.address:
        lines.append(row.address)
    if row.opening_hours_text:
        lines.append(f"Ouverture : {row.opening_hours_text}")
    if row.participates:
        lines.append("Participe à l'édition en cours")
    return "\n".join(lines)


class ShopMap(QWidget):
    """Shops placed by longitude/latitude; emits shop_clicked(id) when a point is clicked."""

    shop_clicked = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("shopMap")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setLabel("bottom", "Longitude")
        self.plot.setLabel("left", "Latitude")
        self.plot.setMenuEnabled(False)
        self.plot.getPlotItem().hideButtons()
        self.selected_item = pg.ScatterPlotItem(size=22, pen=pg.mkPen("#000", width=2), brush=pg.mkBrush(0, 0, 0, 0))
        self.selected_item.setZValue(10)
        self.plot.addItem(self.selected_item)
        self.items: dict[str, pg.ScatterPlotItem] = {}
        self.rows: dict[int, ShopRow] = {}
        # The legend sits under the plot rather than over it, so it never hides a shop.
        self.legend_label = QLabel(objectName="mapLegend", wordWrap=True)
        self.legend_label.setTextFormat(Qt.RichText)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("mapMissingLabel")
        self.missing_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.missing_label)

    def set_shops(self, rows: Sequence[ShopRow]) -> None:
        """Show these shops; those of the current edition are larger with a dark outline."""
        for item in self.items.values():
            self.plot.removeItem(item)
        self.items.clear()
        legend: list[str] = []
        self.rows = {row.id: row for row in rows}
        placed = [r for r in rows if r.latitude is not None and r.longitude is not None]
        missing = len(rows) - len(placed)
        networks = sorted({r.network or NO_NETWORK for r in placed}, key=lambda n: (n == NO_NETWORK, n.casefold()))
        for network in networks:
            colour = network_colour(network, networks)
            spots = []
            for row in placed:
                if (row.network or NO_NETWORK) != network:
                    continue
                spots.append({
                    "pos": (row.longitude, row.latitude),
                    "data": row.id,
                    "size": 14 if row.participates else 9,
                    "pen": pg.mkPen("#202020", width=2) if row.participates else pg.mkPen(colour.darker(130), width=1),
                })
            item = pg.ScatterPlotItem(hoverable=True, tip=self._tip, hoverSize=18, brush=pg.mkBrush(colour))
            item.addPoints(spots)
            item.sigClicked.connect(self._on_clicked)
            self.plot.addItem(item)
            self.items[network] = item
            legend.append(
                f"<span style='color:{colour.name()}; font-size:15px'>●</span>&nbsp;{escape(network).replace(' ', '&nbsp;')}&nbsp;({len(spots)})"
            )
        self.legend_label.setText(" &nbsp; ".join(legend))
        participating = sum(1 for r in placed if r.participates)
        parts = [f"{len(placed)} boutique(s) sur la carte"]
        if participating:
            parts.append(f"{participating} de l'édition en cours (gros points cerclés)")
        parts.append(
            f"{missing} sans coordonnées (non placée(s) : complétez latitude et longitude)" if missing
            else "toutes ont des coordonnées"
        )
        self.missing_label.setText(" ; ".join(parts) + ".")
        self.missing_count = missing
        if placed:
            mean_lat = sum(r.latitude for r in placed) / len(placed)
            # One degree of longitude is shorter than one of latitude by cos(latitude).
            self.plot.setAspectLocked(True, ratio=1 / max(0.1, math.cos(math.radians(mean_lat))))
            self.plot.autoRange(padding=0.08)
        self.set_selected(None)

    def _tip(self, x: float, y: float, data: int) -> str:
        row = self.rows.get(data)
        return _tip_text(row) if row else ""

    def _on_clicked(self, _item, points, _event) -> None:
        if len(points):
            self.shop_clicked.emit(int(points[0].data()))

    def set_selected(self, shop_id: Optional[int]) -> None:
        row = self.rows.get(shop_id) if shop_id is not None else None
        if row is not None and row.latitude is not None and row.longitude is not None:
            self.selected_item.setData([{"pos": (row.longitude, row.latitude)}])
        else:
            self.selected_item.setData([])

    def points_of(self, shop_id: int):
        """The scatter point of a shop (for tests and hover)."""
        for item in self.items.values():
            for point in item.points():
                if point.data() == shop_id:
                    return item, point
        return None, None
