"""Interactive Gantt chart on pyqtgraph: bars drawn once into a QPicture, French date axis, drag to move/resize.

The x unit is the day (days since 1 January 1970), not the second DateAxisItem uses: coordinates stay
small (exact in the QPicture), a bar end is an integer, and snapping to days is a round().
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Optional, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPicture, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QSizePolicy, QVBoxLayout, QWidget

from ...core import working_days
from ...core.formatting import DAY_ABBR, MONTH_ABBR, MONTH_NAMES, date_abbr
from ...core.planning import ChartRow, PlanningSnapshot, TaskRow, chart_rows, critical_chain
from ...render.gantt_palette import (
    COLOURS,
    NO_BRUSH,
    NO_PEN,
    GanttColours,
    gantt_colours,
    keep_none_alive,
    legend_items,
    paint_swatch,
)

EPOCH = dt.date(1970, 1, 1)
ROW_PX = 24
BAR_HALF = 0.30
NAME_COLUMN_PX = 300
LEFT_MIDDLE = int(Qt.AlignVCenter | Qt.AlignLeft)
CHUNK_ROWS = 48
MILESTONE_PX = 14
# Pixels per day of each zoom preset.
ZOOM_LEVELS = {"semaine": 40.0, "mois": 10.0, "trimestre": 3.0}
AXIS_HEIGHT = 40  # two rows: month names above, weeks or days below
# The view the chart opens on: around today while the edition is under way (up to the event when it is
# close), around the event otherwise; in days before and after.
HOME_BEFORE_TODAY, HOME_AFTER_TODAY, HOME_EVENT_AHEAD = 21, 63, 120
HOME_BEFORE_EVENT, HOME_AFTER_EVENT = 63, 21


def day_x(day: dt.date) -> float:
    return float((day - EPOCH).days)


def x_day(x: float) -> dt.date:
    return EPOCH + dt.timedelta(days=math.floor(x))


def task_tooltip(task: TaskRow, today: dt.date) -> str:
    """French tooltip: title, dates 'mer. 13 nov. 2013', owner, status, anchor, lateness."""
    lines = [f"<b>{_html(task.title)}</b>"]
    if task.milestone:
        lines.append(f"Jalon : {date_abbr(task.start)}")
    else:
        days = task.duration_days
        lines.append(f"Du {date_abbr(task.start)} au {date_abbr(task.end)} ({days} jour{'s' if days > 1 else ''})")
    if task.owner:
        lines.append(f"Responsable : {_html(task.owner)}")
    if task.phase:
        lines.append(f"Phase : {_html(task.phase)}")
    lines.append(f"Statut : {task.status}, {task.progress} %")
    if task.anchor:
        lines.append(f"Ancrage : {task.anchor} (par rapport au 1er jour de l'évènement)")
    if task.is_late(today):
        lines.append("<span style='color:#d9480f'><b>En retard</b> : la fin est passée et la tâche n'est pas terminée.</span>")
    return "<br>".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_COLOUR_OBJECTS: dict[GanttColours, dict[str, QColor]] = {}


def _colour_objects(colours: GanttColours = COLOURS) -> dict[str, QColor]:
    objects = _COLOUR_OBJECTS.get(colours)
    if objects is None:
        objects = _COLOUR_OBJECTS[colours] = {
            name: QColor(getattr(colours, name))
            for name in ("bar", "bar_fill", "done", "done_fill", "late", "late_fill", "milestone", "group", "event")}
    return objects


def _cosmetic(colour: str, width: float = 1.0, style=Qt.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    return pen


# --- Axes ---------------------------------------------------------------------------------------


class FrenchDateAxis(pg.AxisItem):
    """Top axis in days, on two rows: the month names always (« novembre 2013 », « déc. », the year on
    the first label and on January), and below them the weeks (the Mondays' day numbers) or the days
    when zoomed in. A label that would not fit its room is shortened, then left out."""

    def __init__(self, orientation: str = "top", **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.setHeight(AXIS_HEIGHT)
        self.colours: GanttColours = COLOURS
        self._widths: dict[str, int] = {}  # label → pixel width (the same labels come back at each zoom step)
        self.last_labels: list[tuple[QRectF, str, str]] = []  # what the last paint wrote: (box, text, row)

    def _width(self, metrics: QFontMetrics, text: str) -> int:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = metrics.horizontalAdvance(text)
        return width

    def layout_labels(self, x0: float, x1: float, a: float, b: float,
                      metrics: Optional[QFontMetrics] = None) -> tuple[list[tuple[QRectF, str, str]], list[tuple[float, str]]]:
        """Labels and ticks for the days x0..x1 drawn between pixels a..b: ([(box, text, "month"|"minor")],
        [(pixel x, "month"|"week"|"day")])."""
        metrics = metrics or QFontMetrics(self.font())
        labels: list[tuple[QRectF, str, str]] = []
        ticks: list[tuple[float, str]] = []
        if b <= a or x1 <= x0 or x1 - x0 > 40000:
            return labels, ticks
        scale = (b - a) / (x1 - x0)  # pixels per day

        def px(day: dt.date) -> float:
            return a + (day_x(day) - x0) * scale

        row_height = (AXIS_HEIGHT - 6) / 2
        first, last = x_day(x0), x_day(x1)
        month = dt.date(first.year, first.month, 1)
        year_written = False
        while month <= last:
            following = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            left, right = max(px(month), a), min(px(following), b)
            if month >= first:
                ticks.append((px(month), "month"))
            room = right - left - 8
            # The year with the first month named and with January; zoomed far out, on the row below.
            show_year = scale >= 2 and (not year_written or month.month == 1)
            name, abbr = MONTH_NAMES[month.month - 1], MONTH_ABBR[month.month - 1]
            options = [f"{name} {month.year}", f"{abbr} {month.year}"] if show_year else []
            for text in options + [name, abbr]:
                width = self._width(metrics, text)
                if width <= room:
                    labels.append((QRectF(left + 4, 0, width + 2, row_height), text, "month"))
                    year_written = year_written or str(month.year) in text
                    break
            month = following
        if scale < 2:
            for year in range(first.year, last.year + 1):
                left = max(px(dt.date(year, 1, 1)), a)
                right = min(px(dt.date(year + 1, 1, 1)), b)
                text = str(year)
                width = self._width(metrics, text)
                if width <= right - left - 8:
                    labels.append((QRectF(left + 4, row_height, width + 2, row_height), text, "minor"))
        if scale >= 18:
            # Every day; the Mondays named when there is room (« lun. 4 »).
            day = first
            while day <= last:
                x = px(day) + scale / 2
                if a <= x <= b:
                    ticks.append((px(day), "day"))
                    text = f"{DAY_ABBR[0]} {day.day}" if day.weekday() == 0 and scale >= 44 else str(day.day)
                    width = self._width(metrics, text)
                    if width + 4 <= scale:
                        labels.append((QRectF(x - width / 2 - 1, row_height, width + 2, row_height), text, "minor"))
                day += dt.timedelta(days=1)
        elif scale >= 2:
            # The weeks: a tick and the day number of each Monday.
            monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
            while monday <= last:
                x = px(monday)
                ticks.append((x, "week"))
                text = str(monday.day)
                width = self._width(metrics, text)
                if scale * 7 >= width + 6 and a <= x - width / 2 and x + width / 2 <= b:
                    labels.append((QRectF(x - width / 2 - 1, row_height, width + 2, row_height), text, "minor"))
                monday += dt.timedelta(days=7)
        return labels, ticks

    def paint(self, p: QPainter, opt, widget) -> None:
        """Ticks and labels drawn directly (pyqtgraph's generic layout costs more than the chart itself
        on each zoom step)."""
        keep_none_alive()
        view = self.linkedView()
        if view is None:
            return
        (x0, x1), _ = view.viewRange()
        a = self.mapFromScene(view.mapViewToScene(QPointF(x0, 0))).x()
        b = self.mapFromScene(view.mapViewToScene(QPointF(x1, 0))).x()
        if b <= a or x1 <= x0:
            return
        height = self.geometry().height()
        colours = self.colours
        p.setRenderHint(QPainter.Antialiasing, False)
        p.fillRect(QRectF(0, 0, self.geometry().width(), height), QColor(colours.background))
        p.setFont(self.font())
        labels, ticks = self.layout_labels(x0, x1, a, b, QFontMetrics(self.font()))
        axis_pen = QPen(QColor(colours.axis), 1)
        p.setPen(axis_pen)
        p.drawLine(QPointF(a, height - 1), QPointF(b, height - 1))
        for x, kind in ticks:
            if a <= x <= b:
                top = 0 if kind == "month" else (height - 6 if kind == "week" else height - 4)
                p.drawLine(QPointF(x, top), QPointF(x, height - 1))
        p.setPen(QPen(QColor(colours.text)))
        for box, text, _row in labels:
            p.drawText(box, int(Qt.AlignCenter), text)
        self.last_labels = labels


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    day = dt.date(first.year, first.month, 1)
    out = []
    while day <= last:
        if day >= first:
            out.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


class RowNameAxis(pg.AxisItem):
    """Left column of the chart: the task names (group headings in bold), scrolling with the rows."""

    def __init__(self, **kwargs):
        super().__init__("left", **kwargs)
        self.rows: list[ChartRow] = []
        self.selected: set[int] = set()
        self._elided: dict[int, str] = {}  # row → elided name, for the current column width
        self._elided_width = 0.0
        self.colours: GanttColours = COLOURS
        self.setWidth(NAME_COLUMN_PX)
        # Zooming the time axis does not change the names: repaint them from a pixmap cache.
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.setStyle(showValues=False)

    def set_rows(self, rows: Sequence[ChartRow]) -> None:
        self.rows = list(rows)
        self._elided = {}
        self.update()

    def paint(self, p: QPainter, opt, widget) -> None:
        keep_none_alive()
        view = self.linkedView()
        if view is None or not self.rows:
            return
        rect = self.boundingRect()
        width = self.geometry().width()
        (_x0, _x1), (y0, y1) = view.viewRange()
        p.setClipRect(QRectF(0, 0, width, self.geometry().height()))
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        first, last = max(0, int(math.floor(y0))), min(len(self.rows) - 1, int(math.ceil(y1)))
        # One mapping for all rows: rows are evenly spaced, so top(i) = top(0) + i * height.
        top0 = self.mapFromScene(view.mapViewToScene(QPointF(0, -0.5))).y()
        step = self.mapFromScene(view.mapViewToScene(QPointF(0, 0.5))).y() - top0
        colours = self.colours
        p.fillRect(QRectF(0, 0, width, self.geometry().height()), QColor(colours.background))
        text_colour = QColor(colours.text)
        selected_colour = QColor(colours.selection)
        selected_colour.setAlpha(70)
        group_colour = QColor(colours.group)
        cache = self._elided if self._elided_width == width else {}
        self._elided, self._elided_width = cache, width
        for index in range(first, last + 1):
            row = self.rows[index]
            top = top0 + index * step
            box = QRectF(0, min(top, top + step), width - 6, abs(step))
            text = cache.get(index)
            if row.is_group:
                p.fillRect(QRectF(0, box.top(), width, box.height()), group_colour)
                p.setFont(bold)
                if text is None:
                    text = cache[index] = bold_metrics.elidedText(row.label, Qt.ElideRight, int(box.width() - 8))
                p.setPen(text_colour)
                p.drawText(box.adjusted(6, 0, 0, 0), LEFT_MIDDLE, text)
            else:
                if row.task.id in self.selected:
                    p.fillRect(QRectF(0, box.top(), width, box.height()), selected_colour)
                p.setFont(font)
                if text is None:
                    prefix = "◆ " if row.task.milestone else ""
                    text = cache[index] = metrics.elidedText(prefix + row.task.title, Qt.ElideRight, int(box.width() - 18))
                p.setPen(text_colour)
                p.drawText(box.adjusted(16, 0, 0, 0), LEFT_MIDDLE, text)
        p.setPen(QPen(QColor(colours.divider)))
        p.drawLine(QPointF(width - 1, rect.top()), QPointF(width - 1, rect.bottom()))


def marker_label_boxes(markers: Sequence[tuple[float, str]], metrics: QFontMetrics, top: float, left: float,
                       right: float) -> list[QRectF]:
    """Boxes of the labels of vertical lines at pixel x (« jour J », « aujourd'hui »): right of their line,
    left of it near the right edge, and one row lower when they would touch a label already placed."""
    height = metrics.height()
    placed: list[QRectF] = []
    for px, label in markers:
        width = metrics.horizontalAdvance(label) + 6
        x = px + 3 if px + 3 + width <= right else px - 3 - width
        x = max(x, left)
        row = 0
        box = QRectF(x, top + 2, width, height)
        while any(box.adjusted(-2, 0, 2, 0).intersects(other) for other in placed):
            row += 1
            box = QRectF(x, top + 2 + row * (height + 1), width, height)
        placed.append(box)
    return placed


# --- The chart item -----------------------------------------------------------------------------


class GanttItem(pg.GraphicsObject):
    """All rows drawn once into a QPicture; exact boundingRect; hit-testing, hover tooltips, drag."""

    taskMoved = Signal(int, object, object)  # task id, new start, new end
    taskClicked = Signal(int, object)  # task id, keyboard modifiers
    taskActivated = Signal(int)

    def __init__(self):
        super().__init__()
        self.picture = QPicture()
        self._bounds = QRectF()
        self.rows: list[ChartRow] = []
        self.row_of_task: dict[int, int] = {}
        self.snapshot: Optional[PlanningSnapshot] = None
        self.today = dt.date.today()
        self.critical: set[int] = set()
        self.colours: GanttColours = COLOURS
        # Drops land on working days (setting « Caler les tâches sur les jours ouvrés »), see core/working_days.py.
        self.snap_working_days = True
        self.marker_boxes: list[tuple[str, QRectF]] = []  # the "jour J"/"aujourd'hui" labels as last painted
        self._drag: Optional[dict] = None
        self.ghost = QGraphicsRectItem(self)
        self.ghost.setPen(_cosmetic(COLOURS.outline, 2, Qt.DashLine))
        self.ghost.setBrush(QBrush(QColor(47, 111, 176, 70)))
        self.ghost.hide()
        self.ghost.setZValue(5)
        self._chunk_cache: dict[int, tuple[QPicture, list, list]] = {}
        self._chunk_extent: list[float] = []
        self._arrows_by_chunk: dict[int, list] = {}
        self._x0, self._x1 = 0.0, 1.0
        self.selection_items: list[QGraphicsRectItem] = []
        self.setAcceptHoverEvents(True)

    # -- data ------------------------------------------------------------------------------------

    def set_data(self, snapshot: PlanningSnapshot, rows: Sequence[ChartRow], today: dt.date,
                 critical: Optional[set[int]] = None) -> None:
        self.prepareGeometryChange()
        self.snapshot = snapshot
        self.rows = list(rows)
        self.row_of_task = {row.task.id: index for index, row in enumerate(self.rows) if row.task is not None}
        self.today = today
        self.critical = set(critical or ())
        self._build_picture()
        self.update()

    def data_range(self) -> tuple[float, float]:
        """First and last x covered by tasks and event days (day units)."""
        return self._x0, self._x1

    def _build_picture(self) -> None:
        """Prepare the chunks of CHUNK_ROWS rows. Each chunk is recorded into its QPicture the first
        time it comes into view (paint), so building and zooming cost what is visible, not the plan.
        Rectangles of one colour go in one drawRects call: a few painter calls per chunk."""
        keep_none_alive()
        snapshot = self.snapshot
        tasks = [r.task for r in self.rows if r.task is not None]
        event_days = list(snapshot.event_days if snapshot else ())
        if tasks or event_days:
            x0 = day_x(min([t.start for t in tasks] + event_days)) - 7
            x1 = day_x(max([t.end for t in tasks] + event_days)) + 8
        else:
            x0 = day_x(self.today) - 30
            x1 = x0 + 90
        self._x0, self._x1 = x0, x1
        n = len(self.rows)
        tasks_by_id = {t.id: t for t in tasks}
        self._arrows_by_chunk: dict[int, list[tuple[int, int, TaskRow, TaskRow]]] = {}
        count = max(1, (n + CHUNK_ROWS - 1) // CHUNK_ROWS)
        # How far down each chunk draws: its own rows, or further when one of its arrows goes lower.
        self._chunk_extent = [min(n, (k + 1) * CHUNK_ROWS) - 0.5 for k in range(count)]
        for link in (snapshot.dependencies if snapshot else ()):
            a, b = self.row_of_task.get(link.predecessor_id), self.row_of_task.get(link.successor_id)
            if a is not None and b is not None:
                k = min(a, b) // CHUNK_ROWS
                self._arrows_by_chunk.setdefault(k, []).append(
                    (a, b, tasks_by_id[link.predecessor_id], tasks_by_id[link.successor_id]))
                self._chunk_extent[k] = max(self._chunk_extent[k], max(a, b) + 0.5)
        self._chunk_cache: dict[int, tuple[QPicture, list, list]] = {}
        self._bounds = QRectF(x0, -0.5, x1 - x0, max(n, 1))
        self._update_selection_items(getattr(self, "_selected", set()))

    def _chunk(self, k: int) -> tuple[QPicture, list, list]:
        cached = self._chunk_cache.get(k)
        if cached is not None:
            return cached
        keep_none_alive()
        snapshot, today, n = self.snapshot, self.today, len(self.rows)
        x0, x1 = self._x0, self._x1
        palette = self.colours
        colours = _colour_objects(palette)
        outline, critical_pen, arrow_pen = (_cosmetic(palette.outline, 1), _cosmetic(palette.critical, 2.5),
                                            _cosmetic(palette.arrow, 1))
        event_xs = [day_x(d) for d in (snapshot.event_days if snapshot else ())]
        first = k * CHUNK_ROWS
        last = min(n, first + CHUNK_ROWS)
        marks, heads = [], []
        rects: dict[str, list[QRectF]] = {"bar": [], "done": [], "late": []}
        fills: dict[str, list[QRectF]] = {"bar_fill": [], "done_fill": [], "late_fill": []}
        groups, plain, critical = [], [], []
        for index in range(first, last):
            row = self.rows[index]
            task = row.task
            if task is None:
                groups.append(QRectF(x0, index - 0.5, x1 - x0, 1.0))
                continue
            if task.milestone:
                colour = "done_fill" if task.done else ("late_fill" if task.is_late(today) else "milestone")
                marks.append((day_x(task.start) + 0.5, float(index), colours[colour], task.id in self.critical, task.id))
                continue
            kind = "done" if task.done else ("late" if task.is_late(today) else "bar")
            left = day_x(task.start)
            width = float((task.end - task.start).days + 1)
            bar = QRectF(left, index - BAR_HALF, width, 2 * BAR_HALF)
            rects[kind].append(bar)
            if task.progress > 0:
                fills[kind + "_fill" if kind != "bar" else "bar_fill"].append(
                    QRectF(left, index - BAR_HALF * 0.55, width * task.progress / 100.0, 1.1 * BAR_HALF))
            (critical if task.id in self.critical else plain).append(bar)
        y_from, y_to = first - 0.5, last - 0.5
        picture = QPicture()
        p = QPainter(picture)
        p.setPen(NO_PEN)
        if groups:
            p.setBrush(colours["group"])
            p.drawRects(groups)
        if event_xs:
            p.setBrush(colours["event"])
            p.drawRects([QRectF(x, y_from, 1.0, y_to - y_from) for x in event_xs])
        for kind, items in rects.items():
            if items:
                p.setBrush(colours[kind])
                p.drawRects(items)
        for kind, items in fills.items():
            if items:
                p.setBrush(colours[kind])
                p.drawRects(items)
        p.setBrush(NO_BRUSH)
        if plain:
            p.setPen(outline)
            p.drawRects(plain)
        if critical:
            p.setPen(critical_pen)
            p.drawRects(critical)
        # Finish-to-start arrows: out of the predecessor's end, down to the successor's row, into its start.
        arrows = self._arrows_by_chunk.get(k, [])
        if arrows:
            path = QPainterPath()
            for a, b, pred, succ in arrows:
                x_from = day_x(pred.start) + 0.5 if pred.milestone else day_x(pred.end) + 1.0
                x_to = day_x(succ.start) + (0.2 if succ.milestone else 0.0)
                elbow = max(x_from + 0.5, min(x_to - 0.5, x_from + 2.0)) if x_to > x_from + 1 else x_from + 0.5
                path.moveTo(x_from, a)
                path.lineTo(elbow, a)
                if x_to >= elbow:
                    path.lineTo(elbow, b)
                    path.lineTo(x_to, b)
                    heads.append((x_to, float(b)))
                else:
                    # The successor starts before the predecessor's end (overlap): come down beside it.
                    y_enter = b - 0.42 if b > a else b + 0.42
                    path.lineTo(elbow, y_enter)
                    path.lineTo(x_to, y_enter)
                    path.lineTo(x_to, b - (BAR_HALF if b > a else -BAR_HALF))
                y_to = max(y_to, max(a, b) + 0.5)
            p.setPen(arrow_pen)
            p.drawPath(path)
        p.end()
        result = (picture, marks, heads)
        self._chunk_cache[k] = result
        return result

    def visible_chunks(self) -> list[int]:
        view = self.getViewBox()
        if view is None or not hasattr(view, "viewRange"):
            return list(range(len(self._chunk_extent)))
        _xr, (vy0, vy1) = view.viewRange()
        return [k for k, extent in enumerate(self._chunk_extent) if k * CHUNK_ROWS - 0.5 <= vy1 and extent >= vy0]

    @property
    def milestone_marks(self) -> list[tuple[float, float, QColor, bool, int]]:
        return [m for k in range(len(self._chunk_extent)) for m in self._chunk(k)[1]]

    def paint(self, p: QPainter, *args) -> None:
        keep_none_alive()
        view = self.getViewBox()
        if view is not None and hasattr(view, "viewRange"):
            (vx0, vx1), (vy0, vy1) = view.viewRange()
        else:
            (vx0, vx1), (vy0, vy1) = (self._x0, self._x1), (-1e9, 1e9)
        transform = p.transform()
        p.save()
        p.resetTransform()
        self._paint_grid(p, transform, vx0, vx1, vy0, vy1)
        p.restore()
        marks, heads = [], []
        for k in self.visible_chunks():
            picture, chunk_marks, chunk_heads = self._chunk(k)
            p.drawPicture(0, 0, picture)
            marks += chunk_marks
            heads += chunk_heads
        # Diamonds and arrow heads keep their size in pixels whatever the zoom: drawn in device space.
        transform = p.transform()
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.Antialiasing, True)
        palette = self.colours
        p.setPen(QPen(QColor(palette.arrow), 1))
        p.setBrush(QColor(palette.arrow))
        for x, y in heads:
            if vy0 - 1 <= y <= vy1 + 1 and vx0 - 1 <= x <= vx1 + 1:
                tip = transform.map(QPointF(x, y))
                p.drawPolygon(QPolygonF([tip, tip + QPointF(-7, -4), tip + QPointF(-7, 4)]))
        normal_pen, critical_pen = QPen(QColor(palette.milestone_outline), 1), QPen(QColor(palette.critical), 2.5)
        for x, y, colour, critical, _task_id in marks:
            if vy0 - 1 <= y <= vy1 + 1 and vx0 - 1 <= x <= vx1 + 1:
                c = transform.map(QPointF(x, y))
                p.setPen(critical_pen if critical else normal_pen)
                p.setBrush(colour)
                r = MILESTONE_PX / 2
                p.drawPolygon(QPolygonF([c + QPointF(0, -r), c + QPointF(r, 0), c + QPointF(0, r), c + QPointF(-r, 0)]))
        self._paint_markers(p, transform, vx0, vx1, vy0, vy1)
        p.restore()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(self._bounds)

    def _paint_markers(self, p: QPainter, transform, vx0: float, vx1: float, vy0: float, vy1: float) -> None:
        """The "J" line (first event day) and the dashed "aujourd'hui" line, with their labels at the top."""
        top = transform.map(QPointF(vx0, vy0)).y()
        bottom = transform.map(QPointF(vx0, vy1)).y()
        left, right = transform.map(QPointF(vx0, 0)).x(), transform.map(QPointF(vx1, 0)).x()
        first = self.snapshot.first_day if self.snapshot else None
        colours = self.colours
        p.setRenderHint(QPainter.Antialiasing, False)
        markers = []
        for x, colour, text_colour, label, dashed in (
            (day_x(first) if first else None, colours.event_line, colours.event_text, "jour J", False),
            (day_x(self.today) + 0.5, colours.today, colours.today_text, "aujourd'hui", True),
        ):
            if x is None or not vx0 <= x <= vx1:
                continue
            px = transform.map(QPointF(x, 0)).x()
            p.setPen(QPen(QColor(colour), 2 if dashed else 1.5, Qt.DashLine if dashed else Qt.SolidLine))
            p.drawLine(QPointF(px, top), QPointF(px, bottom))
            markers.append((px, text_colour, label))
        metrics = QFontMetrics(p.font())
        boxes = marker_label_boxes([(px, label) for px, _c, label in markers], metrics, top, left, right)
        background = QColor(colours.label_background)
        for (px, colour, label), box in zip(markers, boxes):
            p.fillRect(box, background)
            p.setPen(QColor(colour))
            p.drawText(box, int(Qt.AlignCenter), label)
        self.marker_boxes = [(label, box) for (_px, _c, label), box in zip(markers, boxes)]

    def _paint_grid(self, p: QPainter, transform, vx0: float, vx1: float, vy0: float, vy1: float) -> None:
        """Month lines (and Monday lines when zoomed in) over the visible rows only, in device pixels."""
        top = transform.map(QPointF(vx0, max(vy0, -0.5))).y()
        bottom = transform.map(QPointF(vx0, min(vy1, len(self.rows) - 0.5))).y()
        if bottom <= top or vx1 <= vx0:
            return
        ppd = abs(transform.map(QPointF(vx0 + 1, 0)).x() - transform.map(QPointF(vx0, 0)).x())
        first, last = x_day(vx0), x_day(vx1)
        colours = self.colours
        if ppd >= 6 and (last - first).days < 400:
            # Days off (week-ends, public holidays) shaded: where a dragged bar will not land.
            event_days = set(self.snapshot.event_days) if self.snapshot else set()
            shade = QColor(colours.day_off)
            day = first
            while day <= last:
                if not working_days.is_working_day(day, event_days):
                    x = transform.map(QPointF(day_x(day), 0)).x()
                    p.fillRect(QRectF(x, top, ppd, bottom - top), shade)
                day += dt.timedelta(days=1)
        if ppd >= 5 and (last - first).days < 2000:
            p.setPen(QPen(QColor(colours.grid_week), 1))
            monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
            while monday <= last:
                x = transform.map(QPointF(day_x(monday), 0)).x()
                p.drawLine(QPointF(x, top), QPointF(x, bottom))
                monday += dt.timedelta(days=7)
        p.setPen(QPen(QColor(colours.grid_month), 1))
        for month in _month_starts(first, last):
            if ppd < 1.2 and month.month not in (1, 4, 7, 10):
                continue
            x = transform.map(QPointF(day_x(month), 0)).x()
            p.drawLine(QPointF(x, top), QPointF(x, bottom))

    # -- selection -------------------------------------------------------------------------------

    def set_selected(self, task_ids: set[int]) -> None:
        self._selected = set(task_ids)
        self._update_selection_items(self._selected)

    def _update_selection_items(self, task_ids: set[int]) -> None:
        for item in self.selection_items:
            item.setParentItem(None)
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.selection_items = []
        for task_id in task_ids:
            index = self.row_of_task.get(task_id)
            if index is None:
                continue
            band = QGraphicsRectItem(QRectF(self._x0, index - 0.5, self._x1 - self._x0, 1.0), self)
            band.setPen(QPen(Qt.NoPen))
            colour = QColor(self.colours.selection)
            colour.setAlpha(45)
            band.setBrush(QBrush(colour))
            band.setZValue(-1)
            self.selection_items.append(band)

    # -- hit testing -----------------------------------------------------------------------------

    def task_at(self, pos: QPointF) -> tuple[Optional[TaskRow], str]:
        """(task, 'move' | 'resize') under pos in item coordinates, or (None, '')."""
        index = int(round(pos.y()))
        if not 0 <= index < len(self.rows) or self.rows[index].task is None:
            return None, ""
        if abs(pos.y() - index) > 0.45:
            return None, ""
        task = self.rows[index].task
        px = self.pixelWidth() or 0.1  # data units per pixel
        left, right = day_x(task.start), day_x(task.end) + 1.0
        if task.milestone:
            centre = left + 0.5
            return (task, "move") if abs(pos.x() - centre) <= max(0.5, 8 * px) else (None, "")
        grip = max(5 * px, 0.0)
        if right - grip * 1.5 <= pos.x() <= right + grip and right - left > 2 * px:
            return task, "resize"
        if left - 2 * px <= pos.x() <= right:
            return task, "move"
        return None, ""

    # -- drag (also the API tests drive) ---------------------------------------------------------

    def begin_drag(self, task_id: int, mode: str = "move") -> bool:
        index = self.row_of_task.get(task_id)
        if index is None:
            return False
        task = self.rows[index].task
        self._drag = {"task": task, "mode": "move" if task.milestone else mode, "row": index, "delta": 0}
        self._show_ghost(task.start, task.end, index)
        return True

    def update_drag(self, delta_days: int) -> Optional[tuple[dt.date, dt.date]]:
        if self._drag is None:
            return None
        self._drag["delta"] = int(delta_days)
        start, end = self._dragged_dates()
        self._show_ghost(start, end, self._drag["row"])
        return start, end

    def finish_drag(self) -> Optional[tuple[int, dt.date, dt.date]]:
        """End the drag; emits taskMoved once if the dates changed. Returns (id, start, end) or None."""
        if self._drag is None:
            return None
        task = self._drag["task"]
        start, end = self._dragged_dates()
        self._drag = None
        self.ghost.hide()
        if (start, end) == (task.start, task.end):
            return None
        self.taskMoved.emit(task.id, start, end)
        return task.id, start, end

    def cancel_drag(self) -> None:
        self._drag = None
        self.ghost.hide()

    def _dragged_dates(self) -> tuple[dt.date, dt.date]:
        task, days = self._drag["task"], self._drag["delta"]
        delta = dt.timedelta(days=days)
        if self.snap_working_days and days:
            event_days = self.snapshot.event_days if self.snapshot else ()
            if self._drag["mode"] == "resize":
                return task.start, working_days.snap_end(task.start, task.end, days, event_days)
            return working_days.snap_move(task.start, task.end, days, event_days)
        if self._drag["mode"] == "resize":
            return task.start, max(task.start, task.end + delta)
        return task.start + delta, task.end + delta

    def _show_ghost(self, start: dt.date, end: dt.date, index: int) -> None:
        self.ghost.setRect(QRectF(day_x(start), index - BAR_HALF - 0.08, (end - start).days + 1.0, 2 * BAR_HALF + 0.16))
        self.ghost.setToolTip(f"{date_abbr(start)} → {date_abbr(end)}")
        self.ghost.show()

    # -- mouse -----------------------------------------------------------------------------------

    def mouseDragEvent(self, ev) -> None:  # noqa: N802
        if ev.button() != Qt.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            task, mode = self.task_at(ev.buttonDownPos())
            if task is None or not self.begin_drag(task.id, mode):
                ev.ignore()
                return
        if self._drag is None:
            ev.ignore()
            return
        ev.accept()
        delta = int(round(ev.pos().x() - ev.buttonDownPos().x()))
        start, end = self.update_drag(delta)
        self.setToolTip(f"{date_abbr(start)} → {date_abbr(end)}")
        if ev.isFinish():
            self.finish_drag()

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        if ev.button() != Qt.LeftButton:
            ev.ignore()
            return
        task, _mode = self.task_at(ev.pos())
        if task is None:
            ev.ignore()
            return
        ev.accept()
        if ev.double():
            self.taskActivated.emit(task.id)
        else:
            self.taskClicked.emit(task.id, ev.modifiers())

    def hoverEvent(self, ev) -> None:  # noqa: N802
        if ev.isExit():
            self.setToolTip("")
            self.unsetCursor()
            return
        task, mode = self.task_at(ev.pos())
        if task is None:
            day = x_day(ev.pos().x())
            holiday = working_days.public_holidays(day.year).get(day)
            if self.snapshot is not None and day in self.snapshot.event_days:
                self.setToolTip(f"Jour de l'évènement : {date_abbr(day)}")
            elif holiday:
                self.setToolTip(f"{date_abbr(day)} — jour férié ({holiday})")
            else:
                self.setToolTip(date_abbr(day))
            self.unsetCursor()
            return
        ev.acceptDrags(Qt.LeftButton)
        self.setToolTip(task_tooltip(task, self.today))
        self.setCursor(Qt.SizeHorCursor if mode == "resize" else Qt.OpenHandCursor)


class GanttViewBox(pg.ViewBox):
    """Wheel zooms the time axis only (Maj+molette fait défiler les lignes); left drag pans; no English menu."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setMenuEnabled(False)
        self.invertY(True)

    def wheelEvent(self, ev, axis=None):  # noqa: N802
        if ev.modifiers() & Qt.ShiftModifier:
            rows = -3 if ev.delta() > 0 else 3
            self.translateBy(y=rows)
            ev.accept()
            return
        factor = 1.0015 ** (-ev.delta())
        center = pg.Point(pg.functions.invertQTransform(self.childGroup.transform()).map(ev.pos()))
        self.scaleBy(x=factor, y=1.0, center=center)
        ev.accept()
        self.sigRangeChangedManually.emit([True, False])

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802
        if ev.button() == Qt.RightButton:
            ev.ignore()
            return
        super().mouseDragEvent(ev, axis)


class GanttLegend(QWidget):
    """What the chart's colours and marks mean, on one or more lines under the chart (the print's legend)."""

    LINE_PX = 20

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setObjectName("ganttLegend")
        self.colours: GanttColours = COLOURS
        self.critical = False
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.setFixedHeight(self.LINE_PX + 4)

    def entries(self) -> list[tuple[str, str, str]]:
        return legend_items(self.critical, self.colours)

    def labels(self) -> list[str]:
        return [label for _colour, label, _shape in self.entries()]

    def layout_entries(self, width: float) -> list[tuple[float, float, str, str, str]]:
        """(x, y, colour, label, shape) of each entry, wrapped to width."""
        metrics = QFontMetrics(self.font())
        x, y, out = 6.0, 2.0, []
        for colour, label, shape in self.entries():
            needed = 16 + metrics.horizontalAdvance(label) + 14
            if x > 6 and x + needed - 14 > width:
                x, y = 6.0, y + self.LINE_PX
            out.append((x, y, colour, label, shape))
            x += needed
        return out

    def set_style(self, colours: GanttColours, critical: bool) -> None:
        self.colours, self.critical = colours, critical
        self._fit_height()
        self.update()

    def _fit_height(self) -> None:
        entries = self.layout_entries(self.width() or 800)
        lines = 1 + int(max((y for _x, y, *_rest in entries), default=2.0) - 2) // self.LINE_PX
        self.setFixedHeight(lines * self.LINE_PX + 4)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_height()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, self.height())

    def paintEvent(self, _event) -> None:  # noqa: N802
        keep_none_alive()
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor(self.colours.background))
            p.setRenderHint(QPainter.Antialiasing, True)
            metrics = QFontMetrics(self.font())
            for x, y, colour, label, shape in self.layout_entries(self.width()):
                middle = y + self.LINE_PX / 2
                paint_swatch(p, x, middle, colour, shape, self.colours)
                p.setPen(QColor(self.colours.text))
                p.drawText(QRectF(x + 16, y, metrics.horizontalAdvance(label) + 2, self.LINE_PX),
                           int(Qt.AlignLeft | Qt.AlignVCenter), label)
        finally:
            p.end()


class GanttChart(QWidget):
    """The chart widget: time axis on top, task names on the left, fixed row height, zoom presets, legend."""

    taskMoved = Signal(int, object, object)
    taskClicked = Signal(int, object)
    taskActivated = Signal(int)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.view_box = GanttViewBox()
        self.date_axis = FrenchDateAxis("top")
        self.name_axis = RowNameAxis()
        self.plot = pg.PlotWidget(viewBox=self.view_box, axisItems={"top": self.date_axis, "left": self.name_axis})
        self.plot.setBackground("w")
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.showAxis("top")
        item.hideAxis("bottom")
        item.setMenuEnabled(False)
        self.date_axis.setPen(pg.mkPen("#5f6b7a"))
        self.date_axis.setTextPen(pg.mkPen("#1f2933"))
        self.view_box.setMouseEnabled(x=True, y=True)
        self.view_box.disableAutoRange()  # ranges are set explicitly; auto-range would scan all items
        self.item = GanttItem()
        self.plot.addItem(self.item)
        self.item.taskMoved.connect(self.taskMoved)
        self.item.taskClicked.connect(self.taskClicked)
        self.item.taskActivated.connect(self.taskActivated)
        self.view_box.sigResized.connect(self._keep_row_height)
        self.view_box.sigYRangeChanged.connect(self._clamp_rows)
        self._clamping = False
        self.group_by = "owner"
        self.show_critical = False
        self.snapshot: Optional[PlanningSnapshot] = None
        self.today = dt.date.today()
        self.legend = GanttLegend(self)
        self.colours: GanttColours = COLOURS
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)
        self.setMinimumHeight(200)
        from .. import theme

        self.set_dark(theme.is_dark())
        theme.notifier().changed.connect(self.set_dark)

    # -- theme -----------------------------------------------------------------------------------

    def set_dark(self, dark: bool) -> None:
        """The chart in the theme's colours (the printed chart keeps the light palette)."""
        colours = gantt_colours(dark)
        if colours == self.colours and self.item.colours == colours and self.legend.colours == colours:
            return
        self.colours = colours
        self.plot.setBackground(colours.background)
        self.date_axis.colours = self.name_axis.colours = self.item.colours = colours
        self.item.ghost.setPen(_cosmetic(colours.outline, 2, Qt.DashLine))
        self.name_axis._elided = {}
        self.name_axis.update()
        self.date_axis.update()
        if self.item.snapshot is not None:
            self.item._build_picture()
        self.item.update()
        self.legend.set_style(colours, self.show_critical)

    def set_snap(self, on: bool) -> None:
        """Drops land on working days (setting « Caler les tâches sur les jours ouvrés »)."""
        self.item.snap_working_days = bool(on)

    # -- data ------------------------------------------------------------------------------------

    def set_snapshot(self, snapshot: Optional[PlanningSnapshot], today: dt.date, keep_view: bool = True) -> None:
        first_time = self.snapshot is None or (snapshot is not None and self.snapshot.edition_id != snapshot.edition_id)
        self.snapshot = snapshot
        self.today = today
        tasks = snapshot.tasks if snapshot else ()
        rows = chart_rows(tasks, self.group_by)
        critical = critical_chain(snapshot) if (snapshot and self.show_critical) else set()
        empty = PlanningSnapshot(0, "", (), (), ())
        self.item.set_data(snapshot or empty, rows, today, critical)
        self.name_axis.set_rows(rows)
        if first_time or not keep_view:
            self.show_home()
        else:
            self._keep_row_height()

    def set_group_by(self, group_by: str) -> None:
        self.group_by = group_by
        if self.snapshot is not None:
            self.set_snapshot(self.snapshot, self.today)

    def set_show_critical(self, show: bool) -> None:
        self.show_critical = show
        self.legend.set_style(self.colours, show)
        if self.snapshot is not None:
            self.set_snapshot(self.snapshot, self.today)

    def set_selected(self, task_ids: set[int]) -> None:
        self.item.set_selected(task_ids)
        self.name_axis.selected = set(task_ids)
        self.name_axis.update()

    def critical_ids(self) -> set[int]:
        return set(self.item.critical)

    def today_x(self) -> float:
        """Where the "aujourd'hui" line is drawn (middle of today)."""
        return day_x(self.item.today) + 0.5

    def event_x(self) -> Optional[float]:
        """Where the "J" line is drawn (start of the first event day), None without event days."""
        first = self.item.snapshot.first_day if self.item.snapshot else None
        return day_x(first) if first else None

    # -- view ------------------------------------------------------------------------------------

    def _visible_rows(self) -> float:
        height = self.view_box.height() or self.height() or 400
        return max(3.0, height / ROW_PX)

    def _keep_row_height(self, *_args) -> None:
        (_x0, _x1), (y0, _y1) = self.view_box.viewRange()
        self.view_box.setYRange(y0, y0 + self._visible_rows(), padding=0)

    def _clamp_rows(self, *_args) -> None:
        if self._clamping:
            return
        self._clamping = True
        try:
            (_x0, _x1), (y0, y1) = self.view_box.viewRange()
            span = y1 - y0
            top_max = max(-0.5, len(self.item.rows) - 0.5 - span + 1)
            clamped = min(max(y0, -0.5), top_max)
            if abs(clamped - y0) > 1e-6:
                self.view_box.setYRange(clamped, clamped + span, padding=0)
        finally:
            self._clamping = False

    def fit_all(self) -> None:
        x0, x1 = self.item.data_range()
        margin = (x1 - x0) * 0.03
        self.view_box.setXRange(x0 - margin, x1 + margin, padding=0)
        self.view_box.setYRange(-0.5, -0.5 + self._visible_rows(), padding=0)

    def focus_day(self) -> dt.date:
        """Today while the edition is under way (between its first task and its last day), else its event."""
        snapshot = self.item.snapshot
        tasks = [r.task for r in self.item.rows if r.task is not None]
        event_days = list(snapshot.event_days) if snapshot else []
        if not tasks and not event_days:
            return self.today
        start = min([t.start for t in tasks] + event_days)
        end = max([t.end for t in tasks] + event_days)
        if start <= self.today <= end:
            return self.today
        if event_days:
            return min(event_days)
        return start if self.today < start else end

    def home_range(self) -> tuple[float, float]:
        """The days the chart opens on: a few weeks around today, up to the event when it is close; or
        the weeks before the event and just after it, when today is outside the edition."""
        snapshot = self.item.snapshot
        focus = self.focus_day()
        first = snapshot.first_day if snapshot else None
        last = max(snapshot.event_days) if snapshot and snapshot.event_days else first
        if focus == self.today:
            start = self.today - dt.timedelta(days=HOME_BEFORE_TODAY)
            end = self.today + dt.timedelta(days=HOME_AFTER_TODAY)
            if first is not None and self.today < first <= self.today + dt.timedelta(days=HOME_EVENT_AHEAD):
                end = max(end, last + dt.timedelta(days=14))
        else:
            start = focus - dt.timedelta(days=HOME_BEFORE_EVENT)
            end = (last or focus) + dt.timedelta(days=HOME_AFTER_EVENT)
        return day_x(start), day_x(end) + 1.0

    def show_home(self) -> None:
        """The view the chart opens on (see home_range), rows from the top."""
        x0, x1 = self.home_range()
        self.view_box.setXRange(x0, x1, padding=0)
        self.view_box.setYRange(-0.5, -0.5 + self._visible_rows(), padding=0)

    def _zoom_centre(self, span: float) -> float:
        """Where a zoom preset centres: on today or the event (see focus_day) when it is in view — on both
        today and the event when they fit together —, else on the middle of the view."""
        (x0, x1), _ = self.view_box.viewRange()
        focus = self.focus_day()
        focus_x = day_x(focus) + 0.5
        if not x0 <= focus_x <= x1:
            return (x0 + x1) / 2
        first = self.item.snapshot.first_day if self.item.snapshot else None
        if focus == self.today and first is not None and first > self.today:
            event_x = day_x(first) + 0.5
            if event_x - focus_x <= span * 0.8:
                return (focus_x + event_x) / 2
        return focus_x

    def pixels_per_day(self) -> float:
        (x0, x1), _ = self.view_box.viewRange()
        return (self.view_box.width() or 1) / max(x1 - x0, 1e-6)

    def zoom_to(self, level: str) -> None:
        """'semaine', 'mois' or 'trimestre': pixels per day preset, centred on today or the event (see
        _zoom_centre)."""
        ppd = ZOOM_LEVELS[level]
        span = (self.view_box.width() or 800) / ppd
        centre = self._zoom_centre(span)
        self.view_box.setXRange(centre - span / 2, centre + span / 2, padding=0)

    def zoom_by(self, factor: float) -> None:
        """factor > 1 zooms in (more pixels per day)."""
        (x0, x1), _ = self.view_box.viewRange()
        centre, half = (x0 + x1) / 2, (x1 - x0) / 2 / factor
        self.view_box.setXRange(centre - half, centre + half, padding=0)

    def show_today(self) -> None:
        (x0, x1), _ = self.view_box.viewRange()
        half = (x1 - x0) / 2
        centre = day_x(self.today)
        self.view_box.setXRange(centre - half, centre + half, padding=0)

    def scroll_to_task(self, task_id: int) -> None:
        index = self.item.row_of_task.get(task_id)
        if index is None:
            return
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        if not (y0 + 0.5 <= index <= y1 - 1):
            top = max(-0.5, index - (y1 - y0) / 3)
            self.view_box.setYRange(top, top + (y1 - y0), padding=0)
        task = self.item.rows[index].task
        left, right = day_x(task.start), day_x(task.end) + 1
        if right < x0 or left > x1:
            half = (x1 - x0) / 2
            self.view_box.setXRange(left - half / 2, left - half / 2 + 2 * half, padding=0)
