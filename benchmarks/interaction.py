"""Interaction at scale (issue #24 item 3): opening each tab, renaming a shop, filtering, sorting, memory.

Run alone: `PYTHONPATH=$PWD QT_QPA_PLATFORM=offscreen python -m benchmarks.interaction [--factor 10] [--runs 3]`;
`benchmarks/run.py` collects `figures(runs, factor)`. Each run happens in a child process (a fresh
QApplication, its own peak memory), on a copy of the scale base built once per factor and cached in
the temporary directory. Every timing ends with the event loop drained (`processEvents`, which paints
what changed) and a forced grab of the widget that changed, so it is "until repainted".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
TAB_OPEN_TARGET_MS = 300.0
RENAME_TARGET_MS = 50.0
FILTER_TARGET_MS = 30.0
SORT_TARGET_MS = 100.0
MEMORY_TARGET_MB = 350.0
# Tables with fewer rows than this at the measured scale are not worth a sort figure.
SORT_MIN_ROWS = 1000
KEYSTROKES = ["b", "bo", "bou", "bout", "bouti", "boutiq", "boutiqu", "boutique", "boutique ", "boutique s",
              "boutique so", "boutique sol", "boutique so", "boutique s", "boutique ", "boutique", "",
              "a", "an", "ang", "ange", "anger", "angers", "angers 1", "angers 12", "angers 1", "angers", "", "0042", ""]


def own_peak_rss_mb() -> float:
    """This process's own peak resident memory in Mo, not its parent's.

    ru_maxrss (RUSAGE_SELF) cannot be trusted in a child: on Linux, exec() keeps in it the high-water mark of
    the memory it replaces, the parent's own (subprocess forks or vforks from the parent), so a child
    started by `make bench` (benchmarks/run.py, whose process holds the 10× base's figures, ~1,7 Go)
    reported the parent's peak, whatever it used itself. VmHWM, the peak of this process's own address
    space (started fresh at exec), is what the figure means; ru_maxrss elsewhere (kB, bytes on macOS)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def compile_app() -> None:
    """Write the app's bytecode (__pycache__, ignored by git) before its processes are measured.

    An installed Bons Jours starts from bytecode (pip compiles at install, the installer ships it), and so do
    the libraries the baselines import. With PYTHONDONTWRITEBYTECODE set in the environment (as on the
    machines that run make bench) and no bytecode written, each measured process compiled the app's ~55
    modules again (~0,15 s of processor time at start-up, more for the tabs' modules), a cost no user pays.
    A process still reads bytecode under that variable: writing it once here is enough."""
    import compileall

    compileall.compile_dir(str(ROOT / "bonsjours_desktop"), quiet=1)


def scale_base(factor: float) -> Path:
    """The scale base for factor, built once (and again when benchmarks/scale.py changes)."""
    from benchmarks.scale import Scale, build

    digest = hashlib.sha1((ROOT / "benchmarks" / "scale.py").read_bytes()).hexdigest()[:10]
    folder = Path(tempfile.gettempdir()) / "bonsjours-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"scale-{factor:g}-{digest}.sqlite"
    if not path.exists():
        partial = path.with_suffix(".partial")
        build(partial, Scale.of(factor))
        partial.replace(path)
    return path


def figures(runs: int, factor: float = 10.0) -> list[dict]:
    """The interaction figures at factor × the issue's scale (10 000 shops at 10)."""
    base = scale_base(factor)
    compile_app()
    samples: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bonsjours-interaction-") as work:
        for run in range(max(1, runs)):
            copy = Path(work) / f"run{run}.sqlite"
            shutil.copyfile(base, copy)
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BONSJOURS_DATA_DIR=str(Path(work) / f"data{run}"),
                       PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
            result = subprocess.run([sys.executable, "-m", "benchmarks.interaction", "--child", str(copy)],
                                    cwd=ROOT, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"benchmarks.interaction (passage {run + 1}) a échoué :\n{result.stderr[-3000:]}")
            samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return _summarise(samples, factor)


def _cpu_note(samples: list[dict], name: str, worst: bool = False) -> str:
    values = [max(s["cpu"][name]) if worst else statistics.median(s["cpu"][name]) for s in samples if name in s["cpu"]]
    return f" ; temps processeur {statistics.median(values):.0f} ms" if values else ""


def _waiting(tab) -> bool:
    """True while the tab still has to draw what comes after its first image (Planning's Gantt chart, the
    Boutiques map)."""
    chart_built = getattr(tab, "chart_built", None)
    if chart_built is not None and not chart_built():
        return True
    shop_map = getattr(tab, "map", None)
    return shop_map is not None and hasattr(shop_map, "waiting") and shop_map.waiting()


def _figure(name: str, unit: str, values: list[float], target: float, note: str) -> dict:
    return {"name": name, "unit": unit, "value": round(statistics.median(values), 1), "target": target,
            "target_is_ratio": False, "baseline": None, "minimum": round(min(values), 1),
            "maximum": round(max(values), 1), "runs": len(values), "note": note}


def _summarise(samples: list[dict], factor: float) -> list[dict]:
    scale = f"à l'échelle ×{factor:g}"
    result = []
    for tab in samples[0]["tab_open"]:
        result.append(_figure(f"tab_open_{tab}", "ms", [s["tab_open"][tab] for s in samples], TAB_OPEN_TARGET_MS,
                              f"première ouverture de l'onglet « {samples[0]['titles'][tab]} » jusqu'à l'image "
                              f"affichée, {scale}" + _cpu_note(samples, f"tab_open_{tab}")))
    for tab in samples[0].get("tab_ready", {}):
        result.append(_figure(f"tab_ready_{tab}", "ms", [s["tab_ready"][tab] for s in samples], TAB_OPEN_TARGET_MS,
                              f"première ouverture de l'onglet « {samples[0]['titles'][tab]} » jusqu'à ce que ce "
                              f"qu'il dessine après sa première image (diagramme, carte) soit affiché, {scale}"
                              + _cpu_note(samples, f"tab_ready_{tab}")))
    result.append(_figure("rename_repaint", "ms", [statistics.median(s["rename"]) for s in samples], RENAME_TARGET_MS,
                          f"renommer une boutique (enregistrement compris), tous les onglets construits, jusqu'au "
                          f"tableau repeint ; médiane de {len(samples[0]['rename'])} renommages par passage, {scale}"
                          + _cpu_note(samples, "rename_repaint")))
    result.append(_figure("filter_keystroke", "ms", [max(s["filter"]) for s in samples], FILTER_TARGET_MS,
                          f"pire frappe dans la recherche des {samples[0]['shops']} boutiques, tableau repeint "
                          f"({len(samples[0]['filter'])} frappes par passage), {scale}"
                          + _cpu_note(samples, "filter_keystroke", worst=True)))
    for table in samples[0]["sort"]:
        result.append(_figure(f"sort_{table}", "ms", [max(s["sort"][table]) for s in samples], SORT_TARGET_MS,
                              f"pire tri par une colonne (chaque colonne, croissant et décroissant) du tableau "
                              f"« {table} » ({samples[0]['sort_rows'][table]} lignes), tableau repeint, {scale}"
                              + _cpu_note(samples, f"sort_{table}", worst=True)))
    result.append(_figure("memory_all_tabs", "Mo", [s["memory_mb"] for s in samples], MEMORY_TARGET_MB,
                          f"pic de mémoire (RSS) de l'interface, tous les onglets ouverts, {scale}"))
    return result


# --- the child process: one run ------------------------------------------------------------------


def _child(db_path: str) -> dict:
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.shops import shop_input, update_shop
    from bonsjours_desktop.core.versions import snapshot
    from bonsjours_desktop.ui.app import application, create_main_window, release_window
    from bonsjours_desktop.ui.main_window import TAB_SPECS
    from bonsjours_desktop.ui.theme import apply_theme

    app = application()
    apply_theme(app)
    db = open_database(db_path)
    window = create_main_window(db)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    # The window builds the département's map geometry in a thread once shown (main_window.
    # prepare_map_in_background, ~25 ms): a user's first click comes later than that; this one waits
    # for it rather than time the Boutiques tab against it. Its cost is in the startup figure.
    if window._map_preparation is not None:
        window._map_preparation.join(timeout=60)

    def settle(widget) -> None:
        app.processEvents()
        widget.grab()

    cpu: dict[str, list[float]] = {}

    class timed:
        """Wall time (the figure) and this process's CPU time (what the machine's load does not inflate)."""

        def __init__(self, key: str):
            self.key = key

        def __enter__(self):
            self.wall, self.cpu = time.perf_counter(), time.process_time()
            return self

        def __exit__(self, *exc):
            self.ms = (time.perf_counter() - self.wall) * 1000
            cpu.setdefault(self.key, []).append((time.process_time() - self.cpu) * 1000)

    out: dict = {"tab_open": {}, "titles": {}, "sort": {}, "sort_rows": {}}
    first_title = TAB_SPECS[0][0]
    order = [spec for spec in TAB_SPECS[1:]] + [TAB_SPECS[0]]
    for title, module, _cls in order:
        if title == first_title:
            # Every tab is open now (the first one was built with the window): the memory figure is read
            # here, before the first tab is rebuilt from scratch to time its first opening like the others.
            out["memory_mb"] = own_peak_rss_mb()
            window._tabs[title] = None
        clicked_wall, clicked_cpu = time.perf_counter(), time.process_time()
        with timed(f"tab_open_{module}") as t:
            tab = window.show_tab(title)
            settle(window)
        out["tab_open"][module] = t.ms
        if _waiting(tab):
            # What the tab draws right after its first image (the Gantt chart, the shops' map) is timed
            # too, from the same click: the tab is complete only then.
            for _attempt in range(200):
                settle(window)
                if not _waiting(tab):
                    break
            else:
                raise RuntimeError(f"l'onglet « {title} » n'a jamais fini de se dessiner")
            out.setdefault("tab_ready", {})[module] = (time.perf_counter() - clicked_wall) * 1000
            cpu.setdefault(f"tab_ready_{module}", []).append((time.process_time() - clicked_cpu) * 1000)
        out["titles"][module] = title
        del tab

    # Rename a shop from the Boutiques tab, every tab built.
    shops_tab = window.show_tab("Boutiques")
    settle(window)
    context = window.context
    shop_id = shops_tab.model.row_at(shops_tab.model.rowCount() // 2).id
    from bonsjours_desktop.core.models import Shop

    out["rename"] = []
    for attempt in range(5):
        data = context.read(lambda s: shop_input(s, shop_id))
        seen = context.read(lambda s: snapshot(s, Shop, shop_id))
        data.name = f"Boutique renommée {attempt}"
        with timed("rename_repaint") as t:
            context.run(shops_tab, "Renommer la boutique",
                        lambda s, d=data, e=seen: update_shop(s, shop_id, d, expected=e, check_duplicates=False))
            settle(shops_tab.view.viewport())
        out["rename"].append(t.ms)

    # Type in the shops' search.
    out["shops"] = shops_tab.model.total_count()
    out["filter"] = []
    for text in KEYSTROKES:
        with timed("filter_keystroke") as t:
            shops_tab.search.setText(text)
            settle(shops_tab.view.viewport())
        out["filter"].append(t.ms)

    # Sort every big table by each column, both ways.
    for title, module, _cls in TAB_SPECS:
        tab = window.show_tab(title)
        settle(window)
        for view in tab.findChildren(QTableView):
            model = view.model()
            if model is None or not view.isSortingEnabled() or model.rowCount() < SORT_MIN_ROWS:
                continue
            name = f"{module}_{view.objectName() or type(model).__name__}"
            times = []
            for column in range(model.columnCount()):
                for order in (Qt.DescendingOrder, Qt.AscendingOrder):
                    with timed(f"sort_{name}") as t:
                        view.sortByColumn(column, order)
                        settle(view.viewport())
                    times.append(t.ms)
            out["sort"][name] = times
            out["sort_rows"][name] = model.rowCount()
    out["cpu"] = cpu
    release_window(app, window)
    db.dispose()
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--child", metavar="BASE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return 0
    for figure in figures(args.runs, args.factor):
        met = "oui" if figure["value"] <= figure["target"] else "NON"
        cpu = figure["note"].split("temps processeur ")[-1] if "temps processeur" in figure["note"] else ""
        print(f"{figure['name']:<40} {figure['value']:>9.1f} {figure['unit']:<3} (min {figure['minimum']:.1f}, "
              f"max {figure['maximum']:.1f}) cible ≤ {figure['target']:g} : {met}" + (f"  [CPU {cpu}]" if cpu else ""))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
