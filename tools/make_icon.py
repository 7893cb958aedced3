"""Draw the application icon (a green tag with two circular arrows' worth of "second life") with Qt.

Run once: `python tools/make_icon.py`; writes resources/icons/bonsjours.png and .ico (committed)."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 256
    p.setBrush(QBrush(QColor("#2e7d32")))
    p.setPen(Qt.NoPen)
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)
    pen = QPen(QColor("#ffffff"), 18 * s, Qt.SolidLine, Qt.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.NoBrush)
    arc = QRectF(48 * s, 48 * s, 160 * s, 160 * s)
    p.drawArc(arc, 30 * 16, 150 * 16)
    p.drawArc(arc, 210 * 16, 150 * 16)
    p.setBrush(QBrush(QColor("#ffffff")))
    p.setPen(Qt.NoPen)
    for tip, d in ((QPointF(197 * s, 88 * s), 1), (QPointF(59 * s, 168 * s), -1)):
        path = QPainterPath(tip + QPointF(-22 * s * d, -4 * s * d))
        path.lineTo(tip + QPointF(14 * s * d, -14 * s * d))
        path.lineTo(tip + QPointF(8 * s * d, 24 * s * d))
        path.closeSubpath()
        p.drawPath(path)
    p.setPen(QColor("#ffffff"))
    font = QFont("DejaVu Sans", int(56 * s))
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, "BJ")
    p.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "bonsjours.png"))
    draw(256).save(str(OUT / "bonsjours.ico"))
    print("icons written to", OUT)
