"""Today's date, overridable (--today, tests, screenshots) so date-dependent views are reproducible."""

from __future__ import annotations

import datetime as dt
from typing import Optional

_override: Optional[dt.date] = None


def today() -> dt.date:
    return _override or dt.date.today()


def set_today(day: Optional[dt.date]) -> None:
    global _override
    _override = day
