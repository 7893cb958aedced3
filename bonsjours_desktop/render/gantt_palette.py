"""The Gantt chart's palette and painter helpers, shared by the screen chart (ui) and its print (render)."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPen

from ..core.planning import TaskRow

NO_BRUSH = QBrush()
NO_PEN = QPen(Qt.NoPen)

# PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a method returning
# None (QPainter.drawRect, setPen, QRectF.setWidth...): after enough calls None's count reaches zero
# and the interpreter aborts ("none_dealloc"). A chart of 2 000 tasks makes ~15 000 such calls per
# drawing. Until the pinned PySide6 is fixed (Python >= 3.12 makes None immortal), the painting code
# tops up None's count; each top-up costs 8 MB and lasts ~1 million painter calls.
_NONE_REFS: list[None] = []
_NONE_FLOOR = 300_000


def _leaky_pyside() -> bool:
    import PySide6

    return sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) == (6, 12)


_LEAKY = _leaky_pyside()  # pyproject pins PySide6 < 6.12; this guards installs that ignored the pin


def keep_none_alive() -> None:
    if _LEAKY and sys.getrefcount(None) < _NONE_FLOOR:
        _NONE_REFS.extend([None] * 1_000_000)


@dataclass(frozen=True)
class GanttColours:
    """The chart's palette, shared by the screen and the printed/exported chart (which stays light)."""

    bar: str = "#a9c8ea"
    bar_fill: str = "#2f6fb0"
    done: str = "#c4dfc2"
    done_fill: str = "#4c8c4a"
    late: str = "#f7c99a"
    late_fill: str = "#d9480f"
    outline: str = "#35577d"
    critical: str = "#c92a2a"
    milestone: str = "#6741a8"
    milestone_outline: str = "#2b1d4a"
    event: str = "#ffe8a3"
    event_line: str = "#e8a100"
    event_text: str = "#9a6700"
    group: str = "#e9edf2"
    today: str = "#d6336c"
    today_text: str = "#b02a5a"
    arrow: str = "#7a8594"
    selection: str = "#4dabf7"
    # The screen chart's surroundings: background, text, axis, grid, days off, marker labels.
    background: str = "#ffffff"
    text: str = "#1f2933"
    axis: str = "#5f6b7a"
    grid_month: str = "#d5dbe3"
    grid_week: str = "#eef1f4"
    day_off: str = "#f3f5f8"
    label_background: str = "#d7ffffff"  # #AARRGGBB
    divider: str = "#c5ccd6"


COLOURS = GanttColours()
# The same meanings on a dark background: pale bars would glare, so fills are deep and outlines light.
DARK_COLOURS = GanttColours(
    bar="#2d4d70", bar_fill="#7fb3ea", done="#2f5530", done_fill="#8fd18c", late="#7a3b12", late_fill="#ff8a4c",
    outline="#a9c8ea", critical="#ff6b6b", milestone="#b197fc", milestone_outline="#e5dbff", event="#4d4114",
    event_line="#ffc43d", event_text="#ffc43d", today_text="#ff8fb4", group="#31363b", today="#ff6b9d", arrow="#9aa5b1", selection="#4dabf7",
    background="#232629", text="#e8ecef", axis="#9aa5b1", grid_month="#4a525a", grid_week="#30363c",
    day_off="#2a2e32", label_background="#d7232629", divider="#4a525a",
)


def gantt_colours(dark: bool = False) -> GanttColours:
    return DARK_COLOURS if dark else COLOURS


def legend_items(critical: bool = False, colours: GanttColours = COLOURS) -> list[tuple[str, str, str]]:
    """(colour, label, shape) of each legend entry: every colour and mark the chart uses (screen and print)."""
    items = [
        (colours.bar, "à faire / en cours (trait foncé : avancement)", "bar"), (colours.done, "terminée", "bar"),
        (colours.late, "en retard", "bar"), (colours.milestone, "jalon", "diamond"),
        (colours.event, "jour de l’évènement", "band"), (colours.today, "aujourd’hui", "dashed"),
        (colours.arrow, "dépendance", "arrow"),
    ]
    if critical:
        items.append((colours.critical, "chaîne critique", "frame"))
    return items


def paint_swatch(p, x: float, y: float, colour: str, shape: str, colours: GanttColours = COLOURS) -> None:
    """One legend mark, 12 px wide, centred vertically on y, starting at x."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QPolygonF

    p.setPen(QPen(QColor(colours.outline), 0.6))
    p.setBrush(QBrush(QColor(colour)))
    if shape == "diamond":
        p.drawPolygon(QPolygonF([QPointF(x + 6, y - 5), QPointF(x + 11, y), QPointF(x + 6, y + 5), QPointF(x + 1, y)]))
    elif shape == "frame":
        p.setPen(QPen(QColor(colour), 1.6))
        p.setBrush(NO_BRUSH)
        p.drawRect(QRectF(x, y - 4, 12, 8))
    elif shape == "band":
        p.fillRect(QRectF(x + 3, y - 7, 6, 14), QColor(colour))
    elif shape == "dashed":
        p.setPen(QPen(QColor(colour), 1.4, Qt.DashLine))
        p.drawLine(QPointF(x + 6, y - 7), QPointF(x + 6, y + 7))
    elif shape == "arrow":
        p.setPen(QPen(QColor(colour), 0.8))
        p.drawLine(QPointF(x, y), QPointF(x + 8, y))
        p.setBrush(QBrush(QColor(colour)))
        p.drawPolygon(QPolygonF([QPointF(x + 12, y), QPointF(x + 7, y - 3), QPointF(x + 7, y + 3)]))
    else:
        p.drawRect(QRectF(x, y - 4, 12, 8))
        if colour == colours.bar:
            p.fillRect(QRectF(x, y - 1.5, 6, 3), QColor(colours.bar_fill))


def task_colours(task: TaskRow, today: dt.date, colours: GanttColours = COLOURS) -> tuple[str, str]:
    if task.done:
        return colours.done, colours.done_fill
    if task.is_late(today):
        return colours.late, colours.late_fill
    return colours.bar, colours.bar_fill
