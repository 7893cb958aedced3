"""Posters (vector PDF, one per territory and one for the département) and web banners (PNG).

Posters are painted with QPainter on Qt's QPdfWriter: text stays text with its fonts embedded (Qt
subsets and embeds the TrueType fonts it draws with), the map is the same vector drawing as the
window's (render/geo_map.py), the QR code is drawn module by module as vector squares, the partners'
logos sit in a band above the footer (SVG drawn as vectors, PNG/JPEG embedded as images, aspect kept);
one drawing code scales from A4 to a 120 × 176 cm bus-shelter poster. Banners are the same header painted on an
image of the usual web sizes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
)

from ..core.communication import TAGLINE, PublicKit, PublicTerritory, slug
from ..core.io.safe_write import atomic_write
from ..core.logos import Logo
from . import geo_map
from .headless import ensure_application

FONT = "DejaVu Sans"
GREEN = QColor("#1E5631")
LIGHT_GREEN = QColor("#E3EFD9")
YELLOW = QColor("#FFD54F")
INK = QColor("#1F1F1F")
GREY = QColor("#4A4A4A")
DESIGN_WIDTH = 297.0  # every poster is laid out on an A3-wide canvas (mm), then scaled


@dataclass(frozen=True)
class PosterSize:
    key: str
    label: str
    width_mm: float
    height_mm: float
    bleed_mm: float = 0.0


POSTER_SIZES = {
    "a3": PosterSize("a3", "A3 (29,7 × 42 cm)", 297.0, 420.0),
    "a4": PosterSize("a4", "A4 (21 × 29,7 cm)", 210.0, 297.0),
    # the départemental bus-shelter frames: 120 × 176 cm finished, 5 mm bleed on each side
    "abribus": PosterSize("abribus", "abribus (120 × 176 cm, fond perdu 5 mm)", 1200.0, 1760.0, 5.0),
}
BANNER_SIZES = ((728, 90), (300, 250), (1200, 628))
PDF_RESOLUTION = 1200
# The partners' band, above the green footer, only when a partner has a logo (design mm): a caption,
# then rows of at most LOGOS_PER_ROW logos, each fitted in a box of LOGO_HEIGHT, aspect kept.
LOGO_CAPTION = 8.5
LOGO_HEIGHT = 16.0
LOGO_ROW_GAP = 3.0
LOGO_GAP = 7.0
LOGO_MAX_WIDTH = 48.0
LOGOS_PER_ROW = 8


def logo_band_height(count: int) -> float:
    if not count:
        return 0.0
    rows = -(-count // LOGOS_PER_ROW)
    return LOGO_CAPTION + rows * LOGO_HEIGHT + (rows - 1) * LOGO_ROW_GAP + 1.5


class _Canvas:
    """Design millimetres (A3-wide canvas) → device units of the page being painted."""

    def __init__(self, device_units_per_mm: float, scale: float, offset: QPointF):
        self.k = device_units_per_mm * scale
        self.offset = offset

    def __call__(self, value: float) -> float:
        return value * self.k

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.offset.x() + x * self.k, self.offset.y() + y * self.k, w * self.k, h * self.k)

    def font(self, size_mm: float, bold: bool = False) -> QFont:
        font = QFont(FONT)
        font.setPixelSize(max(1, round(size_mm * self.k)))
        font.setBold(bold)
        return font


def _fit_font(canvas: _Canvas, text: str, width: float, size: float, bold: bool, minimum: float) -> QFont:
    """The largest font ≤ size (design mm) whose line of text fits width (design mm)."""
    while size > minimum:
        font = canvas.font(size, bold)
        if QFontMetricsF(font).horizontalAdvance(text) <= canvas(width):
            return font
        size *= 0.95
    return canvas.font(minimum, bold)


def _draw_qr(painter: QPainter, rect: QRectF, address: str) -> None:
    """A QR code of address filling the square rect, quiet zone included, as vector squares."""
    import segno

    code = segno.make(address, error="m", micro=False)
    matrix = code.matrix
    border = 4
    count = len(matrix) + 2 * border
    module = min(rect.width(), rect.height()) / count
    painter.fillRect(QRectF(rect.left(), rect.top(), module * count, module * count), QColor("#FFFFFF"))
    path = QPainterPath()
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                path.addRect(QRectF(rect.left() + (column + border) * module, rect.top() + (row + border) * module,
                                    module, module))
    path.setFillRule(Qt.WindingFill)
    painter.fillPath(path, QColor("#000000"))


def _header(painter: QPainter, canvas: _Canvas, kit: PublicKit, width: float, height: float, margin: float) -> None:
    """Title, dates and tagline in white and yellow on green (the band painted by the caller)."""
    title_font = _fit_font(canvas, kit.title, width - 2 * margin, 17.0, True, 4.0)
    painter.setFont(title_font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(canvas.rect(margin, height * 0.08, width - 2 * margin, height * 0.42),
                     Qt.AlignLeft | Qt.AlignVCenter, kit.title)
    dates = kit.dates_text[:1].upper() + kit.dates_text[1:]
    painter.setFont(_fit_font(canvas, dates, width - 2 * margin, 10.5, True, 3.0))
    painter.setPen(YELLOW)
    painter.drawText(canvas.rect(margin, height * 0.50, width - 2 * margin, height * 0.24),
                     Qt.AlignLeft | Qt.AlignVCenter, dates)
    painter.setFont(canvas.font(4.6))
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(canvas.rect(margin, height * 0.74, width - 2 * margin, height * 0.22),
                     Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap, TAGLINE + "\u00a0!")


def _entries(kit: PublicKit, territory: Optional[PublicTerritory]) -> list[list[tuple[str, str]]]:
    """The list's blocks, one per shop; a territory's heading travels with its first shop (never alone
    at the foot of a column)."""
    if territory is not None:
        return [_shop_lines(shop) for shop in territory.shops]
    blocks = []
    for each in kit.territories:
        for index, shop in enumerate(each.shops):
            blocks.append(([("heading", each.name)] if index == 0 else []) + _shop_lines(shop))
    return blocks


def _shop_lines(shop: dict[str, Any]) -> list[tuple[str, str]]:
    """(style, text) lines of one shop: its name, its commune, its animations (else its hours)."""
    lines = [("name", shop["name"]), ("commune", shop["commune"])]
    if shop["animations"]:
        lines.extend(("detail", a["text"]) for a in shop["animations"])
    else:
        lines.extend(("detail", f"{d['day_text']} : {d['hours_text']}") for d in shop["event_days"])
    return lines


def _layout_list(canvas: _Canvas, entries: Sequence[list[tuple[str, str]]], area: QRectF, columns: int,
                 size: float, place: bool, painter: Optional[QPainter] = None) -> bool:
    """Place entries in columns inside area (device units) at font size (design mm); False if they overflow."""
    fonts = {"heading": canvas.font(size * 1.05, True), "name": canvas.font(size, True),
             "commune": canvas.font(size * 0.85), "detail": canvas.font(size * 0.8)}
    colours = {"heading": GREEN, "name": INK, "commune": GREY, "detail": INK}
    gap = canvas(size * 1.2)
    column_width = (area.width() - gap * (columns - 1)) / columns
    column, y = 0, area.top()
    for lines in entries:
        boxes = []
        for style, text in lines:
            metrics = QFontMetricsF(fonts[style])
            box = metrics.boundingRect(QRectF(0, 0, column_width, 1e9), Qt.TextWordWrap, text)
            boxes.append((style, text, box.height()))
        height = sum(b[2] for b in boxes) + canvas(size * 0.55)
        if y + height > area.bottom() and y > area.top():
            column, y = column + 1, area.top()
            if column >= columns:
                return False
        if y + height > area.bottom():
            return False
        if place and painter is not None:
            x = area.left() + column * (column_width + gap)
            line_y = y
            for style, text, line_height in boxes:
                painter.setFont(fonts[style])
                painter.setPen(colours[style])
                painter.drawText(QRectF(x, line_y, column_width, line_height), Qt.TextWordWrap, text)
                line_y += line_height
        y += height
    return True


@dataclass
class DrawableLogo:
    """A logo ready to paint: an SVG renderer (vector) or an image (embedded), and its aspect ratio."""

    name: str
    ratio: float  # width / height
    svg: Any = None
    image: Optional[QImage] = None

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        if self.svg is not None:
            self.svg.render(painter, rect)
        else:
            painter.drawImage(rect, self.image)


def drawable_logos(logos: Sequence[Logo]) -> list[DrawableLogo]:
    """Decode every logo once (before any poster is written): one unreadable file stops with a French
    line naming its organisation, rather than posters silently missing a partner."""
    from PySide6.QtSvg import QSvgRenderer

    from ..core.errors import BonsJoursError

    ensure_application()
    drawable = []
    for logo in logos:
        where = (f"Logo de « {logo.organisation_name} » illisible ({logo.format.upper()}) : remplacez-le dans "
                 "l'onglet Partenaires (fiche de l'organisation) ou par « bonsjours partners logo ».")
        if logo.format == "svg":
            renderer = QSvgRenderer(QByteArray(logo.data))
            box = renderer.viewBoxF()
            if not renderer.isValid() or box.width() <= 0 or box.height() <= 0:
                raise BonsJoursError(where)
            drawable.append(DrawableLogo(logo.organisation_name, box.width() / box.height(), svg=renderer))
        else:
            image = QImage.fromData(logo.data)
            if image.isNull() or image.height() == 0:
                raise BonsJoursError(where)
            drawable.append(DrawableLogo(logo.organisation_name, image.width() / image.height(), image=image))
    return drawable


def _paint_logos(painter: QPainter, canvas: _Canvas, logos: Sequence[DrawableLogo], top: float, width: float,
                 margin: float) -> None:
    """The partners' band: a caption, then the logos side by side (in rows of LOGOS_PER_ROW), each
    fitted in its box, aspect kept, each row centred."""
    painter.setPen(GREEN)
    painter.setFont(canvas.font(3.4, True))
    painter.drawText(canvas.rect(margin, top + 1.0, width - 2 * margin, 5.0), Qt.AlignHCenter | Qt.AlignVCenter,
                     "Avec le soutien de nos partenaires")
    usable = width - 2 * margin
    painter.save()
    painter.setRenderHint(QPainter.SmoothPixmapTransform)
    # a logo's flat colours and sharp edges: embedded losslessly, not re-compressed as JPEG
    painter.setRenderHint(QPainter.LosslessImageRendering)
    y = top + LOGO_CAPTION - 1.0
    rows = -(-len(logos) // LOGOS_PER_ROW)
    per_row = -(-len(logos) // rows)  # balanced rows: 6 + 5 rather than 8 + 3
    for start in range(0, len(logos), per_row):
        row = logos[start:start + per_row]
        box_width = min(LOGO_MAX_WIDTH, (usable - LOGO_GAP * (len(row) - 1)) / len(row))
        sizes = []
        for logo in row:
            w = min(box_width, LOGO_HEIGHT * logo.ratio)
            sizes.append((w, w / logo.ratio))
        x = margin + (usable - sum(w for w, _ in sizes) - LOGO_GAP * (len(row) - 1)) / 2
        for logo, (w, h) in zip(row, sizes):
            logo.paint(painter, canvas.rect(x, y + (LOGO_HEIGHT - h) / 2, w, h))
            x += w + LOGO_GAP
        y += LOGO_HEIGHT + LOGO_ROW_GAP
    painter.restore()


def _paint_poster(painter: QPainter, canvas: _Canvas, page: QRectF, size: PosterSize, kit: PublicKit,
                  territory: Optional[PublicTerritory], drawn_map: geo_map.DepartementMap,
                  region: Optional[QRectF], logos: Sequence[DrawableLogo] = ()) -> bool:
    """Paint one poster; False when its shops did not all fit (the caller warns)."""
    width = DESIGN_WIDTH
    height = DESIGN_WIDTH * size.height_mm / size.width_mm
    margin = 14.0
    painter.fillRect(page, QColor("#FFFFFF"))
    header_height = 86.0
    # the green band runs into the bleed: top, left and right edges
    band = canvas.rect(0, 0, width, header_height)
    painter.fillRect(QRectF(page.left(), page.top(), page.width(), band.bottom() - page.top()), GREEN)
    _header(painter, canvas, kit, width, header_height, margin)

    scope_y = header_height
    painter.fillRect(QRectF(page.left(), canvas.rect(0, scope_y, 1, 1).top(), page.width(), canvas(17)), LIGHT_GREEN)
    scope_name = territory.name if territory is not None else f"Département de {kit.departement_name}"
    shops_count = len(territory.shops) if territory is not None else len(kit.shops)
    count_text = f"{shops_count} boutique{'s' if shops_count > 1 else ''} participante{'s' if shops_count > 1 else ''}"
    painter.setPen(GREEN)
    painter.setFont(_fit_font(canvas, scope_name, width - 2 * margin - 70, 8.0, True, 3.0))
    painter.drawText(canvas.rect(margin, scope_y, width - 2 * margin - 70, 17), Qt.AlignLeft | Qt.AlignVCenter, scope_name)
    painter.setFont(canvas.font(4.4))
    painter.drawText(canvas.rect(width - margin - 70, scope_y, 70, 17), Qt.AlignRight | Qt.AlignVCenter, count_text)

    footer_height = 50.0
    footer_top = height - footer_height
    # the partners' logos take a band above the footer; without logos the poster is as before
    content_bottom = footer_top - logo_band_height(len(logos))
    map_top = scope_y + 17 + 5
    entries = _entries(kit, territory)
    shop_count = len(entries)
    # few shops: a larger map and larger letters; many: the list takes the room
    map_height = (content_bottom - map_top) * (0.58 if shop_count <= 4 else 0.48)
    map_rect = canvas.rect(margin, map_top, width - 2 * margin, map_height)
    transform = drawn_map.fit(map_rect, region)
    drawn_map.paint(painter, map_rect, transform, geo_map.PRINT, size=canvas(1.5) / 5.0,
                    label_font_px=canvas(3.0))
    legend_top = map_top + map_height + 1.5
    if drawn_map.shops:
        drawn_map.paint_legend(painter, canvas.rect(margin, legend_top, width - 2 * margin, 12), geo_map.PRINT,
                               canvas(3.8))

    list_area = canvas.rect(margin, legend_top + 12, width - 2 * margin, content_bottom - legend_top - 16)
    fitted = False
    for columns in ((1, 2) if shop_count <= 3 else (2, 3) if shop_count <= 12 else (3,)):
        font_size = 8.0
        while font_size >= 2.2 and not fitted:
            fitted = _layout_list(canvas, entries, list_area, columns, font_size, place=False)
            if not fitted:
                font_size *= 0.93
        if fitted:
            break
    _layout_list(canvas, entries, list_area, columns, max(font_size, 2.2), place=True, painter=painter)
    if logos:
        _paint_logos(painter, canvas, logos, content_bottom, width, margin)

    painter.fillRect(QRectF(page.left(), canvas.rect(0, footer_top, 1, 1).top(), page.width(),
                            page.bottom() - canvas.rect(0, footer_top, 1, 1).top()), GREEN)
    qr_size = 40.0
    text_width = width - 2 * margin - (qr_size + 6 if kit.web_address else 0)
    painter.setPen(QColor("#FFFFFF"))
    painter.setFont(canvas.font(4.6, True))
    lines_top = footer_top + 6
    if kit.web_address:
        painter.drawText(canvas.rect(margin, lines_top, text_width, 8), Qt.AlignLeft | Qt.AlignVCenter,
                         "Toutes les boutiques, leurs horaires et animations\u00a0:")
        painter.setFont(_fit_font(canvas, kit.web_address, text_width, 4.6, False, 2.0))
        painter.setPen(YELLOW)
        painter.drawText(canvas.rect(margin, lines_top + 8, text_width, 8), Qt.AlignLeft | Qt.AlignVCenter,
                         kit.web_address)
        _draw_qr(painter, canvas.rect(width - margin - qr_size, footer_top + 5, qr_size, qr_size), kit.web_address)
    painter.setPen(QColor("#FFFFFF"))
    painter.setFont(canvas.font(3.6))
    painter.drawText(canvas.rect(margin, lines_top + 20, text_width, 18), Qt.AlignLeft | Qt.AlignTop | Qt.TextWordWrap,
                     f"Une opération du Département de {kit.departement_name} pour la prévention des déchets\u00a0: "
                     "acheter d'occasion, c'est donner une seconde vie aux objets.")
    return fitted


def poster_file_name(kit: PublicKit, territory: Optional[PublicTerritory], size: PosterSize) -> str:
    scope = slug(territory.name) if territory is not None else f"departement-{slug(kit.departement_name)}"
    return f"affiche-{scope}-{size.key}.pdf"


def write_poster(session, kit: PublicKit, territory: Optional[PublicTerritory], path: Path,
                 size_key: str = "a3", logos: Sequence[DrawableLogo] = ()) -> bool:
    """One poster as a PDF at path (atomically); False when its shop list had to be cut."""
    ensure_application()
    size = POSTER_SIZES[size_key]
    if territory is not None and territory.id is not None:
        drawn_map, region = geo_map.territory_map(session, territory.id, kit.edition_id, participants_only=True)
    else:
        drawn_map, region = geo_map.edition_departement_map(session, kit.edition_id, participants_only=True), None
    result = {"fitted": True}

    def write(temporary: Path) -> None:
        writer = QPdfWriter(str(temporary))
        writer.setResolution(PDF_RESOLUTION)
        page_size = QPageSize(QSizeF(size.width_mm + 2 * size.bleed_mm, size.height_mm + 2 * size.bleed_mm),
                              QPageSize.Millimeter, size.key, QPageSize.ExactMatch)
        writer.setPageLayout(QPageLayout(page_size, QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setTitle(f"{kit.title} – {territory.name if territory else kit.departement_name}")
        writer.setCreator("Bons Jours")
        painter = QPainter(writer)
        try:
            units = PDF_RESOLUTION / 25.4
            page = QRectF(0, 0, writer.width(), writer.height())
            canvas = _Canvas(units, size.width_mm / DESIGN_WIDTH, QPointF(size.bleed_mm * units, size.bleed_mm * units))
            result["fitted"] = _paint_poster(painter, canvas, page, size, kit, territory, drawn_map, region, logos)
        finally:
            painter.end()

    atomic_write(path, write, db=session)
    return result["fitted"]


# --- Web banners ----------------------------------------------------------------------------------


def banner_image(kit: PublicKit, width: int, height: int) -> QImage:
    """The event's name and dates on the green of the posters, laid out for the banner's shape."""
    ensure_application()
    image = QImage(width, height, QImage.Format_RGB32)
    image.fill(GREEN)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.TextAntialiasing)
        dates = kit.dates_text[:1].upper() + kit.dates_text[1:]
        pad = max(8.0, min(width, height) * 0.08)
        inner = QRectF(pad, pad, width - 2 * pad, height - 2 * pad)
        where = f"Boutiques solidaires – {kit.departement_name}"

        def fitted(text: str, box_width: float, start: float, bold: bool) -> QFont:
            font = QFont(FONT)
            font.setBold(bold)
            size = start
            while size > 6:
                font.setPixelSize(round(size))
                if QFontMetricsF(font).horizontalAdvance(text) <= box_width:
                    break
                size *= 0.94
            return font

        if width / height > 4:  # leaderboard: one row, title left, dates right
            title_font = fitted(kit.title, inner.width() * 0.55, inner.height() * 0.62, True)
            painter.setFont(title_font)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(QRectF(inner.left(), inner.top(), inner.width() * 0.56, inner.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, kit.title)
            painter.setFont(fitted(dates, inner.width() * 0.42, inner.height() * 0.40, True))
            painter.setPen(YELLOW)
            painter.drawText(QRectF(inner.left() + inner.width() * 0.58, inner.top(), inner.width() * 0.42,
                                    inner.height() * 0.6), Qt.AlignRight | Qt.AlignVCenter, dates)
            painter.setFont(fitted(where, inner.width() * 0.42, inner.height() * 0.28, False))
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(QRectF(inner.left() + inner.width() * 0.58, inner.top() + inner.height() * 0.6,
                                    inner.width() * 0.42, inner.height() * 0.4), Qt.AlignRight | Qt.AlignVCenter, where)
        else:
            title_words = kit.title.split(" ")
            middle = len(title_words) // 2
            title_lines = [" ".join(title_words[:middle + 1]), " ".join(title_words[middle + 1:])]
            bottom_lines = [where, "Bonnes affaires et animations"]
            title_font = fitted(max(title_lines, key=len), inner.width(), inner.height() * 0.17, True)
            date_font = fitted(dates, inner.width(), inner.height() * 0.09, True)
            small_font = fitted(max(bottom_lines, key=len), inner.width(), inner.height() * 0.065, False)
            title_h, date_h, small_h = (QFontMetricsF(f).height() for f in (title_font, date_font, small_font))
            rule = max(2.0, height * 0.008)
            total = 2 * title_h + title_h * 0.5 + date_h * 1.3 + 2 * small_h
            y = inner.top() + max(0.0, (inner.height() - total) / 2)  # centred, never cut at the foot
            painter.setFont(title_font)
            painter.setPen(QColor("#FFFFFF"))
            for line in title_lines:
                painter.drawText(QRectF(inner.left(), y, inner.width(), title_h), Qt.AlignHCenter, line)
                y += title_h
            painter.fillRect(QRectF(inner.center().x() - inner.width() * 0.15, y + title_h * 0.2,
                                    inner.width() * 0.3, rule), YELLOW)
            y += title_h * 0.5
            painter.setFont(date_font)
            painter.setPen(YELLOW)
            painter.drawText(QRectF(inner.left(), y, inner.width(), date_h), Qt.AlignHCenter, dates)
            y += date_h * 1.3
            painter.setFont(small_font)
            painter.setPen(QColor("#FFFFFF"))
            for line in bottom_lines:
                painter.drawText(QRectF(inner.left(), y, inner.width(), small_h), Qt.AlignHCenter, line)
                y += small_h
    finally:
        painter.end()
    return image


def write_banner(kit: PublicKit, width: int, height: int, folder: Path, db: Any = None) -> Path:
    image = banner_image(kit, width, height)
    path = Path(folder) / f"banniere-{width}x{height}.png"

    def save(temporary: Path) -> None:
        if not image.save(str(temporary), "PNG"):
            raise OSError(f"Impossible d'écrire la bannière « {path} ».")

    return atomic_write(path, save, db=db)


@dataclass
class KitResult:
    """What a batch of the communication kit wrote, and what to check."""

    files: list[Path]
    warnings: list[str]


def generate_posters(session, edition_id: int, folder: Path, size_key: str = "a3", address: Optional[str] = None,
                     progress=None) -> KitResult:
    """One poster per territory with shops taking part, then the département's; address overrides the
    remembered web address (no address: posters without QR code, and a warning)."""
    from ..core.communication import public_kit
    from ..core.errors import BonsJoursError
    from ..core.io.safe_write import check_output_folder

    if size_key not in POSTER_SIZES:
        raise BonsJoursError(f"Format d'affiche « {size_key} » inconnu (formats : {', '.join(POSTER_SIZES)}).")
    kit = public_kit(session, edition_id, address)
    if not kit.shops:
        raise BonsJoursError(f"Aucune boutique ne participe à l'édition « {kit.edition_name} » : pas d'affiche à produire.")
    from ..core.logos import poster_logos

    logos = drawable_logos(poster_logos(session, edition_id))
    folder = check_output_folder(folder, session)
    size = POSTER_SIZES[size_key]
    warnings = []
    if not kit.web_address:
        warnings.append("Pas d'adresse de page web : affiches sans QR code (donnez l'adresse, ex. --url https://…).")
    scopes: list[Optional[PublicTerritory]] = [t for t in kit.territories if t.id is not None] + [None]
    files = []
    for index, territory in enumerate(scopes):
        label = territory.name if territory is not None else f"département de {kit.departement_name}"
        if progress is not None:
            progress(index, len(scopes), label)
        path = folder / poster_file_name(kit, territory, size)
        if not write_poster(session, kit, territory, path, size_key, logos):
            warnings.append(f"Affiche « {label} » : trop de boutiques pour le format {size.key.upper()}, "
                            "liste coupée (choisissez un plus grand format).")
        files.append(path)
    if progress is not None:
        progress(len(scopes), len(scopes), "")
    return KitResult(files, warnings)


def generate_banners(session, edition_id: int, folder: Path) -> KitResult:
    """The three usual web banners of the edition."""
    from ..core.communication import public_kit
    from ..core.io.safe_write import check_output_folder

    kit = public_kit(session, edition_id, "")
    folder = check_output_folder(folder, session)
    return KitResult([write_banner(kit, w, h, folder, db=session) for w, h in BANNER_SIZES], [])


__all__ = ["generate_posters", "generate_banners", "KitResult", "POSTER_SIZES", "BANNER_SIZES", "write_poster", "poster_file_name", "banner_image", "write_banner"]
