"""Measure the Participations tab's data path on a large base: N shops, half taking part, 2 animations each.

Run: PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/participations_scale.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from bonsjours_desktop.core import editions as E
from bonsjours_desktop.core import participations as P
from bonsjours_desktop.core.db import open_database
from bonsjours_desktop.core.models import Animation, Participation, Shop
from bonsjours_desktop.core.operations import OperationRunner


def main(count: int = 10_000) -> None:
    folder = Path(tempfile.mkdtemp())
    db = open_database(str(folder / "echelle.sqlite"))
    ops = OperationRunner(db)
    days = [dt.date(2014, 11, 12), dt.date(2014, 11, 15)]
    edition = ops.run("Créer", lambda s: E.create_edition(s, "Échelle", days), undoable=False).value
    hours = {"mercredi": [["09:00", "12:00"]], "samedi": [["09:00", "12:00"]]}

    def fill(session):
        event_days = P.list_event_days(session, edition)
        for i in range(count):
            shop = Shop(name=f"Boutique {i:05d}", commune=f"Commune {i % 300}",
                        opening_hours=hours if i % 7 else {"samedi": [["09:00", "12:00"]]})
            session.add(shop)
            if i % 2 == 0:
                participation = Participation(shop=shop, edition_id=edition)
                session.add(participation)
                for day in event_days:
                    participation.animations.append(Animation(event_day_id=day.id, category="musique",
                                                              start_time="14:00", end_time="18:00"))

    ops.run("Remplir", fill, undoable=False)

    start = time.perf_counter()
    rows = ops.read(lambda s: P.list_participation_rows(s, edition))
    query = time.perf_counter() - start

    from PySide6.QtWidgets import QApplication

    from bonsjours_desktop.ui.tabs.participations import FilterProxy, ParticipationTableModel, build_columns, search_text

    app = QApplication.instance() or QApplication([])
    model = ParticipationTableModel(lambda row, checked: None)
    model.set_columns(build_columns(ops.read(lambda s: P.list_event_days(s, edition))))
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    start = time.perf_counter()
    model.set_rows(rows, search_text)
    load = time.perf_counter() - start
    start = time.perf_counter()
    proxy.set_search("commune 12")
    search = time.perf_counter() - start
    start = time.perf_counter()
    proxy.set_predicate(lambda r: r.participates and bool(r.warnings))
    alerts = time.perf_counter() - start
    start = time.perf_counter()
    copied = ops.run("Copier", lambda s: P.copy_participations(
        s, edition, E.create_edition(s, "Copie", days))).value
    copy = time.perf_counter() - start
    print(f"{len(rows)} boutiques : lecture {query * 1000:.0f} ms, chargement du modèle {load * 1000:.0f} ms, "
          f"recherche {search * 1000:.0f} ms ({proxy.rowCount()} lignes), filtre alertes {alerts * 1000:.0f} ms, "
          f"copie de {copied} participations {copy * 1000:.0f} ms")
    del app
    db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
