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
    """The chart's palette, shared by the screen and the printed/exported chart."""

    bar: str = "#a9c8ea"
    bar_fill: str = "#2f6fb0"
    done: str = "#c4dfc2"
    done_fill: str = "#4c8c4a"
    late: str = "#f7c99a"
    late_fill: str = "#d9480f"
    outline: str = "#35577d"
    critical: str = "#c92a2a"
    milestone: str = "#6741a8"
    event: str = "#ffe8a3"
    group: str = "#e9edf2"
    today: str = "#d6336c"
    arrow: str = "#7a8594"
    selection: str = "#4dabf7"


COLOURS = GanttColours()


def task_colours(task: TaskRow, today: dt.date) -> tuple[str, str]:
    if task.done:
        return COLOURS.done, COLOURS.done_fill
    if task.is_late(today):
        return COLOURS.late, COLOURS.late_fill
    return COLOURS.bar, COLOURS.bar_fill
