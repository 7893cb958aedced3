"""Planning: tasks, milestones and dependencies of an edition's retro-planning, anchored to the event day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from .errors import ConflictError, NotFoundError, ValidationError, get_or_raise, not_found_message
from .formatting import date_abbr
from .models import (
    TASK_STATUSES,
    Edition,
    EventDay,
    Organisation,
    PlanningTemplate,
    PlanningTemplateTask,
    Task,
    TaskDependency,
)
from .validation import clean_text
from .versions import RowSnapshot, editable, editables, seen

DONE = "terminée"
MAX_LAG_DAYS = 3650


# --- Offsets "J-13 mois" ------------------------------------------------------------------------

_OFFSET_RE = re.compile(
    r"^\s*j\s*(?:(?P<sign>[+\-−–])\s*(?P<value>\d{1,4})\s*(?P<unit>jours?|j|mois|m)?)?\s*$", re.IGNORECASE
)


def parse_offset(text: str, field_name: str = "anchor") -> tuple[int, str]:
    """'J-13 mois' → (-13, 'mois'); 'J+2 mois' → (2, 'mois'); 'J-30 jours' / 'J-30' → (-30, 'jours'); 'J' → (0, 'jours')."""
    match = _OFFSET_RE.match(text or "")
    if not match:
        raise ValidationError(
            {field_name: f"Ancrage « {text} » illisible : écrivez par exemple « J-13 mois », « J-30 jours » ou « J+2 mois »."}
        )
    if match.group("sign") is None:
        return 0, "jours"
    value = int(match.group("value"))
    if match.group("sign") != "+":
        value = -value
    unit_text = (match.group("unit") or "jours").lower()
    unit = "mois" if unit_text.startswith("m") else "jours"
    return value, unit


def format_offset(offset: Optional[int], unit: Optional[str]) -> str:
    """(-13, 'mois') → 'J-13 mois'; (-1, 'jours') → 'J-1 jour'; (0, ...) → 'J'; None → ''."""
    if offset is None:
        return ""
    if offset == 0:
        return "J"
    unit = unit or "jours"
    sign = "+" if offset > 0 else "-"
    if unit == "jours":
        word = "jour" if abs(offset) == 1 else "jours"
    else:
        word = "mois"
    return f"J{sign}{abs(offset)} {word}"


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the day is clamped to the month's end (31 janv. + 1 mois → 28/29 févr.)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def apply_offset(first_day: dt.date, offset: int, unit: str) -> dt.date:
    if unit == "mois":
        return add_months(first_day, offset)
    return first_day + dt.timedelta(days=offset)


def offset_for(first_day: dt.date, start: dt.date, preferred_unit: Optional[str]) -> tuple[int, str]:
    """The offset that puts start back on itself: whole months when the unit was months and it still fits."""
    if preferred_unit == "mois":
        months = (start.year - first_day.year) * 12 + (start.month - first_day.month)
        for candidate in (months, months - 1, months + 1):
            if add_months(first_day, candidate) == start:
                return candidate, "mois"
    return (start - first_day).days, "jours"


# --- Rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    """One task or milestone as the planning views show it."""

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
    owner_id: Optional[int] = None
    notes: str = ""
    # (predecessor id, lag in days)
    predecessors: tuple[tuple[int, int], ...] = ()
    # The row as loaded: update, move, status and delete services take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def anchor(self) -> str:
        return format_offset(self.anchor_offset, self.anchor_unit)

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def duration_days(self) -> int:
        """Days covered, both ends included."""
        return (self.end - self.start).days + 1

    def is_late(self, today: dt.date) -> bool:
        return is_late(self.end, self.status, today)


@dataclass(frozen=True)
class DependencyRow:
    id: int
    predecessor_id: int
    successor_id: int
    lag_days: int


@dataclass(frozen=True)
class PlanningSnapshot:
    """Everything the chart and the exports need about one edition's planning."""

    edition_id: int
    edition_name: str
    event_days: tuple[dt.date, ...]
    tasks: tuple[TaskRow, ...]
    dependencies: tuple[DependencyRow, ...]

    @property
    def first_day(self) -> Optional[dt.date]:
        return self.event_days[0] if self.event_days else None

    def task(self, task_id: int) -> Optional[TaskRow]:
        for row in self.tasks:
            if row.id == task_id:
                return row
        return None


def is_late(end: dt.date, status: str, today: dt.date) -> bool:
    """Not finished and its end day is past: the one « en retard » rule of the Planning tab, the Gantt
    chart and print, and the dashboard."""
    return end < today and status != DONE


def _row(task: Task) -> TaskRow:
    return TaskRow(
        task.id, task.title, task.start, task.end, task.milestone, task.owner.name if task.owner else "",
        task.phase, task.status, task.progress, task.anchor_offset, task.anchor_unit, task.position,
        task.owner_organisation_id, task.notes,
        tuple(sorted((d.predecessor_id, d.lag_days) for d in task.predecessors)),
        seen(task),
    )


def task_row(session: Session, task_id: int) -> TaskRow:
    """One task as the form shows it (with its version)."""
    return _row(_task(session, task_id))


def list_task_rows(session: Session, edition_id: int) -> list[TaskRow]:
    tasks = session.scalars(
        select(Task)
        .where(Task.edition_id == edition_id)
        .options(selectinload(Task.owner), selectinload(Task.predecessors))
        .order_by(Task.start, Task.position, Task.id)
    )
    return [_row(t) for t in tasks]


def planning_snapshot(session: Session, edition_id: int) -> PlanningSnapshot:
    edition = _edition(session, edition_id)
    rows = list_task_rows(session, edition_id)
    ids = [r.id for r in rows]
    deps = []
    if ids:
        deps = [
            DependencyRow(d.id, d.predecessor_id, d.successor_id, d.lag_days)
            for d in session.scalars(
                select(TaskDependency).join(Task, Task.id == TaskDependency.successor_id)
                .where(Task.edition_id == edition_id).order_by(TaskDependency.id)
            )
        ]
    days = tuple(d.day for d in sorted(edition.event_days, key=lambda d: d.day))
    return PlanningSnapshot(edition.id, edition.name, days, tuple(rows), tuple(deps))


@dataclass(frozen=True)
class OwnerChoice:
    id: int
    name: str
    kind: str


def list_owner_choices(session: Session) -> list[OwnerChoice]:
    """Organisations that may own a task; the Département's services first."""
    organisations = session.scalars(select(Organisation))
    choices = [OwnerChoice(o.id, o.name, o.kind) for o in organisations]
    return sorted(choices, key=lambda c: (c.kind != "service du Département", c.name.casefold()))


def list_phases(session: Session, edition_id: Optional[int] = None) -> list[str]:
    query = select(Task.phase).distinct()
    if edition_id is not None:
        query = query.where(Task.edition_id == edition_id)
    return sorted({p for p in session.scalars(query) if p}, key=str.casefold)


# --- Tasks --------------------------------------------------------------------------------------


@dataclass
class TaskData:
    """What a task form sends: anchor is '' (not anchored) or an offset such as 'J-30 jours'."""

    title: str
    start: Optional[dt.date]
    end: Optional[dt.date] = None
    milestone: bool = False
    owner_id: Optional[int] = None
    phase: str = ""
    status: str = "à faire"
    progress: int = 0
    notes: str = ""
    anchor: str = ""
    # None: leave the dependencies as they are; else [(predecessor id, lag days)].
    predecessors: Optional[list[tuple[int, int]]] = None


def _edition(session: Session, edition_id: int) -> Edition:
    edition = get_or_raise(session, Edition, edition_id)
    return edition


def _task(session: Session, task_id: int) -> Task:
    task = get_or_raise(session, Task, task_id)
    return task


def _first_day(session: Session, edition_id: int) -> Optional[dt.date]:
    return session.scalar(select(func.min(EventDay.day)).where(EventDay.edition_id == edition_id))


def _validated(session: Session, edition_id: int, data: TaskData) -> dict:
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title.strip():
        errors["title"] = "Le titre de la tâche est obligatoire."
    start, end = data.start, data.end
    anchor_offset = anchor_unit = None
    if (data.anchor or "").strip():
        try:
            anchor_offset, anchor_unit = parse_offset(data.anchor)
        except ValidationError as exc:
            errors.update(exc.errors)
        else:
            first = _first_day(session, edition_id)
            if first is None:
                errors["anchor"] = (
                    "Impossible d'ancrer la tâche : l'édition n'a pas encore de jour d'évènement. "
                    "Fixez d'abord ses dates, ou retirez l'ancrage."
                )
            else:
                anchored = apply_offset(first, anchor_offset, anchor_unit)
                if start is not None and end is not None and end >= start:
                    end = anchored + (end - start)
                start = anchored
    if start is None:
        errors.setdefault("start", "La date de début est obligatoire.")
    if data.milestone and start is not None:
        end = start
    if end is None:
        end = start
    if start is not None and end is not None and end < start:
        errors["end"] = f"La fin ({date_abbr(end)}) est avant le début ({date_abbr(start)})."
    if data.status not in TASK_STATUSES:
        errors["status"] = f"Statut « {data.status} » inconnu (possibles : {', '.join(TASK_STATUSES)})."
    try:
        progress = int(data.progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        errors["progress"] = f"L'avancement doit être un nombre entre 0 et 100 (reçu : « {data.progress} »)."
    if data.owner_id is not None and session.get(Organisation, data.owner_id) is None:
        errors["owner"] = "Le responsable choisi n'existe plus dans les partenaires."
    if errors:
        raise ValidationError(errors)
    return dict(
        title=title, start=start, end=end, milestone=bool(data.milestone), owner_organisation_id=data.owner_id,
        phase=clean_text(data.phase).strip(), status=data.status, progress=progress, notes=clean_text(data.notes),
        anchor_offset=anchor_offset, anchor_unit=anchor_unit,
    )


def create_task(session: Session, edition_id: int, data: TaskData) -> int:
    """Add a task (or milestone) to the edition; returns its id."""
    _edition(session, edition_id)
    values = _validated(session, edition_id, data)
    position = (session.scalar(select(func.max(Task.position)).where(Task.edition_id == edition_id)) or 0) + 1
    task = Task(edition_id=edition_id, position=position, **values)
    session.add(task)
    session.flush()
    if data.predecessors is not None:
        set_predecessors(session, task.id, data.predecessors)
    push_dependants(session, task.id)
    return task.id


def update_task(session: Session, task_id: int, data: TaskData, *, expected: RowSnapshot) -> int:
    """Save the task form; expected is the task as the form loaded it (refused if someone saved since)."""
    task = editable(session, Task, task_id, expected)
    values = _validated(session, task.edition_id, data)
    for name, value in values.items():
        setattr(task, name, value)
    # Its dependencies live in their own rows: the task's version moves with every save of the form.
    flag_modified(task, "title")
    session.flush()
    if data.predecessors is not None:
        set_predecessors(session, task.id, data.predecessors)
    push_dependants(session, task.id)
    return task.id


def save_task(session: Session, edition_id: int, task_id: Optional[int], data: TaskData, *,
              expected: Optional[RowSnapshot]) -> int:
    """Create (task_id None, expected None) or update a task, its dependencies included, in one go."""
    if task_id is None:
        return create_task(session, edition_id, data)
    return update_task(session, task_id, data, expected=expected)


def delete_tasks(session: Session, expected: Sequence[RowSnapshot]) -> int:
    """Delete the tasks as the user saw them (refused if one changed or went since); their dependency
    links go with them. Returns how many were deleted."""
    tasks = editables(session, Task, expected)
    if not tasks:
        raise NotFoundError("Aucune des tâches choisies n'existe encore.")
    for task in tasks:
        session.delete(task)
    session.flush()
    return len(tasks)


def set_status(session: Session, task_id: int, status: str, progress: Optional[int] = None, *,
               expected: RowSnapshot) -> int:
    task = editable(session, Task, task_id, expected)
    if status not in TASK_STATUSES:
        raise ValidationError({"status": f"Statut « {status} » inconnu (possibles : {', '.join(TASK_STATUSES)})."})
    task.status = status
    if progress is not None:
        if not 0 <= int(progress) <= 100:
            raise ValidationError({"progress": "L'avancement doit être entre 0 et 100."})
        task.progress = int(progress)
    elif status == DONE:
        task.progress = 100
    return task.id


def move_task(session: Session, task_id: int, start: dt.date, end: Optional[dt.date] = None, *,
              expected: RowSnapshot) -> list[int]:
    """New dates for a task (end None: keep its duration); dependants are pushed forward if needed.

    An anchored task stays anchored: its offset follows the new start. Returns the ids that moved.
    expected: the task as the chart showed it (refused if someone changed it since).
    """
    editable(session, Task, task_id, expected)
    return _move_task(session, task_id, start, end)


def _move_task(session: Session, task_id: int, start: dt.date, end: Optional[dt.date] = None) -> list[int]:
    task = _task(session, task_id)
    if end is None:
        end = start + (task.end - task.start)
    if task.milestone:
        end = start
    if end < start:
        raise ValidationError({"end": f"La fin ({date_abbr(end)}) serait avant le début ({date_abbr(start)})."})
    moved = [task.id] if (task.start, task.end) != (start, end) else []
    task.start, task.end = start, end
    _follow_anchor(session, task)
    session.flush()
    return moved + push_dependants(session, task.id)


def _follow_anchor(session: Session, task: Task) -> None:
    if task.anchor_offset is None:
        return
    first = _first_day(session, task.edition_id)
    if first is not None:
        task.anchor_offset, task.anchor_unit = offset_for(first, task.start, task.anchor_unit)


def set_anchor(session: Session, task_id: int, anchor: str, *, expected: RowSnapshot) -> int:
    """Anchor a task to the first event day ('' removes the anchor); the task moves to the offset."""
    task = editable(session, Task, task_id, expected)
    if not (anchor or "").strip():
        task.anchor_offset = task.anchor_unit = None
        return task.id
    offset, unit = parse_offset(anchor)
    first = _first_day(session, task.edition_id)
    if first is None:
        raise ValidationError({"anchor": "Impossible d'ancrer la tâche : l'édition n'a pas de jour d'évènement."})
    task.anchor_offset, task.anchor_unit = offset, unit
    _move_task(session, task_id, apply_offset(first, offset, unit))
    task.anchor_offset, task.anchor_unit = offset, unit
    return task.id


# --- Dependencies -------------------------------------------------------------------------------


def required_start(predecessor: Task | TaskRow, lag_days: int) -> dt.date:
    """Finish-to-start: the successor starts the day after the predecessor ends, plus the lag
    (a negative lag lets them overlap, e.g. the campaign still running during the event days)."""
    return predecessor.end + dt.timedelta(days=1 + lag_days)


def _cycle_path(session: Session, start_id: int, target_id: int) -> Optional[list[int]]:
    """A successor path start → … → target if one exists (so adding target → start would close a cycle)."""
    parents: dict[int, Optional[int]] = {start_id: None}
    frontier = [start_id]
    while frontier:
        current = frontier.pop(0)
        if current == target_id:
            path = []
            node: Optional[int] = current
            while node is not None:
                path.append(node)
                node = parents[node]
            return list(reversed(path))
        for successor_id in session.scalars(
            select(TaskDependency.successor_id).where(TaskDependency.predecessor_id == current)
        ):
            if successor_id not in parents:
                parents[successor_id] = current
                frontier.append(successor_id)
    return None


def _title(session: Session, task_id: int) -> str:
    task = session.get(Task, task_id)
    return task.title if task else f"n° {task_id}"


def add_dependency(session: Session, predecessor_id: int, successor_id: int, lag_days: int = 0) -> int:
    """successor starts after predecessor ends (+ lag); refuses cycles; pushes the successor if needed."""
    predecessor, successor = _task(session, predecessor_id), _task(session, successor_id)
    if predecessor.edition_id != successor.edition_id:
        raise ValidationError({"predecessor": "Une dépendance relie deux tâches de la même édition."})
    try:
        lag_days = int(lag_days)
    except (TypeError, ValueError):
        raise ValidationError({"lag": f"Le décalage « {lag_days} » doit être un nombre de jours."}) from None
    if abs(lag_days) > MAX_LAG_DAYS:
        raise ValidationError({"lag": f"Le décalage de {lag_days} jours est trop grand (au plus {MAX_LAG_DAYS})."})
    if predecessor_id == successor_id:
        raise ConflictError(f"La tâche « {predecessor.title} » ne peut pas dépendre d'elle-même.")
    path = _cycle_path(session, successor_id, predecessor_id)
    if path is not None:
        names = " → ".join(f"« {_title(session, i)} »" for i in path + [successor_id])
        raise ConflictError(
            f"Dépendance refusée : « {successor.title} » ne peut pas suivre « {predecessor.title} », "
            f"cela créerait un cycle : {names}."
        )
    existing = session.scalars(
        select(TaskDependency).filter_by(predecessor_id=predecessor_id, successor_id=successor_id)
    ).first()
    if existing is None:
        existing = TaskDependency(predecessor_id=predecessor_id, successor_id=successor_id, lag_days=lag_days)
        session.add(existing)
    else:
        existing.lag_days = lag_days
    session.flush()
    push_dependants(session, predecessor_id)
    return existing.id


def remove_dependency(session: Session, predecessor_id: int, successor_id: int) -> None:
    link = session.scalars(
        select(TaskDependency).filter_by(predecessor_id=predecessor_id, successor_id=successor_id)
    ).first()
    if link is None:
        raise NotFoundError(not_found_message(TaskDependency))
    session.delete(link)
    session.flush()


def set_predecessors(session: Session, task_id: int, predecessors: Sequence[tuple[int, int]]) -> None:
    """Make the task's predecessors exactly these (id, lag) pairs."""
    task = _task(session, task_id)
    wanted = {int(p): int(lag) for p, lag in predecessors}
    for link in list(task.predecessors):
        if link.predecessor_id not in wanted:
            session.delete(link)
    session.flush()
    for predecessor_id, lag in wanted.items():
        add_dependency(session, predecessor_id, task_id, lag)


def push_dependants(session: Session, task_id: int) -> list[int]:
    """Move successors forward (keeping their duration) wherever a dependency is violated, recursively.

    Done tasks are history and are never moved. Returns the ids of the tasks pushed.
    """
    pushed: list[int] = []
    stack = [task_id]
    guard = 0
    while stack:
        guard += 1
        if guard > 100_000:  # cycles are refused on insert; this only protects against corrupt data
            raise ConflictError("Les dépendances de ce planning forment un cycle : vérifiez-les.")
        current = session.get(Task, stack.pop())
        if current is None:
            continue
        for link in session.scalars(select(TaskDependency).where(TaskDependency.predecessor_id == current.id)):
            successor = session.get(Task, link.successor_id)
            if successor is None or successor.status == DONE:
                continue
            needed = required_start(current, link.lag_days)
            if successor.start < needed:
                shift = needed - successor.start
                successor.start += shift
                successor.end += shift
                _follow_anchor(session, successor)
                pushed.append(successor.id)
                stack.append(successor.id)
        session.flush()
    return list(dict.fromkeys(pushed))


def violated_dependencies(snapshot: PlanningSnapshot) -> list[DependencyRow]:
    tasks = {t.id: t for t in snapshot.tasks}
    return [
        d for d in snapshot.dependencies
        if d.predecessor_id in tasks and d.successor_id in tasks
        and tasks[d.successor_id].start < required_start(tasks[d.predecessor_id], d.lag_days)
    ]


# --- Anchoring to the event day -----------------------------------------------------------------


def reanchor_edition(session: Session, edition_id: int) -> list[int]:
    """Put every anchored task not done back on first event day + offset; done tasks stay.

    Then pushes dependants a move made late. Returns the ids of the tasks that moved.
    """
    first = _first_day(session, edition_id)
    if first is None:
        return []
    moved: list[int] = []
    tasks = session.scalars(
        select(Task).where(Task.edition_id == edition_id, Task.anchor_offset.isnot(None)).order_by(Task.start)
    ).all()
    for task in tasks:
        if task.status == DONE:
            continue
        start = apply_offset(first, task.anchor_offset, task.anchor_unit or "jours")
        if start != task.start:
            duration = task.end - task.start
            task.start, task.end = start, start + duration
            moved.append(task.id)
    session.flush()
    for task_id in list(moved):
        moved.extend(push_dependants(session, task_id))
    return list(dict.fromkeys(moved))


def set_event_days_and_reanchor(session: Session, edition_id: int, days: Sequence[dt.date]) -> list[int]:
    """Make the edition's event days exactly these (ORM only, so undo sees it), then re-anchor its tasks."""
    edition = _edition(session, edition_id)
    wanted = sorted(set(days))
    for event_day in list(edition.event_days):
        if event_day.day not in wanted:
            edition.event_days.remove(event_day)
            session.delete(event_day)
    session.flush()
    have = {d.day for d in edition.event_days}
    for day in wanted:
        if day not in have:
            edition.event_days.append(EventDay(day=day))
    session.flush()
    return reanchor_edition(session, edition_id)


# --- Critical chain -----------------------------------------------------------------------------


def critical_chain(snapshot: PlanningSnapshot) -> set[int]:
    """Tasks whose dependency chain drives the event: from the task holding the first event day, walk
    back through the predecessors with the least slack."""
    first = snapshot.first_day
    tasks = {t.id: t for t in snapshot.tasks}
    if first is None or not tasks:
        return set()
    targets = [t for t in tasks.values() if t.start <= first <= t.end]
    if not targets:
        before = [t for t in tasks.values() if t.end <= first]
        if not before:
            return set()
        latest = max(t.end for t in before)
        targets = [t for t in before if t.end == latest]
    preds: dict[int, list[DependencyRow]] = {}
    for d in snapshot.dependencies:
        preds.setdefault(d.successor_id, []).append(d)
    chain: set[int] = set()
    stack = [t.id for t in targets]
    while stack:
        current = stack.pop()
        if current in chain:
            continue
        chain.add(current)
        links = [d for d in preds.get(current, []) if d.predecessor_id in tasks]
        if not links:
            continue
        slack = {
            d.predecessor_id: (tasks[current].start - required_start(tasks[d.predecessor_id], d.lag_days)).days
            for d in links
        }
        least = min(slack.values())
        stack.extend(p for p, s in slack.items() if s == least)
    return chain


# --- Templates ----------------------------------------------------------------------------------

BUILTIN_TEMPLATE_NAME = "Planning de la fiche 2013 (modèle intégré)"


@dataclass(frozen=True)
class TemplateRow:
    id: int
    name: str
    builtin: bool
    task_count: int
    notes: str = ""


@dataclass(frozen=True)
class TemplateTaskSpec:
    """A template task: offset from the first event day, duration (end - start) in days."""

    title: str
    offset: int
    unit: str
    duration_days: int
    milestone: bool = False
    phase: str = ""
    owner_name: str = ""
    dependencies: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def list_templates(session: Session) -> list[TemplateRow]:
    counts = dict(
        session.execute(
            select(PlanningTemplateTask.template_id, func.count()).group_by(PlanningTemplateTask.template_id)
        ).all()
    )
    templates = session.scalars(select(PlanningTemplate))
    rows = [TemplateRow(t.id, t.name, t.builtin, counts.get(t.id, 0), t.notes) for t in templates]
    return sorted(rows, key=lambda r: (not r.builtin, r.name.casefold()))


def ensure_builtin_template(session: Session) -> int:
    """Create the built-in template (the sheet's 2013 planning as offsets) if missing; returns its id."""
    from .planning_template import BUILTIN_TEMPLATE_NOTES, builtin_template_specs

    template = session.scalars(select(PlanningTemplate).filter_by(name=BUILTIN_TEMPLATE_NAME)).first()
    if template is not None:
        return template.id
    template = PlanningTemplate(name=BUILTIN_TEMPLATE_NAME, builtin=True, notes=BUILTIN_TEMPLATE_NOTES)
    session.add(template)
    _fill_template(template, builtin_template_specs())
    session.flush()
    return template.id


def _fill_template(template: PlanningTemplate, specs: Sequence[TemplateTaskSpec]) -> None:
    for position, spec in enumerate(specs):
        template.tasks.append(
            PlanningTemplateTask(
                position=position, title=spec.title, offset=spec.offset, unit=spec.unit,
                duration_days=spec.duration_days, milestone=spec.milestone, phase=spec.phase,
                owner_name=spec.owner_name, dependencies=[[p, lag] for p, lag in spec.dependencies],
            )
        )


def _require_first_day(session: Session, edition_id: int, action: str) -> tuple[Edition, dt.date]:
    edition = _edition(session, edition_id)
    first = _first_day(session, edition_id)
    if first is None:
        raise ValidationError(
            {"event_days": f"Impossible de {action} : l'édition « {edition.name} » n'a pas encore de jour d'évènement."}
        )
    return edition, first


def _clear_or_refuse(session: Session, edition: Edition, replace: bool) -> None:
    existing = session.scalars(select(Task).where(Task.edition_id == edition.id)).all()
    if existing and not replace:
        raise ConflictError(
            f"L'édition « {edition.name} » a déjà {len(existing)} tâche(s) : confirmez leur remplacement "
            "ou supprimez-les d'abord."
        )
    for task in existing:
        session.delete(task)
    session.flush()


def create_planning_from_template(session: Session, edition_id: int, template_id: int, replace: bool = False) -> list[int]:
    """Instantiate a template for the edition, every task anchored to its first event day."""
    edition, first = _require_first_day(session, edition_id, "créer le planning depuis un modèle")
    template = get_or_raise(session, PlanningTemplate, template_id)
    _clear_or_refuse(session, edition, replace)
    owners = {o.name: o.id for o in session.scalars(select(Organisation))}
    created: dict[int, Task] = {}
    for spec in template.tasks:
        start = apply_offset(first, spec.offset, spec.unit)
        end = start if spec.milestone else start + dt.timedelta(days=max(0, spec.duration_days))
        task = Task(
            edition_id=edition.id, title=spec.title, start=start, end=end, milestone=spec.milestone,
            owner_organisation_id=owners.get(spec.owner_name), phase=spec.phase, status="à faire", progress=0,
            notes="" if not spec.owner_name or spec.owner_name in owners else f"Responsable prévu : {spec.owner_name}",
            anchor_offset=spec.offset, anchor_unit=spec.unit, position=spec.position,
        )
        session.add(task)
        created[spec.position] = task
    session.flush()
    for spec in template.tasks:
        for predecessor_position, lag in spec.dependencies or []:
            predecessor = created.get(int(predecessor_position))
            if predecessor is not None:
                session.add(TaskDependency(predecessor_id=predecessor.id, successor_id=created[spec.position].id,
                                           lag_days=int(lag)))
    session.flush()
    return [t.id for t in created.values()]


def copy_planning_from_edition(session: Session, source_edition_id: int, target_edition_id: int,
                               replace: bool = False) -> list[int]:
    """Copy another edition's planning, shifted to the target's first event day; statuses start afresh."""
    if source_edition_id == target_edition_id:
        raise ValidationError({"source": "Choisissez une autre édition que celle dont on prépare le planning."})
    source, source_first = _require_first_day(session, source_edition_id, "copier son planning")
    target, target_first = _require_first_day(session, target_edition_id, "y copier un planning")
    tasks = session.scalars(select(Task).where(Task.edition_id == source.id).order_by(Task.position, Task.id)).all()
    if not tasks:
        raise ValidationError({"source": f"L'édition « {source.name} » n'a aucune tâche à copier."})
    _clear_or_refuse(session, target, replace)
    shift = target_first - source_first
    copies: dict[int, Task] = {}
    for task in tasks:
        if task.anchor_offset is not None:
            # Anchored tasks keep their offset (month offsets stay month offsets).
            start = apply_offset(target_first, task.anchor_offset, task.anchor_unit or "jours")
        else:
            start = task.start + shift
        copy = Task(
            edition_id=target.id, title=task.title, start=start, end=start + (task.end - task.start),
            milestone=task.milestone, owner_organisation_id=task.owner_organisation_id, phase=task.phase,
            status="à faire", progress=0, notes=task.notes, anchor_offset=task.anchor_offset,
            anchor_unit=task.anchor_unit, position=task.position,
        )
        session.add(copy)
        copies[task.id] = copy
    session.flush()
    for link in session.scalars(select(TaskDependency).where(TaskDependency.successor_id.in_(list(copies)))):
        if link.predecessor_id in copies:
            session.add(TaskDependency(predecessor_id=copies[link.predecessor_id].id,
                                       successor_id=copies[link.successor_id].id, lag_days=link.lag_days))
    session.flush()
    return [c.id for c in copies.values()]


def save_as_template(session: Session, edition_id: int, name: str, notes: str = "", replace: bool = False) -> int:
    """Store the edition's planning as a template (offsets from its first event day)."""
    clean_name = clean_text(name).strip()
    if not clean_name:
        raise ValidationError({"name": "Le nom du modèle est obligatoire."})
    edition, first = _require_first_day(session, edition_id, "enregistrer son planning comme modèle")
    tasks = session.scalars(
        select(Task).where(Task.edition_id == edition.id).options(selectinload(Task.owner), selectinload(Task.predecessors))
        .order_by(Task.start, Task.position, Task.id)
    ).all()
    if not tasks:
        raise ValidationError({"edition": f"L'édition « {edition.name} » n'a aucune tâche à enregistrer."})
    template = session.scalars(select(PlanningTemplate).filter_by(name=clean_name)).first()
    if template is not None:
        if template.builtin:
            raise ConflictError(f"« {clean_name} » est le modèle intégré : choisissez un autre nom.")
        if not replace:
            raise ConflictError(f"Un modèle s'appelle déjà « {clean_name} » : choisissez un autre nom ou remplacez-le.")
        for old in list(template.tasks):
            template.tasks.remove(old)
            session.delete(old)
        session.flush()
        template.notes = clean_text(notes)
    else:
        template = PlanningTemplate(name=clean_name, builtin=False, notes=clean_text(notes))
        session.add(template)
    positions = {t.id: index for index, t in enumerate(tasks)}
    specs = []
    for task in tasks:
        if task.anchor_offset is not None and apply_offset(first, task.anchor_offset, task.anchor_unit or "jours") == task.start:
            offset, unit = task.anchor_offset, task.anchor_unit or "jours"
        else:
            offset, unit = (task.start - first).days, "jours"
        specs.append(TemplateTaskSpec(
            task.title, offset, unit, (task.end - task.start).days, task.milestone, task.phase,
            task.owner.name if task.owner else "",
            tuple((positions[d.predecessor_id], d.lag_days) for d in task.predecessors if d.predecessor_id in positions),
        ))
    _fill_template(template, specs)
    session.flush()
    return template.id


def delete_template(session: Session, template_id: int) -> None:
    template = get_or_raise(session, PlanningTemplate, template_id)
    if template.builtin:
        raise ConflictError("Le modèle intégré ne peut pas être supprimé.")
    session.delete(template)
    session.flush()


# --- Chart rows ---------------------------------------------------------------------------------

GROUPINGS = {"owner": "Responsable", "phase": "Phase", "none": "Aucun"}


class ChartRow(NamedTuple):
    """One line of the Gantt chart: a group heading (task None) or a task (a tuple: 2 000 are made per drawing)."""

    label: str
    task: Optional[TaskRow] = None

    @property
    def is_group(self) -> bool:
        return self.task is None


def chart_rows(tasks: Sequence[TaskRow], group_by: str = "owner") -> list[ChartRow]:
    """Tasks in date order, under a heading per owner or phase (groups ordered by their first task)."""
    ordered = sorted(tasks, key=lambda t: (t.start, t.position, t.id))
    if group_by not in ("owner", "phase"):
        return [ChartRow(t.title, t) for t in ordered]
    empty = "Sans responsable" if group_by == "owner" else "Sans phase"
    groups: dict[str, list[TaskRow]] = {}
    for task in ordered:
        key = (task.owner if group_by == "owner" else task.phase) or empty
        groups.setdefault(key, []).append(task)
    rows: list[ChartRow] = []
    for key, members in groups.items():  # dicts keep insertion order: the group's first task decides
        rows.append(ChartRow(key))
        rows.extend(ChartRow(t.title, t) for t in members)
    return rows
