"""PySide6 without the source of every module imported after it kept in memory (imported first by ui.app)."""

from __future__ import annotations

import sys

import PySide6.QtCore  # noqa: F401 - PySide's import hook and its support module exist from here on


def read_no_source_for_pyside_features() -> bool:
    """Stop PySide from keeping the source of every module imported after it.

    Once imported, PySide6 asks of each newly imported module whether its source names « PySide6 » (for
    its optional `from __feature__ import …`), through inspect.getsource: the lines of every module stay
    in linecache for the life of the process, ~640 files and 14 Mo with every tab open (SQLAlchemy,
    pyqtgraph, numpy, the app). The same question is answered here by reading the file's bytes, which
    nothing keeps. True when installed (PySide's support module as expected)."""
    feature = sys.modules.get("shibokensupport.feature")
    asked = getattr(feature, "_mod_uses_pyside", None)
    if asked is None or getattr(asked, "reads_bytes", False):
        return asked is not None

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return asked(module)  # extension, frozen or source-less module: PySide's own answer
        try:
            with open(path, "rb") as handle:
                return b"PySide6" in handle.read()
        except OSError:
            return False

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
    return True


read_no_source_for_pyside_features()
