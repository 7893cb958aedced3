"""Planning: tasks, milestones and dependencies of an edition's retro-planning."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Task


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    start: dt.date
    end: dt.date
    milestone: bool
    owner: str
    phase: str
    status: str
    progress: int
    anchor_offset: Optional[int]
    anchor_unit: Optional[str]
    position: int


def list_task_rows(session: Session, edition_id: int) -> list[TaskRow]:
    tasks = session.scalars(
        select(Task).where(Task.edition_id == edition_id).options(selectinload(Task.owner)).order_by(Task.start, Task.position)
    )
    return [
        TaskRow(t.id, t.title, t.start, t.end, t.milestone, t.owner.name if t.owner else "", t.phase, t.status,
                t.progress, t.anchor_offset, t.anchor_unit, t.position)
        for t in tasks
    ]
