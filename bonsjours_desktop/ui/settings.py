"""The user's settings file (reglages.ini in the data folder): theme, last edition, window and table layouts."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    from ..core.db import data_dir

    return QSettings(str(data_dir() / "reglages.ini"), QSettings.IniFormat)
