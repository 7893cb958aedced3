"""The one map of Bons Jours: a département in Lambert-93 with its EPCI, main communes and shops.

Drawn with QPainter, so the same code paints the Boutiques tab (ui/widgets/map.py) and the images
of documents (directory cover, territory maps) without a screen."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from ..core import geo
from ..core.participations import taking_part

# Distinct colours readable on light and dark land; reference networks keep the same colour.
PALETTE = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173",
]
NO_NETWORK = "Sans réseau"
# Shops closer than this (in device pixels at the drawn scale) are one group: spread when few,
# counted in one disc when many.
GROUP_RADIUS = 9.0
SPREAD_MAX = 6
# The directory's cover map (the template places it 165 mm wide).
DIRECTORY_MAP_MM = (165.0, 115.0)


def network_colour(network: str, others: Sequence[str] = ()) -> QColor:
    from ..core.models import NETWORKS

    if network in NETWORKS:
        return QColor(PALETTE[NETWORKS.index(network) % len(PALETTE)])
    extra = sorted(set(others) - set(NETWORKS))
    index = len(NETWORKS) + (extra.index(network) if network in extra else 0)
    return QColor(PALETTE[index % len(PALETTE)])


def count_font_px(radius: float, label: str, font: QFont) -> int:
    """The pixel size of a cluster's count: the radius, smaller when the figure would not fit inside the
    disc (4 digits and more: « 1234 » was drawn clipped to « 23 »)."""
    px = max(6, round(radius))
    font = QFont(font)
    font.setPixelSize(px)
    width = QFontMetricsF(font).horizontalAdvance(label)
    room = 1.7 * radius
    if width > room:
        px = max(6, int(px * room / width))
    return px


@dataclass(frozen=True)
class MapShop:
    """A shop as the map needs it. Any object with these attributes will do: the Boutiques tab gives its
    table's rows (core.shops.ShopRow) as they are — making 10 000 of these cost ~20 ms a map."""

    id: int
    name: str
    network: str
    commune: str
    latitude: float
    longitude: float
    participates: bool = False
    approximate: bool = False


@dataclass(frozen=True)
class MapStyle:
    background: str
    land: str
    outline: str
    epci_border: str
    commune_border: str
    highlight_land: str
    label: str
    halo: str
    marker_edge: str


LIGHT = MapStyle("#E8EEF2", "#F7F5EE", "#4F5B4A", "#8AA07E", "#E1DDD0", "#E3EFD9", "#2B2B2B", "#FFFFFF", "#FFFFFF")
DARK = MapStyle("#1E272C", "#2F3B40", "#B8C7B0", "#6F8B74", "#3C494E", "#3D5245", "#E8ECEA", "#1E272C", "#1E272C")
PRINT = MapStyle("#FFFFFF", "#F6F4EC", "#3E4A39", "#7F9872", "#E4E0D3", "#E1EED5", "#1F1F1F", "#FFFFFF", "#FFFFFF")


@dataclass
class Marker:
    """Where one shop or a counted group of shops is drawn (device coordinates)."""

    position: QPointF
    shops: list[MapShop]
    radius: float

    @property
    def counted(self) -> bool:
        return len(self.shops) > 1


def _path(rings: Iterable[Sequence[tuple[float, float]]], project: geo.Projection) -> QPainterPath:
    path = QPainterPath()
    for ring in rings:
        points = [QPointF(x, -y) for x, y in project.ring(ring)]
        if len(points) > 2:
            path.addPolygon(QPolygonF(points))
            path.closeSubpath()
    return path


@lru_cache(maxsize=4)
def _geometry(code: str) -> tuple[QPainterPath, dict[str, QPainterPath], QPainterPath, QPainterPath]:
    """Projected outline, EPCI and commune borders of a département (built once: ~40 ms)."""
    project = geo.Projection(code)
    shapes = geo.contours(code)
    outline = _path(shapes.outline, project)
    outline.setFillRule(Qt.WindingFill)
    epci_paths = {epci: _path(rings, project) for epci, rings in shapes.epci.items()}
    borders = QPainterPath()
    for path in epci_paths.values():
        borders.addPath(path)
    communes = QPainterPath()
    for rings in shapes.communes.values():
        communes.addPath(_path(rings, project))
    return outline, epci_paths, borders, communes


_BUILDING = threading.Lock()


def prepare(code: str) -> None:
    """Build a département's map geometry and labels now, from any thread (QPainterPath and QPointF are
    values, not widgets): the window does it for the coordinator's département in the background after
    start-up, so that the Boutiques tab's first map does not spend ~25 ms on it."""
    with _BUILDING:
        _geometry(code)
        _label_candidates(code)


_GROUNDS: dict[tuple, QImage] = {}


@lru_cache(maxsize=4)
def _label_candidates(code: str) -> tuple[tuple[str, QPointF], ...]:
    """The 40 most populated communes and where they are (sorting the country's communes took ~25 ms a map)."""
    project = geo.Projection(code)
    result = []
    for name, longitude, latitude in geo.most_populated(code):
        x, y = project(longitude, latitude)
        result.append((name, QPointF(x, -y)))
    return tuple(result)


def _matrix(transform: QTransform) -> tuple[float, ...]:
    return (transform.m11(), transform.m12(), transform.m13(), transform.m21(), transform.m22(), transform.m23(),
            transform.m31(), transform.m32(), transform.m33())


@lru_cache(maxsize=4)
def _border_pieces(code: str) -> tuple[tuple[QRectF, QPainterPath], ...]:
    """Each commune's and EPCI's border with its bounds: a zoomed map strokes only those it shows."""
    project = geo.Projection(code)
    shapes = geo.contours(code)
    pieces = []
    for rings in (*shapes.communes.values(), *shapes.epci.values()):
        path = _path(rings, project)
        pieces.append((path.boundingRect(), path))
    return tuple(pieces)


# Rows of the markers' grouping grid: a cell is column × _CELL_ROW + row (rows stay far below it).
_CELL_ROW = 1 << 22


class DepartementMap:
    """Projected geography of one département and its shops; paints at any size and zoom."""

    def __init__(self, departement_code: str, shops: Sequence[MapShop] = ()):
        # Projected points by (longitude, latitude) and the last markers computed: a search in 10 000
        # shops re-sets the shops, and each repaint asks for markers at the same size and zoom.
        self._world_cache: dict[tuple[float, float], tuple[float, float]] = {}
        self._markers_cache: Optional[tuple[tuple, list[Marker]]] = None
        # bumped by set_shops / set_highlight: a widget keeping a painted image knows it is stale
        self.version = 0
        self.departement = geo.departement(departement_code) or geo.departement(geo.DEFAULT_DEPARTEMENT)
        code = self.departement.code
        self.project = geo.Projection(code)
        with _BUILDING:  # built by prepare() in another thread meanwhile: wait for it, not build it twice
            self.outline, self.epci_paths, self.epci_borders, self.commune_borders = _geometry(code)
            candidates = _label_candidates(code)
        # the 40 most populated communes are label candidates; placement keeps those that fit
        self.labels = [(name, QPointF(point)) for name, point in candidates]
        self.bounds = self.outline.boundingRect()
        self.highlight: Optional[QPainterPath] = None
        self._text_cache: dict[tuple, object] = {}
        self._borders_key: Optional[tuple] = None
        self._highlight_key: Optional[str] = None
        self._borders: tuple[QPainterPath, QPainterPath] = (self.commune_borders, self.epci_borders)
        self.set_shops(shops)

    def _world(self, longitude: float, latitude: float) -> QPointF:
        return QPointF(*self._world_pair(longitude, latitude))

    def _world_pair(self, longitude: float, latitude: float) -> tuple[float, float]:
        key = (longitude, latitude)
        point = self._world_cache.get(key)
        if point is None:
            x, y = self.project(longitude, latitude)
            point = self._world_cache[key] = (x, -y)
        return point

    @property
    def world(self) -> dict[int, QPointF]:
        """Each shop's projected point (world_xy as QPointF; the markers use the plain pairs)."""
        return {shop_id: QPointF(x, y) for shop_id, (x, y) in self.world_xy.items()}

    def set_shops(self, shops: Sequence[MapShop]) -> None:
        self.shops = list(shops)
        self._markers_cache = None
        self.version += 1
        cache = self._world_cache
        new = list({(s.longitude, s.latitude) for s in self.shops if (s.longitude, s.latitude) not in cache})
        # projected in one pass (Projection.ring: the formula inlined), not one call per shop
        for key, (x, y) in zip(new, self.project.ring(new)):
            cache[key] = (x, -y)
        self.world_xy = {s.id: cache[(s.longitude, s.latitude)] for s in self.shops}
        self.networks = sorted({s.network or NO_NETWORK for s in self.shops},
                               key=lambda n: (n == NO_NETWORK, n.casefold()))
        self.colours = {n: network_colour(n, self.networks) for n in self.networks}

    def set_highlight(self, epci_code: str) -> None:
        """Shade one EPCI (a territory map)."""
        self.highlight = self.epci_paths.get(epci_code)
        self.version += 1
        self._highlight_key = epci_code if self.highlight is not None else None

    # --- geometry --------------------------------------------------------------------------

    def fit(self, rect: QRectF, region: Optional[QRectF] = None, margin: float = 0.04) -> QTransform:
        """World → device transform showing region (default: the département) centred in rect."""
        region = region if region is not None and not region.isEmpty() else self.bounds
        pad_w, pad_h = rect.width() * margin, rect.height() * margin
        inner = rect.adjusted(pad_w, pad_h, -pad_w, -pad_h)
        scale = min(inner.width() / max(region.width(), 1.0), inner.height() / max(region.height(), 1.0))
        transform = QTransform()
        transform.translate(inner.center().x(), inner.center().y())
        transform.scale(scale, scale)
        transform.translate(-region.center().x(), -region.center().y())
        return transform

    def markers(self, transform: QTransform, size: float = 1.0) -> list[Marker]:
        """Shops in device coordinates; neighbours spread around their centre, or counted when many."""
        key = (transform.m11(), transform.m12(), transform.m21(), transform.m22(), transform.dx(), transform.dy(), size)
        if self._markers_cache is not None and self._markers_cache[0] == key:
            return self._markers_cache[1]
        markers = self._compute_markers(transform, size)
        self._markers_cache = (key, markers)
        return markers

    def _compute_markers(self, transform: QTransform, size: float) -> list[Marker]:
        dot = 5.0 * size
        reach = dot * GROUP_RADIUS / 3.0  # closer than ~3 marker widths: one group
        # Cells are plain ints (column × _CELL_ROW + row) and members are positions in self.shops: no tuple
        # per shop or per neighbour looked at, so no garbage collection passes over the whole application's
        # objects in the middle (in the Boutiques tab at 10× scale that made 25 ms take 140 ms).
        seeds: dict[int, list[int]] = {}
        seed_x: list[float] = []
        seed_y: list[float] = []
        groups: list[list[int]] = []
        xs: list[float] = []
        ys: list[float] = []
        # The world → device mapping in plain arithmetic (the map's transforms only scale and move):
        # one C++ call per shop and QPointF accessors cost most of the time with 10 000 shops.
        affine = transform.isAffine()
        m11, m12, m21, m22, dx, dy = (transform.m11(), transform.m12(), transform.m21(), transform.m22(),
                                      transform.dx(), transform.dy())
        neighbours = [i * _CELL_ROW + j for i in (-1, 0, 1) for j in (-1, 0, 1)]
        world = self.world_xy
        shops_list = self.shops
        for position, shop in enumerate(shops_list):
            wx, wy = world[shop.id]
            if affine:
                px, py = m11 * wx + m21 * wy + dx, m12 * wx + m22 * wy + dy
            else:  # pragma: no cover - the map never uses a perspective transform
                mapped = transform.map(QPointF(wx, wy))
                px, py = mapped.x(), mapped.y()
            xs.append(px)
            ys.append(py)
            cell = int(px // reach) * _CELL_ROW + int(py // reach)
            joined = -1
            for offset in neighbours:
                found = seeds.get(cell + offset)
                if found:
                    for index in found:
                        if abs(seed_x[index] - px) <= reach and abs(seed_y[index] - py) <= reach:
                            joined = index
                            break
                    if joined >= 0:
                        break
            if joined < 0:
                seeds.setdefault(cell, []).append(len(groups))
                seed_x.append(px)
                seed_y.append(py)
                groups.append([position])
            else:
                groups[joined].append(position)
        markers: list[Marker] = []
        for group in groups:
            shops = [shops_list[i] for i in group]
            if len(group) == 1:
                markers.append(Marker(QPointF(xs[group[0]], ys[group[0]]), shops, dot))
                continue
            centre = QPointF(sum(xs[i] for i in group) / len(group), sum(ys[i] for i in group) / len(group))
            if len(group) <= SPREAD_MAX:
                # on a circle wide enough for the markers (participants are 1.35× larger) not to touch
                ring = max(dot * 1.6, (dot * 2.9) / (2 * math.sin(math.pi / len(group))))
                for index, shop in enumerate(sorted(shops, key=lambda s: s.id)):
                    angle = 2 * math.pi * index / len(group) - math.pi / 2
                    markers.append(Marker(centre + QPointF(math.cos(angle) * ring, math.sin(angle) * ring),
                                          [shop], dot))
            else:
                markers.append(Marker(centre, shops, dot * (1.6 + 0.25 * math.log(len(shops)))))
        return markers

    def marker_at(self, markers: Sequence[Marker], point: QPointF, slack: float = 3.0) -> Optional[Marker]:
        best, best_distance = None, None
        for marker in markers:
            distance = math.hypot(marker.position.x() - point.x(), marker.position.y() - point.y())
            if distance <= marker.radius + slack and (best_distance is None or distance < best_distance):
                best, best_distance = marker, distance
        return best

    # --- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter, rect: QRectF, transform: QTransform, style: MapStyle = LIGHT, *,
              size: float = 1.0, selected: Optional[int] = None, label_font_px: float = 12.0,
              markers: Optional[list[Marker]] = None, ground: Optional[QImage] = None) -> list[Marker]:
        """Draw the map into rect with transform (world → device); returns the shop markers drawn.

        ground: the land and borders already drawn by ground_image() for this rect, transform, style and
        size (the printed maps of one batch share the département-wide ones)."""
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        if ground is not None:
            painter.drawImage(QPointF(0, 0), ground)
        else:
            self._paint_ground(painter, rect, transform, style, size)
        painter.setClipRect(rect)
        markers = markers if markers is not None else self.markers(transform, size)
        taken = [QRectF(m.position.x() - m.radius, m.position.y() - m.radius, 2 * m.radius, 2 * m.radius)
                 for m in markers]
        self._paint_labels(painter, rect, transform, style, label_font_px, taken)
        self._paint_markers(painter, markers, style, size, selected, label_font_px)
        painter.restore()
        return markers

    def ground_image(self, width: int, height: int, rect: QRectF, transform: QTransform, style: MapStyle,
                     size: float = 1.0) -> QImage:
        """The land and borders of paint() alone, on a transparent image of the device's size, remembered for
        the same framing: a batch of press kits draws the département-wide ground of its network maps once."""
        key = (self.departement.code, width, height, rect.getRect(), _matrix(transform), style, size,
               self._highlight_key)
        image = _GROUNDS.get(key)
        if image is None:
            image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
            image.fill(Qt.transparent)
            painter = QPainter(image)
            try:
                painter.setRenderHint(QPainter.Antialiasing)
                self._paint_ground(painter, rect, transform, style, size)
            finally:
                painter.end()
            _GROUNDS.clear()  # one kept (a few megabytes at print size): the batch draws its ground maps in a row
            _GROUNDS[key] = image
        return image

    def _paint_ground(self, painter: QPainter, rect: QRectF, transform: QTransform, style: MapStyle,
                      size: float) -> None:
        painter.save()
        painter.fillRect(rect, QColor(style.background))
        painter.setClipRect(rect)
        painter.setTransform(transform, True)

        def pen(colour: str, width: float, dash: bool = False) -> QPen:
            result = QPen(QColor(colour), width * size)
            result.setCosmetic(True)
            # Round joins show only on thick lines; on the thin borders of a printed map (under 3 px) they
            # doubled the stroking time of 8 000 commune segments (200 → 100 ms) for no visible change.
            result.setJoinStyle(Qt.RoundJoin if width * size >= 3 else Qt.BevelJoin)
            if dash:
                result.setStyle(Qt.DashLine)
            return result

        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(style.land))
        painter.drawPath(self.outline)
        if self.highlight is not None:
            painter.setBrush(QColor(style.highlight_land))
            painter.drawPath(self.highlight)
        painter.setBrush(Qt.NoBrush)
        commune_borders, epci_borders = self._visible_borders(rect, transform)
        painter.setPen(pen(style.commune_border, 0.6))
        painter.drawPath(commune_borders)
        # 1 px on screen: a wider antialiased stroke of these borders costs ~45 ms (first paint ≤ 100 ms)
        painter.setPen(pen(style.epci_border, 1.0))
        painter.drawPath(epci_borders)
        if self.highlight is not None:
            painter.setPen(pen(style.outline, 2.0))
            painter.drawPath(self.highlight)
        painter.setPen(pen(style.outline, 2.0))
        painter.drawPath(self.outline)
        painter.restore()

    def _visible_borders(self, rect: QRectF, transform: QTransform) -> tuple[QPainterPath, QPainterPath]:
        """The commune and EPCI borders to stroke: all of them when the whole département shows, else only
        those crossing the view (a territory's map shows a tenth of it; stroking the rest cost ~100 ms)."""
        inverse, invertible = transform.inverted()
        if not invertible:
            return self.commune_borders, self.epci_borders
        # a few device pixels of margin: a border just outside still reaches in by its stroke's width
        view = inverse.mapRect(rect.adjusted(-4, -4, 4, 4))
        if view.contains(self.bounds):
            return self.commune_borders, self.epci_borders
        key = (round(view.x()), round(view.y()), round(view.width()), round(view.height()))
        if self._borders_key != key:
            pieces = _border_pieces(self.departement.code)
            commune_count = len(pieces) - len(self.epci_paths)
            communes, epcis = QPainterPath(), QPainterPath()
            for index, (bounds, path) in enumerate(pieces):
                if bounds.intersects(view):
                    (communes if index < commune_count else epcis).addPath(path)
            self._borders_key, self._borders = key, (communes, epcis)
        return self._borders

    def _paint_labels(self, painter: QPainter, rect: QRectF, transform: QTransform, style: MapStyle,
                      font_px: float, taken: list[QRectF]) -> None:
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(6, round(font_px)))
        metrics = QFontMetricsF(font)
        cell = max(24.0, font_px * 4)
        # obstacles (markers, then placed labels) in a grid, so that each candidate box checks only
        # its neighbours: 1 000 shops stay within the first-paint budget
        grid: dict[tuple[int, int], list[QRectF]] = {}

        def cells(box: QRectF):
            for i in range(int(box.left() // cell), int(box.right() // cell) + 1):
                for j in range(int(box.top() // cell), int(box.bottom() // cell) + 1):
                    yield (i, j)

        def add(box: QRectF) -> None:
            for key in cells(box):
                grid.setdefault(key, []).append(box)

        def free(box: QRectF) -> bool:
            return not any(box.intersects(o) for key in cells(box) for o in grid.get(key, ()))

        for box in taken:
            add(box)
        dot = font_px * 0.22
        written: list[QRectF] = []

        def labelled_free(box: QRectF) -> bool:
            return not any(box.intersects(o) for o in written)

        halo = QPen(QColor(style.halo), font_px * 0.25, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
        for rank, (name, world) in enumerate(self.labels):
            point = transform.map(world)
            if not rect.contains(point):
                continue
            own_dot = QRectF(point.x() - dot * 1.5, point.y() - dot * 1.5, dot * 3, dot * 3)
            if not labelled_free(own_dot):
                continue  # under a name already written: a dot there would be misread
            width, height = self._text_size(name, font, metrics)
            # next to the dot only: a name set further away would be read as another commune's
            for dx, dy in ((dot * 2, -height / 2), (-dot * 2 - width, -height / 2),
                           (-width / 2, -height - dot), (-width / 2, dot),
                           (dot * 1.5, -height), (dot * 1.5, 0), (-dot * 1.5 - width, -height), (-dot * 1.5 - width, 0),
                           # the main towns, often crowded with shops, may take a little more distance
                           *(((-width / 2, -height * 2.2), (-width / 2, height * 1.2), (dot * 2, -height * 1.8),
                              (dot * 2, height * 0.8)) if rank < 3 else ())):
                box = QRectF(point.x() + dx, point.y() + dy, width, height)
                if rect.contains(box) and free(box):
                    break
            else:
                continue
            add(box)
            add(own_dot)
            written.append(box)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(style.label))
            painter.drawEllipse(point, dot, dot)
            text = self._text_path(name, font, metrics).translated(box.left(), box.top())
            painter.setPen(halo)
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(text)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(style.label))
            painter.drawPath(text)

    def _text_size(self, name: str, font: QFont, metrics: QFontMetricsF) -> tuple[float, float]:
        key = ("size", name, font.pixelSize())
        if key not in self._text_cache:
            self._text_cache[key] = (metrics.horizontalAdvance(name), metrics.height())
        return self._text_cache[key]

    def _text_path(self, name: str, font: QFont, metrics: QFontMetricsF) -> QPainterPath:
        key = ("path", name, font.pixelSize())
        if key not in self._text_cache:
            path = QPainterPath()
            path.addText(0, metrics.ascent(), font, name)
            self._text_cache[key] = path
        return self._text_cache[key]

    def _paint_markers(self, painter: QPainter, markers: Sequence[Marker], style: MapStyle, size: float,
                       selected: Optional[int], font_px: float) -> None:
        count_font = QFont("DejaVu Sans")
        count_font.setBold(True)
        for marker in sorted(markers, key=lambda m: (m.counted, any(s.participates for s in m.shops))):
            if marker.counted:
                painter.setPen(QPen(QColor(style.marker_edge), 1.5 * size))
                painter.setBrush(QColor("#37474F"))
                painter.drawEllipse(marker.position, marker.radius, marker.radius)
                label = str(len(marker.shops))
                count_font.setPixelSize(count_font_px(marker.radius, label, count_font))
                painter.setFont(count_font)
                painter.setPen(QColor("#FFFFFF"))
                box = QRectF(marker.position.x() - marker.radius, marker.position.y() - marker.radius,
                             2 * marker.radius, 2 * marker.radius)
                painter.drawText(box, Qt.AlignCenter, label)
                continue
            shop = marker.shops[0]
            colour = self.colours.get(shop.network or NO_NETWORK, QColor(PALETTE[0]))
            radius = marker.radius * (1.35 if shop.participates else 1.0)
            edge = QColor("#111111") if shop.participates else QColor(style.marker_edge)
            if shop.approximate:
                # approximate (commune's centre): a ring, not a disc
                painter.setPen(QPen(colour, max(1.5, radius * 0.55)))
                painter.setBrush(QColor(style.marker_edge))
                painter.drawEllipse(marker.position, radius * 0.8, radius * 0.8)
            else:
                painter.setPen(QPen(edge, (1.6 if shop.participates else 1.0) * size))
                painter.setBrush(colour)
                painter.drawEllipse(marker.position, radius, radius)
            if shop.id == selected:
                painter.setPen(QPen(QColor(style.label), 2.2 * size))
                painter.setBrush(Qt.NoBrush)
                painter.drawEllipse(marker.position, radius + 4 * size, radius + 4 * size)

    def paint_legend(self, painter: QPainter, rect: QRectF, style: MapStyle, font_px: float,
                     participating_label: str = "") -> None:
        """Networks with their counts, then the symbols, in rows inside rect (for printed maps)."""
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(6, round(font_px)))
        metrics = QFontMetricsF(font)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setFont(font)
        counts = {n: sum(1 for s in self.shops if (s.network or NO_NETWORK) == n) for n in self.networks}
        entries = [(self.colours[n], f"{n} ({counts[n]})", "disc") for n in self.networks]
        if participating_label:
            entries.append((QColor("#888888"), participating_label, "participates"))
        if any(s.approximate for s in self.shops):
            entries.append((QColor("#888888"), "position approximative (centre de la commune)", "ring"))
        x, y = rect.left(), rect.top()
        r = font_px * 0.38
        for colour, text, kind in entries:
            width = r * 3 + metrics.horizontalAdvance(text) + font_px * 1.2
            if x + width > rect.right() and x > rect.left():
                x, y = rect.left(), y + metrics.height() * 1.25
            centre = QPointF(x + r, y + metrics.height() / 2)
            if kind == "ring":
                painter.setPen(QPen(colour, r * 0.6))
                painter.setBrush(QColor("#FFFFFF"))
                painter.drawEllipse(centre, r * 0.8, r * 0.8)
            else:
                big = kind == "participates"
                painter.setPen(QPen(QColor("#111111") if big else QColor(style.marker_edge), 1.6 if big else 1.0))
                painter.setBrush(colour)
                painter.drawEllipse(centre, r * (1.35 if big else 1.0), r * (1.35 if big else 1.0))
            painter.setPen(QColor(style.label))
            painter.drawText(QPointF(x + r * 3, y + metrics.ascent()), text)
            x += width
        painter.restore()


# --- Images for documents ------------------------------------------------------------------------


def _shops_for_map(session, edition_id: Optional[int] = None, territory_id: Optional[int] = None,
                   network: Optional[str] = None) -> list[MapShop]:
    from sqlalchemy import select

    from ..core.models import Participation, Shop

    participating: set[int] = set()
    if edition_id is not None:
        participating = set(session.scalars(
            select(Participation.shop_id).where(Participation.edition_id == edition_id, taking_part())))
    # plain rows, not ORM shops: a network's map at 10 000 shops reads a thousand of them
    query = (select(Shop.id, Shop.name, Shop.network, Shop.commune, Shop.latitude, Shop.longitude,
                    Shop.coordinates_approximate)
             .where(Shop.active.is_(True), Shop.latitude.is_not(None), Shop.longitude.is_not(None)))
    if territory_id is not None:
        query = query.where(Shop.territory_id == territory_id)
    if network is not None:
        query = query.where(Shop.network == network)
    return [
        MapShop(shop_id, name, shop_network, commune, latitude, longitude, shop_id in participating,
                bool(approximate))
        for shop_id, name, shop_network, commune, latitude, longitude, approximate
        in session.execute(query.order_by(Shop.name))
    ]


def _render_png(departement_map: DepartementMap, path: Path, size_mm: tuple[float, float], dpi: int,
                region: Optional[QRectF] = None, title: str = "", participating_label: str = "") -> Path:
    from .headless import ensure_application

    ensure_application()
    px_per_mm = dpi / 25.4
    width, height = max(1, round(size_mm[0] * px_per_mm)), max(1, round(size_mm[1] * px_per_mm))
    image = QImage(width, height, QImage.Format_ARGB32)
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    image.fill(QColor(PRINT.background))
    # printed sizes: labels 7.5 pt, legend 7 pt, shops 2.4 mm wide
    point = dpi / 72.0
    label_px, legend_px = 7.5 * point, 7.0 * point
    size = 1.2 * px_per_mm / 5.0
    legend_lines = 1 + len(departement_map.networks) // 3
    legend_height = legend_px * 1.25 * legend_lines + legend_px if departement_map.shops else 0
    title_height = label_px * 2.0 if title else 0
    map_rect = QRectF(0, title_height, width, height - legend_height - title_height)
    painter = QPainter(image)
    try:
        transform = departement_map.fit(map_rect, region)
        # the département-wide framing recurs (network maps, the directory's cover); a zoomed one does not
        ground = departement_map.ground_image(width, height, map_rect, transform, PRINT, size) if region is None else None
        departement_map.paint(painter, map_rect, transform, PRINT, size=size, label_font_px=label_px, ground=ground)
        if title:
            font = QFont("DejaVu Sans")
            font.setPixelSize(round(label_px * 1.3))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor(PRINT.label))
            painter.drawText(QRectF(0, 0, width, title_height), Qt.AlignLeft | Qt.AlignVCenter, title)
        if departement_map.shops:
            departement_map.paint_legend(
                painter, QRectF(legend_px * 0.5, height - legend_height + legend_px * 0.4, width - legend_px, legend_height),
                PRINT, legend_px, participating_label)
    finally:
        painter.end()
    from ..core.io.safe_write import atomic_write

    def save(temporary: Path) -> None:
        # quality 89 = zlib level 1: a third faster than the default for 5 % more bytes (flat colours)
        if not image.save(str(temporary), "PNG", 89):
            raise OSError(f"Impossible d'écrire l'image de la carte « {path} ».")

    return atomic_write(Path(path), save)


def departement_map_png(session, path: str | Path, size_mm: tuple[float, float] = (170.0, 120.0), dpi: int = 300,
                        edition_id: Optional[int] = None, departement_code: Optional[str] = None,
                        network: Optional[str] = None, title: str = "") -> Path:
    """The coordinator's département with its EPCI, main communes and active shops (the edition's
    ones larger, circled), as a PNG of size_mm at dpi — e.g. the directory's cover; with network,
    only that network's shops (a network's press kit)."""
    code = departement_code or geo.coordinator_departement(session)
    shops = _shops_for_map(session, edition_id, network=network)
    label = "participe à l'édition" if edition_id is not None and any(s.participates for s in shops) else ""
    return _render_png(DepartementMap(code, shops), Path(path), size_mm, dpi, title=title, participating_label=label)


def scope_map_png(session, edition_id: int, path: str | Path, *, territory_id: Optional[int] = None,
                  network: Optional[str] = None, size_mm: tuple[float, float] = (120.0, 90.0), dpi: int = 300) -> Path:
    """The local map of a press kit or poster: one territory (framed on its EPCI), or one network's
    shops on the département map."""
    if territory_id is not None:
        return territory_map_png(session, territory_id, path, size_mm, dpi, edition_id=edition_id)
    return departement_map_png(session, path, size_mm, dpi, edition_id=edition_id, network=network,
                               title=f"Réseau {network}" if network else "")


def territory_map(session, territory_id: int, edition_id: Optional[int] = None,
                  participants_only: bool = False) -> tuple[DepartementMap, Optional[QRectF]]:
    """One territory's map (its EPCI shaded) and the region to frame: its EPCI, else around its shops."""
    from ..core.errors import get_or_raise
    from ..core.models import Territory

    territory = get_or_raise(session, Territory, territory_id)
    code = geo.coordinator_departement(session)
    shops = _shops_for_map(session, edition_id, territory_id)
    if participants_only:
        shops = [s for s in shops if s.participates]
    departement_map = DepartementMap(code, shops)
    region = None
    if territory.epci_code and territory.epci_code in departement_map.epci_paths:
        departement_map.set_highlight(territory.epci_code)
        region = departement_map.epci_paths[territory.epci_code].boundingRect()
    elif shops:
        xs = [departement_map.world_xy[s.id][0] for s in shops]
        ys = [departement_map.world_xy[s.id][1] for s in shops]
        region = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-8000, -8000, 8000, 8000)
    return departement_map, region


def edition_departement_map(session, edition_id: Optional[int] = None, participants_only: bool = False) -> DepartementMap:
    """The coordinator's département with its shops (only the edition's when participants_only)."""
    shops = _shops_for_map(session, edition_id)
    if participants_only:
        shops = [s for s in shops if s.participates]
    return DepartementMap(geo.coordinator_departement(session), shops)


def territory_map_png(session, territory_id: int, path: str | Path, size_mm: tuple[float, float] = (120.0, 90.0),
                      dpi: int = 300, edition_id: Optional[int] = None) -> Path:
    """One territory (its EPCI shaded, framed on it) with its shops, for press kits and posters."""
    from ..core.errors import get_or_raise
    from ..core.models import Territory

    territory = get_or_raise(session, Territory, territory_id)
    drawn, region = territory_map(session, territory_id, edition_id)
    label = "participe à l'édition" if any(s.participates for s in drawn.shops) else ""
    return _render_png(drawn, Path(path), size_mm, dpi, region, title=territory.display_name,
                       participating_label=label)
