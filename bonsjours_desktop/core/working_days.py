"""Working days for the planning: Monday to Friday except French public holidays (the `holidays` package,
shipped with its data), and the event's own days. A bar dragged on the Gantt chart lands on them when the
setting « Caler les tâches sur les jours ouvrés » is on (the default).

Where a drop lands: at the nearest position whose first and last days are working days (a start dropped
on a Saturday comes back to Friday, on a Sunday goes on to Monday); at equal distance, further in the
direction of the drag. A resized bar keeps its start, its end goes to the nearest working day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Collection

from sqlalchemy.orm import Session

SETTING_KEY = "planning_working_days"
SEARCH_DAYS = 14  # how far a drop may move to find working days (two weeks of holidays, then give up)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[dt.date, str]:
    """French public holidays of a year, with their French names."""
    import holidays

    return dict(holidays.France(years=year, language="fr"))


def is_working_day(day: dt.date, extra: Collection[dt.date] = ()) -> bool:
    """Monday to Friday and not a public holiday; the days in extra (the event's days) always are."""
    return day in extra or (day.weekday() < 5 and day not in public_holidays(day.year))


def _candidates(delta: int, direction: int):
    yield delta
    first = 1 if direction >= 0 else -1
    for k in range(1, SEARCH_DAYS + 1):
        yield delta + first * k
        yield delta - first * k


def snap_move(start: dt.date, end: dt.date, delta: int, extra: Collection[dt.date] = ()) -> tuple[dt.date, dt.date]:
    """The dates of a bar start..end moved by about delta days, both ends on working days (see the module)."""
    one_day = dt.timedelta(days=1)
    for shift in _candidates(delta, delta):
        new_start, new_end = start + shift * one_day, end + shift * one_day
        if is_working_day(new_start, extra) and is_working_day(new_end, extra):
            return new_start, new_end
    for shift in _candidates(delta, delta):  # no room for both ends: at least the start
        if is_working_day(start + shift * one_day, extra):
            return start + shift * one_day, end + shift * one_day
    return start + delta * one_day, end + delta * one_day


def snap_end(start: dt.date, end: dt.date, delta: int, extra: Collection[dt.date] = ()) -> dt.date:
    """The end of a bar resized by about delta days: the nearest working day, never before start."""
    one_day = dt.timedelta(days=1)
    for shift in _candidates(delta, delta):
        new_end = end + shift * one_day
        if new_end >= start and is_working_day(new_end, extra):
            return new_end
    return max(start, end + delta * one_day)


def snap_enabled(session: Session) -> bool:
    """The setting « Caler les tâches sur les jours ouvrés » (on unless turned off)."""
    from .reference import get_setting

    return get_setting(session, SETTING_KEY, "1") != "0"


def set_snap_enabled(session: Session, enabled: bool) -> None:
    from .reference import set_setting

    set_setting(session, SETTING_KEY, "1" if enabled else "0")
