"""Offscreen Gantt rendering with QPainter: a PNG of the whole plan, and an A4 landscape PDF tiled over pages.

The PDF keeps a fixed scale (pixels per day, row height) so a long plan is never shrunk into an
unreadable strip: it is cut into whole months across and into bands of rows down, and every page
repeats the task-name column, the month header and a legend.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
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

from ...core.errors import ValidationError
from ...core.formatting import MONTH_ABBR, MONTH_NAMES, date_abbr, date_long
from ...core.planning import ChartRow, PlanningSnapshot, chart_rows, critical_chain
from .gantt import COLOURS, NO_BRUSH, NO_PEN, keep_none_alive, task_colours

# Layout units are pixels at 96 dpi (the PDF writer is set to 96 dpi so both outputs share them).
DPI = 96


@dataclass(frozen=True)
class PrintLayout:
    name_width: float = 300.0
    row_height: float = 18.0
    title_height: float = 22.0
    header_height: float = 22.0
    footer_height: float = 22.0
    px_per_day: float = 2.5
    font_size: float = 8.0


@dataclass(frozen=True)
class Tile:
    first_day: dt.date
    last_day: dt.date  # included
    first_row: int
    last_row: int  # included


def ensure_gui_application():
    """Fonts and painting need a Qt application; the CLI creates one (offscreen when there is no display)."""
    import os
    import sys

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    return app


def _month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def plan_span(snapshot: PlanningSnapshot, today: Optional[dt.date] = None) -> tuple[dt.date, dt.date]:
    """Whole months covering every task and event day."""
    days = [t.start for t in snapshot.tasks] + [t.end for t in snapshot.tasks] + list(snapshot.event_days)
    if not days:
        base = today or dt.date.today()
        days = [base]
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


class GanttPainter:
    """Draws one tile (a run of days × a band of rows) of the chart at a fixed scale."""

    def __init__(self, snapshot: PlanningSnapshot, rows: Sequence[ChartRow], today: dt.date,
                 critical: set[int], layout: PrintLayout):
        self.snapshot = snapshot
        self.rows = list(rows)
        self.today = today
        self.critical = critical
        self.layout = layout
        self.row_of_task = {r.task.id: i for i, r in enumerate(self.rows) if r.task is not None}
        self.tasks = {r.task.id: r.task for r in self.rows if r.task is not None}

    def draw(self, p: QPainter, origin: QPointF, tile: Tile, title: str, footer: str,
             frame_width: float = 0.0) -> QRectF:
        """Draw tile at origin; title and footer span frame_width (the page) when wider than the tile."""
        keep_none_alive()
        lay = self.layout
        font = QFont()
        font.setPointSizeF(lay.font_size)
        bold = QFont(font)
        bold.setBold(True)
        title_font = QFont(font)
        title_font.setPointSizeF(lay.font_size + 3)
        title_font.setBold(True)
        days = (tile.last_day - tile.first_day).days + 1
        nrows = tile.last_row - tile.first_row + 1
        chart_left = origin.x() + lay.name_width
        chart_width = days * lay.px_per_day
        top = origin.y() + lay.title_height
        rows_top = top + lay.header_height
        rows_height = max(0, nrows) * lay.row_height
        total_width = lay.name_width + chart_width
        text_width = max(total_width, frame_width)

        def x_of(day: dt.date) -> float:
            return chart_left + (day - tile.first_day).days * lay.px_per_day

        def y_of(index: int) -> float:
            return rows_top + (index - tile.first_row) * lay.row_height

        # Title.
        p.setFont(title_font)
        p.setPen(QColor("#1f2933"))
        p.drawText(QRectF(origin.x(), origin.y(), text_width, lay.title_height), int(Qt.AlignLeft | Qt.AlignVCenter), title)

        # Month header.
        p.setFont(font)
        metrics = QFontMetricsF(font)
        header = QRectF(chart_left, top, chart_width, lay.header_height)
        p.fillRect(QRectF(origin.x(), top, total_width, lay.header_height), QColor("#f1f3f6"))
        month = _month_start(tile.first_day)
        while month <= tile.last_day:
            left_day = max(month, tile.first_day)
            right_day = min(_next_month(month) - dt.timedelta(days=1), tile.last_day)
            box = QRectF(x_of(left_day), top, (right_day - left_day).days * lay.px_per_day + lay.px_per_day, lay.header_height)
            label = f"{MONTH_NAMES[month.month - 1]} {month.year}"
            if metrics.horizontalAdvance(label) > box.width() - 4:
                label = f"{MONTH_ABBR[month.month - 1]} {month.year}"
            if metrics.horizontalAdvance(label) > box.width() - 4:
                label = f"{MONTH_ABBR[month.month - 1]} {month.year % 100:02d}"
            if metrics.horizontalAdvance(label) > box.width() - 2:
                label = MONTH_ABBR[month.month - 1][:1]
            p.setPen(QColor("#1f2933"))
            p.drawText(box, int(Qt.AlignCenter), label)
            month = _next_month(month)
        p.setPen(QPen(QColor("#5f6b7a"), 0.8))
        p.drawLine(QPointF(origin.x(), rows_top), QPointF(chart_left + chart_width, rows_top))
        p.setFont(bold)
        p.drawText(QRectF(origin.x() + 4, top, lay.name_width - 8, lay.header_height), int(Qt.AlignLeft | Qt.AlignVCenter), "Tâche")

        # Rows: group bands, zebra, names.
        chart_clip = QRectF(chart_left, rows_top, chart_width, rows_height)
        bold_metrics = QFontMetricsF(bold)
        for index in range(tile.first_row, tile.last_row + 1):
            row = self.rows[index]
            y = y_of(index)
            band = QRectF(origin.x(), y, total_width, lay.row_height)
            if row.is_group:
                p.fillRect(band, QColor(COLOURS.group))
                p.setFont(bold)
                p.setPen(QColor("#1f2933"))
                text = bold_metrics.elidedText(row.label, Qt.ElideRight, lay.name_width - 10)
                p.drawText(QRectF(origin.x() + 4, y, lay.name_width - 8, lay.row_height), int(Qt.AlignLeft | Qt.AlignVCenter), text)
            else:
                if index % 2:
                    p.fillRect(band, QColor("#fafbfc"))
                p.setFont(font)
                p.setPen(QColor("#1f2933"))
                prefix = "◆ " if row.task.milestone else ""
                text = metrics.elidedText(prefix + row.task.title, Qt.ElideRight, lay.name_width - 18)
                p.drawText(QRectF(origin.x() + 12, y, lay.name_width - 14, lay.row_height), int(Qt.AlignLeft | Qt.AlignVCenter), text)

        p.save()
        p.setClipRect(chart_clip)
        # Event days, month lines, week ticks.
        for day in self.snapshot.event_days:
            if tile.first_day <= day <= tile.last_day:
                p.fillRect(QRectF(x_of(day), rows_top, lay.px_per_day, rows_height), QColor(COLOURS.event))
        month = _next_month(_month_start(tile.first_day))
        p.setPen(QPen(QColor("#d5dbe3"), 0.6))
        while month <= tile.last_day:
            p.drawLine(QPointF(x_of(month), rows_top), QPointF(x_of(month), rows_top + rows_height))
            month = _next_month(month)
        # Bars and milestones.
        p.setRenderHint(QPainter.Antialiasing, True)
        bar_h = lay.row_height * 0.56
        for index in range(tile.first_row, tile.last_row + 1):
            task = self.rows[index].task
            if task is None or task.end < tile.first_day or task.start > tile.last_day:
                continue
            y = y_of(index) + lay.row_height / 2
            critical = task.id in self.critical
            if task.milestone:
                colour = COLOURS.done_fill if task.done else (COLOURS.late_fill if task.is_late(self.today) else COLOURS.milestone)
                cx, r = x_of(task.start) + lay.px_per_day / 2, lay.row_height * 0.36
                diamond = QPolygonF([QPointF(cx, y - r), QPointF(cx + r, y), QPointF(cx, y + r), QPointF(cx - r, y)])
                p.setBrush(QBrush(QColor(colour)))
                p.setPen(QPen(QColor(COLOURS.critical if critical else "#2b1d4a"), 1.6 if critical else 0.8))
                p.drawPolygon(diamond)
                continue
            back, fill = task_colours(task, self.today)
            rect = QRectF(x_of(task.start), y - bar_h / 2, task.duration_days * lay.px_per_day, bar_h)
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
            x_from = x_of(pred.start) + lay.px_per_day / 2 if pred.milestone else x_of(pred.end) + lay.px_per_day
            x_to = x_of(succ.start)
            ya, yb = y_of(a) + lay.row_height / 2, y_of(b) + lay.row_height / 2
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
                y_enter = yb - bar_h / 2 if yb > ya else yb + bar_h / 2
                y_turn = yb - lay.row_height / 2 if yb > ya else yb + lay.row_height / 2
                path.lineTo(elbow, y_turn)
                path.lineTo(x_to + 2, y_turn)
                path.lineTo(x_to + 2, y_enter)
                p.setBrush(NO_BRUSH)
                p.drawPath(path)
        # Today.
        if tile.first_day <= self.today <= tile.last_day:
            x = x_of(self.today) + lay.px_per_day / 2
            p.setPen(QPen(QColor(COLOURS.today), 1.4, Qt.DashLine))
            p.drawLine(QPointF(x, rows_top), QPointF(x, rows_top + rows_height))
        p.restore()
        if tile.first_day <= self.today <= tile.last_day:
            x = x_of(self.today) + lay.px_per_day / 2
            small = QFont(font)
            small.setPointSizeF(lay.font_size - 1)
            p.setFont(small)
            label = QRectF(x + 2, rows_top + 1, QFontMetricsF(small).horizontalAdvance("aujourd'hui") + 4, 11)
            p.fillRect(label, QColor(255, 255, 255, 220))
            p.setPen(QColor(COLOURS.today))
            p.drawText(label, int(Qt.AlignCenter), "aujourd'hui")

        # Frame and name column separator.
        p.setPen(QPen(QColor("#9aa5b1"), 0.8))
        p.setBrush(NO_BRUSH)
        p.drawRect(QRectF(origin.x(), top, total_width, lay.header_height + rows_height))
        p.drawLine(QPointF(chart_left, top), QPointF(chart_left, rows_top + rows_height))

        # Footer: page text and legend.
        footer_top = rows_top + rows_height + 4
        legend_end = self._legend(p, font, QPointF(origin.x(), footer_top))
        p.setFont(font)
        p.setPen(QColor("#52606d"))
        room = origin.x() + text_width - legend_end - 12
        text = metrics.elidedText(footer, Qt.ElideLeft, room) if room > 40 else ""
        p.drawText(QRectF(legend_end + 12, footer_top, room, lay.footer_height), int(Qt.AlignRight | Qt.AlignVCenter), text)
        return QRectF(origin.x(), origin.y(), total_width, lay.title_height + lay.header_height + rows_height + lay.footer_height + 4)

    def _legend(self, p: QPainter, font: QFont, at: QPointF) -> float:
        """Draw the colour legend; returns where it ends (x)."""
        p.setFont(font)
        metrics = QFontMetricsF(font)
        x, h = at.x(), self.layout.footer_height
        y = at.y() + h / 2
        for colour, label, shape in (
            (COLOURS.bar, "à faire / en cours", "bar"), (COLOURS.done, "terminée", "bar"),
            (COLOURS.late, "en retard", "bar"), (COLOURS.milestone, "jalon", "diamond"),
            (COLOURS.event, "jour de l'évènement", "bar"), (COLOURS.critical, "chaîne critique", "line"),
        ):
            if shape == "line" and not self.critical:
                continue
            p.setPen(QPen(QColor(COLOURS.outline), 0.6))
            p.setBrush(QBrush(QColor(colour)))
            if shape == "diamond":
                p.drawPolygon(QPolygonF([QPointF(x + 6, y - 5), QPointF(x + 11, y), QPointF(x + 6, y + 5), QPointF(x + 1, y)]))
            elif shape == "line":
                p.setPen(QPen(QColor(colour), 1.6))
                p.setBrush(NO_BRUSH)
                p.drawRect(QRectF(x, y - 4, 12, 8))
            else:
                p.drawRect(QRectF(x, y - 4, 12, 8))
            p.setPen(QColor("#1f2933"))
            width = metrics.horizontalAdvance(label)
            p.drawText(QRectF(x + 16, at.y(), width + 2, h), int(Qt.AlignLeft | Qt.AlignVCenter), label)
            x += 16 + width + 14
        return x - 14


def _prepare(snapshot: PlanningSnapshot, today: dt.date, group_by: str, show_critical: bool):
    rows = chart_rows(snapshot.tasks, group_by)
    critical = critical_chain(snapshot) if show_critical else set()
    return rows, critical


def render_png(snapshot: PlanningSnapshot, path: Path | str, today: dt.date, group_by: str = "owner",
               show_critical: bool = False, layout: PrintLayout = PrintLayout(px_per_day=3.0, font_size=8.5),
               scale: float = 2.0) -> Path:
    """The whole plan in one image (drawn at scale× for sharpness)."""
    ensure_gui_application()
    rows, critical = _prepare(snapshot, today, group_by, show_critical)
    first, last = plan_span(snapshot, today)
    tile = Tile(first, last, 0, len(rows) - 1)
    width = layout.name_width + ((last - first).days + 1) * layout.px_per_day + 20
    height = layout.title_height + layout.header_height + max(1, len(rows)) * layout.row_height + layout.footer_height + 24
    if max(width, height) * scale > 30000:
        scale = 30000 / max(width, height)
        if scale < 0.6:
            raise ValidationError(
                {"format": f"Le planning ({len(rows)} lignes) est trop long pour une seule image lisible : exportez-le en PDF."}
            )
    image = QImage(int(width * scale), int(height * scale), QImage.Format_ARGB32_Premultiplied)
    image.setDotsPerMeterX(int(DPI / 0.0254))
    image.setDotsPerMeterY(int(DPI / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.TextAntialiasing, True)
    painter.scale(scale, scale)
    GanttPainter(snapshot, rows, today, critical, layout).draw(
        painter, QPointF(10, 6), tile, _title(snapshot), _span_text(first, last)
    )
    painter.end()
    from ...core.io.safe_write import atomic_write

    def save(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire l'image « {path} ».")

    return atomic_write(path, save)


def _title(snapshot: PlanningSnapshot) -> str:
    days = " et ".join(date_long(d) for d in snapshot.event_days) or "dates à fixer"
    return f"Planning « {snapshot.edition_name} » — évènement : {days}"


def _span_text(first: dt.date, last: dt.date) -> str:
    return f"du {date_abbr(first)} au {date_abbr(last)}"


def pdf_tiles(snapshot: PlanningSnapshot, today: dt.date, group_by: str = "owner",
              layout: PrintLayout = PrintLayout()) -> tuple[list[ChartRow], list[Tile]]:
    """How the plan is cut into A4 landscape pages at the layout's fixed scale."""
    rows = chart_rows(snapshot.tasks, group_by)
    page = QPageSize(QPageSize.A4).sizePixels(DPI)
    margin = 28.0
    width, height = page.height() - 2 * margin, page.width() - 2 * margin  # landscape
    chart_width = width - layout.name_width
    rows_per_page = max(1, int((height - layout.title_height - layout.header_height - layout.footer_height - 6) // layout.row_height))
    first, last = plan_span(snapshot, today)
    columns = month_tiles(first, last, chart_width, layout.px_per_day)
    bands = []
    start = 0
    while start < max(len(rows), 1):
        end = min(start + rows_per_page, len(rows)) - 1
        if end > start and end < len(rows) - 1 and rows[end].is_group:
            end -= 1  # a group heading never ends a page: it goes with its tasks
        bands.append((start, max(end, start)))
        start = max(end, start) + 1
    tiles = [Tile(c0, c1, r0, r1) for r0, r1 in bands for c0, c1 in columns]
    return rows, tiles


def render_pdf(snapshot: PlanningSnapshot, path: Path | str, today: dt.date, group_by: str = "owner",
               show_critical: bool = False, layout: PrintLayout = PrintLayout()) -> int:
    """A4 landscape pages, fixed scale, name column repeated on each; returns the page count.

    Written to a temporary file then put in place (safe_write): never onto the base, never half a PDF."""
    from ...core.io.safe_write import atomic_write

    pages: list[int] = []
    atomic_write(path, lambda temporary: pages.append(
        _render_pdf(snapshot, temporary, today, group_by, show_critical, layout)))
    return pages[0]


def _render_pdf(snapshot: PlanningSnapshot, path: Path | str, today: dt.date, group_by: str,
                show_critical: bool, layout: PrintLayout) -> int:
    ensure_gui_application()
    rows, tiles = pdf_tiles(snapshot, today, group_by, layout)
    critical = critical_chain(snapshot) if show_critical else set()
    target = Path(path)
    writer = QPdfWriter(str(target))
    writer.setResolution(DPI)
    writer.setTitle(f"Planning {snapshot.edition_name}")
    writer.setCreator("Bons Jours")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Landscape, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        raise ValidationError({"out": f"Impossible d'écrire le PDF « {target} »."})
    drawer = GanttPainter(snapshot, rows, today, critical, layout)
    page_width = QPageSize(QPageSize.A4).sizePixels(DPI).height() - 56  # landscape width inside margins
    bands = len({(t.first_row, t.last_row) for t in tiles})
    columns = len(tiles) // max(bands, 1)
    for number, tile in enumerate(tiles, start=1):
        if number > 1:
            writer.newPage()
        footer = (
            f"Page {number}/{len(tiles)} · lignes {tile.first_row + 1} à {tile.last_row + 1} sur {len(rows)} · "
            f"{_span_text(tile.first_day, tile.last_day)}"
        )
        drawer.draw(painter, QPointF(28, 28), tile, _title(snapshot), footer, frame_width=page_width)
    painter.end()
    return len(tiles)


def export_planning(snapshot: PlanningSnapshot, target: Path, fmt: str, today: dt.date,
                    group_by: str = "owner", show_critical: bool = False) -> object:
    """Every export format from one place (the tab's Exporter menu)."""
    from ...core.io import planning_io

    if fmt == "png":
        return render_png(snapshot, target, today, group_by, show_critical)
    if fmt == "pdf":
        return render_pdf(snapshot, target, today, group_by, show_critical)
    if fmt == "ics":
        return planning_io.write_ics(snapshot, target)
    return planning_io.write_csv(snapshot, target)
