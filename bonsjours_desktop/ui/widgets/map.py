"""Map of the shops in the Boutiques tab: the département drawn by render/geo_map.py, with zoom, pan,
hover tooltip and click to select."""

from __future__ import annotations

from collections import Counter

from html import escape
from typing import Callable, Optional, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPixmap, QTransform, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QVBoxLayout, QWidget

from ...core.formatting import count as grouped
from ...core.shops import ShopRow
from .after_first_image import AfterFirstImage
from ...render.geo_map import DARK, LIGHT, NO_NETWORK, DepartementMap, Marker, network_colour

__all__ = ["ShopMap", "network_colour", "NO_NETWORK"]


def _tip_text(row: ShopRow) -> str:
    lines = [row.name, f"{row.network or NO_NETWORK} – {row.commune}"]
    if row.address:
        lines.append(row.address)
    if row.opening_hours_text:
        lines.append(f"Ouverture : {row.opening_hours_text}")
    if row.coordinates_approximate:
        lines.append("Position approximative (centre de la commune)")
    if row.participates:
        lines.append("Participe à l'édition en cours")
    return "\n".join(lines)


class MapCanvas(QWidget):
    """Paints a DepartementMap; wheel zooms at the cursor, drag pans, double-click fits again."""

    marker_clicked = Signal(object)  # Marker

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("shopMap")
        self.setMouseTracking(True)
        self.setMinimumSize(240, 200)
        self.map: Optional[DepartementMap] = None
        self.zoom = 1.0
        self.pan = QPointF(0, 0)
        self.selected: Optional[int] = None
        self.drawn: list[Marker] = []
        self._press: Optional[QPointF] = None
        self._dragged = False
        # The last image painted and what it showed: Qt repaints the canvas when the table beside it
        # relayouts (each search keystroke); redrawing 10 000 shops took ~15 ms, copying the image ~1 ms.
        self._image: Optional[tuple[object, tuple, QPixmap, list[Marker]]] = None

    def transform(self) -> QTransform:
        base = self.map.fit(QRectF(self.rect()))
        view = QTransform()
        view.translate(self.pan.x(), self.pan.y())
        view.scale(self.zoom, self.zoom)
        return base * view

    def reset_view(self) -> None:
        self.zoom, self.pan = 1.0, QPointF(0, 0)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        dark = bool(QApplication.instance().property("bonsjours_dark"))
        if self.map is None:  # not filled yet (ShopMap.fill_later): the map's ground, in the theme's colours
            painter = QPainter(self)
            try:
                painter.fillRect(self.rect(), QColor((DARK if dark else LIGHT).background))
            finally:
                painter.end()
            self.parent().waiting_painted()
            return
        transform = self.transform()
        ratio = self.devicePixelRatioF()
        key = (self.map.version, transform.m11(), transform.m22(), transform.dx(), transform.dy(),
               self.width(), self.height(), ratio, dark, self.selected)
        if self._image is None or self._image[0] is not self.map or self._image[1] != key:
            image = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.transparent)
            painter = QPainter(image)
            try:
                drawn = self.map.paint(painter, QRectF(self.rect()), transform, DARK if dark else LIGHT,
                                       selected=self.selected, label_font_px=12.0)
            finally:
                painter.end()
            self._image = (self.map, key, image, drawn)
        painter = QPainter(self)
        try:
            painter.drawPixmap(0, 0, self._image[2])
        finally:
            painter.end()
        self.drawn = self._image[3]

    def markers(self) -> list[Marker]:
        """The markers as drawn at the current size and zoom (computed if not painted yet)."""
        return self.map.markers(self.transform()) if self.map is not None else []

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        new_zoom = min(40.0, max(0.5, self.zoom * factor))
        factor = new_zoom / self.zoom
        cursor = event.position()
        # keep the point under the cursor in place
        self.pan = cursor - (cursor - self.pan) * factor
        self.zoom = new_zoom
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press, self._dragged = event.position(), False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is not None:  # between press and release: a drag
            delta = event.position() - self._press
            if self._dragged or abs(delta.x()) + abs(delta.y()) > 4:
                self._dragged = True
                self.pan += delta
                self._press = event.position()
                self.update()
            return
        marker = self.map.marker_at(self.drawn or self.markers(), event.position()) if self.map else None
        if marker is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self.parent().tip_for(marker), self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press is not None and not self._dragged and self.map is not None:
            marker = self.map.marker_at(self.drawn or self.markers(), event.position())
            if marker is not None:
                self.marker_clicked.emit(marker)
        self._press = None

    def mouseDoubleClickEvent(self, _event: QMouseEvent) -> None:  # noqa: N802
        self.reset_view()


class ShopMap(QWidget):
    """The département with the shops shown in the table; emits shop_clicked(id) on a click."""

    shop_clicked = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.canvas = MapCanvas(self)
        self.canvas.marker_clicked.connect(self._on_marker_clicked)
        self.rows: dict[int, ShopRow] = {}
        self.departement = ""
        self._first_fill = AfterFirstImage(self)
        self.missing_count = 0
        # The legend sits under the map rather than over it, so it never hides a shop.
        self.legend_label = QLabel(objectName="mapLegend", wordWrap=True)
        self.legend_label.setTextFormat(Qt.RichText)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("mapMissingLabel")
        self.missing_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.missing_label)
        from .. import theme

        theme.notifier().changed.connect(self._theme_changed)

    def _theme_changed(self, _dark: bool) -> None:
        self.canvas.update()  # the canvas paints in the theme's map style (render/geo_map.py DARK/LIGHT)

    # -- the first filling, after the first image ------------------------------------------------

    def fill_later(self, fill: Callable[[], None]) -> None:
        """Call fill() (which calls set_shops) once the empty map has been painted, if it is still shown.

        The first map of 10 000 shops costs ~70 ms (placing and painting the shops; the département's
        geometry is usually ready: main_window.prepare_map_in_background): the Boutiques tab shows its table first, the map
        right after. Anything calling set_shops before that makes it needless."""

        def fill_and_paint() -> None:
            fill()
            # Laid out and painted now, in this idle moment, rather than in whatever the user does next
            # (the legend's new lines make the canvas shorter: painted before, it was painted twice).
            self.layout().activate()
            self.canvas.repaint()

        self._first_fill.set(fill_and_paint)
        self.canvas.update()

    def waiting(self) -> bool:
        """True while the first filling asked with fill_later has not been done."""
        return self._first_fill.pending()

    def waiting_painted(self) -> None:
        self._first_fill.painted()

    def set_departement(self, code: str) -> None:
        if code != self.departement or self.canvas.map is None:
            self.departement = code
            self.canvas.map = DepartementMap(code)
            self.canvas.reset_view()

    def set_shops(self, rows: Sequence[ShopRow], departement: Optional[str] = None) -> None:
        """Show these shops; those of the current edition are larger with a dark outline."""
        self._first_fill.cancel()
        if departement is not None or self.canvas.map is None:
            self.set_departement(departement or self.departement or "49")
        self.rows = {row.id: row for row in rows}
        placed = [r for r in rows if r.latitude is not None and r.longitude is not None]
        self.canvas.map.set_shops(placed)  # a ShopRow has MapShop's attributes
        self.canvas.drawn = []
        missing = len(rows) - len(placed)
        networks = self.canvas.map.networks
        legend = []
        counts = Counter(r.network or NO_NETWORK for r in placed)
        for network in networks:
            colour = network_colour(network, networks)
            # one entry never broken across lines (Qt breaks at the narrow no-break space of « 7 638 »)
            legend.append(f"<span style='white-space:nowrap'><span style='color:{colour.name()}; font-size:15px'>●"
                          f"</span>&nbsp;{escape(network).replace(' ', '&nbsp;')}&nbsp;({grouped(counts[network])})</span>")
        if any(r.coordinates_approximate for r in placed):
            legend.append("○&nbsp;position&nbsp;approximative")
        self.legend_label.setText(" &nbsp; ".join(legend))
        name = self.canvas.map.departement.name
        if not rows:
            self.missing_label.setText(f"{name} : aucune boutique à afficher.")
        else:
            participating = sum(1 for r in placed if r.participates)
            parts = [f"{grouped(len(placed))} boutique(s) sur la carte de {name}"]
            if participating:
                parts.append(f"{grouped(participating)} de l'édition en cours (gros points cerclés)")
            if missing:
                parts.append(f"{grouped(missing)} sans coordonnées (non placée(s) : complétez la commune ou la position)")
            self.missing_label.setText(" ; ".join(parts) + ".")
        self.missing_count = missing
        self.canvas.update()

    def tip_for(self, marker: Marker) -> str:
        if len(marker.shops) == 1:
            row = self.rows.get(marker.shops[0].id)
            return _tip_text(row) if row else marker.shops[0].name
        names = sorted(s.name for s in marker.shops)
        shown = names[:12] + ([f"… et {grouped(len(names) - 12)} autres"] if len(names) > 12 else [])
        return f"{grouped(len(names))} boutiques (zoomez pour les séparer) :\n" + "\n".join(shown)

    def shown_ids(self) -> set[int]:
        return {s.id for s in self.canvas.map.shops} if self.canvas.map else set()

    def _on_marker_clicked(self, marker: Marker) -> None:
        if len(marker.shops) == 1:
            self.shop_clicked.emit(marker.shops[0].id)
        else:
            # a counted group: zoom in on it
            self.canvas.zoom = min(40.0, self.canvas.zoom * 2)
            self.canvas.pan = marker.position - (marker.position - self.canvas.pan) * 2
            self.canvas.update()

    def set_selected(self, shop_id: Optional[int]) -> None:
        if shop_id == self.canvas.selected:
            return  # a search keystroke resets the table (current row: none again): no map repaint for that
        self.canvas.selected = shop_id
        self.canvas.update()

    def marker_of(self, shop_id: int) -> Optional[Marker]:
        """The marker a shop is drawn in (for tests and hover)."""
        for marker in self.canvas.markers():
            if any(s.id == shop_id for s in marker.shops):
                return marker
        return None
