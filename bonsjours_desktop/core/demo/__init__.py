"""The Maine-et-Loire 2013–2014 example data; each area adds its part, in order, idempotently."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from . import base, budget, planning
from . import living as living_part
from . import logistics as logistics_part
from . import partners as partners_part
from . import review

# Each part's load(session, context) runs after base.load and may read what base returned.
# Review comes last: its example results and April budget only fill what earlier parts left empty.
PARTS: list[Any] = [planning, partners_part, budget, logistics_part, review]


def load_demo(session: Session, living: bool = True) -> dict[str, Any]:
    """Fill the session with the whole example; running it twice duplicates nothing.

    living adds the example edition placed relative to today (demo/living.py); the test fixtures leave
    it out so that the prepared demo does not depend on the day the tests run."""
    context = base.load(session)
    for part in PARTS:
        part.load(session, context)
    if living:
        living_part.load(session, context)
    session.flush()
    return context
