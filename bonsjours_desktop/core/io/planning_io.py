"""Planning exports without Qt: iCalendar (RFC 5545, all-day events with stable UIDs) and CSV for French Excel."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Optional

from ..formatting import date_short
from ..planning import PlanningSnapshot, TaskRow
from .safe_write import atomic_write

PRODID = "-//Bons Jours//Planning des bons jours de l'occasion//FR"


def task_uid(task_id: int) -> str:
    """Stable across exports, so calendars update the event instead of adding a copy."""
    return f"task-{task_id}@bonsjours"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF + space, never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _description(task: TaskRow, names: dict[int, str]) -> str:
    lines = []
    if task.owner:
        lines.append(f"Responsable : {task.owner}")
    if task.phase:
        lines.append(f"Phase : {task.phase}")
    lines.append(f"Statut : {task.status} ({task.progress} %)")
    if task.anchor:
        lines.append(f"Ancrage : {task.anchor}")
    if task.predecessors:
        lines.append("Après : " + " ; ".join(names.get(p, str(p)) for p, _lag in task.predecessors))
    if task.notes:
        lines.append("")
        lines.append(task.notes)
    return "\n".join(lines)


def ics_text(snapshot: PlanningSnapshot, stamp: Optional[dt.datetime] = None) -> str:
    """The planning as an iCalendar file: one all-day VEVENT per task or milestone (DTEND exclusive)."""
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    stamp_text = stamp.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    names = {t.id: t.title for t in snapshot.tasks}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape('Planning – ' + snapshot.edition_name)}",
    ]
    for task in snapshot.tasks:
        summary = ("Jalon : " if task.milestone else "") + task.title
        lines += [
            "BEGIN:VEVENT",
            f"UID:{task_uid(task.id)}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{_date(task.start)}",
            f"DTEND;VALUE=DATE:{_date(task.end + dt.timedelta(days=1))}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(_description(task, names))}",
        ]
        if task.phase:
            lines.append(f"CATEGORIES:{_escape(task.phase)}")
        lines += ["TRANSP:TRANSPARENT", "STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def write_ics(snapshot: PlanningSnapshot, path: Path | str) -> Path:
    # The text already has the CRLF line endings RFC 5545 requires; written as bytes, unchanged.
    return atomic_write(path, ics_text(snapshot))


CSV_HEADER = [
    "Tâche", "Jalon", "Début", "Fin", "Durée (jours)", "Responsable", "Phase", "Statut", "Avancement (%)",
    "Ancrage", "Après (prédécesseurs)", "Notes",
]


from .spreadsheet import french_csv_writer  # noqa: E402


def csv_text(snapshot: PlanningSnapshot) -> str:
    """Semicolon-separated, dates as 13/11/2013: what Excel in French expects (BOM added on writing)."""
    names = {t.id: t.title for t in snapshot.tasks}
    buffer = io.StringIO()
    writer = french_csv_writer(buffer)
    writer.writerow(CSV_HEADER)
    for task in snapshot.tasks:
        preds = " ; ".join(
            names.get(p, str(p)) + (f" ({lag:+d} j)" if lag else "") for p, lag in task.predecessors
        )
        writer.writerow([
            task.title, "oui" if task.milestone else "non", date_short(task.start), date_short(task.end),
            task.duration_days, task.owner, task.phase, task.status, task.progress, task.anchor, preds, task.notes,
        ])
    return buffer.getvalue()


def write_csv(snapshot: PlanningSnapshot, path: Path | str) -> Path:
    return atomic_write(path, csv_text(snapshot), encoding="utf-8-sig")
