"""PySide6 answers its « does this module use PySide6? » question without keeping every module's source."""

import linecache
import sys

from bonsjours_desktop.ui import app  # noqa: F401 - installs the lighter question, as the GUI's start does


def test_modules_imported_after_pyside_are_not_kept_in_linecache(tmp_path, monkeypatch):
    feature = sys.modules["shibokensupport.feature"]
    (tmp_path / "bj_probe_with_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n", encoding="utf-8")
    (tmp_path / "bj_probe_without_qt.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("bj_probe_with_qt", "bj_probe_without_qt"):
        sys.modules.pop(name, None)
        feature.pyside_feature_dict.pop(name, None)
    with_qt = __import__("bj_probe_with_qt")  # through PySide's import hook, as an import statement
    without_qt = __import__("bj_probe_without_qt")
    assert with_qt.VALUE == 1 and without_qt.VALUE == 2
    # PySide's answer is unchanged: 0 (uses PySide6, default features), -1 (does not)…
    assert feature.pyside_feature_dict["bj_probe_with_qt"] == 0
    assert feature.pyside_feature_dict["bj_probe_without_qt"] == -1
    # … and neither source stays in memory (PySide's inspect.getsource left both in linecache).
    assert str(tmp_path / "bj_probe_with_qt.py") not in linecache.cache
    assert str(tmp_path / "bj_probe_without_qt.py") not in linecache.cache
    for name in ("bj_probe_with_qt", "bj_probe_without_qt"):
        sys.modules.pop(name, None)
