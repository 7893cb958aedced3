"""The operation layer: one transaction per action, generic undo/redo, conflicts refused."""

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core.errors import UndoConflictError, ValidationError
from bonsjours_desktop.core.models import Animation, Edition, EventDay, Participation, Shop, Task


def count(database, model):
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def first_shop_name(database):
    with database.session() as session:
        return session.scalars(select(Shop).order_by(Shop.id)).first().name


def test_undo_and_redo_an_edit(demo_db, demo_ops):
    original = first_shop_name(demo_db)

    def rename(session):
        session.scalars(select(Shop).order_by(Shop.id)).first().name = "Emmaüs & Cie <Saumur>"

    changes = demo_ops.run("Renommer", rename)
    assert changes.touches("shops") and demo_ops.undo_text == "Renommer"
    assert first_shop_name(demo_db) == "Emmaüs & Cie <Saumur>"
    demo_ops.undo()
    assert first_shop_name(demo_db) == original
    demo_ops.redo()
    assert first_shop_name(demo_db) == "Emmaüs & Cie <Saumur>"


def test_undo_a_delete_restores_cascaded_rows(demo_db, demo_ops):
    counts = {m: count(demo_db, m) for m in (Edition, EventDay, Participation, Animation, Task)}

    def delete_edition(session):
        session.delete(session.scalars(select(Edition).filter_by(name="Novembre 2013")).one())

    demo_ops.run("Supprimer l'édition", delete_edition)
    assert count(demo_db, Task) == 0
    demo_ops.undo()
    assert {m: count(demo_db, m) for m in counts} == counts
    demo_ops.redo()
    assert count(demo_db, Edition) == counts[Edition] - 1


def test_undo_an_insert(ops, db):
    changes = ops.run("Créer", lambda s: s.add(Shop(name="Nouvelle", commune="Angers")))
    assert changes.touches("shops")
    assert count(db, Shop) == 1
    ops.undo()
    assert count(db, Shop) == 0
    assert ops.can_redo and not ops.can_undo


def test_failed_action_writes_nothing_and_records_no_undo(ops, db):
    def half(session):
        session.add(Shop(name="A", commune="Angers"))
        session.flush()
        raise ValidationError({"name": "Le nom est obligatoire."})

    with pytest.raises(ValidationError):
        ops.run("Créer", half)
    assert count(db, Shop) == 0
    assert not ops.can_undo


def test_undo_refuses_when_the_row_changed_since(ops, db):
    ops.run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))

    def rename(session):
        session.scalars(select(Shop)).one().name = "B"

    ops.run("Renommer", rename)
    with db.engine.begin() as conn:  # another user changes it behind our back
        conn.exec_driver_sql("UPDATE shops SET name = 'C'")
    with pytest.raises(UndoConflictError):
        ops.undo()
    assert first_shop_name(db) == "C"


def test_new_action_clears_redo(ops):
    ops.run("Créer A", lambda s: s.add(Shop(name="A", commune="Angers")))
    ops.undo()
    ops.run("Créer B", lambda s: s.add(Shop(name="B", commune="Angers")))
    assert not ops.can_redo


def test_listeners_receive_changes(ops):
    seen = []
    ops.listeners.append(seen.append)
    ops.run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))
    ops.undo()
    assert [c.description for c in seen] == ["Créer", "Annuler : Créer"]
    assert all(c.touches("shops") for c in seen)
