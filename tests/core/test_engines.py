"""The same core on SQLite and PostgreSQL: schema, demo, undo, integrity, and two-session conflicts."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core.db import head_revision, integrity_problems
from bonsjours_desktop.core.demo import load_demo
from bonsjours_desktop.core.models import BudgetLine, Edition, Participation, Shop, Task
from bonsjours_desktop.core.operations import ConcurrentEditError, OperationRunner, snapshot


def load(database):
    OperationRunner(database).run("Exemple", lambda s: load_demo(s, living=False) and None, undoable=False)


def test_schema_demo_and_integrity_on_each_engine(engine_db):
    load(engine_db)
    load(engine_db)  # idempotent on both engines
    with engine_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Shop)) == 20
        nov = s.scalars(select(Edition).filter_by(name="Novembre 2013")).one()
        ttc = s.scalar(select(func.sum(BudgetLine.amount_ttc)).where(BudgetLine.edition_id == nov.id,
                                                                      BudgetLine.is_overhead.is_(False)))
        # Money is integer cents in the database; SUM keeps the column type, so euros come back exact.
        assert ttc == Decimal("41500.00")
    assert integrity_problems(engine_db) == []
    with engine_db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()


def test_undo_redo_of_a_cascading_delete_on_each_engine(engine_db):
    load(engine_db)
    ops = OperationRunner(engine_db)

    def counts():
        with engine_db.session() as s:
            return [s.scalar(select(func.count()).select_from(m)) for m in (Edition, Participation, Task)]

    before = counts()
    ops.run("Supprimer", lambda s: s.delete(s.scalars(select(Edition).filter_by(name="Novembre 2013")).one()))
    assert counts() != before
    ops.undo()
    assert counts() == before
    ops.redo()
    ops.undo()
    assert counts() == before and integrity_problems(engine_db) == []


def test_second_save_of_the_same_record_is_refused_with_what_changed(engine_db):
    first, second = OperationRunner(engine_db), OperationRunner(engine_db)
    first.run("Créer", lambda s: s.add(Shop(name="Ressourcerie", commune="Angers")))
    shop_id = first.read(lambda s: s.scalars(select(Shop)).one().id)
    # Two coordinators open the same shop form.
    seen_by_first = first.read(lambda s: snapshot(s, Shop, shop_id))
    seen_by_second = second.read(lambda s: snapshot(s, Shop, shop_id))

    def rename(new):
        def action(session):
            session.get(Shop, shop_id).name = new
        return action

    first.run("Renommer", rename("Ressourcerie du Layon"), expect=[seen_by_first])
    with pytest.raises(ConcurrentEditError) as refused:
        second.run("Renommer", rename("Ressourcerie d'Anjou"), expect=[seen_by_second])
    assert "« Ressourcerie » → « Ressourcerie du Layon »" in str(refused.value)
    assert refused.value.changes == [("Nom", "Ressourcerie", "Ressourcerie du Layon")]
    assert first.read(lambda s: s.get(Shop, shop_id).name) == "Ressourcerie du Layon"
    # After reloading, the second coordinator can save.
    reloaded = second.read(lambda s: snapshot(s, Shop, shop_id))
    second.run("Renommer", rename("Ressourcerie d'Anjou"), expect=[reloaded])
    assert first.read(lambda s: s.get(Shop, shop_id).name) == "Ressourcerie d'Anjou"


def test_deleted_by_another_user_is_refused(engine_db):
    first, second = OperationRunner(engine_db), OperationRunner(engine_db)
    first.run("Créer", lambda s: s.add(Shop(name="Ressourcerie", commune="Angers")))
    shop_id = first.read(lambda s: s.scalars(select(Shop)).one().id)
    seen = second.read(lambda s: snapshot(s, Shop, shop_id))
    first.run("Supprimer", lambda s: s.delete(s.get(Shop, shop_id)))
    with pytest.raises(ConcurrentEditError, match="supprimée entre-temps par un autre utilisateur") as refused:
        second.run("Renommer", lambda s: None, expect=[seen])
    assert refused.value.deleted


def test_orm_version_check_catches_a_race_inside_one_save(engine_db):
    OperationRunner(engine_db).run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))

    # Two sessions: the ORM's version check refuses the stale UPDATE.
    from sqlalchemy.orm import Session

    with Session(engine_db.engine, expire_on_commit=False) as stale, Session(engine_db.engine) as fresh:
        a = stale.scalars(select(Shop)).one()
        stale.commit()  # the form was filled; no transaction (nor SQLite read lock) is kept open
        b = fresh.scalars(select(Shop)).one()
        b.name = "par l'autre"
        fresh.commit()
        a.name = "par moi"
        from sqlalchemy.orm.exc import StaleDataError

        with pytest.raises(StaleDataError):
            stale.commit()


def test_undo_restores_the_version_with_the_content(engine_db):
    ops = OperationRunner(engine_db)
    ops.run("Créer", lambda s: s.add(Shop(name="A", commune="Angers")))
    shop_id = ops.read(lambda s: s.scalars(select(Shop)).one().id)
    form_before = ops.read(lambda s: snapshot(s, Shop, shop_id))
    ops.run("Renommer", lambda s: setattr(s.get(Shop, shop_id), "name", "B"))
    form_after = ops.read(lambda s: snapshot(s, Shop, shop_id))
    ops.undo()  # back to "A": a form showing "B" is stale, one showing "A" is not
    with pytest.raises(ConcurrentEditError, match="« B » → « A »"):
        ops.run("Renommer", lambda s: setattr(s.get(Shop, shop_id), "name", "C"), expect=[form_after])
    ops.run("Renommer", lambda s: setattr(s.get(Shop, shop_id), "name", "D"), expect=[form_before])
    assert ops.read(lambda s: s.get(Shop, shop_id).name) == "D"


def test_a_row_held_by_another_transaction_is_busy_not_a_wait_for_ever(engine_db, monkeypatch):
    """SQLite gives up after its busy timeout; PostgreSQL would wait for ever without lock_timeout."""
    from bonsjours_desktop.core import db as db_module
    from bonsjours_desktop.core.db import open_database
    from bonsjours_desktop.core.errors import DatabaseBusyError

    ops = OperationRunner(engine_db)
    shop_id = ops.run("Créer", lambda s: _new_shop(s)).value
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 300)
    colleague = open_database(engine_db.url)  # a second program on the same base, with the short limit
    other = colleague.write_session()
    try:
        other.get(Shop, shop_id).notes = "Saisie en cours chez une collègue"
        other.flush()  # the row (the whole file on SQLite) is now held by the colleague's open transaction
        mine = open_database(engine_db.url)
        try:
            with pytest.raises(DatabaseBusyError, match="Base occupée"):
                OperationRunner(mine).run("Modifier", lambda s: setattr(s.get(Shop, shop_id), "notes", "La mienne"))
        finally:
            mine.dispose()
    finally:
        other.rollback()
        other.close()
        colleague.dispose()
    assert ops.read(lambda s: s.get(Shop, shop_id).notes) in (None, "")


def _new_shop(session) -> int:
    shop = Shop(name="Ressourcerie des Mauges", commune="Beaupréau")
    session.add(shop)
    session.flush()
    return shop.id
