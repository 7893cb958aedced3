"""qt-material theme (with the house style of ui/style.py), light by default, dark on request: style
sheets built once per theme and set on the window's pieces, a palette for what no style sheet reaches
(tooltips), and a signal for the views that paint their own colours (Gantt, map, charts).

Why not qt-material's apply_stylesheet on the application at each switch: Qt re-polishes every widget
once per ancestor when the application's style sheet changes (QStyleSheetStyle::repolish recurses into
the children of every cached widget), so with the nine tabs built (~1 400 widgets) a switch took 2–5 s
(6–16 s on a loaded machine), and every widget ever created — closed windows not yet deleted included —
paid its share. Set on the pieces of the main window (menu bar, tool bar, status bar, tab bar, each tab
page, each dialog), a switch re-styles what is on screen once (about 0.1–0.3 s) and a hidden tab when
it is next shown. The application keeps no style sheet: one on top of the pieces' would bring the slow
path back (measured: 4–7 s for a three-rule application sheet).
"""

from __future__ import annotations

import contextlib
import io
import logging
import weakref
from typing import Optional

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

LIGHT = "light_blue.xml"
DARK = "dark_teal.xml"
EXTRA = {"density_scale": "-1", "font_family": "DejaVu Sans, Segoe UI, Arial"}


class ThemeNotifier(QObject):
    """changed(dark) after a switch: charts, the Gantt and the map repaint in the theme's colours."""

    changed = Signal(bool)


_NOTIFIER: Optional[ThemeNotifier] = None
_SHEETS: dict[bool, str] = {}


def notifier() -> ThemeNotifier:
    global _NOTIFIER
    if _NOTIFIER is None:
        _NOTIFIER = ThemeNotifier()
    return _NOTIFIER


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property("bonsjours_dark"))


def _icons_folder(dark: bool) -> str:
    """qt-material deletes and rewrites its icon folder (~/.qt_material/<parent>) on every call: two
    processes sharing one folder (two windows starting, parallel tests) removed each other's icons
    (« No such file … downarrow.svg »). One folder per process and theme, written once, removed at exit;
    those of processes that no longer run are removed too."""
    import atexit
    import os
    import shutil
    from pathlib import Path

    from qt_material.resources import RESOURCES_PATH

    name = f"bonsjours-{os.getpid()}-{'sombre' if dark else 'clair'}"
    for stale in Path(RESOURCES_PATH).glob("bonsjours-*"):
        pid = stale.name.split("-")[1]
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


def stylesheet(dark: bool) -> str:
    """The theme's style sheet, built once per process (with its icons, in a folder of its own)."""
    cached = _SHEETS.get(dark)
    if cached is not None:
        return cached
    from pathlib import Path

    from qt_material import build_stylesheet
    from qt_material.resources import RESOURCES_PATH

    # qt-material prints font notices on stdout; keep the CLI's output clean.
    logging.getLogger("qt_material").setLevel(logging.ERROR)
    folder = _icons_folder(dark)
    app = QApplication.instance()
    palette = QPalette(app.palette()) if app is not None else None
    with contextlib.redirect_stdout(io.StringIO()):
        sheet = build_stylesheet(DARK if dark else LIGHT, invert_secondary=not dark, extra=dict(EXTRA), parent=folder)
    if app is not None and palette is not None:
        app.setPalette(palette)  # build_stylesheet changes the application's palette; ours is set apart
    # Absolute icon paths: each theme's sheet points at its own icons, whatever the "icon:" search path.
    sheet = (sheet or "").replace("icon:/", (Path(RESOURCES_PATH) / folder).as_posix() + "/")
    from .style import house_stylesheet

    sheet += house_stylesheet(DARK if dark else LIGHT, dark)
    _SHEETS[dark] = sheet
    return sheet


def palette(dark: bool) -> QPalette:
    """Colours for what the style sheet does not reach: tooltips, dialogs without a parent, custom views."""
    if dark:
        window, base, alternate, text, button = "#232629", "#31363b", "#2b3035", "#f0f0f0", "#3b4148"
        highlight, highlighted_text, tip, tip_text, mid = "#1de9b6", "#000000", "#4f5b62", "#ffffff", "#6b757d"
    else:
        window, base, alternate, text, button = "#f5f5f5", "#ffffff", "#f2f4f7", "#1f2933", "#e6e6e6"
        highlight, highlighted_text, tip, tip_text, mid = "#2979ff", "#ffffff", "#ffffff", "#1f2933", "#a0a7b0"
    result = QPalette()
    for role, colour in ((QPalette.Window, window), (QPalette.Base, base), (QPalette.AlternateBase, alternate),
                         (QPalette.WindowText, text), (QPalette.Text, text), (QPalette.Button, button),
                         (QPalette.ButtonText, text), (QPalette.Highlight, highlight),
                         (QPalette.HighlightedText, highlighted_text), (QPalette.ToolTipBase, tip),
                         (QPalette.ToolTipText, tip_text), (QPalette.Mid, mid), (QPalette.BrightText, "#ffffff"),
                         (QPalette.PlaceholderText, mid)):
        result.setColor(role, QColor(colour))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        result.setColor(QPalette.Disabled, role, QColor(mid))
    return result


class _LazyStyle(QObject):
    """Event filter of the themed widgets: one hidden at a switch (a tab not shown, a closed dialog)
    takes the current theme when it is next shown, so a switch costs what is on screen."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Show and watched.property(SHEET_DARK) != is_dark():
            _apply(watched)
        return False


_LAZY: Optional[_LazyStyle] = None
_THEMED: "weakref.WeakSet[QWidget]" = weakref.WeakSet()
SHEET_DARK = "bonsjours_sheet_dark"  # which theme the widget's style sheet holds
EXTRA_SHEET = "bonsjours_extra_sheet"  # rules of the widget's own, kept after the theme's


def _apply(widget: QWidget) -> None:
    dark = is_dark()
    widget.setStyleSheet(stylesheet(dark) + (widget.property(EXTRA_SHEET) or ""))
    widget.setProperty(SHEET_DARK, dark)


def style_widget(widget: QWidget, extra: str = "") -> None:
    """Give widget (and what it contains) the theme's style sheet, and follow later switches.

    The application carries no style sheet (see the module's note): a window is themed piece by piece
    (menu bar, tool bars, tab bar, each tab page, its dialogs), so that a switch re-styles the pieces
    shown now and the others when they are shown."""
    global _LAZY
    if _LAZY is None:
        _LAZY = _LazyStyle()
    if extra:
        widget.setProperty(EXTRA_SHEET, extra)
    if widget not in _THEMED:
        _THEMED.add(widget)
        widget.installEventFilter(_LAZY)
    _apply(widget)


def style_window(widget: QWidget) -> None:
    """A top-level widget themed as a whole (a dialog without parent, a window of tests)."""
    style_widget(widget)


def themed_widgets() -> list[QWidget]:
    import shiboken6

    return [w for w in list(_THEMED) if shiboken6.isValid(w)]


def apply_theme(app: QApplication, dark: bool = False) -> None:
    """Start-up or switch: the palette, the style sheet of the themed pieces on screen (the hidden ones
    follow when shown), then changed(dark)."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # costs a re-polish of every widget: once, at start-up
    stylesheet(dark)
    app.setProperty("bonsjours_dark", dark)
    if app.styleSheet():
        app.setStyleSheet("")  # a style sheet left by an older start-up (see the module's note)
    app.setPalette(palette(dark))
    for widget in themed_widgets():
        if widget.isVisible():
            _apply(widget)
    notifier().changed.emit(dark)


def switch_theme(app: QApplication, dark: bool) -> None:
    """The switch asked from the menu: a busy cursor while the windows are re-styled."""
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        apply_theme(app, dark)
    finally:
        QApplication.restoreOverrideCursor()
