"""Planning core: offsets, anchoring, dependencies (pushing, cycles), templates, copies."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bonsjours_desktop.core import planning as P
from bonsjours_desktop.core.errors import ConflictError, ValidationError
from bonsjours_desktop.core.models import Edition, EventDay, Organisation, PlanningTemplate, Task, TaskDependency

D = dt.date


def edition_id(ops, name):
    return ops.read(lambda s: s.scalars(select(Edition.id).filter_by(name=name)).one())


@pytest.fixture
def plan(ops):
    """An edition whose first event day is Wed 2 April 2014, with no tasks."""

    def setup(s):
        edition = Edition(name="Essai")
        edition.event_days = [EventDay(day=D(2014, 4, 2)), EventDay(day=D(2014, 4, 5))]
        s.add(edition)
        s.add(Organisation(name="Département – Direction de la communication", kind="service du Département"))
        s.flush()
        return edition.id

    return ops.run("setup", setup).value


def new(ops, edition, title, start, end=None, **kw):
    data = P.TaskData(title=title, start=start, end=end or start, **kw)
    return ops.run("add", lambda s: P.create_task(s, edition, data)).value


def row(ops, task_id):
    return ops.read(lambda s: P._row(s.get(Task, task_id)))


# --- offsets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("J-13 mois", (-13, "mois")), ("J-30 jours", (-30, "jours")), ("J+2 mois", (2, "mois")),
    ("j-30", (-30, "jours")), ("J − 1 jour", (-1, "jours")), ("J", (0, "jours")), ("  J+5 j ", (5, "jours")),
])
def test_parse_offset(text, expected):
    assert P.parse_offset(text) == expected


@pytest.mark.parametrize("text", ["", "13 mois", "J-13 semaines", "J--3", "avant"])
def test_parse_offset_refuses_in_french(text):
    with pytest.raises(ValidationError) as info:
        P.parse_offset(text)
    assert "J-13 mois" in str(info.value)


def test_format_offset_round_trips():
    assert P.format_offset(-13, "mois") == "J-13 mois"
    assert P.format_offset(-30, "jours") == "J-30 jours"
    assert P.format_offset(2, "mois") == "J+2 mois"
    assert P.format_offset(-1, "jours") == "J-1 jour"
    assert P.format_offset(0, "jours") == "J"
    assert P.format_offset(None, None) == ""
    for text in ("J-13 mois", "J-30 jours", "J+2 mois", "J+1 jour"):
        assert P.format_offset(*P.parse_offset(text)) == text


def test_month_offsets_are_calendar_months_clamped():
    assert P.apply_offset(D(2014, 4, 2), -13, "mois") == D(2013, 3, 2)
    assert P.apply_offset(D(2014, 3, 31), -1, "mois") == D(2014, 2, 28)
    assert P.apply_offset(D(2016, 3, 31), -1, "mois") == D(2016, 2, 29)
    assert P.apply_offset(D(2013, 11, 13), 2, "mois") == D(2014, 1, 13)
    assert P.apply_offset(D(2014, 4, 2), -30, "jours") == D(2014, 3, 3)


# --- tasks ----------------------------------------------------------------------------------------


def test_create_task_validates_in_french(ops, plan):
    with pytest.raises(ValidationError) as info:
        new(ops, plan, "   ", D(2014, 1, 10), D(2014, 1, 5), progress=140, status="fini")
    errors = info.value.errors
    assert "obligatoire" in errors["title"]
    assert "avant le début" in errors["end"]
    assert "0 et 100" in errors["progress"]
    assert "fini" in errors["status"]


def test_milestone_is_one_day_and_owner_is_an_organisation(ops, plan):
    owner = ops.read(lambda s: s.scalars(select(Organisation.id)).first())
    task_id = new(ops, plan, "Réunion bilan", D(2014, 6, 3), D(2014, 6, 20), milestone=True, owner_id=owner)
    r = row(ops, task_id)
    assert (r.start, r.end, r.milestone) == (D(2014, 6, 3), D(2014, 6, 3), True)
    assert r.owner == "Département – Direction de la communication"
    with pytest.raises(ValidationError):
        new(ops, plan, "Autre", D(2014, 6, 3), owner_id=9999)


def test_anchor_sets_start_from_first_event_day(ops, plan):
    task_id = new(ops, plan, "Thème", D(2000, 1, 1), D(2000, 1, 31), anchor="J-13 mois")
    r = row(ops, task_id)
    assert (r.start, r.end) == (D(2013, 3, 2), D(2013, 4, 1))  # duration kept
    assert r.anchor == "J-13 mois"


def test_reanchor_moves_open_anchored_tasks_and_leaves_done_ones(ops, plan):
    open_id = new(ops, plan, "Campagne", D(2014, 3, 1), D(2014, 3, 10), anchor="J-30 jours")
    month_id = new(ops, plan, "Plaquette", D(2014, 3, 1), D(2014, 3, 5), anchor="J-1 mois")
    done_id = new(ops, plan, "Thème", D(2013, 3, 1), D(2013, 3, 20), anchor="J-13 mois", status="terminée", progress=100)
    free_id = new(ops, plan, "Sans ancrage", D(2014, 1, 6), D(2014, 1, 8))
    before_done = row(ops, done_id)
    changes = ops.run("dates", lambda s: P.set_event_days_and_reanchor(s, plan, [D(2014, 5, 14), D(2014, 5, 17)]))
    assert row(ops, open_id).start == D(2014, 4, 14)
    assert row(ops, open_id).end == D(2014, 4, 14) + (D(2014, 3, 12) - D(2014, 3, 3))
    assert row(ops, month_id).start == D(2014, 4, 14)
    assert (row(ops, done_id).start, row(ops, done_id).end) == (before_done.start, before_done.end)
    assert row(ops, free_id).start == D(2014, 1, 6)
    assert set(changes.value) == {open_id, month_id}
    days = ops.read(lambda s: sorted(d.day for d in s.scalars(select(EventDay).filter_by(edition_id=plan))))
    assert days == [D(2014, 5, 14), D(2014, 5, 17)]
    ops.undo()  # one undoable operation restores days and tasks
    assert row(ops, open_id).start == D(2014, 3, 3)
    assert ops.read(lambda s: sorted(d.day for d in s.scalars(select(EventDay).filter_by(edition_id=plan))))[0] == D(2014, 4, 2)


# --- dependencies ---------------------------------------------------------------------------------


def test_moving_a_task_pushes_its_dependants_recursively(ops, plan):
    a = new(ops, plan, "A", D(2014, 1, 1), D(2014, 1, 10))
    b = new(ops, plan, "B", D(2014, 1, 11), D(2014, 1, 15))
    c = new(ops, plan, "C", D(2014, 1, 20), D(2014, 1, 21))
    done = new(ops, plan, "Terminée", D(2014, 1, 16), D(2014, 1, 16), status="terminée")
    ops.run("dep", lambda s: P.add_dependency(s, a, b, 0))
    ops.run("dep", lambda s: P.add_dependency(s, b, c, 2))
    ops.run("dep", lambda s: P.add_dependency(s, b, done, 0))
    changes = ops.run("move", lambda s: P.move_task(s, a, D(2014, 1, 5), expected=P.task_row(s, a).seen))
    assert (row(ops, a).start, row(ops, a).end) == (D(2014, 1, 5), D(2014, 1, 14))
    assert (row(ops, b).start, row(ops, b).end) == (D(2014, 1, 15), D(2014, 1, 19))  # day after A
    assert (row(ops, c).start, row(ops, c).end) == (D(2014, 1, 22), D(2014, 1, 23))  # B end + 1 + lag 2
    assert row(ops, done).start == D(2014, 1, 16)  # done tasks are history
    assert changes.value == [a, b, c]
    ops.undo()
    assert [row(ops, i).start for i in (a, b, c)] == [D(2014, 1, 1), D(2014, 1, 11), D(2014, 1, 20)]


def test_moving_earlier_or_with_room_pushes_nothing(ops, plan):
    a = new(ops, plan, "A", D(2014, 1, 1), D(2014, 1, 10))
    b = new(ops, plan, "B", D(2014, 2, 1), D(2014, 2, 5))
    ops.run("dep", lambda s: P.add_dependency(s, a, b, 0))
    ops.run("move", lambda s: P.move_task(s, a, D(2014, 1, 20), expected=P.task_row(s, a).seen))
    assert row(ops, b).start == D(2014, 2, 1)


def test_adding_a_violated_dependency_pushes_the_successor(ops, plan):
    a = new(ops, plan, "A", D(2014, 1, 1), D(2014, 1, 10))
    b = new(ops, plan, "B", D(2014, 1, 5), D(2014, 1, 6))
    ops.run("dep", lambda s: P.add_dependency(s, a, b, 3))
    assert (row(ops, b).start, row(ops, b).end) == (D(2014, 1, 14), D(2014, 1, 15))


def test_cycle_is_refused_with_the_tasks_named(ops, plan):
    a = new(ops, plan, "Affiches", D(2014, 1, 1))
    b = new(ops, plan, "Brochure", D(2014, 1, 2))
    c = new(ops, plan, "Courrier", D(2014, 1, 3))
    ops.run("dep", lambda s: P.add_dependency(s, a, b))
    ops.run("dep", lambda s: P.add_dependency(s, b, c))
    with pytest.raises(ConflictError) as info:
        ops.run("dep", lambda s: P.add_dependency(s, c, a))
    message = str(info.value)
    assert "cycle" in message
    for name in ("« Affiches »", "« Brochure »", "« Courrier »"):
        assert name in message
    with pytest.raises(ConflictError, match="elle-même"):
        ops.run("dep", lambda s: P.add_dependency(s, a, a))
    assert ops.read(lambda s: len(s.scalars(select(TaskDependency)).all())) == 2


def test_save_task_sets_predecessors_and_moving_anchored_task_keeps_anchor(ops, plan):
    a = new(ops, plan, "A", D(2014, 1, 1), D(2014, 1, 10))
    b = new(ops, plan, "B", D(2014, 3, 3), D(2014, 3, 5), anchor="J-30 jours", predecessors=[(a, 0)])
    assert row(ops, b).predecessors == ((a, 0),)
    ops.run("move", lambda s: P.move_task(s, b, D(2014, 3, 10), expected=P.task_row(s, b).seen))
    assert row(ops, b).anchor == "J-23 jours"
    data = P.TaskData(title="B", start=D(2014, 3, 10), end=D(2014, 3, 12), anchor="J-23 jours", predecessors=[])
    ops.run("edit", lambda s: P.update_task(s, b, data, expected=P.task_row(s, b).seen))
    assert row(ops, b).predecessors == ()


def test_delete_tasks_removes_links(ops, plan):
    a = new(ops, plan, "A", D(2014, 1, 1))
    b = new(ops, plan, "B", D(2014, 1, 3), predecessors=[(a, 0)])
    ops.run("del", lambda s: P.delete_tasks(s, [P.task_row(s, a).seen]))
    assert row(ops, b).predecessors == ()
    ops.undo()
    assert row(ops, b).predecessors == ((a, 0),)


# --- demo, templates, copies -----------------------------------------------------------------------


def test_demo_november_2013_has_the_sheet_milestones_and_consistent_links(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    snapshot = demo_ops.read(lambda s: P.planning_snapshot(s, nov))
    milestones = {t.title: t.start for t in snapshot.tasks if t.milestone}
    assert D(2013, 7, 1) in milestones.values() and D(2014, 1, 14) in milestones.values()
    assert snapshot.event_days == (D(2013, 11, 13), D(2013, 11, 16))
    assert P.violated_dependencies(snapshot) == []
    chain = P.critical_chain(snapshot)
    event_task = next(t for t in snapshot.tasks if t.start == D(2013, 11, 13))
    assert event_task.id in chain and len(chain) > 2


def test_builtin_template_is_created_once(demo_ops):
    templates = demo_ops.read(P.list_templates)
    assert [t.name for t in templates if t.builtin] == [P.BUILTIN_TEMPLATE_NAME]
    assert templates[0].task_count == 11
    demo_ops.run("again", P.ensure_builtin_template)
    assert demo_ops.read(lambda s: len(s.scalars(select(PlanningTemplate)).all())) == 1


def test_april_2014_from_builtin_template_lands_relative_to_2_april(demo_ops):
    apr = edition_id(demo_ops, "Avril 2014")
    template = demo_ops.read(P.list_templates)[0]
    demo_ops.run("tpl", lambda s: P.create_planning_from_template(s, apr, template.id))
    snapshot = demo_ops.read(lambda s: P.planning_snapshot(s, apr))
    by_title = {t.title: t for t in snapshot.tasks}
    assert len(snapshot.tasks) == 11
    theme = by_title["Définition du thème à développer pour l'évènement"]
    assert (theme.start, theme.anchor) == (D(2013, 3, 2), "J-13 mois")  # 2 April 2014 - 13 months
    meeting = next(t for t in snapshot.tasks if t.title.startswith("Réunion des acteurs"))
    assert meeting.milestone and meeting.start == D(2014, 4, 2) - dt.timedelta(days=135)  # J-135 as 1 July was for 13 Nov
    event = by_title["Évènement « Les bons jours de l'occasion » (jours J)"]
    assert (event.start, event.end) == (D(2014, 4, 2), D(2014, 4, 5))
    review = next(t for t in snapshot.tasks if t.title.startswith("Réunion « bilan »"))
    assert review.start == D(2014, 4, 2) + (D(2014, 1, 14) - D(2013, 11, 13))
    assert all(t.status == "à faire" and t.progress == 0 for t in snapshot.tasks)
    assert len(snapshot.dependencies) == 12 and P.violated_dependencies(snapshot) == []
    assert next(t for t in snapshot.tasks if t.title.startswith("Création des supports")).owner == \
        "Département – Direction de la communication"
    # A second instantiation must be confirmed.
    with pytest.raises(ConflictError, match="déjà 11 tâche"):
        demo_ops.run("tpl", lambda s: P.create_planning_from_template(s, apr, template.id))
    demo_ops.run("tpl", lambda s: P.create_planning_from_template(s, apr, template.id, replace=True))
    assert len(demo_ops.read(lambda s: P.list_task_rows(s, apr))) == 11


def test_copy_from_previous_edition_is_shifted_with_dependencies(demo_ops):
    nov, apr = edition_id(demo_ops, "Novembre 2013"), edition_id(demo_ops, "Avril 2014")
    demo_ops.run("copy", lambda s: P.copy_planning_from_edition(s, nov, apr))
    source = demo_ops.read(lambda s: P.planning_snapshot(s, nov))
    copy = demo_ops.read(lambda s: P.planning_snapshot(s, apr))
    shift = D(2014, 4, 2) - D(2013, 11, 13)
    assert sorted((t.title, t.start + shift, t.end + shift) for t in source.tasks) == \
        sorted((t.title, t.start, t.end) for t in copy.tasks)
    assert all(t.status == "à faire" for t in copy.tasks)
    assert len(copy.dependencies) == len(source.dependencies)
    titles = {t.id: t.title for t in copy.tasks}
    source_titles = {t.id: t.title for t in source.tasks}
    assert sorted((titles[d.predecessor_id], titles[d.successor_id], d.lag_days) for d in copy.dependencies) == \
        sorted((source_titles[d.predecessor_id], source_titles[d.successor_id], d.lag_days) for d in source.dependencies)


def test_save_as_template_then_reuse(demo_ops):
    nov, apr = edition_id(demo_ops, "Novembre 2013"), edition_id(demo_ops, "Avril 2014")
    template_id = demo_ops.run("save", lambda s: P.save_as_template(s, nov, "Mon modèle")).value
    tasks = demo_ops.read(lambda s: s.get(PlanningTemplate, template_id).tasks and
                          [(t.offset, t.unit, t.dependencies) for t in s.get(PlanningTemplate, template_id).tasks])
    assert tasks[0][:2] == (-408, "jours")  # 1 Oct 2012 from 13 Nov 2013
    assert any(deps for *_x, deps in tasks) and all(isinstance(p, list) and len(p) == 2 for *_x, deps in tasks for p in deps)
    with pytest.raises(ConflictError, match="déjà"):
        demo_ops.run("save", lambda s: P.save_as_template(s, nov, "Mon modèle"))
    with pytest.raises(ValidationError, match="obligatoire"):
        demo_ops.run("save", lambda s: P.save_as_template(s, nov, "  "))
    demo_ops.run("tpl", lambda s: P.create_planning_from_template(s, apr, template_id))
    copy = demo_ops.read(lambda s: P.planning_snapshot(s, apr))
    assert min(t.start for t in copy.tasks) == D(2014, 4, 2) - dt.timedelta(days=408)
    assert len(copy.dependencies) == 12


def test_template_needs_event_days(ops):
    edition = ops.run("e", lambda s: (s.add(Edition(name="Sans date")), s.flush(), s.scalars(select(Edition.id)).one())[2]).value
    template = ops.run("t", P.ensure_builtin_template).value
    with pytest.raises(ValidationError, match="jour d'évènement"):
        ops.run("tpl", lambda s: P.create_planning_from_template(s, edition, template))


def test_chart_rows_group_by_owner_and_phase(demo_ops):
    nov = edition_id(demo_ops, "Novembre 2013")
    tasks = demo_ops.read(lambda s: P.list_task_rows(s, nov))
    by_owner = P.chart_rows(tasks, "owner")
    assert by_owner[0].is_group and by_owner[0].label.startswith("Département – Animation")
    assert sum(1 for r in by_owner if r.is_group) == 4 and len(by_owner) == 15
    by_phase = P.chart_rows(tasks, "phase")
    assert [r.label for r in by_phase if r.is_group] == ["Préparation", "Communication", "Logistique", "Évènement", "Bilan"]
    assert len(P.chart_rows(tasks, "none")) == 11
