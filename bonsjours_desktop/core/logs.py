"""Log file in the data folder: unexpected errors are written there with their details."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .db import data_dir

_handler: logging.Handler | None = None
_handler_path: Path | None = None


def log_file() -> Path:
    return data_dir() / "bonsjours.log"


def setup_logging() -> Path:
    """Send log records to the data folder's log file (re-pointed if the data folder changed)."""
    global _handler, _handler_path
    path = log_file()
    if path != _handler_path:
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        _handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _handler.setLevel(logging.WARNING)
        root.addHandler(_handler)
        if root.level > logging.WARNING or root.level == logging.NOTSET:
            root.setLevel(logging.WARNING)
        _handler_path = path
    return path
