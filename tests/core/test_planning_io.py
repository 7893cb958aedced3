"""Planning exports without Qt: iCalendar parsed by the icalendar library, CSV for French Excel."""

from __future__ import annotations

import csv
import datetime as dt

import icalendar
from sqlalchemy import select

from bonsjours_desktop.core import planning as P
from bonsjours_desktop.core.io import planning_io
from bonsjours_desktop.core.models import Edition


def nov_snapshot(ops):
    nov = ops.read(lambda s: s.scalars(select(Edition.id).filter_by(name="Novembre 2013")).one())
    return nov, ops.read(lambda s: P.planning_snapshot(s, nov))


def test_ics_parses_with_icalendar_and_reexports_same_uids(demo_ops, tmp_path):
    nov, snapshot = nov_snapshot(demo_ops)
    path = planning_io.write_ics(snapshot, tmp_path / "planning.ics")
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 11
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {f"task-{t.id}@bonsjours" for t in snapshot.tasks}
    event_task = next(t for t in snapshot.tasks if t.start == dt.date(2013, 11, 13))
    event = by_uid[f"task-{event_task.id}@bonsjours"]
    assert event.decoded("DTSTART") == dt.date(2013, 11, 13)
    assert event.decoded("DTEND") == dt.date(2013, 11, 17)  # exclusive end of an all-day event
    assert str(event["SUMMARY"]) == event_task.title  # accents and « » survive folding
    meeting = next(t for t in snapshot.tasks if t.milestone)
    assert str(by_uid[f"task-{meeting.id}@bonsjours"]["SUMMARY"]).startswith("Jalon : ")
    # A change then a re-export: same UIDs, new dates.
    demo_ops.run("move", lambda s: P.move_task(s, meeting.id, dt.date(2013, 7, 3), expected=meeting.seen))
    again = icalendar.Calendar.from_ical(planning_io.ics_text(nov_snapshot(demo_ops)[1]).encode())
    again_events = {str(e["UID"]): e for e in again.walk("VEVENT")}
    assert set(again_events) == set(by_uid)
    assert again_events[f"task-{meeting.id}@bonsjours"].decoded("DTSTART") == dt.date(2013, 7, 3)


def test_fold_line_never_splits_a_character():
    line = "SUMMARY:" + "é" * 80
    folded = planning_io.fold_line(line)
    parts = folded.split("\r\n ")
    assert len(parts) > 1 and all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == line


def test_csv_for_french_excel(demo_ops, tmp_path):
    _nov, snapshot = nov_snapshot(demo_ops)
    path = planning_io.write_csv(snapshot, tmp_path / "planning.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:4] == ["Tâche", "Jalon", "Début", "Fin"]
    assert len(rows) == 12
    event = next(r for r in rows if r[2] == "13/11/2013")
    assert event[3] == "16/11/2013" and event[4] == "4"
    assert any("Déploiement de la campagne" in r[10] for r in rows)
