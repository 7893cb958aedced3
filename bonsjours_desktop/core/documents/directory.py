"""The directory (annuaire) of shops: its context, and the points of its cover map."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..participations import takes_part
from ..validation import fold
from .catalogue import DIRECTORY_MAP_WIDTH_MM, DIRECTORY_SUBTITLE, DIRECTORY_TITLE, NO_TERRITORY, PAGE_FORMATS
from ..models import Shop
from .common import _common, _edition, _participations, _setting, shop_rows, shop_values
from .engine import ImageRef

# --- Directory ----------------------------------------------------------------------------------


def directory_context(session: Session, edition_id: int, map_image: Optional[Path] = None,
                      page_format: str = "a5") -> dict[str, Any]:
    """Every active shop grouped by territory then commune; participants marked with animations.

    Each commune heading carries a bookmark (anchor) that the index of communes refers to with a
    PAGEREF field: Word and LibreOffice put the page number there when they lay the booklet out."""
    edition = _edition(session, edition_id)
    days = [d.day for d in edition.event_days]
    participations = _participations(session, edition_id)
    # Plain rows, not ORM shops: 10 000 shops load in a fraction of the time, with no lazy load per shop.
    shops = shop_rows(session)
    territories: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    commune_key = None
    communes_count = 0
    for shop in shops:
        name = shop["territory"] if shop["_sort"][0] is False else NO_TERRITORY
        if not territories or territories[-1]["name"] != name:
            territories.append({"name": name, "shops_count": 0, "communes": []})
            commune_key = None
        territory = territories[-1]
        communes = territory["communes"]
        if commune_key != shop["_sort"][2]:
            commune_key = shop["_sort"][2]
            communes_count += 1
            number = communes_count
            communes.append({"name": shop["commune"], "postal_code": shop["postal_code"], "shops": [],
                             "anchor": f"_Commune{number}", "bookmark_id": 9000 + number})
        data = shop_values(shop, participations.get(shop["id"]), days)
        communes[-1]["shops"].append(data)
        if communes[-1]["postal_code"] != shop["postal_code"]:
            communes[-1]["postal_code"] = ""  # several codes (Angers 49000 / 49100): each card shows its own
        territory["shops_count"] += 1
        flat.append(data)
    index = sorted(
        ({"name": c["name"] or "(commune non renseignée)", "territory": t["name"], "anchor": c["anchor"],
          "shops_count": len(c["shops"])} for t in territories for c in t["communes"]),
        key=lambda c: (fold(c["name"]), fold(c["territory"])),
    )
    fmt = page_format if page_format in PAGE_FORMATS else "a5"
    logo = _setting(session, "logo_path")
    logo_path = Path(logo).expanduser() if logo else None
    context = _common(session, edition)
    context.update({
        "title": DIRECTORY_TITLE,
        "subtitle": DIRECTORY_SUBTITLE,
        "map_image": ImageRef(Path(map_image), DIRECTORY_MAP_WIDTH_MM[fmt]) if map_image else "",
        "has_map": bool(map_image),
        # A logo whose file went missing is left out rather than failing the whole directory.
        "logo_image": ImageRef(logo_path, 30.0 if fmt == "a5" else 40.0) if logo_path and logo_path.is_file() else "",
        "has_logo": bool(logo_path and logo_path.is_file()),
        "web_page": _setting(session, "web_page"),
        "page_format": fmt,
        "counts": {
            "shops": len(flat),
            "participating": sum(1 for s in flat if s["participates"]),
            "territories": len(territories),
            "communes": len({shop["_sort"][2] for shop in shops}),
        },
        "territories": territories,
        "communes_index": index,
        "shops": flat,
    })
    return context


@dataclass(frozen=True)
class MapPoint:
    """A shop to draw on the directory's cover map."""

    name: str
    commune: str
    latitude: float
    longitude: float
    participates: bool


def map_points(session: Session, edition_id: int) -> list[MapPoint]:
    """Active shops with coordinates, and whether they take part in the edition."""
    participating = {shop_id for shop_id, p in _participations(session, edition_id).items() if takes_part(p.status)}
    rows = session.execute(
        select(Shop.id, Shop.name, Shop.commune, Shop.latitude, Shop.longitude)
        .where(Shop.active.is_(True), Shop.latitude.is_not(None), Shop.longitude.is_not(None))
        .order_by(Shop.id))
    return [MapPoint(name, commune, latitude, longitude, shop_id in participating)
            for shop_id, name, commune, latitude, longitude in rows]
