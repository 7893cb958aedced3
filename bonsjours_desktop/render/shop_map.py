"""A simple printable map of the shops (points by coordinates) drawn offscreen with QPainter."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from ..core.documents.contexts import MapPoint

GREEN = QColor("#2E6B30")
ORANGE = QColor("#C45A00")
GREY = QColor("#8A8A8A")
# Degrees: a territory or network map (press kits) shows at least some 25 km around its shops.
LOCAL_MAP_SPAN = 0.3


def draw_shop_map(points: Sequence[MapPoint], target: Path, width: int = 1600, height: int = 1100,
                  min_span: float = 0.0) -> Path:
    """Write a PNG: one dot per shop (orange = takes part in the edition), one label per commune.

    min_span (degrees) keeps a local map at a readable scale: two shops of one town stay close
    instead of being stretched to opposite corners."""
    image = QImage(width, height, QImage.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    margin = 90
    frame = QRectF(margin / 2, margin / 2, width - margin, height - margin)
    painter.setPen(QPen(QColor("#B5C9AE"), 3))
    painter.setBrush(QColor("#F5F8F3"))
    painter.drawRoundedRect(frame, 24, 24)
    if points:
        lats = [p.latitude for p in points]
        lons = [p.longitude for p in points]
        mid_lat = math.radians((min(lats) + max(lats)) / 2)
        # Equirectangular projection: good enough at the scale of a département.
        xs = [lon * math.cos(mid_lat) for lon in lons]
        low_x, high_x = min(xs), max(xs)
        low_y, high_y = min(lats), max(lats)
        if high_x - low_x < min_span:
            low_x, high_x = (low_x + high_x - min_span) / 2, (low_x + high_x + min_span) / 2
        if high_y - low_y < min_span:
            low_y, high_y = (low_y + high_y - min_span) / 2, (low_y + high_y + min_span) / 2
        span_x = max(high_x - low_x, 1e-6)
        span_y = max(high_y - low_y, 1e-6)
        inner = frame.adjusted(margin, margin, -margin * 2.2, -margin)
        scale = min(inner.width() / span_x, inner.height() / span_y)
        offset_x = inner.left() + (inner.width() - span_x * scale) / 2
        offset_y = inner.top() + (inner.height() - span_y * scale) / 2

        def project(point: MapPoint) -> QPointF:
            x = offset_x + (point.longitude * math.cos(mid_lat) - low_x) * scale
            y = offset_y + (high_y - point.latitude) * scale
            return QPointF(x, y)

        labelled: dict[str, QPointF] = {}
        for point in sorted(points, key=lambda p: p.participates):
            position = project(point)
            painter.setPen(QPen(QColor("#FFFFFF"), 4))
            painter.setBrush(ORANGE if point.participates else GREY)
            painter.drawEllipse(position, 17, 17)
            labelled.setdefault(point.commune, position)
        font = QFont("Arial")
        font.setPixelSize(30)
        painter.setFont(font)
        painter.setPen(QColor("#222222"))
        metrics = QFontMetricsF(font)
        taken = [QRectF(p.x() - 17, p.y() - 17, 34, 34) for p in (project(q) for q in points)]
        # Greedy placement: right, left, above, below the dot; the first spot free of other labels wins.
        for commune, position in sorted(labelled.items(), key=lambda item: item[1].x()):
            text_w, text_h = metrics.horizontalAdvance(commune), metrics.height()
            candidates = [QPointF(24, -text_h / 2), QPointF(-24 - text_w, -text_h / 2),
                          QPointF(-text_w / 2, -22 - text_h), QPointF(-text_w / 2, 22),
                          QPointF(24, -text_h * 1.4), QPointF(24, text_h * 0.4)]
            chosen = None
            for offset in candidates:
                rect = QRectF(position + offset, QSizeF(text_w, text_h))
                if not any(rect.intersects(other) for other in taken):
                    chosen = rect
                    break
            chosen = chosen or QRectF(position + candidates[0], QSizeF(text_w, text_h))
            taken.append(chosen)
            painter.drawText(chosen, Qt.AlignLeft | Qt.AlignVCenter, commune)
    legend_font = QFont("Arial")
    legend_font.setPixelSize(28)
    painter.setFont(legend_font)
    y = height - margin / 2 - 40
    legend = [(ORANGE, "participe aux bons jours de l'occasion", margin)]
    if any(not p.participates for p in points):
        legend.append((GREY, "autre boutique", margin + 640))
    for color, text, x in legend:
        painter.setPen(Qt.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(QPointF(x, y), 13, 13)
        painter.setPen(QColor("#444444"))
        painter.drawText(QPointF(x + 26, y + 10), text)
    painter.end()
    from ..core.io.safe_write import atomic_write

    def save(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire l'image de la carte « {target} ».")

    return atomic_write(target, save)


def press_kit_map(session, edition_id: int, scope, points: Sequence[MapPoint], target: Path):
    """The local map of a press kit: a territory's own map (its EPCI shaded, communes, shops; render/geo_map)
    for a territory kit, the shop points for a network kit (a network spans several territories).
    Returns the PNG, or None when there is nothing to draw."""
    if getattr(scope, "territory_id", None) is not None:
        from .geo_map import territory_map_png

        try:
            return territory_map_png(session, scope.territory_id, target, (120.0, 90.0), 200, edition_id=edition_id)
        except Exception:  # noqa: BLE001 - the shop points still give a map
            import logging

            logging.getLogger(__name__).warning("Carte du territoire « %s » impossible", scope.name, exc_info=True)
    if not points:
        return None
    return draw_shop_map(points, target, min_span=LOCAL_MAP_SPAN)
