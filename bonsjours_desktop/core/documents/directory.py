"""The directory (annuaire) of shops: its context, and the points of its cover map."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.orm import Session

from ..participations import takes_part
from ..validation import fold
from .catalogue import DIRECTORY_MAP_WIDTH_MM, DIRECTORY_SUBTITLE, DIRECTORY_TITLE, NO_TERRITORY, PAGE_FORMATS
from .common import _common, _edition, _participations, _setting, _shop_dict, _shop_sort_key, _shops
from .engine import ImageRef

# --- Directory ----------------------------------------------------------------------------------


def directory_context(session: Session, edition_id: int, map_image: Optional[Path] = None,
                      page_format: str = "a5") -> dict[str, Any]:
    """Every active shop grouped by territory then commune; participants marked with animations.

    Each commune heading carries a bookmark (anchor) that the index of communes refers to with a
    PAGEREF field: Word and LibreOffice put the page number there when they lay the booklet out."""
    edition = _edition(session, edition_id)
    participations = _participations(session, edition_id)
    shops = sorted(_shops(session), key=_shop_sort_key)
    territories: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    for shop in shops:
        name = shop.territory.display_name if shop.territory else NO_TERRITORY
        if not territories or territories[-1]["name"] != name:
            territories.append({"name": name, "shops_count": 0, "communes": []})
        territory = territories[-1]
        communes = territory["communes"]
        if not communes or fold(communes[-1]["name"]) != fold(shop.commune):
            number = sum(len(t["communes"]) for t in territories) + 1
            communes.append({"name": shop.commune, "postal_code": shop.postal_code, "shops": [],
                             "anchor": f"_Commune{number}", "bookmark_id": 9000 + number})
        data = _shop_dict(shop, participations.get(shop.id), edition)
        communes[-1]["shops"].append(data)
        if communes[-1]["postal_code"] != shop.postal_code:
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
            "communes": len({fold(s["commune"]) for s in flat}),
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
    return [
        MapPoint(s.name, s.commune, s.latitude, s.longitude, s.id in participating)
        for s in _shops(session)
        if s.latitude is not None and s.longitude is not None
    ]
