"""Planning part of the example: the 2013 tasks of the sheet as the first edition's planning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Edition, Task, TaskDependency
from . import base

FIRST_DAY_2013 = dt.date(2013, 11, 13)

def load(session: Session, context: dict[str, Any]) -> None:
    """Built-in template, and the 2013 links the event days overlap stated as overlaps (negative lags)."""
    from ..planning import ensure_builtin_template, required_start

    ensure_builtin_template(session)
    nov = session.scalars(select(Edition).filter_by(name=base.NOV_2013)).first()
    if nov is None:
        return
    links = session.scalars(
        select(TaskDependency).join(Task, Task.id == TaskDependency.successor_id).where(Task.edition_id == nov.id)
    ).all()
    for link in links:
        if link.successor.start < required_start(link.predecessor, link.lag_days):
            # In 2013 the campaign ran through the event days, and the web page was made while the
            # supports were finished: the sheet's dates are facts, so the link records the overlap.
            link.lag_days = (link.successor.start - link.predecessor.end).days - 1
    session.flush()
