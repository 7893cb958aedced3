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


def draw_shop_map(points: Sequence[MapPoint], target: Path, width: int = 1600, height: int = 1100) -> Path:
    """Write a PNG: one dot per shop (orange = takes part in the edition), one label per commune."""
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
        span_x = max(max(xs) - min(xs), 1e-6)
        span_y = max(max(lats) - min(lats), 1e-6)
        inner = frame.adjusted(margin, margin, -margin * 2.2, -margin)
        scale = min(inner.width() / span_x, inner.height() / span_y)
        offset_x = inner.left() + (inner.width() - span_x * scale) / 2
        offset_y = inner.top() + (inner.height() - span_y * scale) / 2

        def project(point: MapPoint) -> QPointF:
            x = offset_x + (point.longitude * math.cos(mid_lat) - min(xs)) * scale
            y = offset_y + (max(lats) - point.latitude) * scale
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
    for color, text, x in ((ORANGE, "participe aux bons jours de l'occasion", margin), (GREY, "autre boutique", margin + 640)):
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
