"""qt-material theme, light by default, dark on request; a few app-specific touches on top."""

from __future__ import annotations

import contextlib
import io
import logging

from PySide6.QtWidgets import QApplication

LIGHT = "light_blue.xml"
DARK = "dark_teal.xml"
EXTRA = {"density_scale": "-1", "font_family": "DejaVu Sans, Segoe UI, Arial"}


def apply_theme(app: QApplication, dark: bool = False) -> None:
    from qt_material import apply_stylesheet

    # qt-material prints font notices on stdout; keep the CLI's output clean.
    logging.getLogger("qt_material").setLevel(logging.ERROR)
    with contextlib.redirect_stdout(io.StringIO()):
        apply_stylesheet(app, theme=DARK if dark else LIGHT, invert_secondary=not dark, extra=EXTRA)
    app.setProperty("bonsjours_dark", dark)
