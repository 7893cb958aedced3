"""Refresh when shown: declared tables match what each tab reads; hidden tabs go stale and reload when shown;
the tab that made a change shows it without another tab reloading for nothing."""

import re

import pytest
from sqlalchemy import event, select

from bonsjours_desktop.core.models import Base, Shop
from bonsjours_desktop.core.shops import shop_input, update_shop
from bonsjours_desktop.core.versions import snapshot
from bonsjours_desktop.ui.main_window import TAB_SPECS

TABLES = set(Base.metadata.tables)
# Tables a tab shows that its reload reads only when some row needs them (none in the demo).
READ_WITH_DATA = {
    ("Tableau de bord", "items"): "l'identifiant du matériel d'un prêt en retard (aucun dans la démo)",
}


def tables_read(sql: str) -> set[str]:
    """Tables named after FROM / JOIN (or in a FROM list) of one SQL statement."""
    found = set()
    for table in TABLES:
        if re.search(rf'(?:\bFROM|\bJOIN|,)\s+"?{table}"?(?=[\s,)]|$)', sql, re.IGNORECASE):
            found.add(table)
    return found


class ReadRecorder:
    """Every table read by the statements run on an engine while it listens."""

    def __init__(self, engine):
        self.engine = engine
        self.tables: set[str] = set()

    def _record(self, _conn, _cursor, statement, _params, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.tables |= tables_read(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)


def test_the_sql_parser_sees_joins_and_from_lists():
    assert tables_read('SELECT shops.id FROM shops LEFT OUTER JOIN territories AS t1 ON t1.id = shops.territory_id') \
        == {"shops", "territories"}
    assert tables_read("SELECT a.x FROM editions, event_days WHERE 1") == {"editions", "event_days"}
    assert tables_read("SELECT loans.shop_id FROM loans") == {"loans"}


@pytest.mark.parametrize("title", [spec[0] for spec in TAB_SPECS])
def test_declared_tables_are_what_reload_reads(main_window, demo_db, title):
    tab = main_window.show_tab(title)
    combo = main_window.edition_combo
    with ReadRecorder(demo_db.engine) as recorder:
        # What a reload reads depends on the data (no tasks, no owners to look up): every demo edition.
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            tab.reload()
    assert recorder.tables, f"{title} : reload() ne lit rien ?"
    declared = set(tab.tables)
    recorder.tables |= {table for (tab_title, table) in READ_WITH_DATA if tab_title == title}
    assert recorder.tables - declared == set(), f"{title} lit des tables non déclarées (pas rechargé quand elles changent)"
    assert declared - recorder.tables == set(), f"{title} déclare des tables que reload() ne lit pas (rechargé pour rien)"


def _rename(window, parent, shop_id: int, name: str):
    context = window.context
    data = context.read(lambda s: shop_input(s, shop_id))
    seen = context.read(lambda s: snapshot(s, Shop, shop_id))
    data.name = name
    return context.run(parent, "Renommer", lambda s: update_shop(s, shop_id, data, expected=seen, check_duplicates=False))


def _reloads(tab, monkeypatch) -> list:
    calls = []
    original = tab.reload
    monkeypatch.setattr(tab, "reload", lambda *a, **k: (calls.append(1), original(*a, **k))[1])
    return calls


def test_hidden_tab_goes_stale_and_reloads_when_shown(main_window, demo_db, monkeypatch):
    participations = main_window.show_tab("Participations")
    shops = main_window.show_tab("Boutiques")
    calls = _reloads(participations, monkeypatch)
    shop_id = shops.model.row_at(0).id
    changes = _rename(main_window, shops, shop_id, "Ressourcerie renommée")
    assert changes is not None and changes.initiator is shops
    assert calls == [] and participations.stale
    assert "Ressourcerie renommée" not in [r.shop_name for r in participations.model.rows()]
    main_window.show_tab("Participations")
    assert calls == [1] and not participations.stale
    assert "Ressourcerie renommée" in [r.shop_name for r in participations.model.rows()]


def test_shown_tab_reloads_at_once_when_another_made_the_change(main_window, monkeypatch):
    shops = main_window.show_tab("Boutiques")
    participations = main_window.tab("Participations")
    calls = _reloads(shops, monkeypatch)
    shop_id = shops.model.row_at(0).id
    _rename(main_window, participations, shop_id, "Changée ailleurs")  # e.g. a dialog of another tab
    assert calls == [1] and not shops.stale
    assert shops.model.row_at(shops.model.row_of(lambda r: r.id == shop_id)).name == "Changée ailleurs"


def test_the_initiating_tab_updates_in_place_and_keeps_its_selection(main_window, demo_db, monkeypatch):
    shops = main_window.show_tab("Boutiques")
    calls = _reloads(shops, monkeypatch)
    resets = []
    shops.model.modelReset.connect(lambda: resets.append(1))
    shop_id = shops.model.row_at(0).id
    shops.select_shop(shop_id)
    # Same place in the order (the demo's first shop by name keeps its first letters).
    name = shops.model.row_at(0).name + " bis"
    _rename(main_window, shops, shop_id, name)
    assert calls == [] and resets == []
    row = shops.model.row_of(lambda r: r.id == shop_id)
    assert shops.model.row_at(row).name == name
    assert shops.current_shop_id() == shop_id
    with demo_db.session() as session:
        assert session.scalar(select(Shop.name).where(Shop.id == shop_id)) == name


def test_the_initiating_tab_moves_a_renamed_row_to_its_place(main_window):
    shops = main_window.show_tab("Boutiques")
    shop_id = shops.model.row_at(0).id
    _rename(main_window, shops, shop_id, "Zzz dernière boutique")
    assert shops.model.row_at(shops.model.rowCount() - 1).id == shop_id


def test_undo_reloads_the_shown_tab_and_marks_the_others(main_window, monkeypatch):
    shops = main_window.show_tab("Boutiques")
    dashboard = main_window.tab("Tableau de bord")
    shop_id = shops.model.row_at(0).id
    old = shops.model.row_at(0).name
    _rename(main_window, shops, shop_id, "Avant annulation")
    main_window.undo()
    assert shops.model.row_at(shops.model.row_of(lambda r: r.id == shop_id)).name == old
    assert dashboard.stale


def test_edition_change_reloads_only_the_shown_tab(main_window, monkeypatch):
    from PySide6.QtCore import Qt

    combo = main_window.edition_combo
    combo.setCurrentIndex(combo.findText("Avril 2014", Qt.MatchStartsWith))
    planning = main_window.show_tab("Planning")
    budget = main_window.tab("Budget")
    main_window.show_tab("Planning")
    calls = _reloads(budget, monkeypatch)
    combo.setCurrentIndex(combo.findText("Novembre 2013", Qt.MatchStartsWith))
    assert planning.model.rowCount() == 11
    assert calls == [] and budget.stale
    main_window.show_tab("Budget")
    assert calls == [1]
