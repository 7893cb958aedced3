"""The Maine-et-Loire example data."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bonsjours_desktop.core.db import integrity_problems
from bonsjours_desktop.core.demo import load_demo
from bonsjours_desktop.core.models import BudgetLine, Edition, Item, Participation, Shop, Task
from bonsjours_desktop.core.operations import OperationRunner


def test_demo_holds_the_sheets_editions_milestones_budget_and_games(demo_db):
    with demo_db.session() as s:
        editions = {e.name: e for e in s.scalars(select(Edition))}
        assert set(editions) == {"Novembre 2013", "Avril 2014"}
        nov, apr = editions["Novembre 2013"], editions["Avril 2014"]
        assert [d.day.isoformat() for d in nov.event_days] == ["2013-11-13", "2013-11-16"]
        assert [d.day.isoformat() for d in apr.event_days] == ["2014-04-02", "2014-04-05"]
        assert [d.day.weekday() for d in apr.event_days] == [2, 5]  # Wednesday, Saturday
        assert len(nov.participations) == 17 and len(apr.participations) == 20
        tasks = s.scalars(select(Task).where(Task.edition_id == nov.id).order_by(Task.start)).all()
        assert tasks[0].start.isoformat() == "2012-10-01"
        assert tasks[-1].title.startswith("Réunion « bilan »") and tasks[-1].end.isoformat() == "2014-01-14"
        assert any(t.milestone and t.start.isoformat() == "2013-07-01" for t in tasks)
        counted = [l for l in nov.budget_lines if not l.is_overhead]
        assert sum((l.amount_ttc for l in counted), Decimal("0")) == Decimal("41500.00")
        assert all(l.amount_ht + l.amount_vat == l.amount_ttc for l in nov.budget_lines)
        assert {l.category.name for l in counted} == {"fournitures", "supports de communication", "achat d'espaces", "impressions"}
        kinds = s.execute(select(Item.kind, func.count()).group_by(Item.kind)).all()
        assert sorted(n for _, n in kinds) == [4, 4, 4]
        assert all(shop.is_example for shop in s.scalars(select(Shop)))
    assert integrity_problems(demo_db) == []


def test_demo_twice_duplicates_nothing(demo_db):
    def counts():
        with demo_db.session() as s:
            return [s.scalar(select(func.count()).select_from(m)) for m in (Shop, Edition, Participation, Task, BudgetLine, Item)]

    before = counts()
    changes = OperationRunner(demo_db).run("Exemple", lambda s: load_demo(s, living=False) and None)
    assert counts() == before
    assert not changes.touches("shops", "participations", "tasks", "budget_lines")


def _load_living(database):
    from bonsjours_desktop.core.demo import living

    return OperationRunner(database).run("Exemple vivant", lambda s: living.load(s, {}) and None)


def test_living_example_shows_every_dashboard_section_at_the_real_date(demo_db):
    import datetime as dt

    from bonsjours_desktop.core import clock
    from bonsjours_desktop.core.dashboard import dashboard
    from bonsjours_desktop.core.editions import current_edition_id

    today = clock.today()
    _load_living(demo_db)
    with demo_db.session() as s:
        example = s.scalars(select(Edition).where(Edition.name.startswith("Exemple – "))).one()
        assert example.is_example
        first, last = [d.day for d in example.event_days]
        assert (first.weekday(), last.weekday()) == (2, 5) and last - first == dt.timedelta(days=3)
        assert dt.timedelta(weeks=6) <= first - today < dt.timedelta(weeks=7)
        assert current_edition_id(s, today) == example.id
        board = dashboard(s, today, example.id)
        assert board.countdown is not None and board.countdown.edition_id == example.id
        assert any(r.detail.endswith(example.name) for r in board.late_tasks)
        assert any(r.detail.endswith(example.name) for r in board.upcoming_tasks)
        assert any(r.detail.endswith(example.name) for r in board.loans)
        assert any("pressentie" in r.detail for r in board.shops)
        assert any("aucune animation" in r.detail for r in board.shops)
        assert board.partners and board.budget is not None and board.budget.consumed > 0
        statuses = {line.status for line in example.budget_lines}
        assert statuses == {"prévu", "engagé", "facturé", "payé"}
        tasks = s.scalars(select(Task).where(Task.edition_id == example.id)).all()
        assert {t.status for t in tasks} >= {"terminée", "en cours"}
        confirmed = [p for p in example.participations if p.status == "confirmée" and p.animations]
        assert confirmed and any(p.event_hours for p in confirmed)
    assert integrity_problems(demo_db) == []


def test_living_example_follows_today_and_is_added_once(demo_db):
    import datetime as dt

    from bonsjours_desktop.core import clock

    clock.set_today(dt.date(2030, 3, 1))
    _load_living(demo_db)
    changes = _load_living(demo_db)
    assert not changes.touches("editions", "tasks", "loans")
    with demo_db.session() as s:
        names = [e.name for e in s.scalars(select(Edition).where(Edition.is_example.is_(True)))]
        assert names == ["Exemple – avril 2030"]


@pytest.mark.parametrize("today", ["2013-10-01", "2014-02-15", "2014-04-02"])
def test_living_example_placed_among_the_historical_editions_lends_only_free_items(demo_db, today):
    """--today inside the 2013–2014 editions: the example's loans avoid the items those editions lent
    over the same dates (the demo used to stop on « ROUE-01 est déjà prêté »)."""
    import datetime as dt

    from bonsjours_desktop.core import clock
    from bonsjours_desktop.core.models import Loan

    clock.set_today(dt.date.fromisoformat(today))
    _load_living(demo_db)
    with demo_db.session() as s:
        example = s.scalars(select(Loan).where(Loan.is_example.is_(True))).all()
        assert example  # some loans out in the example
        for loan in example:
            for other in s.scalars(select(Loan).where(Loan.item_id == loan.item_id, Loan.id != loan.id)):
                until = other.returned_date or other.pickup_date
                assert not (other.delivery_date <= loan.pickup_date and loan.delivery_date <= until)
