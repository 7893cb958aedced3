"""qt-material theme, light by default, dark on request; a few app-specific touches on top."""

from __future__ import annotations

import contextlib
import io
import logging

from PySide6.QtWidgets import QApplication

LIGHT = "light_blue.xml"
DARK = "dark_teal.xml"
EXTRA = {"density_scale": "-1", "font_family": "DejaVu Sans, Segoe UI, Arial"}


def _icons_folder() -> str:
    """qt-material deletes and rewrites its icon folder (~/.qt_material/<parent>) on every call: two
    processes sharing one folder (two windows starting, parallel tests) removed each other's icons
    (« No such file … downarrow.svg »). One folder per process, removed at exit; those of processes
    that no longer run are removed too."""
    import atexit
    import os
    import shutil
    from pathlib import Path

    from qt_material.resources import RESOURCES_PATH

    name = f"bonsjours-{os.getpid()}"
    for stale in Path(RESOURCES_PATH).glob("bonsjours-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    if name not in _REGISTERED:
        _REGISTERED.add(name)
        atexit.register(shutil.rmtree, Path(RESOURCES_PATH) / name, True)
    return name


_REGISTERED: set[str] = set()


def _running(pid: int) -> bool:
    import os

    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate the process there: stale folders stay (a few kB)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else — leave it
    return True


def apply_theme(app: QApplication, dark: bool = False) -> None:
    from qt_material import apply_stylesheet

    # qt-material prints font notices on stdout; keep the CLI's output clean.
    logging.getLogger("qt_material").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        apply_stylesheet(app, theme=DARK if dark else LIGHT, invert_secondary=not dark, extra=EXTRA,
                         parent=_icons_folder())
    from .style import house_stylesheet

    app.setStyleSheet(app.styleSheet() + house_stylesheet(DARK if dark else LIGHT, dark))
    app.setProperty("bonsjours_dark", dark)
