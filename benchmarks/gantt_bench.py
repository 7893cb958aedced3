"""Time to build + first paint a 2 000-task Gantt offscreen, and one zoom-step repaint (medians).

Run: PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/gantt_bench.py [--tasks 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from bonsjours_desktop.core.planning import DependencyRow, PlanningSnapshot, TaskRow  # noqa: E402
from bonsjours_desktop.ui.widgets.gantt import GanttChart  # noqa: E402

OWNERS = [f"Service {i}" for i in range(12)]


def synthetic_snapshot(count: int) -> PlanningSnapshot:
    """count tasks over ~18 months, a milestone every 15, a finish-to-start link for 2 tasks in 3."""
    first = dt.date(2013, 11, 13)
    tasks = []
    for i in range(count):
        start = first - dt.timedelta(days=540) + dt.timedelta(days=(i * 11) % 560)
        milestone = i % 15 == 0
        end = start if milestone else start + dt.timedelta(days=2 + i % 30)
        tasks.append(TaskRow(i + 1, f"Tâche de test numéro {i + 1}", start, end, milestone, OWNERS[i % len(OWNERS)],
                             f"Phase {i % 5}", ("à faire", "en cours", "terminée")[i % 3], (i * 7) % 101,
                             None, None, i))
    deps = []
    for i in range(1, count):
        if i % 3:
            pred = tasks[i - 1]
            deps.append(DependencyRow(i, pred.id, tasks[i].id, 0))
    return PlanningSnapshot(1, "Banc d'essai", (first, first + dt.timedelta(days=3)), tuple(tasks), tuple(deps))


def measure(tasks: int, runs: int) -> tuple[list[float], list[float]]:
    """(build + first paint times, zoom-step repaint times) in ms over runs fresh charts."""
    _build_only, build_paint, zoom, _snapshot = _measure(tasks, runs)
    return build_paint, zoom


def _measure(tasks: int, runs: int) -> tuple[list[float], list[float], list[float], PlanningSnapshot]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    snapshot = synthetic_snapshot(tasks)
    today = dt.date(2013, 11, 1)
    build_paint, build_only, zoom = [], [], []
    for _run in range(runs):
        chart = GanttChart()
        chart.resize(1280, 800)
        chart.show()
        app.processEvents()
        t0 = time.perf_counter()
        chart.set_snapshot(snapshot, today)
        t1 = time.perf_counter()
        chart.plot.viewport().repaint()  # synchronous first paint of the chart
        t2 = time.perf_counter()
        build_only.append((t1 - t0) * 1000)
        build_paint.append((t2 - t0) * 1000)
        chart.zoom_to("mois")
        chart.plot.viewport().repaint()
        for _step in range(5):
            t3 = time.perf_counter()
            chart.zoom_by(1.25)
            chart.plot.viewport().repaint()
            zoom.append((time.perf_counter() - t3) * 1000)
        chart.close()
        chart.deleteLater()
        app.processEvents()
    return build_only, build_paint, zoom, snapshot


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    build_only, build_paint, zoom, snapshot = _measure(args.tasks, args.runs)
    print(f"{args.tasks} tâches, {len(snapshot.dependencies)} dépendances, {args.runs} essais (médianes) :")
    for label, values, target in (
        ("construction (lignes, paquets)    ", build_only, ""),
        ("construction + premier affichage  ", build_paint, " (cible ≤ 150 ms)"),
        ("un cran de zoom (réaffichage)     ", zoom, " (cible ≤ 16 ms)"),
    ):
        print(f"  {label}: médiane {statistics.median(values):6.1f} ms, min {min(values):6.1f} ms{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
