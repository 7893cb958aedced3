"""Size of the one-folder application (dist/BonsJours) by component: what an installer weighs, and why.

Run: PYTHONPATH=$PWD .venv/bin/python -m benchmarks.installer_size [FOLDER]   (default: dist/BonsJours)
prints the table by component. ``figures(runs, factor)`` gives the "installer_size" figure (Mo = 10^6
bytes, target 180) for benchmarks/run.py: it measures FOLDER, BONSJOURS_INSTALLER_DIR or dist/BonsJours
when built, otherwise builds the folder with PyInstaller in a temporary directory (a minute or two) —
except at reduced scale (factor < 1, the suite's tiny run), where it measures nothing rather than build.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 180.0

# (component, test on the path inside the folder, "/" separated, relative to _internal/), first match wins.
COMPONENTS: list[tuple[str, object]] = [
    ("ICU (données Unicode de Qt)", lambda p: p.startswith("PySide6/Qt/lib/libicu")),
    ("Bibliothèques Qt", lambda p: p.startswith("PySide6/Qt/lib/")),
    ("Greffons Qt", lambda p: p.startswith("PySide6/Qt/plugins/")),
    ("Traductions Qt", lambda p: p.startswith("PySide6/Qt/translations/")),
    ("QML Qt", lambda p: p.startswith("PySide6/Qt/qml/")),
    ("Modules PySide6 et shiboken", lambda p: p.startswith(("PySide6/", "shiboken6/", "libpyside6", "libshiboken6"))),
    ("numpy et OpenBLAS", lambda p: p.startswith(("numpy/", "numpy.libs/"))),
    ("PostgreSQL (psycopg)", lambda p: p.startswith(("psycopg", "psycopg_binary"))),
    ("libpython", lambda p: p.startswith("libpython")),
    ("Modules C de Python", lambda p: p.startswith("python3")),
    ("Bibliothèque standard Python", lambda p: p == "base_library.zip"),
    ("Exécutable et code Python (PYZ)", lambda p: p == "../BonsJours" or p == "../BonsJours.exe"),
    ("Ressources de l'application", lambda p: p.startswith("resources/")),
    ("Migrations Alembic", lambda p: p.startswith("bonsjours_desktop/")),
    ("SQLAlchemy", lambda p: p.startswith("sqlalchemy/")),
    ("lxml", lambda p: p.startswith("lxml/")),
    ("qt-material (thèmes, polices)", lambda p: p.startswith("qt_material/")),
    ("Métadonnées et licences des paquets", lambda p: ".dist-info/" in p),
    ("Bibliothèques système", lambda p: "/" not in p and ".so" in p or p.endswith((".dll", ".dylib"))),
]
OTHER = "Autres paquets Python"


def component_of(relative: str) -> str:
    for name, test in COMPONENTS:
        if test(relative):
            return name
    return OTHER


def sizes(folder: Path) -> Counter:
    """Bytes by component (files' own sizes; a symbolic link weighs nothing)."""
    folder = Path(folder)
    internal = folder / "_internal"
    base = internal if internal.is_dir() else folder
    totals: Counter = Counter()
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        relative = PurePosixPath(os.path.relpath(path, base).replace(os.sep, "/")).as_posix()
        totals[component_of(relative)] += path.stat().st_size
    return totals


def table(totals: Counter) -> str:
    total = sum(totals.values())
    lines = [f"{'Composant':40} {'Mo':>8} {'part':>6}"]
    for name, size in totals.most_common():
        lines.append(f"{name:40} {size / 1e6:8.1f} {size / total:6.1%}")
    lines.append(f"{'Total':40} {total / 1e6:8.1f}")
    return "\n".join(lines)


def build(workdir: Path) -> Path:
    """Build the folder from the spec into workdir (as make installer does); its path."""
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(workdir / "dist"), "--workpath", str(workdir / "build"),
                    str(ROOT / "build_installer.spec")], check=True, cwd=ROOT)
    return workdir / "dist" / "BonsJours"


def figure(folder: Path, note_extra: str = "") -> dict:
    totals = sizes(folder)
    top = ", ".join(f"{name} {size / 1e6:.0f}" for name, size in totals.most_common(5))
    return {"name": "installer_size", "unit": "Mo", "value": round(sum(totals.values()) / 1e6, 1),
            "target": TARGET_MB, "target_is_ratio": False, "baseline": None, "minimum": None, "maximum": None,
            "runs": 1, "note": f"dossier BonsJours (Mo) ; plus gros composants : {top}{note_extra}"}


def figures(runs: int, factor: float = 1.0, folder: Path | None = None) -> list[dict]:
    """The "installer_size" figure (one measure: a size does not vary from run to run)."""
    candidates = [folder, os.environ.get("BONSJOURS_INSTALLER_DIR"), ROOT / "dist" / "BonsJours"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "_internal").is_dir():
            return [figure(Path(candidate))]
    if factor < 1:
        return []
    with tempfile.TemporaryDirectory(prefix="bonsjours-installer-") as tmp:
        return [figure(build(Path(tmp)), " (construit pour la mesure)")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Taille du dossier BonsJours par composant.")
    parser.add_argument("folder", nargs="?", default=str(ROOT / "dist" / "BonsJours"))
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"Dossier introuvable : {folder} (make installer le construit).")
        return 1
    print(table(sizes(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
