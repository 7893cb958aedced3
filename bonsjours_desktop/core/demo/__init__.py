"""The Maine-et-Loire 2013–2014 example data; each area adds its part, in order, idempotently."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from . import base, partners

# Each part's load(session, context) runs after base.load and may read what base returned.
PARTS: list[Any] = [partners]


def load_demo(session: Session) -> dict[str, Any]:
    """Fill the session with the whole example; running it twice duplicates nothing."""
    context = base.load(session)
    for part in PARTS:
        part.load(session, context)
    session.flush()
    return context
