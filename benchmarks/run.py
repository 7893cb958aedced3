"""Benchmark at scale: each figure with its baseline measured in the same run, the ratio and the target,
at several scales (1×, 3×, 10× by default) with the growth exponent of each figure.

Run: `make bench` (or `python -m benchmarks.run [--factors 1 3 10] [--quick] [--runs N] [--out FILE]`).
Prints a table per scale, writes benchmarks/results.json, draws benchmarks/curves.png and rewrites the
README's table (benchmarks/report.py). Timings are medians of several runs (min and max reported too); the
machine is noisy, so ratios to a baseline measured in the same run are the figures that count.

Other modules plug in: any benchmarks/<name>.py with a function `figures(runs: int, factor: float = 1.0)
-> list[dict]` (dicts with the keys of Figure; optional "target_factor", the scale the target is judged at)
is called at each scale, after the built-in figures; a figure it returns replaces a built-in one of the same
name. The scale base of the current factor is in the environment as BONSJOURS_BENCH_DB for those that want it.
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
    value: Optional[float]
    target: float
    target_is_ratio: bool
    baseline: Optional[float] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    runs: int = 1
    note: str = ""
    ratio: Optional[float] = field(default=None)
    met: bool = False
    # the scale this figure was measured at, and the one its target is judged at (1 = the scale)
    factor: float = 1.0
    target_factor: float = 1.0
    # "processeur": CPU time of the measured process (or of the child processes), steady on a shared machine;
    # "écoulé": wall-clock time. wall: the wall-clock median beside a CPU-time figure.
    clock: str = "écoulé"
    wall: Optional[float] = None

    def finish(self) -> "Figure":
        if self.baseline and self.value is not None:
            self.ratio = round(self.value / self.baseline, 3)
        measured = self.ratio if self.target_is_ratio else self.value
        self.met = measured is not None and measured == measured and measured <= self.target
        return self

    @classmethod
    def from_dict(cls, data: dict, factor: float) -> "Figure":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data and k not in ("ratio", "met", "factor")}
        known.setdefault("clock", "écoulé")
        known.setdefault("target", float("inf"))
        known.setdefault("target_is_ratio", False)
        known.setdefault("unit", "ms")
        known.setdefault("value", None)
        value = known["value"]
        if isinstance(value, float) and value != value:  # NaN: not measured
            known["value"] = None
        return cls(factor=factor, **known).finish()


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times in ms of runs calls (the first one included: caches are part of real use)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def cpu_timed(action: Callable[[], object], cpu: list[float], wall: list[float]) -> object:
    """One call; its CPU time (this process, all its threads) and wall time in ms appended to cpu and wall.

    Eight sessions share this machine's two cores: the wall clock of a measure depends on what the others
    do at that moment, the CPU time on the work measured only."""
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    result = action()
    cpu.append((time.process_time() - start_cpu) * 1000)
    wall.append((time.perf_counter() - start_wall) * 1000)
    return result


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


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
import sys
from benchmarks.interaction import own_peak_rss_mb
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
print(own_peak_rss_mb())
from bonsjours_desktop.ui.app import release_window
release_window(app, window)
"""


def _child_env(data_dir: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BONSJOURS_DATA_DIR=str(data_dir),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return env


def measure_startup(db_path: Path, work: Path, runs: int) -> Figure:
    from benchmarks.interaction import compile_app

    compile_app()  # from bytecode, as installed (and as the baseline's libraries): see compile_app
    env = _child_env(work / "donnees-startup")
    app_cmd = [sys.executable, "-m", "bonsjours_desktop", "gui", "--db", str(db_path), "--screenshot", str(work / "app.png")]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW, str(work / "bare.png")]
    app_times, bare_times, app_wall = [], [], []
    for _ in range(runs):  # interleaved so both see the same machine load
        for command, times in ((bare_cmd, bare_times), (app_cmd, app_times)):
            start, start_cpu = time.perf_counter(), _children_cpu()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(_children_cpu() - start_cpu)
            if times is app_times:
                app_wall.append((time.perf_counter() - start) * 1000)
    figure = Figure("startup", "ms", target=1.3, target_is_ratio=True, baseline=round(statistics.median(bare_times), 2),
                    note="processus lancé → fenêtre affichée et capturée, contre une fenêtre vide qui importe les "
                         "mêmes bibliothèques", clock="processeur", wall=round(statistics.median(app_wall), 1),
                    **stats(app_times))
    return figure.finish()


def measure_memory(db_path: Path, work: Path) -> Figure:
    from benchmarks.interaction import compile_app

    compile_app()
    result = subprocess.run([sys.executable, "-c", MEMORY_APP, str(db_path)], env=_child_env(work / "donnees-mem"),
                            check=True, capture_output=True, text=True)
    # The child's own peak (benchmarks.interaction.own_peak_rss_mb): its ru_maxrss would be this process's.
    peak_mb = float(result.stdout.strip().splitlines()[-1])
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

        app_times, bare_times, app_wall, bare_wall = [], [], [], []
        for _ in range(runs):  # interleaved so both see the same machine load
            cpu_timed(app, app_times, app_wall)
            cpu_timed(bare, bare_times, bare_wall)
    return Figure("directory", "ms", target=1.5, target_is_ratio=True, baseline=round(statistics.median(bare_times), 2),
                  note=f"annuaire de {db_shop_count(db)} boutiques, contre docxtpl seul avec le même modèle et le même "
                       f"contexte (docxtpl seul, temps écoulé : {statistics.median(bare_wall):.0f} ms)",
                  clock="processeur", wall=round(statistics.median(app_wall), 1), **stats(app_times)).finish()


def db_shop_count(db) -> int:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM shops")).scalar()


def measure_press_kits(db, work: Path, count: int) -> Figure:
    """The press kits for count partners, with the local map of each territory and network kit drawn as the
    Documents tab and the command line do (render.geo_map): what the coordinator waits for."""
    from sqlalchemy import text

    from bonsjours_desktop.core.documents.generate import generate_press_kits
    from bonsjours_desktop.render.geo_map import scope_map_png
    from bonsjours_desktop.render.headless import ensure_application

    ensure_application()
    maps = work / "cartes"
    maps.mkdir(exist_ok=True)
    with db.session() as session:
        edition_id = session.execute(text("SELECT min(id) FROM editions")).scalar()
        ids = [r[0] for r in session.execute(text(f"SELECT id FROM organisations ORDER BY id LIMIT {count}"))]
        drawn = []

        def draw(session, scope):
            drawn.append(scope.key)
            return scope_map_png(session, edition_id, maps / f"carte-{len(drawn)}.png", territory_id=scope.territory_id,
                                 network=scope.network or None)

        out = work / "dossiers"
        cpu, wall = [], []
        result = cpu_timed(lambda: generate_press_kits(session, edition_id, out, organisation_ids=ids, map_drawer=draw),
                           cpu, wall)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(maps, ignore_errors=True)
    return Figure("press_kits", "ms", value=round(cpu[0], 1), target=5_000, target_is_ratio=False,
                  clock="processeur", wall=round(wall[0], 1),
                  note=f"dossiers de presse de {len(ids)} partenaires : {len(result.documents)} documents (un par zone) "
                       f"et {len(drawn)} cartes locales").finish()


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
        cpu, wall = [], []

        def run_import():
            table = read_table(source)
            OperationRunner(db).run("Importer", lambda s: import_shops(s, table) and None)

        cpu_timed(run_import, cpu, wall)
    finally:
        db.dispose()
    return Figure("import", "ms", value=round(cpu[0], 1), target=3000, target_is_ratio=False,
                  clock="processeur", wall=round(wall[0], 1),
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
    times, wall = [], []
    for text in KEYSTROKES:
        cpu_timed(lambda: (model.set_search(text), model.rowCount()), times, wall)
    return Figure("shop_filter", "ms", target=30, target_is_ratio=False, clock="processeur",
                  wall=round(statistics.median(wall), 2),
                  note=f"une frappe de recherche sur {rows} boutiques (modèle de l'onglet, trié par nom)",
                  **stats(times)).finish()


def measure_gantt(tasks: int, runs: int) -> list[Figure]:
    try:
        from benchmarks.gantt_bench import measure as gantt_measure  # provided with the planning chart
    except ImportError as exc:
        return [Figure("gantt", "ms", value=None, target=150, target_is_ratio=False,
                       note=f"non mesuré : {exc}")]
    build_ms, zoom_ms = gantt_measure(tasks, runs)
    return [Figure("gantt_build", "ms", target=150, target_is_ratio=False,
                   note=f"construction + premier dessin de {tasks} tâches hors écran", **stats(build_ms)).finish(),
            Figure("gantt_zoom", "ms", target=16, target_is_ratio=False,
                   note="redessin après un pas de zoom", **stats(zoom_ms)).finish()]


# --- plug-in modules -------------------------------------------------------------------------------

# Modules of benchmarks/ that are not measurements, or whose measures run.py already takes (gantt_bench).
NOT_PLUGINS = {"__init__", "run", "scale", "report", "curves", "gantt_bench", "map_paint", "participations_scale",
               "shop_filter"}


def plugin_modules() -> list[str]:
    """Names of the benchmarks/*.py modules with a figures(runs, factor) function, in name order."""
    names = []
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        if path.stem in NOT_PLUGINS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "def figures(" in text:
            names.append(path.stem)
    return names


# Largest scale a plug-in is measured at, when every scale would not fit in make bench's time (a module can
# also say so itself with MAX_FACTOR): import_scale already imports 80 000 rows at 1×, 800 000 at 10× would
# take most of an hour; the built-in « import » figure gives the import's curve up to 10×. The installer's
# size does not depend on the base: built (when dist/ has none) and measured once.
PLUGIN_MAX_FACTOR = {"import_scale": 1.0, "installer_size": 1.0}
# The scale a plug-in's targets are set for, when its figures do not say (target_factor): the interaction
# targets of issue #24 (tab ≤ 300 ms, rename ≤ 50 ms…) are for a base ten times today's.
PLUGIN_TARGET_FACTOR = {"interaction": 10.0}


def plugin_figures(runs: int, factor: float) -> list[Figure]:
    """Every plug-in's figures at this scale; a module that fails gives one unmeasured figure saying why."""
    import importlib
    import traceback

    found: list[Figure] = []
    for name in plugin_modules():
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            if factor > getattr(module, "MAX_FACTOR", PLUGIN_MAX_FACTOR.get(name, float("inf"))):
                continue
            for data in module.figures(runs, factor):
                data = dict(data)
                if name in PLUGIN_TARGET_FACTOR:
                    data.setdefault("target_factor", PLUGIN_TARGET_FACTOR[name])
                found.append(Figure.from_dict(data, factor))
        except Exception as exc:  # noqa: BLE001 - one broken module must not lose the others' figures
            traceback.print_exc()
            found.append(Figure(name, "ms", value=None, target=float("inf"), target_is_ratio=False, factor=factor,
                                note=f"non mesuré : {type(exc).__name__} : {exc}"))
    return found


# --- growth -----------------------------------------------------------------------------------------

# Why a figure may grow faster than the data (exponent above 1.15 between the smallest and largest scale).
GROWTH_NOTES = {
    "press_kits": "le nombre de zones (territoires, réseaux) des 100 partenaires grandit avec la base : plus de "
                  "documents et de cartes, pas un coût par document plus grand",
    "shop_filter": "le filtre est un seul passage sur les lignes (ui/tabs/shops.py, _refilter) et ses lignes "
                   "passent de 10 000 à 100 000 ; l'écart à la pente 1 n'est pas expliqué (caches du processeur, "
                   "liste des lignes visibles à refaire ?) : à examiner avec les mesures d'interaction à 10×",
}
LINEAR_TOLERANCE = 1.15


def growth(figures: list[Figure]) -> dict[str, dict]:
    """Per figure name: its values by scale and the log-log slope between the smallest and largest scale."""
    import math

    by_name: dict[str, list[Figure]] = {}
    for figure in figures:
        by_name.setdefault(figure.name, []).append(figure)
    curves = {}
    for name, measured in by_name.items():
        points = sorted((f for f in measured if f.value is not None and f.value > 0), key=lambda f: f.factor)
        exponent = baseline_exponent = None
        if len(points) >= 2 and points[-1].factor > points[0].factor:
            span = math.log(points[-1].factor / points[0].factor)
            exponent = round(math.log(points[-1].value / points[0].value) / span, 2)
            if points[0].baseline and points[-1].baseline:
                baseline_exponent = round(math.log(points[-1].baseline / points[0].baseline) / span, 2)
        note = ""
        if exponent is not None and exponent > LINEAR_TOLERANCE:
            if baseline_exponent is not None and baseline_exponent >= exponent - 0.05:
                note = (f"la référence mesurée dans la même exécution grandit autant (pente {str(baseline_exponent).replace('.', ',')}) : "
                        "ce surcoût est le sien (docxtpl seul pour l'annuaire), le rapport à elle ne grandit pas")
            else:
                note = GROWTH_NOTES.get(name, "plus que linéaire : à expliquer")
        curves[name] = {
            "unit": measured[0].unit,
            "points": [{"factor": f.factor, "value": f.value, "baseline": f.baseline, "ratio": f.ratio}
                       for f in sorted(measured, key=lambda f: f.factor)],
            "exponent": exponent,
            "baseline_exponent": baseline_exponent,
            "note": note,
        }
    return curves


# --- one scale ----------------------------------------------------------------------------------------


def measure_at(factor: float, runs: int, work: Path) -> list[Figure]:
    """Every figure at one scale: the scale base built, then the built-in measures, then the plug-ins."""
    scale = Scale.of(factor)
    started = time.perf_counter()
    db_path = build(work / f"echelle-{factor:g}.sqlite", scale)
    print(f"\n× {factor:g} : base construite en {time.perf_counter() - started:.1f} s : {asdict(scale)}", flush=True)
    os.environ["BONSJOURS_BENCH_DB"] = str(db_path)
    from bonsjours_desktop.core.db import open_database

    # big scales: fewer repetitions, the spread shows in min/max anyway
    runs = max(1, min(runs, 3)) if factor >= 5 else runs
    db = open_database(str(db_path))
    figures: list[Figure] = []
    try:
        figures.append(measure_startup(db_path, work, runs))
        figures.append(measure_memory(db_path, work))
        figures += measure_gantt(max(20, int(2000 * factor)), runs)
        figures.append(measure_shop_filter(max(100, int(10_000 * factor))))
        figures.append(measure_directory(db, work, runs))
        figures.append(measure_press_kits(db, work, 100))
        figures.append(measure_import(db_path, work, max(50, int(10_000 * factor))))
    finally:
        db.dispose()
    plugins = plugin_figures(runs, factor)
    replaced = {f.name for f in plugins}
    figures = [f for f in figures if f.name not in replaced] + plugins
    for figure in figures:
        figure.factor = factor
        figure.finish()
    print(f"   mesurée en {time.perf_counter() - started:.0f} s", flush=True)
    (work / f"echelle-{factor:g}.sqlite").unlink(missing_ok=True)
    return figures


def print_table(figures: list[Figure]) -> None:
    print(f"\n{'mesure':<24} {'×':>4} {'médiane':>11} {'min':>9} {'max':>9} {'référence':>10} {'rapport':>8} "
          f"{'cible':>10}  atteinte")
    for f in figures:
        target = f"≤ {f.target:g}" + ("×" if f.target_is_ratio else f" {f.unit}")
        value = f"{f.value:>9.1f}{f.unit[:2]:>2}" if f.value is not None else f"{'—':>11}"
        judged = "" if f.factor != f.target_factor else ("oui" if f.met else "NON")
        print(f"{f.name:<24} {f.factor:>4g} {value} {(f.minimum or f.value or 0):>9.1f} "
              f"{(f.maximum or f.value or 0):>9.1f} {(f.baseline or 0):>10.1f} {(f.ratio or 0):>8.2f} {target:>10}  {judged}")


def _plain(value):
    """JSON has no infinity nor NaN: a missing target or value is null."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Banc d'essai de Bons Jours à l'échelle")
    parser.add_argument("--factors", type=float, nargs="+", default=None,
                        help="échelles mesurées (1 = 1 000 boutiques, 3 000 tâches… ; par défaut 1 3 10)")
    parser.add_argument("--factor", type=float, default=None, help="une seule échelle")
    parser.add_argument("--quick", action="store_true", help="rapide : échelles 0,1 0,3 1 et 2 répétitions")
    parser.add_argument("--runs", type=int, default=None, help="répétitions de chaque mesure (5 par défaut)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--no-report", action="store_true",
                        help="ne pas dessiner les courbes ni réécrire le tableau du README")
    args = parser.parse_args(argv)
    factors = args.factors or ([args.factor] if args.factor else ([0.1, 0.3, 1.0] if args.quick else [1.0, 3.0, 10.0]))
    runs = args.runs or (2 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="bonsjours-bench-"))
    os.environ["BONSJOURS_DATA_DIR"] = str(work / "donnees")
    started = time.perf_counter()
    figures: list[Figure] = []
    try:
        for factor in sorted(factors):
            figures += measure_at(factor, runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(figures)
    curves = growth(figures)
    print("\nCroissance (pente log-log entre la plus petite et la plus grande échelle) :")
    for name, curve in curves.items():
        if curve["exponent"] is not None:
            print(f"  {name:<16} {curve['exponent']:>5.2f}" + (f"  — {curve['note']}" if curve["note"] else ""))
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "measured_in_s": round(time.perf_counter() - started, 1),
        "factors": sorted(factors),
        "runs": runs,
        "scales": {f"{factor:g}": asdict(Scale.of(factor)) for factor in sorted(factors)},
        "figures": [asdict(f) for f in figures],
        "curves": curves,
    }
    out = Path(args.out)
    out.write_text(json.dumps(_plain(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nRésultats écrits dans {out} en {report['measured_in_s']:.0f} s")
    if not args.no_report:
        from benchmarks import report as readme_report

        readme_report.write_all(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
