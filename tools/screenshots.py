"""Every tab of the window, as the coordinator sees it: on the demo (with its living example edition) and on
an empty base, in the light and the dark theme, at 1366×768 and 1920×1080.

    .venv/bin/python tools/screenshots.py OUT_DIR [--today AAAA-MM-JJ] [--tabs Budget,Planning]

Writes OUT_DIR/<base>-<theme>-<size>-<tab>.png (offscreen Qt, a private data folder: the user's own
settings are not touched) and prints one line per picture. The pictures are for people to look at; the
tests check the same screens by their contents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = ((1366, 768), (1920, 1080))
THEMES = (("clair", False), ("sombre", True))


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--tabs", default="", help="onglets à capturer, séparés par des virgules (défaut : tous)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bonsjours-captures-"))
    os.environ["BONSJOURS_DATA_DIR"] = str(work / "donnees")
    (work / "donnees").mkdir()

    from bonsjours_desktop.core import clock
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.demo import load_demo
    from bonsjours_desktop.core.operations import OperationRunner
    from bonsjours_desktop.ui.app import application, create_main_window, release_window

    if args.today:
        clock.set_today(args.today)
    app = application()
    from bonsjours_desktop.ui.theme import apply_theme

    apply_theme(app, False)  # as `bonsjours gui` starts; the dark one through the window's own action
    bases = {}
    for name in ("demo", "vide"):
        db = open_database(str(work / f"{name}.sqlite"))
        if name == "demo":
            OperationRunner(db).run("Exemple", lambda s: load_demo(s))
        bases[name] = db
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = [t.strip() for t in args.tabs.split(",") if t.strip()]
    for base_name, db in bases.items():
        for theme_name, dark in THEMES:
            for width, height in SIZES:
                window = create_main_window(db)
                window.action_dark.setChecked(dark)
                window.resize(width, height)
                window.show()
                for title in wanted or window.tab_titles():
                    window.show_tab(title)
                    for _ in range(5):
                        app.processEvents()
                    target = args.out / f"{base_name}-{theme_name}-{width}x{height}-{slug(title)}.png"
                    window.grab().save(str(target), "PNG")
                    print(target)
                release_window(app, window)
    for db in bases.values():
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
