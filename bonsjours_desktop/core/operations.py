"""The one way to change data: one transaction per action, a generic undo/redo log, and "what changed".

Mapper events record, for every row an operation inserts, updates or deletes (including rows a
foreign key's ON DELETE removes or nulls), the row as it was and as it became. Undo replays the
inverse, redo replays it forward, both in one transaction, so no feature needs undo code of its own.
Services must change rows through the ORM (session.add / attribute changes / session.delete); a bulk
statement (the import of a large file) is invisible to these events, so the service that runs one
records what it wrote itself, with record_rows.
"""

from __future__ import annotations

import copy
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, TypeVar

from sqlalchemy import and_, delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from .db import Database, translate_operational_error
from .errors import BonsJoursError, UndoConflictError
from .models import Base
from .versions import (  # noqa: F401 - re-exported: forms and tests import them from here
    ConcurrentEditError,
    RowSnapshot,
    check_snapshots,
    snapshot,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

RECORDER_KEY = "bonsjours_recorder"
# Columns the database fills or bumps by itself: not worth refusing an undo over.
VOLATILE_COLUMNS = {"updated_at", "created_at"}


@dataclass(frozen=True)
class Changes:
    """What an operation (or its undo/redo) changed: table names and primary keys per table."""

    description: str = ""
    tables: frozenset[str] = frozenset()
    ids: dict[str, frozenset[Any]] = field(default_factory=dict)
    value: Any = None
    # Who asked for the change, opaque to the core: the UI puts the widget it ran from here, so the
    # view that made the change can show it in place instead of reloading like the others.
    initiator: Any = field(default=None, compare=False, repr=False)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))

    def __bool__(self) -> bool:
        return bool(self.tables)


@dataclass
class RowChange:
    table: str
    kind: str  # "insert" | "update" | "delete"
    pk: dict[str, Any]
    before: Optional[dict[str, Any]]
    after: Optional[dict[str, Any]]


@dataclass
class UndoEntry:
    description: str
    rows: list[RowChange]

    def changes(self, description: Optional[str] = None) -> Changes:
        return changes_of(description or self.description, self.rows)


def changes_of(description: str, rows: Iterable[RowChange], value: Any = None) -> Changes:
    ids: dict[str, set[Any]] = {}
    for row in rows:
        ids.setdefault(row.table, set()).add(tuple(row.pk.values()) if len(row.pk) > 1 else next(iter(row.pk.values())))
    return Changes(
        description=description,
        tables=frozenset(ids),
        ids={table: frozenset(values) for table, values in ids.items()},
        value=value,
    )


class _Recorder:
    """Collects RowChanges of one session's flushes, in the order the database saw them."""

    def __init__(self) -> None:
        self.rows: list[RowChange] = []
        self._pending_updates: dict[tuple[str, tuple], dict[str, Any]] = {}

    def add(self, change: RowChange) -> None:
        self.rows.append(change)


def record_rows(session: Session, rows: Iterable[RowChange]) -> None:
    """Add rows a service wrote with bulk Core statements to the operation's undo record (after what the
    ORM recorded so far); outside an operation (no recorder), nothing to do."""
    recorder = session.info.get(RECORDER_KEY)
    if recorder is not None:
        for row in rows:
            recorder.add(row)


def _pk_of(table, row: dict[str, Any]) -> dict[str, Any]:
    return {col.name: row[col.name] for col in table.primary_key.columns}


def _pk_clause(table, pk: dict[str, Any]):
    return and_(*(table.c[name] == value for name, value in pk.items()))


def _fetch(connection, table, pk: dict[str, Any]) -> Optional[dict[str, Any]]:
    row = connection.execute(select(table).where(_pk_clause(table, pk))).mappings().first()
    return dict(row) if row is not None else None


def _target_pk(mapper, target) -> dict[str, Any]:
    table = mapper.local_table
    identity = mapper.primary_key_from_instance(target)
    return {col.name: value for col, value in zip(mapper.primary_key, identity)} if table is not None else {}


def _recorder_for(target) -> Optional[_Recorder]:
    session = object_session(target)
    if session is None:
        return None
    return session.info.get(RECORDER_KEY)


def _record_cascades(recorder: _Recorder, connection, table, pk: dict[str, Any], seen: set) -> None:
    """Snapshot rows that ON DELETE CASCADE / SET NULL will touch when this row goes."""
    for child in Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table or fk.ondelete not in ("CASCADE", "SET NULL"):
                continue
            referenced = pk.get(fk.column.name)
            if referenced is None:
                continue
            rows = connection.execute(select(child).where(fk.parent == referenced)).mappings().all()
            for raw in rows:
                row = dict(raw)
                child_pk = _pk_of(child, row)
                key = (child.name, tuple(child_pk.values()))
                if key in seen:
                    continue
                seen.add(key)
                if fk.ondelete == "CASCADE":
                    _record_cascades(recorder, connection, child, child_pk, seen)
                    recorder.add(RowChange(child.name, "delete", child_pk, row, None))
                else:
                    after = dict(row)
                    after[fk.parent.name] = None
                    recorder.add(RowChange(child.name, "update", child_pk, row, after))


def _inserted_row(mapper, connection, target, pk: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The row just inserted, from the object itself (no query) when every column it set is known;
    columns filled by the server (timestamps) are left out and will be filled again on redo."""
    state = target.__dict__
    row: dict[str, Any] = {}
    for column in mapper.local_table.columns:
        prop = mapper.get_property_by_column(column)
        if prop.key in state:
            value = state[prop.key]
            row[column.name] = copy.deepcopy(value) if isinstance(value, (dict, list)) else value
        elif column.name not in VOLATILE_COLUMNS:
            return _fetch(connection, mapper.local_table, pk)
    return row


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(mapper, connection, target) -> None:
    recorder = _recorder_for(target)
    if recorder is None:
        return
    table = mapper.local_table
    pk = _target_pk(mapper, target)
    recorder.add(RowChange(table.name, "insert", pk, None, _inserted_row(mapper, connection, target, pk)))


@event.listens_for(Base, "before_update", propagate=True)
def _before_update(mapper, connection, target) -> None:
    recorder = _recorder_for(target)
    if recorder is None:
        return
    table = mapper.local_table
    pk = _target_pk(mapper, target)
    before = _fetch(connection, table, pk)
    if before is not None:
        recorder._pending_updates[(table.name, tuple(pk.values()))] = before


@event.listens_for(Base, "after_update", propagate=True)
def _after_update(mapper, connection, target) -> None:
    recorder = _recorder_for(target)
    if recorder is None:
        return
    table = mapper.local_table
    pk = _target_pk(mapper, target)
    before = recorder._pending_updates.pop((table.name, tuple(pk.values())), None)
    after = _fetch(connection, table, pk)
    if before is None or after is None:
        return
    if {k: v for k, v in before.items() if k not in VOLATILE_COLUMNS} == {
        k: v for k, v in after.items() if k not in VOLATILE_COLUMNS
    }:
        return
    recorder.add(RowChange(table.name, "update", pk, before, after))


@event.listens_for(Base, "before_delete", propagate=True)
def _before_delete(mapper, connection, target) -> None:
    recorder = _recorder_for(target)
    if recorder is None:
        return
    table = mapper.local_table
    pk = _target_pk(mapper, target)
    before = _fetch(connection, table, pk)
    if before is None:
        return
    _record_cascades(recorder, connection, table, pk, set())
    recorder.add(RowChange(table.name, "delete", pk, before, None))


def _stable(row: Optional[dict[str, Any]]) -> Optional[dict[str, Any]]:
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in VOLATILE_COLUMNS}


BATCH = 500  # rows checked with one SELECT … IN and replayed with one executemany


def _batches(sequence: list[RowChange]) -> Iterable[list[RowChange]]:
    """Consecutive changes of one table, one kind and one set of columns, on distinct rows of a
    single-column key: checked together and replayed together (an import of 80 000 shops is undone in
    a few hundred statements, not 160 000). Anything else goes one row at a time."""
    batch: list[RowChange] = []
    keys: set = set()
    signature = None
    for change in sequence:
        target = change.after if change.after is not None else change.before
        single = len(change.pk) == 1
        pk_value = next(iter(change.pk.values())) if single else None
        this = (change.table, change.kind, tuple(change.pk), frozenset(target or ())) if single else None
        if batch and (this is None or this != signature or pk_value in keys or len(batch) >= BATCH):
            yield batch
            batch, keys = [], set()
        batch.append(change)
        if this is None:
            yield batch
            batch, keys, signature = [], set(), None
            continue
        keys.add(pk_value)
        signature = this
    if batch:
        yield batch


def _fetch_batch(connection, table, batch: list[RowChange]) -> list[Optional[dict[str, Any]]]:
    if len(batch) == 1:
        return [_fetch(connection, table, batch[0].pk)]
    (name,) = batch[0].pk
    column = table.c[name]
    found = {row[name]: dict(row) for row in connection.execute(
        select(table).where(column.in_([c.pk[name] for c in batch]))).mappings()}
    return [found.get(c.pk[name]) for c in batch]


def _apply(session: Session, rows: list[RowChange], *, backwards: bool) -> None:
    """Replay rows forward (redo) or their inverse in reverse order (undo), checking each row is
    still as the action left it, so another window's or user's later change is never overwritten."""
    from sqlalchemy import bindparam

    connection = session.connection()
    sequence = list(reversed(rows)) if backwards else list(rows)
    for batch in _batches(sequence):
        table = Base.metadata.tables[batch[0].table]
        for change, current in zip(batch, _fetch_batch(connection, table, batch)):
            expected = change.after if backwards else change.before
            if _stable(current) != _stable(expected):
                raise UndoConflictError(
                    "Impossible d'annuler ou de rétablir cette action : les données concernées ont été "
                    "modifiées depuis (par une autre action ou un autre utilisateur)."
                )
        kind = batch[0].kind
        if backwards:
            kind = {"insert": "delete", "delete": "insert", "update": "update"}[kind]
        targets = [change.before if backwards else change.after for change in batch]
        if len(batch) == 1:
            change, target = batch[0], targets[0]
            if kind == "insert":
                connection.execute(insert(table).values(**target))
            elif kind == "delete":
                connection.execute(delete(table).where(_pk_clause(table, change.pk)))
            else:
                # The version comes back with the content: a form opened on the undone state is refused,
                # one opened on the restored state saw exactly what the row holds again.
                connection.execute(update(table).where(_pk_clause(table, change.pk)).values(**target))
            continue
        (name,) = batch[0].pk
        key = bindparam("b_pk")
        if kind == "insert":
            connection.execute(insert(table), targets)
        elif kind == "delete":
            connection.execute(delete(table).where(table.c[name] == key), [{"b_pk": c.pk[name]} for c in batch])
        else:
            connection.execute(update(table).where(table.c[name] == key),
                               [{"b_pk": c.pk[name], **{k: v for k, v in t.items() if k != name}}
                                for c, t in zip(batch, targets)])


class OperationRunner:
    """Runs each user action in one transaction and keeps the undo/redo history of the session."""

    def __init__(self, db: Database, max_undo: int = 200):
        self.db = db
        self.max_undo = max_undo
        self._undo: list[UndoEntry] = []
        self._redo: list[UndoEntry] = []
        self._lock = threading.RLock()
        self.listeners: list[Callable[[Changes], None]] = []

    # -- running ---------------------------------------------------------------------------------

    def run(self, description: str, action: Callable[[Session], T], *, undoable: bool = True,
            expect: Iterable[RowSnapshot] = ()) -> Changes:
        """Run action(session) in one transaction; return Changes with action's return value.

        expect: rows as the user saw them; if any was changed or deleted since, nothing is written
        and ConcurrentEditError says what changed."""
        with self._lock:
            session = self.db.write_session()
            recorder = _Recorder()
            session.info[RECORDER_KEY] = recorder
            try:
                check_snapshots(session.connection(), expect)
                value = action(session)
                session.flush()
                session.commit()
            except BaseException as exc:
                session.rollback()
                session.close()
                _reraise(exc, self.db.url)
            session.close()
            rows = recorder.rows
            changes = changes_of(description, rows, value)
            if rows and undoable:
                self._undo.append(UndoEntry(description, rows))
                del self._undo[: -self.max_undo]
                self._redo.clear()
            self._notify(changes)
            return changes

    def read(self, query: Callable[[Session], T]) -> T:
        """Run a read-only query in its own session; nothing it does is committed."""
        with self.db.session() as session:
            try:
                return query(session)
            except OperationalError as exc:
                _reraise(exc, self.db.url)

    # -- undo / redo -----------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_text(self) -> str:
        return self._undo[-1].description if self._undo else ""

    @property
    def redo_text(self) -> str:
        return self._redo[-1].description if self._redo else ""

    def undo(self) -> Changes:
        return self._replay(self._undo, self._redo, backwards=True, prefix="Annuler")

    def redo(self) -> Changes:
        return self._replay(self._redo, self._undo, backwards=False, prefix="Rétablir")

    def clear_history(self) -> None:
        self._undo.clear()
        self._redo.clear()

    def _replay(self, source: list[UndoEntry], target: list[UndoEntry], *, backwards: bool, prefix: str) -> Changes:
        with self._lock:
            if not source:
                return Changes(description=f"Rien à {prefix.lower()}")
            entry = source[-1]
            session = self.db.write_session()
            try:
                if self.db.is_sqlite:
                    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                _apply(session, entry.rows, backwards=backwards)
                session.commit()
            except BaseException as exc:
                session.rollback()
                _reraise(exc, self.db.url)
            finally:
                session.close()
            source.pop()
            target.append(entry)
            changes = entry.changes(f"{prefix} : {entry.description}")
            self._notify(changes)
            return changes

    def _notify(self, changes: Changes) -> None:
        for listener in list(self.listeners):
            listener(changes)


def _reraise(exc: BaseException, url: Optional[str] = None):
    translated = _translate(exc, url)
    if translated is exc:
        raise exc
    raise translated from exc


def _translate(exc: BaseException, url: Optional[str] = None) -> BaseException:
    if isinstance(exc, BonsJoursError):
        return exc
    if isinstance(exc, OperationalError):
        return translate_operational_error(exc, url)
    if isinstance(exc, StaleDataError):
        return ConcurrentEditError(
            "Enregistrement refusé : un autre utilisateur a modifié ou supprimé ces données au même moment. "
            "Rechargez, puis refaites votre modification.", [])
    if isinstance(exc, IntegrityError):
        log.warning("Integrity error: %s", exc)
        return BonsJoursError(
            "Cette modification contredit des données existantes (doublon ou lien vers une donnée "
            "absente) ; rien n'a été enregistré."
        )
    return exc
