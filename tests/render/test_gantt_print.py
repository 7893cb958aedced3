"""Gantt print: PDF pages filled and tiled, whole names, French month labels, a legend, safe writes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bonsjours_desktop.core import planning as P
from bonsjours_desktop.core.models import Edition, EventDay, Task
from bonsjours_desktop.render import gantt_print

D = dt.date
LONG = ("Définition du thème à développer en novembre avec les partenaires du plan de prévention "
        "et les animateurs des collectivités du département")


def _plan_of(ops, count, spacing=7, title="Tâche numéro {n} du grand planning de test"):
    def build(s):
        edition = Edition(name="Grand plan")
        edition.event_days = [EventDay(day=D(2014, 11, 12)), EventDay(day=D(2014, 11, 15))]
        s.add(edition)
        s.flush()
        for i in range(count):
            start = D(2013, 9, 2) + dt.timedelta(days=(i * spacing) % 1100)
            s.add(Task(edition_id=edition.id, title=title.format(n=i + 1), start=start,
                       end=start + dt.timedelta(days=3 + i % 20), milestone=i % 17 == 0, phase=f"Phase {i % 6}",
                       status=("à faire", "en cours", "terminée")[i % 3], progress=(i * 13) % 100, position=i))
        s.flush()
        return edition.id

    edition_id = ops.run("plan", build).value
    return ops.read(lambda s: P.planning_snapshot(s, edition_id))


def _page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_pdf_of_200_tasks_is_tiled_over_pages_with_names_on_each(qapp, ops, tmp_path):
    snapshot = _plan_of(ops, 200)
    path = tmp_path / "grand.pdf"
    pages = gantt_print.render_pdf(snapshot, path, D(2014, 3, 1), group_by="phase")
    data = path.read_bytes()
    assert pages > 1
    assert _page_count(data) == pages
    assert re.search(rb"/MediaBox\s*\[0 0 84[12]", data)  # A4 landscape: 842 x 595 pt
    rows, tiles = gantt_print.pdf_tiles(snapshot, D(2014, 3, 1), "phase")
    assert len(tiles) == pages and len({(t.first_row, t.last_row) for t in tiles}) >= 5
    # Every row is on exactly one band, and a band never ends on a group heading.
    bands = sorted({(t.first_row, t.last_row) for t in tiles})
    assert [b[0] for b in bands] == [0] + [b[1] + 1 for b in bands[:-1]] and bands[-1][1] == len(rows) - 1
    assert all(not rows[last].is_group for _, last in bands)
    # The plan spans three years: cut into runs of whole months, each page spread over its width.
    assert len({(t.first_day, t.last_day) for t in tiles}) >= 2
    assert all(t.first_day.day == 1 for t in tiles)
    page = gantt_print.page_size("a4")
    chart_width = page.width() - 2 * gantt_print.MARGIN - gantt_print.PrintLayout().name_width
    for tile in tiles:
        assert ((tile.last_day - tile.first_day).days + 1) * tile.px_per_day == pytest.approx(chart_width)


def test_demo_plan_fills_one_a4_page_and_a3_is_bigger(qapp, demo_ops, tmp_path):
    snapshot = demo_ops.read(lambda s: P.planning_snapshot(s, P_edition(s, "Novembre 2013")))
    layout = gantt_print.PrintLayout()
    rows, tiles = gantt_print.pdf_tiles(snapshot, D(2013, 10, 15), "owner")
    assert len(tiles) == 1  # 16 months, 15 rows: one page, not two half-empty ones
    page = gantt_print.page_size("a4")
    room = (page.height() - 2 * gantt_print.MARGIN - layout.title_height - layout.header_height - 4
            - layout.legend_height - layout.footer_height)
    assert tiles[0].rows_height > 0.85 * room  # rows grown to fill the page height
    path = tmp_path / "a3.pdf"
    assert gantt_print.render_pdf(snapshot, path, D(2013, 10, 15), paper="a3") == 1
    assert re.search(rb"/MediaBox\s*\[0 0 119[01]", path.read_bytes())  # A3 landscape: 1191 x 842 pt


def P_edition(session, name):
    from bonsjours_desktop.core.editions import find_edition

    return find_edition(session, name).id


def test_names_are_wrapped_whole_never_elided(qapp, ops):
    snapshot = _plan_of(ops, 3, title=LONG + " {n}")
    layout = gantt_print.PrintLayout()
    rows = P.chart_rows(snapshot.tasks, "none")
    drawer = gantt_print.GanttPainter(snapshot, rows, D(2014, 3, 1), set(), layout)
    for index, row in enumerate(rows):
        lines = drawer.name_lines(index)
        assert len(lines) >= 2
        prefix = "◆ " if row.task.milestone else ""
        assert " ".join(lines) == prefix + row.task.title
        assert not any("…" in line for line in lines)
        assert all(drawer.metrics.horizontalAdvance(line) <= layout.name_width - 16 for line in lines)
        assert drawer.natural_height(index) >= len(lines) * drawer.metrics.lineSpacing()


def test_wrap_keeps_guillemets_with_their_words_and_cuts_an_overlong_word(qapp):
    from PySide6.QtGui import QFont, QFontMetricsF

    metrics = QFontMetricsF(QFont())
    text = "Création des supports du magazine « Maine-et-Loire » : affiches"
    width = metrics.horizontalAdvance("Création des supports du magazine «")
    lines = gantt_print.wrap_text(text, metrics, width)
    assert " ".join(lines) == text
    assert not any(line.endswith("«") or line.startswith("»") or line.startswith(":") for line in lines)
    word = "Anticonstitutionnellement" * 3
    pieces = gantt_print.wrap_text(word, metrics, 60)
    assert "".join(pieces) == word and len(pieces) > 1
    assert all(metrics.horizontalAdvance(piece) <= 60 for piece in pieces)


def test_legend_names_every_mark_of_the_chart(qapp, ops):
    snapshot = _plan_of(ops, 3)
    rows = P.chart_rows(snapshot.tasks, "none")
    labels = [label for _, label, _ in gantt_print.GanttPainter(snapshot, rows, D(2014, 3, 1), set(),
                                                                 gantt_print.PrintLayout()).legend_items()]
    for expected in ("terminée", "en retard", "jalon", "jour de l’évènement", "aujourd’hui", "dépendance"):
        assert expected in labels
    critical = gantt_print.GanttPainter(snapshot, rows, D(2014, 3, 1), {snapshot.tasks[0].id},
                                        gantt_print.PrintLayout()).legend_items()
    assert "chaîne critique" in [label for _, label, _ in critical]


def test_a_failed_drawing_leaves_the_previous_file_and_no_temporary(qapp, ops, tmp_path, monkeypatch):
    snapshot = _plan_of(ops, 5)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "plan.pdf"
    path.write_bytes(b"%PDF-ancien")

    def broken(*args, **kwargs):
        raise RuntimeError("dessin impossible")

    monkeypatch.setattr(gantt_print.GanttPainter, "draw", broken)
    with pytest.raises(RuntimeError):
        gantt_print.render_pdf(snapshot, path, D(2014, 3, 1))
    with pytest.raises(RuntimeError):
        gantt_print.render_png(snapshot, folder / "plan.png", D(2014, 3, 1))
    assert path.read_bytes() == b"%PDF-ancien"
    assert [p.name for p in folder.iterdir()] == ["plan.pdf"]
