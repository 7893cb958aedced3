"""Planning part of the example: the built-in template (the sheet's 2013 planning as offsets from the event day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Edition, Task, TaskDependency
from . import base

FIRST_DAY_2013 = dt.date(2013, 11, 13)

BUILTIN_TEMPLATE_NOTES = (
    "Le planning de la 1re édition (novembre 2013) tel que le décrit la fiche « Les bons jours de "
    "l'occasion », exprimé en décalages par rapport au premier jour de l'évènement (J). "
    "Les périodes que la fiche donne au mois près sont ancrées en mois."
)

# Titles that named the 2013 dates are made general for a template.
_TEMPLATE_TITLES = {
    0: "Définition du thème à développer pour l'évènement",
    8: "Évènement « Les bons jours de l'occasion » (jours J)",
}
# The sheet gives these periods to the month ("octobre-décembre 2012", "1er trimestre 2013"):
# months keep them at the same place in the calendar whatever the event's day of the month.
_MONTH_OFFSETS = {0: -13, 1: -10}


def builtin_template_specs():
    """The 2013 planning of the sheet as template tasks (offsets from J = 13 November 2013)."""
    from ..planning import TemplateTaskSpec, add_months

    # Where each task lands for J = 13 Nov 2013, so links get the lag (0, or the overlap the
    # sheet's dates had) that keeps the template free of violated dependencies.
    starts = {
        index: add_months(FIRST_DAY_2013, _MONTH_OFFSETS[index]) if index in _MONTH_OFFSETS else row[1]
        for index, row in enumerate(base.TASKS_2013)
    }
    ends = {index: starts[index] + (row[2] - row[1]) for index, row in enumerate(base.TASKS_2013)}
    specs = []
    for index, (title, start, end, milestone, owner, phase, preds) in enumerate(base.TASKS_2013):
        deps = tuple((p, min(0, (starts[index] - ends[p]).days - 1)) for p in preds)
        if index in _MONTH_OFFSETS:
            offset, unit = _MONTH_OFFSETS[index], "mois"
        else:
            offset, unit = (start - FIRST_DAY_2013).days, "jours"
        specs.append(TemplateTaskSpec(
            _TEMPLATE_TITLES.get(index, title), offset, unit, (end - start).days, milestone, phase, owner, deps,
        ))
    return specs


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
