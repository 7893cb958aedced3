"""The cost curves of results.json as a PNG: each figure against the scale, on log-log axes, relative to its
value at the smallest scale, beside the line of linear growth (drawn with QPainter, offscreen)."""

from __future__ import annotations

import math
from pathlib import Path

# Distinct colours for up to a dozen curves (Okabe–Ito, then darker tones).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B", "#7F7F7F",
           "#BCBD22", "#17BECF", "#9467BD"]


def draw_curves(curves: dict[str, dict], path: Path, width: int = 1500, height: int = 820) -> Path:
    """Draw every curve with at least two measured points into path (PNG); returns path."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

    from bonsjours_desktop.core.io.safe_write import atomic_write
    from bonsjours_desktop.render.headless import ensure_application

    ensure_application()
    lines = []
    for name, curve in curves.items():
        points = [(p["factor"], p["value"]) for p in curve["points"] if p["value"] and p["value"] > 0]
        if len(points) >= 2:
            base = points[0][1]
            lines.append((name, curve, [(f, v / base) for f, v in points]))
    factors = sorted({f for _, _, pts in lines for f, _ in pts}) or [1.0, 10.0]
    low_f, high_f = factors[0], factors[-1] if factors[-1] > factors[0] else factors[0] * 10
    ratios = [r for _, _, pts in lines for _, r in pts] + [1.0, high_f / low_f]
    low_r, high_r = min(ratios) / 1.3, max(ratios) * 1.3

    image = QImage(width, height, QImage.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        font = QFont("DejaVu Sans")
        font.setPixelSize(14)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        legend_width = 470
        plot = QRectF(80, 50, width - 80 - legend_width - 30, height - 50 - 70)

        def x_of(factor: float) -> float:
            return plot.left() + plot.width() * math.log(factor / low_f) / math.log(high_f / low_f)

        def y_of(ratio: float) -> float:
            return plot.bottom() - plot.height() * math.log(ratio / low_r) / math.log(high_r / low_r)

        title = QFont(font)
        title.setPixelSize(17)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(0, 8, width, 30), Qt.AlignHCenter,
                         "Coût selon l'échelle de la base (relatif à la plus petite échelle, axes logarithmiques)")
        painter.setFont(font)
        painter.setPen(QPen(QColor("#DDDDDD"), 1))
        for factor in factors:
            painter.drawLine(QPointF(x_of(factor), plot.top()), QPointF(x_of(factor), plot.bottom()))
        decade = 10 ** math.floor(math.log10(low_r))
        ticks = []
        while decade <= high_r:
            for step in (1, 2, 5):
                value = decade * step
                if low_r <= value <= high_r:
                    ticks.append(value)
            decade *= 10
        for value in ticks:
            painter.drawLine(QPointF(plot.left(), y_of(value)), QPointF(plot.right(), y_of(value)))
        painter.setPen(QPen(QColor("#444444"), 1.2))
        painter.drawRect(plot)
        painter.setPen(QColor("#333333"))
        for factor in factors:
            label = f"{factor:g}".replace(".", ",") + "×"
            painter.drawText(QPointF(x_of(factor) - metrics.horizontalAdvance(label) / 2, plot.bottom() + 20), label)
        for value in ticks:
            label = f"{value:g}".replace(".", ",") + "×"
            painter.drawText(QPointF(plot.left() - 8 - metrics.horizontalAdvance(label), y_of(value) + 5), label)
        painter.drawText(QRectF(0, plot.bottom() + 30, width, 24), Qt.AlignHCenter,
                         "échelle de la base (1× = 1 000 boutiques, 3 000 tâches, 10 000 lignes de budget, "
                         "500 organismes)")
        # linear growth: the cost multiplied by the scale
        linear = QPen(QColor("#888888"), 2, Qt.DashLine)
        painter.setPen(linear)
        painter.drawLine(QPointF(x_of(low_f), y_of(1.0)), QPointF(x_of(high_f), y_of(high_f / low_f)))
        legend_y = plot.top()
        legend_x = plot.right() + 25
        painter.drawLine(QPointF(legend_x, legend_y + 8), QPointF(legend_x + 30, legend_y + 8))
        painter.setPen(QColor("#333333"))
        painter.drawText(QPointF(legend_x + 38, legend_y + 13), "croissance linéaire")
        legend_y += 26
        for index, (name, curve, points) in enumerate(lines):
            colour = QColor(PALETTE[index % len(PALETTE)])
            # past the palette, the colours come again dashed: every curve stays told apart
            style = Qt.SolidLine if index < len(PALETTE) else Qt.DashLine
            painter.setPen(QPen(colour, 2.4, style))
            line = QPainterPath(QPointF(x_of(points[0][0]), y_of(points[0][1])))
            for factor, ratio in points[1:]:
                line.lineTo(QPointF(x_of(factor), y_of(ratio)))
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(line)
            painter.setBrush(colour)
            for factor, ratio in points:
                painter.drawEllipse(QPointF(x_of(factor), y_of(ratio)), 4, 4)
            painter.setPen(QPen(colour, 2.4, style))
            painter.drawLine(QPointF(legend_x, legend_y + 8), QPointF(legend_x + 30, legend_y + 8))
            painter.setPen(QColor("#333333"))
            exponent = curve.get("exponent")
            text = name + (f" (pente {exponent:.2f})".replace(".", ",") if exponent is not None else "")
            painter.drawText(QPointF(legend_x + 38, legend_y + 13), text)
            legend_y += 24
    finally:
        painter.end()

    def save(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire « {path} ».")

    return atomic_write(Path(path), save)
