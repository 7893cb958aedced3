"""The app's own exports re-import to the same data: export → import changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bonsjours_desktop.core.io.shops_io import export_shops, import_shops, plan_import, read_table
from bonsjours_desktop.core.models import Shop
from bonsjours_desktop.core.shops import ShopInput, create_shop

FIELDS = ("name", "network", "legal_form", "may_promote", "address", "postal_code", "commune", "phone", "email",
          "website", "latitude", "longitude", "opening_hours", "products", "notes")


def snapshot(ops) -> dict[int, dict]:
    def read(session):
        return {
            shop.id: {**{f: getattr(shop, f) for f in FIELDS}, "territory": shop.territory.name if shop.territory else ""}
            for shop in session.scalars(select(Shop))
        }
    return ops.read(read)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_reimport_of_the_demo_changes_nothing(demo_ops, tmp_path, fmt):
    # Texts the formula guard touches: a name starting with "+", notes starting with "- " and "=".
    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(
        name="+ de Vie", commune="Angers", notes="- à rappeler\n=pas une formule", phone="+33 2 41 00 00 00")))
    demo_ops.run("Créer", lambda s: create_shop(s, ShopInput(name="'=déjà une apostrophe", commune="Saumur")))
    before = snapshot(demo_ops)
    path = tmp_path / f"boutiques.{fmt}"
    demo_ops.read(lambda s: export_shops(s, path, fmt))
    for _ in range(2):  # twice: the re-exported file imports again ("figure déjà ligne 2" before)
        table = read_table(path)
        plan = demo_ops.read(lambda s: plan_import(s, table))
        assert plan.problems == () and plan.created == 0 and plan.updated == len(before)
        result = demo_ops.run("Importer", lambda s: import_shops(s, table)).value
        assert snapshot(demo_ops) == before
        # nothing rewritten, and the report says so (not just « 22 mise(s) à jour »)
        assert result.unchanged == len(before)
        assert result.counts_text() == (f"0 boutique(s) créée(s), {len(before)} mise(s) à jour "
                                        f"(dont {len(before)} déjà identique(s) : rien à changer)")
        demo_ops.read(lambda s: export_shops(s, path, fmt))
