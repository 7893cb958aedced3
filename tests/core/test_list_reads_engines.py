"""The lists read as plain columns (shops, participations, organisations, destinations, items, edition
totals, product names) give the same values on SQLite and PostgreSQL, snapshots included."""

import dataclasses

from bonsjours_desktop.core.budget import budget_summary, edition_totals
from bonsjours_desktop.core.demo import load_demo
from bonsjours_desktop.core.editions import list_editions
from bonsjours_desktop.core.logistics import list_destinations, list_item_rows
from bonsjours_desktop.core.models import PRODUCT_CATEGORIES, Shop
from bonsjours_desktop.core.versions import snapshot
from bonsjours_desktop.core.operations import OperationRunner
from bonsjours_desktop.core.participations import list_participation_rows
from bonsjours_desktop.core.partners import list_organisation_rows
from bonsjours_desktop.core.shops import ShopRow, list_product_names, list_shop_rows, shop_input, update_shop


def test_column_reads_on_each_engine(engine_db):
    ops = OperationRunner(engine_db)
    ops.run("Exemple", lambda s: load_demo(s, living=False) and None, undoable=False)
    with engine_db.session() as s:
        edition = next(e for e in list_editions(s) if e.name == "Novembre 2013")
        shops = list_shop_rows(s, edition.id)
        assert len(shops) == 20 and len({r.id for r in shops}) == 20
        # made without the dataclass's __init__ (core.shops._new_shop_row): every field, the same values
        for row in shops:
            assert set(vars(row)) == {f.name for f in dataclasses.fields(ShopRow)}
            rebuilt = ShopRow(**{f.name: getattr(row, f.name) for f in dataclasses.fields(ShopRow)})
            assert rebuilt == row and hash(rebuilt) == hash(row) and repr(rebuilt) == repr(row)
        # each row's snapshot, made when first asked for, is the row as the ORM reads it (timestamps aside)
        for row in shops:
            full = snapshot(s, Shop, row.id).values
            assert row.seen.values == {k: v for k, v in full.items() if k not in ("created_at", "updated_at")}
            assert all(type(row.seen.values[k]) is type(v) for k, v in full.items() if k in row.seen.values)
            assert row.seen is row.seen and row.seen.pk == {"id": row.id}
        doue = next(r for r in shops if r.name == "Boutique solidaire de Doué")
        assert doue.open_days and doue.opening_hours_text and doue.territory and doue.participates
        assert doue.seen.values["opening_hours"] and doue.seen.version is not None
        assert list_shop_rows(s, edition.id, ids=[doue.id]) == [doue]
        assert list_product_names(s)[: len(PRODUCT_CATEGORIES)] == list(PRODUCT_CATEGORIES)
        rows = list_participation_rows(s, edition.id)
        assert len(rows) == 20 and any(r.warnings for r in rows) and any(r.closed_days for r in rows)
        only = list_participation_rows(s, edition.id, participating_only=True)
        assert [r.shop_id for r in only] == [r.shop_id for r in rows if r.participation_id is not None]
        organisations = list_organisation_rows(s)
        assert organisations and all(o.seen.version is not None for o in organisations)
        assert any(o.territory for o in organisations)
        destinations = list_destinations(s, edition.id)
        assert destinations[0].participates and destinations[0].territory
        assert {d.name for d in destinations} >= {r.name for r in shops} | {o.name for o in organisations}
        assert list_item_rows(s)
        for summary in list_editions(s):
            totals = edition_totals(s)
            assert totals.get(summary.id, budget_summary(s, summary.id).total_ttc) == budget_summary(s, summary.id).total_ttc
    # The snapshot read as columns is accepted by the update service on both engines.
    data = ops.read(lambda s: shop_input(s, doue.id))
    data.name = "Boutique solidaire de Doué-en-Anjou"
    ops.run("Renommer", lambda s: update_shop(s, doue.id, data, expected=doue.seen, check_duplicates=False))
