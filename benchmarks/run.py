"""Benchmark at scale: each figure with its baseline measured in the same run, the ratio and the target.

Run: `make bench` (or `python -m benchmarks.run [--factor F] [--runs N] [--out FILE]`). Prints a table and
writes benchmarks/results.json. Timings are medians of several runs (min and max reported too); the
machine is noisy, so ratios to a baseline measured in the same run are the figures that count.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Optional

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import Scale, build  # noqa: E402


@dataclass
class Figure:
    """One measured figure: value (median), its same-run baseline, ratio and target."""

    name: str
    unit: str
    value: float
    target: float
    target_is_ratio: bool
    baseline: Optional[float] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    runs: int = 1
    note: str = ""
    ratio: Optional[float] = field(default=None)
    met: bool = False

    def finish(self) -> "Figure":
        if self.baseline:
            self.ratio = round(self.value / self.baseline, 3)
        measured = self.ratio if self.target_is_ratio else self.value
        self.met = measured is not None and measured <= self.target
        return self


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times in ms of runs calls (the first one included: caches are part of real use)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def stats(times: list[float]) -> dict:
    return {"value": round(statistics.median(times), 2), "minimum": round(min(times), 2),
            "maximum": round(max(times), 2), "runs": len(times)}


# --- startup and memory: separate processes ------------------------------------------------------

BARE_WINDOW = """
import sys
import PySide6.QtWidgets, PySide6.QtGui, pyqtgraph, qt_material, sqlalchemy, alembic, platformdirs
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
window.show()
for _ in range(5):
    app.processEvents()
window.grab().save(sys.argv[1], "PNG")
"""

MEMORY_APP = """
import resource, sys
from bonsjours_desktop.ui.app import application, create_main_window
from bonsjours_desktop.ui.main_window import TAB_SPECS
from bonsjours_desktop.ui.theme import apply_theme
from bonsjours_desktop.core.db import open_database
app = application()
apply_theme(app)
window = create_main_window(open_database(sys.argv[1]))
window.resize(1366, 768)
window.show()
for title, _m, _c in TAB_SPECS:
    window.show_tab(title)
    app.processEvents()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
from bonsjours_desktop.ui.app import release_window
release_window(app, window)
"""


def _child_env(data_dir: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BONSJOURS_DATA_DIR=str(data_dir),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return env


def measure_startup(db_path: Path, work: Path, runs: int) -> Figure:
    env = _child_env(work / "donnees-startup")
    app_cmd = [sys.executable, "-m", "bonsjours_desktop", "gui", "--db", str(db_path), "--screenshot", str(work / "app.png")]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW, str(work / "bare.png")]
    app_times, bare_times = [], []
    for _ in range(runs):  # interleaved so both see the same machine load
        for command, times in ((bare_cmd, bare_times), (app_cmd, app_times)):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append((time.perf_counter() - start) * 1000)
    figure = Figure("startup", "ms", target=1.3, target_is_ratio=True, baseline=round(statistics.median(bare_times), 2),
                    note="processus lancé → fenêtre affichée et capturée, contre une fenêtre vide qui importe les "
                         "mêmes bibliothèques", **stats(app_times))
    return figure.finish()


def measure_memory(db_path: Path, work: Path) -> Figure:
    result = subprocess.run([sys.executable, "-c", MEMORY_APP, str(db_path)], env=_child_env(work / "donnees-mem"),
                            check=True, capture_output=True, text=True)
    peak_mb = int(result.stdout.strip().splitlines()[-1]) / 1024
    return Figure("memory", "Mo", value=round(peak_mb, 1), target=300, target_is_ratio=False,
                  note="pic de mémoire (RSS) de l'interface, tous les onglets ouverts sur la base à l'échelle").finish()


# --- in-process measurements -------------------------------------------------------------------


def measure_directory(db, work: Path, runs: int) -> Figure:
    import jinja2
    from docxtpl import DocxTemplate

    from bonsjours_desktop.core.documents import contexts
    from bonsjours_desktop.core.documents.engine import FILTERS
    from bonsjours_desktop.core.documents.generate import default_template, generate_directory

    with db.session() as session:
        edition_id = session.execute(__import__("sqlalchemy").text("SELECT min(id) FROM editions")).scalar()
        template = default_template("directory")

        def app():
            generate_directory(session, edition_id, work / "annuaire.docx")

        context = contexts.directory_context(session, edition_id)

        def bare():
            # docxtpl with the template's filters (pluriel, money…) in a plain Jinja environment.
            environment = jinja2.Environment(autoescape=True)
            environment.filters.update(FILTERS)
            document = DocxTemplate(str(template))
            document.render(context, environment, autoescape=True)
            document.save(str(work / "annuaire-nu.docx"))

        app_times, bare_times = [], []
        for _ in range(runs):
            app_times += timed(app, 1)
            bare_times += timed(bare, 1)
    return Figure("directory", "ms", target=1.5, target_is_ratio=True, baseline=round(statistics.median(bare_times), 2),
                  note=f"annuaire de {db_shop_count(db)} boutiques, contre docxtpl seul avec le même modèle et le même contexte",
                  **stats(app_times)).finish()


def db_shop_count(db) -> int:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM shops")).scalar()


def measure_press_kits(db, work: Path, count: int) -> Figure:
    from sqlalchemy import text

    from bonsjours_desktop.core.documents.generate import generate_press_kits

    with db.session() as session:
        edition_id = session.execute(text("SELECT min(id) FROM editions")).scalar()
        ids = [r[0] for r in session.execute(text(f"SELECT id FROM organisations ORDER BY id LIMIT {count}"))]
        out = work / "dossiers"
        start = time.perf_counter()
        result = generate_press_kits(session, edition_id, out, organisation_ids=ids)
        elapsed = (time.perf_counter() - start) * 1000
    return Figure("press_kits", "ms", value=round(elapsed, 1), target=10_000, target_is_ratio=False,
                  note=f"{len(result.documents)} dossiers de presse").finish()


def write_import_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Nom", "Réseau", "Adresse", "Code postal", "Commune", "Téléphone", "Courriel", "Latitude",
                         "Longitude", "Jours d'ouverture", "Produits"])
        for i in range(rows):
            writer.writerow([f"Boutique importée {i:05d}", "Emmaüs", f"{i % 90 + 1} rue de la Gare", "49000",
                             f"Commune {i % 300}", "02 41 00 00 00", f"b{i}@exemple.fr", f"47,{i % 9000:04d}",
                             "-0,5518", "mercredi 09:00-12:00 14:00-18:00; samedi 09:30-12:30", "meubles, livres/disques"])


def measure_import(db_path: Path, work: Path, rows: int) -> Figure:
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.io.shops_io import import_shops, read_table
    from bonsjours_desktop.core.operations import OperationRunner

    copy = work / "import.sqlite"
    shutil.copy(db_path, copy)
    source = work / "boutiques.csv"
    write_import_csv(source, rows)
    db = open_database(str(copy))
    try:
        start = time.perf_counter()
        table = read_table(source)
        OperationRunner(db).run("Importer", lambda s: import_shops(s, table) and None)
        elapsed = (time.perf_counter() - start) * 1000
    finally:
        db.dispose()
    return Figure("import", "ms", value=round(elapsed, 1), target=3000, target_is_ratio=False,
                  note=f"CSV de {rows} lignes (Windows-1252, « ; »), lecture + contrôle + écriture en une transaction annulable").finish()


def measure_shop_filter(rows: int) -> Figure:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from benchmarks.shop_filter import KEYSTROKES, make_rows
    from bonsjours_desktop.ui.tabs.shops import COLUMNS, ShopTableModel

    QApplication.instance() or QApplication([])
    model = ShopTableModel(COLUMNS)
    model.set_rows(make_rows(rows))
    model.sort(0, Qt.AscendingOrder)
    times = []
    for text in KEYSTROKES:
        start = time.perf_counter()
        model.set_search(text)
        model.rowCount()
        times.append((time.perf_counter() - start) * 1000)
    return Figure("shop_filter", "ms", target=30, target_is_ratio=False,
                  note=f"une frappe de recherche sur {rows} boutiques (modèle de l'onglet, trié par nom)",
                  **stats(times)).finish()


def measure_gantt(tasks: int, runs: int) -> list[Figure]:
    try:
        from benchmarks.gantt_bench import measure as gantt_measure  # provided with the planning chart
    except ImportError as exc:
        return [Figure("gantt", "ms", value=float("nan"), target=150, target_is_ratio=False,
                       note=f"non mesuré : {exc}")]
    build_ms, zoom_ms = gantt_measure(tasks, runs)
    return [Figure("gantt_build", "ms", target=150, target_is_ratio=False,
                   note=f"construction + premier dessin de {tasks} tâches hors écran", **stats(build_ms)).finish(),
            Figure("gantt_zoom", "ms", target=16, target_is_ratio=False,
                   note="redessin après un pas de zoom", **stats(zoom_ms)).finish()]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Banc d'essai de Bons Jours à l'échelle")
    parser.add_argument("--factor", type=float, default=1.0, help="échelle (1 = 1 000 boutiques, 3 000 tâches…)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    scale = Scale.of(args.factor)
    work = Path(tempfile.mkdtemp(prefix="bonsjours-bench-"))
    os.environ["BONSJOURS_DATA_DIR"] = str(work / "donnees")
    try:
        started = time.perf_counter()
        db_path = build(work / "echelle.sqlite", scale)
        print(f"Base à l'échelle construite en {time.perf_counter() - started:.1f} s : {asdict(scale)}")
        from bonsjours_desktop.core.db import open_database

        db = open_database(str(db_path))
        figures: list[Figure] = []
        figures.append(measure_startup(db_path, work, args.runs))
        figures.append(measure_memory(db_path, work))
        figures += measure_gantt(max(20, int(2000 * args.factor)), args.runs)
        figures.append(measure_shop_filter(max(100, int(10_000 * args.factor))))
        figures.append(measure_directory(db, work, args.runs))
        figures.append(measure_press_kits(db, work, max(2, int(100 * args.factor))))
        figures.append(measure_import(db_path, work, max(50, int(10_000 * args.factor))))
        db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'mesure':<13} {'médiane':>10} {'min':>9} {'max':>9} {'référence':>10} {'rapport':>8} {'cible':>9}  atteinte")
    for f in figures:
        target = f"≤ {f.target:g}" + ("×" if f.target_is_ratio else f" {f.unit}")
        print(f"{f.name:<13} {f.value:>8.1f}{f.unit[:2]:>2} {f.minimum or f.value:>9.1f} {f.maximum or f.value:>9.1f} "
              f"{(f.baseline or 0):>10.1f} {(f.ratio or 0):>8.2f} {target:>9}  {'oui' if f.met else 'NON'}")
    report = {"machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
              "scale": asdict(scale), "runs": args.runs, "figures": [asdict(f) for f in figures]}
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nRésultats écrits dans {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
