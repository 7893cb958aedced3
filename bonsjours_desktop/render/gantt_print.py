"""Offscreen Gantt rendering with QPainter: a PNG of the whole plan, and a landscape PDF (A4 or A3) tiled over pages.

Every PDF page is filled: the days spread over the page width (cut into runs of whole months only when
the plan would fall under a readable scale) and the rows over its height (cut into bands that never
end on a group heading). Each page repeats the title, the task-name column (names wrapped, never cut
with "…"), the month header, the legend and a footer saying which part of the plan it shows.

An edition without tasks still gives a one-page chart (its months and event days) that says so. Files
are written through safe_write.atomic_write: a failed export leaves the previous file (or none), never an
empty one, and never writes onto the database.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from ..core.errors import ValidationError
from ..core.formatting import date_abbr, date_long, month_label
from ..core.planning import ChartRow, PlanningSnapshot, chart_rows, critical_chain
from .gantt_palette import COLOURS, NO_BRUSH, NO_PEN, keep_none_alive, legend_items, paint_swatch, task_colours
from .headless import ensure_application

# Layout units are pixels at 96 dpi (the PDF writer is set to 96 dpi so both outputs share them).
DPI = 96
PAPERS = {"a4": QPageSize.A4, "a3": QPageSize.A3}
MARGIN = 36.0  # ≈ 9.5 mm around each PDF page
EMPTY_PLAN = "Aucune tâche n’est encore planifiée pour cette édition."
EMPTY_HINT = "Ajoutez des tâches dans l’onglet Planning, ou créez le planning depuis un modèle (menu « Modèles »)."
TEXT = "#1f2933"


@dataclass(frozen=True)
class PrintLayout:
    name_width: float = 300.0
    row_height: float = 18.0  # the least a row takes: one line of its name
    max_row_height: float = 48.0  # on a PDF page rows grow up to this to fill the height
    title_height: float = 26.0
    header_height: float = 30.0  # two lines: a narrow month shows « sept. » above « 2013 »
    legend_height: float = 20.0
    footer_height: float = 16.0
    px_per_day: float = 3.0  # the PNG's scale; a PDF page takes its own from its width
    min_px_per_day: float = 1.2  # below this a PDF is cut into runs of whole months
    font_size: float = 8.0


@dataclass(frozen=True)
class Tile:
    """One page's part of the chart: a run of days × a band of rows, with the scale to draw it at."""

    first_day: dt.date
    last_day: dt.date  # included
    first_row: int
    last_row: int  # included; first_row - 1 when the plan has no rows
    px_per_day: float
    row_heights: tuple[float, ...]
    blank_height: float = 0.0  # the rows area of a plan without rows (where the message goes)

    @property
    def rows_height(self) -> float:
        return sum(self.row_heights) if self.row_heights else self.blank_height


def _month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def plan_span(snapshot: PlanningSnapshot, today: Optional[dt.date] = None) -> tuple[dt.date, dt.date]:
    """Whole months covering every task and event day (today's month when there is neither)."""
    days = [t.start for t in snapshot.tasks] + [t.end for t in snapshot.tasks] + list(snapshot.event_days)
    if not days:
        days = [today or dt.date.today()]
    first = _month_start(min(days))
    last = _next_month(max(days)) - dt.timedelta(days=1)
    return first, last


def month_tiles(first: dt.date, last: dt.date, width: float, px_per_day: float) -> list[tuple[dt.date, dt.date]]:
    """Cut [first, last] into runs of whole months that fit width at px_per_day."""
    capacity = max(1, int(width // px_per_day))
    total = (last - first).days + 1
    # Balanced pages: 15 months on two pages become 8 + 7, not 10 + a narrow strip of 5.
    target = total / max(1, math.ceil(total / capacity))
    tiles = []
    start = first
    while start <= last:
        end: Optional[dt.date] = None
        month = start
        while month <= last:
            month_end = min(_next_month(month) - dt.timedelta(days=1), last)
            length = (month_end - start).days + 1
            if length > capacity:
                break
            if end is not None and length > target + 15:
                break
            end, month = month_end, _next_month(month)
        if end is None:  # one month wider than the page: cut it
            end = min(start + dt.timedelta(days=capacity - 1), last)
        tiles.append((start, end))
        start = end + dt.timedelta(days=1)
    return tiles


_GLUED_TO_NEXT = {"«", "(", "["}
_GLUED_TO_PREVIOUS = {"»", ":", ";", "!", "?", ")", "]", "–", "—"}


def _words(text: str) -> list[str]:
    """Text cut at its spaces, except around « », : ; ! ? which stay with their word."""
    words: list[str] = []
    glue = False
    for part in text.split(" "):
        if words and (glue or part in _GLUED_TO_PREVIOUS):
            words[-1] = f"{words[-1]} {part}"
        else:
            words.append(part)
        glue = part in _GLUED_TO_NEXT
    return words


def wrap_text(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """Lines of text no wider than width, cut between words (inside a word only when the word alone is
    wider than the line). Nothing is dropped and nothing is added: no "…"."""
    lines: list[str] = []
    current = ""
    for word in _words(text):
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while metrics.horizontalAdvance(current) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and metrics.horizontalAdvance(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


class GanttPainter:
    """Draws one tile (a run of days × a band of rows) of the chart."""

    def __init__(self, snapshot: PlanningSnapshot, rows: Sequence[ChartRow], today: dt.date,
                 critical: set[int], layout: PrintLayout):
        self.snapshot = snapshot
        self.rows = list(rows)
        self.today = today
        self.critical = critical
        self.layout = layout
        self.row_of_task = {r.task.id: i for i, r in enumerate(self.rows) if r.task is not None}
        self.tasks = {r.task.id: r.task for r in self.rows if r.task is not None}
        self.font = QFont()
        self.font.setPointSizeF(layout.font_size)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.title_font = QFont(self.font)
        self.title_font.setPointSizeF(layout.font_size + 3)
        self.title_font.setBold(True)
        self.small = QFont(self.font)
        self.small.setPointSizeF(layout.font_size - 1)
        self.metrics = QFontMetricsF(self.font)
        self.bold_metrics = QFontMetricsF(self.bold)

    # -- the names column ------------------------------------------------------------------------

    def name_lines(self, index: int) -> list[str]:
        """The row's name wrapped to the names column (a group heading in bold, a task indented)."""
        row = self.rows[index]
        if row.is_group:
            return wrap_text(row.label, self.bold_metrics, self.layout.name_width - 8)
        prefix = "◆ " if row.task.milestone else ""
        return wrap_text(prefix + row.task.title, self.metrics, self.layout.name_width - 16)

    def natural_height(self, index: int) -> float:
        lines = len(self.name_lines(index))
        return max(self.layout.row_height, lines * self.metrics.lineSpacing() + 5)

    def title_width(self, title: str) -> float:
        return QFontMetricsF(self.title_font).horizontalAdvance(title)

    # -- drawing ---------------------------------------------------------------------------------

    def draw(self, p: QPainter, origin: QPointF, tile: Tile, title: str, footer: str,
             frame_width: float = 0.0) -> QRectF:
        """Draw tile at origin; title, legend and footer span frame_width (the page) when wider than the tile."""
        keep_none_alive()
        lay = self.layout
        font, bold, metrics = self.font, self.bold, self.metrics
        days = (tile.last_day - tile.first_day).days + 1
        ppd = tile.px_per_day
        chart_left = origin.x() + lay.name_width
        chart_width = days * ppd
        top = origin.y() + lay.title_height
        rows_top = top + lay.header_height
        rows_height = tile.rows_height
        rows_bottom = rows_top + rows_height
        total_width = lay.name_width + chart_width
        text_width = max(total_width, frame_width)
        offsets = [rows_top]
        for height in tile.row_heights:
            offsets.append(offsets[-1] + height)

        def x_of(day: dt.date) -> float:
            return chart_left + (day - tile.first_day).days * ppd

        def row_top(index: int) -> float:
            return offsets[index - tile.first_row]

        def row_middle(index: int) -> float:
            if index < tile.first_row:
                return rows_top - 30  # a link from a row on an earlier page comes in from above
            if index > tile.last_row:
                return rows_bottom + 30
            return (offsets[index - tile.first_row] + offsets[index - tile.first_row + 1]) / 2

        # Title.
        p.setFont(self.title_font)
        p.setPen(QColor(TEXT))
        p.drawText(QRectF(origin.x(), origin.y(), text_width, lay.title_height),
                   int(Qt.AlignLeft | Qt.AlignVCenter), title)

        # Month header: one form everywhere (« oct. 2012 »), on two lines when the month is narrow.
        p.setFont(font)
        p.fillRect(QRectF(origin.x(), top, total_width, lay.header_height), QColor("#f1f3f6"))
        month = _month_start(tile.first_day)
        while month <= tile.last_day:
            left_day = max(month, tile.first_day)
            right_day = min(_next_month(month) - dt.timedelta(days=1), tile.last_day)
            box = QRectF(x_of(left_day), top, ((right_day - left_day).days + 1) * ppd, lay.header_height)
            p.setPen(QColor(TEXT))
            p.drawText(box.adjusted(1, 0, -1, 0), int(Qt.AlignCenter | Qt.TextWordWrap), month_label(month))
            if month > tile.first_day:
                p.setPen(QPen(QColor("#c3cad3"), 0.6))
                p.drawLine(QPointF(box.left(), top), QPointF(box.left(), rows_top))
            month = _next_month(month)
        p.setPen(QPen(QColor("#5f6b7a"), 0.8))
        p.drawLine(QPointF(origin.x(), rows_top), QPointF(chart_left + chart_width, rows_top))
        p.setFont(bold)
        p.setPen(QColor(TEXT))
        p.drawText(QRectF(origin.x() + 4, top, lay.name_width - 8, lay.header_height),
                   int(Qt.AlignLeft | Qt.AlignVCenter), "Tâche")

        # Rows: group bands, zebra, names (wrapped, whole).
        line = metrics.lineSpacing()
        for index in range(tile.first_row, tile.last_row + 1):
            row = self.rows[index]
            y, height = row_top(index), tile.row_heights[index - tile.first_row]
            band = QRectF(origin.x(), y, total_width, height)
            if row.is_group:
                p.fillRect(band, QColor(COLOURS.group))
                p.setFont(bold)
                left = origin.x() + 4
            else:
                if index % 2:
                    p.fillRect(band, QColor("#fafbfc"))
                p.setFont(font)
                left = origin.x() + 12
            p.setPen(QColor(TEXT))
            lines = self.name_lines(index)
            first = y + (height - len(lines) * line) / 2
            for number, text in enumerate(lines):
                p.drawText(QRectF(left, first + number * line, lay.name_width - (left - origin.x()) - 2, line),
                           int(Qt.AlignLeft | Qt.AlignVCenter), text)

        p.save()
        p.setClipRect(QRectF(chart_left, rows_top, chart_width, rows_height))
        # Event days and month lines.
        for day in self.snapshot.event_days:
            if tile.first_day <= day <= tile.last_day:
                p.fillRect(QRectF(x_of(day), rows_top, max(ppd, 2.0), rows_height), QColor(COLOURS.event))
        month = _next_month(_month_start(tile.first_day))
        p.setPen(QPen(QColor("#d5dbe3"), 0.6))
        while month <= tile.last_day:
            p.drawLine(QPointF(x_of(month), rows_top), QPointF(x_of(month), rows_bottom))
            month = _next_month(month)
        # Bars and milestones.
        p.setRenderHint(QPainter.Antialiasing, True)
        for index in range(tile.first_row, tile.last_row + 1):
            task = self.rows[index].task
            if task is None or task.end < tile.first_day or task.start > tile.last_day:
                continue
            y = row_middle(index)
            bar_h = min(tile.row_heights[index - tile.first_row] * 0.56, 14.0)
            critical = task.id in self.critical
            if task.milestone:
                colour = COLOURS.done_fill if task.done else (COLOURS.late_fill if task.is_late(self.today) else COLOURS.milestone)
                cx, r = x_of(task.start) + ppd / 2, bar_h * 0.65
                diamond = QPolygonF([QPointF(cx, y - r), QPointF(cx + r, y), QPointF(cx, y + r), QPointF(cx - r, y)])
                p.setBrush(QBrush(QColor(colour)))
                p.setPen(QPen(QColor(COLOURS.critical if critical else "#2b1d4a"), 1.6 if critical else 0.8))
                p.drawPolygon(diamond)
                continue
            back, fill = task_colours(task, self.today)
            rect = QRectF(x_of(task.start), y - bar_h / 2, task.duration_days * ppd, bar_h)
            p.setPen(NO_PEN)
            p.setBrush(QBrush(QColor(back)))
            p.drawRect(rect)
            if task.progress:
                p.setBrush(QBrush(QColor(fill)))
                p.drawRect(QRectF(rect.left(), y - bar_h * 0.28, rect.width() * task.progress / 100, bar_h * 0.56))
            p.setBrush(NO_BRUSH)
            p.setPen(QPen(QColor(COLOURS.critical if critical else COLOURS.outline), 1.6 if critical else 0.7))
            p.drawRect(rect)
        # Dependency arrows (clipped: a link leaving the page shows where it goes).
        p.setPen(QPen(QColor(COLOURS.arrow), 0.8))
        for link in self.snapshot.dependencies:
            a, b = self.row_of_task.get(link.predecessor_id), self.row_of_task.get(link.successor_id)
            if a is None or b is None or max(a, b) < tile.first_row or min(a, b) > tile.last_row:
                continue
            pred, succ = self.tasks[link.predecessor_id], self.tasks[link.successor_id]
            x_from = x_of(pred.start) + ppd / 2 if pred.milestone else x_of(pred.end) + ppd
            x_to = x_of(succ.start)
            ya, yb = row_middle(a), row_middle(b)
            elbow = x_from + 4
            path = QPainterPath(QPointF(x_from, ya))
            path.lineTo(elbow, ya)
            if x_to - 5 >= elbow:
                path.lineTo(elbow, yb)
                path.lineTo(x_to - 1, yb)
                p.setBrush(NO_BRUSH)
                p.drawPath(path)
                p.setBrush(QBrush(QColor(COLOURS.arrow)))
                p.drawPolygon(QPolygonF([QPointF(x_to, yb), QPointF(x_to - 5, yb - 3), QPointF(x_to - 5, yb + 3)]))
            else:
                half = 7.0
                y_enter = yb - half if yb > ya else yb + half
                y_turn = yb - 2 * half if yb > ya else yb + 2 * half
                path.lineTo(elbow, y_turn)
                path.lineTo(x_to + 2, y_turn)
                path.lineTo(x_to + 2, y_enter)
                p.setBrush(NO_BRUSH)
                p.drawPath(path)
        # Today.
        today_shown = tile.first_day <= self.today <= tile.last_day
        if today_shown:
            x = x_of(self.today) + ppd / 2
            p.setPen(QPen(QColor(COLOURS.today), 1.4, Qt.DashLine))
            p.drawLine(QPointF(x, rows_top), QPointF(x, rows_bottom))
        p.restore()
        if today_shown:
            x = x_of(self.today) + ppd / 2
            p.setFont(self.small)
            label = QRectF(x + 2, rows_top + 1, QFontMetricsF(self.small).horizontalAdvance("aujourd’hui") + 4, 11)
            p.fillRect(label, QColor(255, 255, 255, 220))
            p.setPen(QColor(COLOURS.today))
            p.drawText(label, int(Qt.AlignCenter), "aujourd’hui")

        if not self.rows:  # a plan without tasks says so where its bars would be
            self._empty_message(p, QRectF(origin.x() + 8, rows_top, total_width - 16, rows_height))

        # Frame and name column separator.
        p.setPen(QPen(QColor("#9aa5b1"), 0.8))
        p.setBrush(NO_BRUSH)
        p.drawRect(QRectF(origin.x(), top, total_width, lay.header_height + rows_height))
        p.drawLine(QPointF(chart_left, top), QPointF(chart_left, rows_bottom))

        # Legend, then the footer saying which part of the plan this page shows.
        legend_top = rows_bottom + 4
        self._legend(p, QPointF(origin.x(), legend_top))
        p.setFont(font)
        p.setPen(QColor("#52606d"))
        p.drawText(QRectF(origin.x(), legend_top + lay.legend_height, text_width, lay.footer_height),
                   int(Qt.AlignRight | Qt.AlignVCenter), footer)
        return QRectF(origin.x(), origin.y(), text_width,
                      lay.title_height + lay.header_height + rows_height + 4 + lay.legend_height + lay.footer_height)

    def empty_message_width(self) -> float:
        return max(QFontMetricsF(self.title_font).horizontalAdvance(EMPTY_PLAN),
                   self.metrics.horizontalAdvance(EMPTY_HINT)) + 40

    def _empty_message(self, p: QPainter, area: QRectF) -> None:
        big = QFontMetricsF(self.title_font)
        heading = wrap_text(EMPTY_PLAN, big, area.width())
        hint = wrap_text(EMPTY_HINT, self.metrics, area.width())
        line = self.metrics.lineSpacing()
        height = len(heading) * big.lineSpacing() + 4 + len(hint) * line
        y = area.top() + max(0.0, (area.height() - height) / 2)
        p.fillRect(QRectF(area.left(), y - 4, area.width(), height + 8), QColor(255, 255, 255, 235))
        p.setPen(QColor(TEXT))
        p.setFont(self.title_font)
        for text in heading:
            p.drawText(QRectF(area.left(), y, area.width(), big.lineSpacing()), int(Qt.AlignCenter), text)
            y += big.lineSpacing()
        y += 4
        p.setFont(self.font)
        p.setPen(QColor("#52606d"))
        for text in hint:
            p.drawText(QRectF(area.left(), y, area.width(), line), int(Qt.AlignCenter), text)
            y += line

    def legend_items(self) -> list[tuple[str, str, str]]:
        """(colour, label, shape) of each legend entry: every colour and mark the chart uses."""
        return legend_items(self.critical)

    def legend_width(self) -> float:
        return sum(16 + self.metrics.horizontalAdvance(label) + 14 for _, label, _ in self.legend_items())

    def _legend(self, p: QPainter, at: QPointF) -> float:
        """Draw the legend on one line; returns where it ends (x)."""
        p.setFont(self.font)
        x, h = at.x(), self.layout.legend_height
        y = at.y() + h / 2
        for colour, label, shape in self.legend_items():
            paint_swatch(p, x, y, colour, shape)
            p.setPen(QColor(TEXT))
            width = self.metrics.horizontalAdvance(label)
            p.drawText(QRectF(x + 16, at.y(), width + 2, h), int(Qt.AlignLeft | Qt.AlignVCenter), label)
            x += 16 + width + 14
        return x - 14


def _title(snapshot: PlanningSnapshot) -> str:
    days = " et ".join(date_long(d) for d in snapshot.event_days) or "dates à fixer"
    return f"Planning « {snapshot.edition_name} » — évènement : {days}"


def _span_text(first: dt.date, last: dt.date) -> str:
    return f"du {date_abbr(first)} au {date_abbr(last)}"


def _lines_text(tile: Tile, total: int) -> str:
    if total == 0:
        return "aucune tâche"
    if tile.first_row == 0 and tile.last_row == total - 1:
        return f"{total} ligne{'s' if total > 1 else ''}"
    return f"lignes {tile.first_row + 1} à {tile.last_row + 1} sur {total}"


def _stretch(natural: Sequence[float], room: float, cap: float) -> tuple[float, ...]:
    """Row heights grown evenly (each up to cap, never below its natural height) to fill room."""
    extra = room - sum(natural)
    if extra <= 0 or not natural:
        return tuple(natural)
    add = extra / len(natural)
    return tuple(min(max(h, cap), h + add) for h in natural)


def _bands(rows: Sequence[ChartRow], natural: Sequence[float], room: float) -> list[tuple[int, int]]:
    """Consecutive rows that fit room, a band never ending on a group heading (it goes with its tasks)."""
    bands: list[tuple[int, int]] = []
    start = 0
    while start < len(rows):
        end, used = start, natural[start]
        while end + 1 < len(rows) and used + natural[end + 1] <= room:
            end += 1
            used += natural[end]
        if end < len(rows) - 1 and end > start and rows[end].is_group:
            end -= 1
        bands.append((start, end))
        start = end + 1
    return bands


def page_size(paper: str = "a4") -> QSizeF:
    """The landscape page in layout pixels (96 dpi)."""
    if paper not in PAPERS:
        raise ValidationError({"paper": f"Format de papier « {paper} » inconnu : choisissez a4 ou a3."})
    portrait = QPageSize(PAPERS[paper]).sizePixels(DPI)
    return QSizeF(portrait.height(), portrait.width())


def pdf_tiles(snapshot: PlanningSnapshot, today: dt.date, group_by: str = "owner",
              layout: PrintLayout = PrintLayout(), paper: str = "a4") -> tuple[list[ChartRow], list[Tile]]:
    """How the plan is cut into landscape pages, each filled across and down."""
    ensure_application()
    rows = chart_rows(snapshot.tasks, group_by)
    page = page_size(paper)
    width, height = page.width() - 2 * MARGIN, page.height() - 2 * MARGIN
    chart_width = width - layout.name_width
    room = height - layout.title_height - layout.header_height - 4 - layout.legend_height - layout.footer_height
    first, last = plan_span(snapshot, today)
    total_days = (last - first).days + 1
    if chart_width / total_days >= layout.min_px_per_day:
        columns = [(first, last)]
    else:
        columns = month_tiles(first, last, chart_width, layout.min_px_per_day)
    if not rows:
        return rows, [Tile(c0, c1, 0, -1, chart_width / ((c1 - c0).days + 1), (), room) for c0, c1 in columns]
    drawer = GanttPainter(snapshot, rows, today, set(), layout)
    natural = [drawer.natural_height(i) for i in range(len(rows))]
    tiles = []
    for r0, r1 in _bands(rows, natural, room):
        heights = _stretch(natural[r0:r1 + 1], room, layout.max_row_height)
        for c0, c1 in columns:
            tiles.append(Tile(c0, c1, r0, r1, chart_width / ((c1 - c0).days + 1), heights))
    return rows, tiles


def render_pdf(snapshot: PlanningSnapshot, path: Path | str, today: dt.date, group_by: str = "owner",
               show_critical: bool = False, layout: PrintLayout = PrintLayout(), paper: str = "a4") -> int:
    """Landscape pages (A4 or A3), names repeated on each; returns the page count."""
    from .. import __version__
    from ..core.io.safe_write import atomic_write

    ensure_application()
    rows, tiles = pdf_tiles(snapshot, today, group_by, layout, paper)
    critical = critical_chain(snapshot) if show_critical else set()
    target = Path(path)
    page = page_size(paper)

    def write(temporary: Path) -> None:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(DPI)
        writer.setTitle(f"Planning {snapshot.edition_name}")
        writer.setCreator(f"Bons Jours {__version__}")
        writer.setPageLayout(QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Landscape, QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(writer):
            raise ValidationError({"out": f"Impossible d'écrire le PDF « {target} »."})
        try:
            drawer = GanttPainter(snapshot, rows, today, critical, layout)
            for number, tile in enumerate(tiles, start=1):
                if number > 1:
                    writer.newPage()
                footer = (f"Page {number}/{len(tiles)} · {_lines_text(tile, len(rows))} · "
                          f"{_span_text(tile.first_day, tile.last_day)}")
                drawer.draw(painter, QPointF(MARGIN, MARGIN), tile, _title(snapshot), footer,
                            frame_width=page.width() - 2 * MARGIN)
        finally:
            painter.end()

    atomic_write(target, write)
    return len(tiles)


def render_png(snapshot: PlanningSnapshot, path: Path | str, today: dt.date, group_by: str = "owner",
               show_critical: bool = False, layout: PrintLayout = PrintLayout(px_per_day=3.0, font_size=8.5),
               scale: float = 2.0) -> Path:
    """The whole plan in one image (drawn at scale× for sharpness)."""
    from ..core.io.safe_write import atomic_write

    ensure_application()
    rows = chart_rows(snapshot.tasks, group_by)
    critical = critical_chain(snapshot) if show_critical else set()
    drawer = GanttPainter(snapshot, rows, today, critical, layout)
    first, last = plan_span(snapshot, today)
    natural = tuple(drawer.natural_height(i) for i in range(len(rows)))
    title = _title(snapshot)
    days = (last - first).days + 1
    px_per_day = layout.px_per_day
    if not rows:  # the chart as wide as its message, so the message stays on one line
        px_per_day = max(px_per_day, (drawer.empty_message_width() - layout.name_width) / days)
    tile = Tile(first, last, 0, len(rows) - 1, px_per_day, natural, 0.0 if rows else 110.0)
    chart = layout.name_width + days * px_per_day
    frame = max(chart, drawer.title_width(title) + 8, drawer.legend_width())
    width = frame + 20
    height = (layout.title_height + layout.header_height + tile.rows_height + 4 + layout.legend_height
              + layout.footer_height + 12)
    if max(width, height) * scale > 30000:
        scale = 30000 / max(width, height)
        if scale < 0.6:
            raise ValidationError(
                {"format": f"Le planning ({len(rows)} lignes) est trop long pour une seule image lisible : exportez-le en PDF."}
            )
    image = QImage(int(width * scale), int(height * scale), QImage.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(int(DPI / 0.0254))  # fonts sized for 96 dpi, then the painter scales
    image.setDotsPerMeterY(int(DPI / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        painter.scale(scale, scale)
        footer = f"{_lines_text(tile, len(rows))} · {_span_text(first, last)}"
        drawer.draw(painter, QPointF(10, 6), tile, title, footer, frame_width=frame)
    finally:
        painter.end()
    target = Path(path)

    def write(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire l'image « {target} ».")

    return atomic_write(target, write)


def export_planning(snapshot: PlanningSnapshot, target: Path, fmt: str, today: dt.date,
                    group_by: str = "owner", show_critical: bool = False, paper: str = "a4") -> object:
    """Every export format from one place (the tab's Exporter menu)."""
    from ..core.io import planning_io

    if fmt == "png":
        return render_png(snapshot, target, today, group_by, show_critical)
    if fmt == "pdf":
        return render_pdf(snapshot, target, today, group_by, show_critical, paper=paper)
    if fmt == "ics":
        return planning_io.write_ics(snapshot, target)
    return planning_io.write_csv(snapshot, target)
