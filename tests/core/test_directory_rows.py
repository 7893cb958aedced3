"""The directory read with plain Core queries gives the very context the ORM path gave.

The reference below is the directory's former body (ORM shops with their territories, one template dict per
shop through ``_shop_dict``), kept here to pin the output: same shops, same order, same groups, same words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bonsjours_desktop.core.documents import common, directory
from bonsjours_desktop.core.documents.catalogue import NO_TERRITORY
from bonsjours_desktop.core.editions import list_editions
from bonsjours_desktop.core.models import Shop, Territory
from bonsjours_desktop.core.validation import fold


def orm_directory_groups(session, edition_id: int) -> dict[str, Any]:
    """The former directory_context's shops, territories and index, from ORM objects."""
    edition = common._edition(session, edition_id)
    participations = common._participations(session, edition_id)
    shops = sorted(common._shops(session), key=common._shop_sort_key)
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
        data = common._shop_dict(shop, participations.get(shop.id), edition)
        communes[-1]["shops"].append(data)
        if communes[-1]["postal_code"] != shop.postal_code:
            communes[-1]["postal_code"] = ""
        territory["shops_count"] += 1
        flat.append(data)
    index = sorted(
        ({"name": c["name"] or "(commune non renseignée)", "territory": t["name"], "anchor": c["anchor"],
          "shops_count": len(c["shops"])} for t in territories for c in t["communes"]),
        key=lambda c: (fold(c["name"]), fold(c["territory"])),
    )
    counts = {"shops": len(flat), "participating": sum(1 for s in flat if s["participates"]),
              "territories": len(territories), "communes": len({fold(s["commune"]) for s in flat})}
    return {"territories": territories, "communes_index": index, "shops": flat, "counts": counts}


def _same_as_orm_path(db) -> int:
    checked = 0
    with db.session() as session:
        for summary in list_editions(session):
            context = directory.directory_context(session, summary.id)
            expected = orm_directory_groups(session, summary.id)
            for key, value in expected.items():
                assert context[key] == value, (summary.name, key)
            checked += len(context["shops"])
    return checked


def test_the_demo_directory_is_the_orm_paths_for_every_edition(demo_db):
    assert _same_as_orm_path(demo_db) > 0


def test_the_directory_keeps_its_groups_with_awkward_shops(demo_db):
    """No territory, a public name with spaces, a commune typed in capitals with another postal code,
    an inactive shop, accents in names, empty hours and products: the same context either way."""
    with demo_db.session() as session:
        territory = session.scalars(select(Territory)).first()
        territory.public_name = "  Pays d'essai  "
        angers = session.scalars(select(Shop).where(Shop.commune == "Angers")).first()
        session.add_all([
            Shop(name="Écho du réemploi", commune="Sans-Territoire", postal_code="49999", territory=None,
                 opening_hours={}, products=[]),
            Shop(name="ressourcerie", commune="ANGERS", postal_code="49100",
                 territory=angers.territory if angers else territory, opening_hours=None, products=None),
            Shop(name="Abeille", commune="angers", postal_code="49000",
                 territory=angers.territory if angers else territory, opening_hours={"lundi": None}),
            Shop(name="Fermée", commune="Cholet", postal_code="49300", territory=territory, active=False),
            Shop(name="Zèbre", commune="Beaupréau-en-Mauges", postal_code="49600", territory=territory,
                 opening_hours={"samedi": [["09:30", "12:00"]]}, products=["livres", "vêtements"]),
        ])
        session.commit()
    assert _same_as_orm_path(demo_db) > 0
    with demo_db.session() as session:
        edition = list_editions(session)[0]
        context = directory.directory_context(session, edition.id)
        names = [s["name"] for s in context["shops"]]
        assert "Fermée" not in names
        assert names[-1] == "Écho du réemploi"  # shops without a territory come last
        assert context["territories"][-1]["name"] == NO_TERRITORY
        assert any(t["name"] == "Pays d'essai" for t in context["territories"])
