"""Time to filter 10 000 shops per keystroke in the Boutiques tab's proxy (not a test).

Run: PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/shop_filter.py [--rows N]
Builds N ShopRow rows offscreen, then times proxy.set_search for each keystroke of a few words
(typing then erasing), and a filter change (network + weekday), sorted by name, for the tab's
ShopTableModel and for the generic QSortFilterProxyModel-based SearchProxyModel (whose Python
filterAcceptsRow/lessThan are called per row and per comparison). Prints median and worst times.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bonsjours_desktop.core.models import NETWORKS, PRODUCT_CATEGORIES, WEEKDAYS  # noqa: E402
from bonsjours_desktop.core.shops import ShopRow  # noqa: E402
from bonsjours_desktop.ui.models.table import RowTableModel, SearchProxyModel  # noqa: E402
from bonsjours_desktop.ui.tabs.shops import COLUMNS, ShopTableModel, search_text  # noqa: E402

COMMUNES = ["Angers", "Cholet", "Saumur", "Segré", "Beaupréau", "Trélazé", "Doué-la-Fontaine", "Chemillé",
            "Longué-Jumelles", "Montreuil-Bellay", "Chalonnes-sur-Loire", "Durtal", "Baugé", "Pouancé"]
WORDS = ["Boutique", "Ressourcerie", "Recyclerie", "Atelier", "Grenier", "Malle", "Bric-à-brac", "Friperie"]


def make_rows(count: int) -> list[ShopRow]:
    rng = random.Random(13)
    rows = []
    for i in range(count):
        commune = rng.choice(COMMUNES)
        days = tuple(sorted(rng.sample(WEEKDAYS, rng.randint(1, 5)), key=WEEKDAYS.index))
        rows.append(ShopRow(
            id=i + 1, name=f"{rng.choice(WORDS)} solidaire n° {i} de {commune}", network=rng.choice(NETWORKS),
            legal_form="Association", may_promote=rng.random() > 0.2, address=f"{rng.randint(1, 200)} rue de la Gare",
            postal_code=f"49{rng.randint(0, 999):03d}", commune=commune, territory="Territoire " + commune[:4],
            phone="02 41 00 00 00", email="", products=tuple(rng.sample(PRODUCT_CATEGORIES, 3)), open_days=days,
            active=True, participates=rng.random() > 0.5, has_coordinates=True, is_example=False,
            latitude=47 + rng.random(), longitude=-1 + rng.random(), opening_hours_text="",
        ))
    return rows


KEYSTROKES = ["e", "em", "emm", "emma", "emmau", "emmaus", "emmau", "emma", "emm", "em", "e", "",
              "c", "ch", "cho", "chol", "chole", "cholet", "cholet ", "cholet r", "", "rue de la g", "n° 99", ""]


def time_filtering(model, keystrokes, app=None) -> tuple[list[float], float]:
    times = []
    for text in keystrokes:
        start = time.perf_counter()
        model.set_search(text)
        model.rowCount()
        if app is not None:
            app.processEvents()  # the view lays out and paints the visible rows
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    model.set_predicate(lambda r: r.network == "Emmaüs" and "mercredi" in r.open_days)
    model.rowCount()
    filter_ms = (time.perf_counter() - start) * 1000
    model.set_predicate(None)
    return times, filter_ms


def report(label: str, times: list[float], filter_ms: float) -> None:
    print(f"{label} : médiane {statistics.median(times):.1f} ms par frappe, pire {max(times):.1f} ms "
          f"({len(times)} frappes) ; filtre réseau + jour : {filter_ms:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--skip-generic", action="store_true", help="ne pas mesurer le proxy générique (lent)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rows = make_rows(args.rows)

    model = ShopTableModel(COLUMNS)
    start = time.perf_counter()
    model.set_rows(rows)
    model.sort(0, Qt.AscendingOrder)
    load_ms = (time.perf_counter() - start) * 1000
    print(f"{args.rows} boutiques ; chargement + tri par nom : {load_ms:.0f} ms")
    report("ShopTableModel (onglet Boutiques), trié par nom", *time_filtering(model, KEYSTROKES))
    from bonsjours_desktop.ui.tabs.base import make_table_view

    view = make_table_view()
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    app.processEvents()
    report("ShopTableModel avec sa vue (tableau affiché, hors écran)", *time_filtering(model, KEYSTROKES, app))
    start = time.perf_counter()
    model.sort(2, Qt.DescendingOrder)
    print(f"ShopTableModel : changement de tri (commune, décroissant) : {(time.perf_counter() - start) * 1000:.1f} ms")

    if not args.skip_generic:
        generic_model = RowTableModel(COLUMNS)
        generic = SearchProxyModel()
        generic.setSourceModel(generic_model)
        generic_model.set_rows(rows, search_text)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            report("SearchProxyModel générique, sans tri", *time_filtering(generic, KEYSTROKES))
            generic.sort(0, Qt.AscendingOrder)
            # Erasing the search re-inserts thousands of rows, each placed by Python lessThan calls.
            report("SearchProxyModel générique, trié par nom", *time_filtering(generic, ["emmaus", ""]))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
