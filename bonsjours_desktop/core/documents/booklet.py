"""Saddle-stitch imposition: the A5 pages of a PDF placed two by two on A4 sheets, ready to fold.

Print the result on both sides (flip on the short edge), fold the stack in the middle, staple on the
fold: the pages come in order. The page count is brought to a multiple of 4 with blank pages, put
before the back cover so that it stays on the outside.
"""

from __future__ import annotations

from pathlib import Path

from .engine import DocumentError, save_atomically


def booklet_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indexes (0-based; None = blank) of each sheet side, front then back.

    For 8 pages: (7, 0), (1, 6), (5, 2), (3, 4) — the outer sheet carries the covers."""
    total = (pages + 3) // 4 * 4
    blanks = total - pages
    # The blank pages go just before the last page (the back cover stays the last one).
    order: list[int | None] = list(range(pages - 1)) + [None] * blanks + ([pages - 1] if pages else [])
    sides = []
    for sheet in range(total // 4):
        outer_left, outer_right = total - 1 - 2 * sheet, 2 * sheet
        inner_left, inner_right = 2 * sheet + 1, total - 2 - 2 * sheet
        sides.append((order[outer_left], order[outer_right]))
        sides.append((order[inner_left], order[inner_right]))
    return sides


def impose_booklet(source: Path, target: Path) -> Path:
    """Write target: the pages of source imposed two by two on A4 landscape sheets, atomically."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    try:
        reader = PdfReader(str(source))
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - any unreadable PDF gets the same French message
        raise DocumentError(f"Le PDF « {Path(source).name} » ne peut pas être relu pour le livret : {exc}.") from exc
    if not pages:
        raise DocumentError(f"Le PDF « {Path(source).name} » n'a aucune page : pas de livret.")
    sheet_width, sheet_height = 841.89, 595.28  # A4 landscape, in points
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        sheet = PageObject.create_blank_page(width=sheet_width, height=sheet_height)
        for slot, index in ((0, left), (1, right)):
            if index is None:
                continue
            page = pages[index]
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            scale = min((sheet_width / 2) / width, sheet_height / height)
            x = slot * sheet_width / 2 + (sheet_width / 2 - width * scale) / 2
            y = (sheet_height - height * scale) / 2
            transform = Transformation().translate(-float(page.mediabox.left), -float(page.mediabox.bottom))
            transform = transform.scale(scale, scale).translate(x, y)
            sheet.merge_transformed_page(page, transform)
        writer.add_page(sheet)
    writer.add_metadata({"/Title": f"{Path(source).stem} (livret à plier)", "/Producer": "Bons Jours"})
    save_atomically(lambda temp: writer.write(temp), Path(target))
    return Path(target)
