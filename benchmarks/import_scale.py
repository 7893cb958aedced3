"""Large shop imports, measured as the user runs them: `bonsjours import shops` in its own process.

Figures (issue 17, item 9): import_10k (net seconds: wall time minus the command's own start-up, measured
as `bonsjours --version` in the same run), import_80k (seconds, ~20 Mo of CSV), import_80k_peak_memory
(Mo, the child's own peak, VmHWM), import_dry_run_ratio (the 80 000-row dry run against the import).

The files come from benchmarks/import_data.py (realistic rows, duplicates, errors: --skip-invalid),
imported into a copy of the demo base. Run alone: PYTHONPATH=. python -m benchmarks.import_scale [runs] [factor]
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent

# Runs the command line in this process and writes its own peak memory (kB) to argv[1]: VmHWM, not
# ru_maxrss, which keeps the parent's peak across exec (benchmarks.interaction.own_peak_rss_mb).
CHILD = """
import sys
from bonsjours_desktop.cli import main
from benchmarks.interaction import own_peak_rss_mb
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(int(own_peak_rss_mb() * 1024)))
sys.exit(code)
"""


def _env(work: Path) -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", BONSJOURS_DATA_DIR=str(work / "donnees"),
                PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


class _Run:
    """One command: wall seconds, CPU seconds of the child, its peak memory in Mo."""

    def __init__(self, wall: float, cpu: float, peak_mb: float):
        self.wall, self.cpu, self.peak_mb = wall, cpu, peak_mb


def _run(args: list[str], work: Path) -> _Run:
    peak_file = work / "pic.txt"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, str(peak_file), *args], env=_env(work), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else 0.0
    return _Run(wall, cpu, peak)


def _startup(work: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bonsjours_desktop", "--version"], env=_env(work), check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _import(base: Path, source: Path, work: Path, *, dry_run: bool = False) -> _Run:
    copy = work / "import.sqlite"
    shutil.copy(base, copy)
    args = ["--db", str(copy), "import", "shops", str(source), "--skip-invalid"] + (["--dry-run"] if dry_run else [])
    return _run(args, work)


def _figure(name: str, unit: str, values: list[float], target: float, note: str, *,
            baseline: Optional[float] = None, target_is_ratio: bool = False) -> dict:
    return {"name": name, "unit": unit, "value": round(statistics.median(values), 3), "target": target,
            "target_is_ratio": target_is_ratio, "baseline": baseline, "minimum": round(min(values), 3),
            "maximum": round(max(values), 3), "runs": len(values), "note": note}


def figures(runs: int, factor: float = 1.0) -> list[dict]:
    """import_10k, import_80k, import_80k_peak_memory and import_dry_run_ratio, each measured for real."""
    from benchmarks.import_data import write_csv
    from benchmarks.interaction import compile_app

    # From bytecode, as installed (see compile_app): without it, with PYTHONDONTWRITEBYTECODE set, each measured
    # command compiled the app's modules again (~0.4 s of every import and dry run, that no user pays).
    compile_app()
    runs = max(1, runs)
    small_rows, large_rows = max(50, int(10_000 * factor)), max(200, int(80_000 * factor))
    work = Path(tempfile.mkdtemp(prefix="bonsjours-import-"))
    try:
        base = work / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "bonsjours_desktop", "--db", str(base), "demo"], env=_env(work),
                       check=True, stdout=subprocess.DEVNULL)
        small = write_csv(work / "boutiques-10k.csv", small_rows)
        large = write_csv(work / "boutiques-80k.csv", large_rows)
        size_mb = large.stat().st_size / 1e6

        startups, small_net, small_cpu = [], [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            startup = _startup(work)
            run = _import(base, small, work)
            startups.append(startup)
            small_net.append(run.wall - startup)
            small_cpu.append(run.cpu)
        startup = statistics.median(startups)

        large_runs, dry_runs = [], []
        for _ in range(min(runs, 3)):  # ~10 s each on an idle machine
            large_runs.append(_import(base, large, work))
            dry_runs.append(_import(base, large, work, dry_run=True))
        walls = [r.wall for r in large_runs]
        ratios = [d.wall / r.wall for d, r in zip(dry_runs, large_runs)]
        import_median = statistics.median(walls)
        return [
            _figure("import_10k", "s", small_net, 3.0,
                    f"`import shops` de {small_rows} lignes (CSV Windows-1252 avec doublons et erreurs, "
                    f"--skip-invalid) dans une copie de la démo, moins le démarrage de la commande "
                    f"(`--version` : {startup:.2f} s) ; temps processeur {statistics.median(small_cpu):.2f} s"),
            _figure("import_80k", "s", walls, 30.0,
                    f"`import shops` de {large_rows} lignes ({size_mb:.1f} Mo), démarrage compris ; "
                    f"temps processeur {statistics.median(r.cpu for r in large_runs):.2f} s"),
            _figure("import_80k_peak_memory", "Mo", [r.peak_mb for r in large_runs], 600.0,
                    f"pic de mémoire (ru_maxrss) du processus qui importe les {large_rows} lignes"),
            # value: the dry run; baseline: the import, same files, same run; target: dry run ≤ ¼ of the import
            _figure("import_dry_run_ratio", "s", [d.wall for d in dry_runs], 0.25,
                    f"essai (--dry-run) des {large_rows} lignes contre leur import (référence) ; rapports par "
                    f"mesure : {', '.join(f'{r:.2f}' for r in ratios)}",
                    baseline=round(import_median, 3), target_is_ratio=True),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    for figure in figures(count, scale):
        print(f"{figure['name']:<24} {figure['value']:>9.3f} {figure['unit']:<3} (cible ≤ {figure['target']:g}, "
              f"min {figure['minimum']:.3f}, max {figure['maximum']:.3f}, {figure['runs']} mesure(s)) — {figure['note']}")
