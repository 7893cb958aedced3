"""Theme switch with the demo and every tab built (issue #21, item 11: ≤ 1 s, with a busy cursor).

Run alone: `QT_QPA_PLATFORM=offscreen python -m benchmarks.theme_switch [runs]`; `benchmarks/run.py` calls
figures(). theme_switch is the menu's switch (Affichage → Thème sombre) until the window has repainted;
its same-run baseline is the former way, qt-material's apply_stylesheet on the whole application.
theme_switch_every_tab adds the first showing of each of the other tabs after the switch (a hidden tab
takes the new theme when shown).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 1000.0


def _stats(times: list[float]) -> dict:
    return {"value": round(statistics.median(times), 1), "minimum": round(min(times), 1),
            "maximum": round(max(times), 1), "runs": len(times)}


def _window(folder: Path):
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.demo import load_demo
    from bonsjours_desktop.core.operations import OperationRunner
    from bonsjours_desktop.ui.app import application, create_main_window
    from bonsjours_desktop.ui.main_window import TAB_SPECS
    from bonsjours_desktop.ui.theme import apply_theme

    os.environ["BONSJOURS_DATA_DIR"] = str(folder / "donnees")
    app = application()
    apply_theme(app, False)
    database = open_database(str(folder / "demo.sqlite"))
    OperationRunner(database).run("Charger l'exemple", lambda s: load_demo(s) and None, undoable=False)
    window = create_main_window(database)
    window.resize(1366, 768)
    window.show()
    for title, _module, _cls in TAB_SPECS:
        window.show_tab(title)
        app.processEvents()
    window.show_tab("Planning")
    app.processEvents()
    return app, window, database


def figures(runs: int, factor: float = 1.0) -> list[dict]:
    """theme_switch and theme_switch_every_tab in ms (medians of runs switches), baseline: the former way."""
    from bonsjours_desktop.ui.main_window import TAB_SPECS

    runs = max(2, runs)
    with tempfile.TemporaryDirectory(prefix="bonsjours-theme-") as temporary:
        app, window, database = _window(Path(temporary))
        try:
            widgets = len(app.allWidgets())
            switch, every_tab, visits = [], [], []
            for _ in range(runs):  # showing every tab without a switch: the baseline of theme_switch_every_tab
                start = time.perf_counter()
                for title, _module, _cls in TAB_SPECS:
                    window.show_tab(title)
                    window.repaint()
                app.processEvents()
                visits.append((time.perf_counter() - start) * 1000)
                window.show_tab("Planning")
                app.processEvents()
            dark = False
            for _ in range(runs):
                dark = not dark
                start = time.perf_counter()
                window.action_dark.setChecked(dark)
                window.repaint()
                app.processEvents()
                switch.append((time.perf_counter() - start) * 1000)
                for title, _module, _cls in TAB_SPECS:
                    window.show_tab(title)
                    window.repaint()
                app.processEvents()
                every_tab.append((time.perf_counter() - start) * 1000)
                window.show_tab("Planning")
                app.processEvents()
            baseline = _former_switch(app, window, max(2, min(runs, 3)))
        finally:
            window.close()
            window.deleteLater()
            from PySide6.QtCore import QCoreApplication, QEvent

            QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
            database.dispose()
    note = (f"démo chargée, les 9 onglets construits ({widgets} widgets), fenêtre 1366×768 ; référence : "
            "l'ancienne bascule (feuille de style qt-material posée sur toute l'application)")
    return [
        {"name": "theme_switch", "unit": "ms", "target": TARGET_MS, "target_is_ratio": False,
         "baseline": baseline, "note": f"Bascule clair/sombre jusqu'au premier affichage ; {note}", **_stats(switch)},
        {"name": "theme_switch_every_tab", "unit": "ms", "target": TARGET_MS * 2, "target_is_ratio": False,
         "baseline": round(statistics.median(visits), 1),
         "note": "Bascule puis premier affichage de chacun des 9 onglets (un onglet caché prend le thème quand "
                 "il s'affiche) ; référence : afficher les 9 onglets sans bascule", **_stats(every_tab)},
    ]


def _former_switch(app, window, runs: int) -> float:
    """Median ms of the former switch: qt-material's apply_stylesheet on the application."""
    import atexit
    import contextlib
    import io
    import shutil

    from qt_material import apply_stylesheet
    from qt_material.resources import RESOURCES_PATH

    from bonsjours_desktop.ui import theme

    for widget in theme.themed_widgets():  # as before: no style sheet but the application's
        widget.setStyleSheet("")
    folder = f"bonsjours-{os.getpid()}-ancien"
    atexit.register(shutil.rmtree, Path(RESOURCES_PATH) / folder, True)
    times = []
    dark = True
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            apply_stylesheet(app, theme=theme.DARK if dark else theme.LIGHT, invert_secondary=not dark,
                             extra=dict(theme.EXTRA), parent=folder)
        window.repaint()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
        dark = not dark
    app.setStyleSheet("")
    return round(statistics.median(times), 1)


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    for figure in figures(runs):
        base = f" (référence {figure['baseline']} ms)" if figure["baseline"] else ""
        print(f"{figure['name']}: {figure['value']} ms médiane, {figure['minimum']}–{figure['maximum']} ms, "
              f"{figure['runs']} bascules, cible ≤ {figure['target']:.0f} ms{base}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
