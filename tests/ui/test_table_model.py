"""The generic table model sorts itself in French order (no Python lessThan) and its proxy filters from a list."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt

from bonsjours_desktop.ui.models.table import Column, RowTableModel, SearchProxyModel, collation_key
from bonsjours_desktop.ui.tabs.base import make_table_view

COLUMNS = [
    Column("Nom", lambda r: r[0]),
    Column("Montant", lambda r: "" if r[1] is None else str(r[1]), sort_key=lambda r: r[1]),
    Column("Date", lambda r: "" if r[2] is None else r[2].isoformat(), sort_key=lambda r: r[2]),
]
ROWS = [
    ("Zèbre", Decimal("10"), dt.date(2014, 4, 2)),
    ("église", Decimal("9.5"), None),
    ("Eau", None, dt.date(2013, 11, 13)),
    ("", Decimal("100"), dt.date(2013, 1, 1)),
    ("Fer", Decimal("-1"), dt.date(2013, 11, 14)),
    ("École", Decimal("2"), dt.date(2015, 1, 1)),
]


def _shown(proxy, column=0):
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _setup(qtbot):
    model = RowTableModel(COLUMNS)
    proxy = SearchProxyModel()
    proxy.setSourceModel(model)
    view = make_table_view()
    qtbot.addWidget(view)
    view.setModel(proxy)
    model.set_rows(ROWS, lambda r: r[0])
    return model, proxy, view


def test_french_text_order_accents_and_case_ignored_empty_last(qtbot):
    _model, proxy, view = _setup(qtbot)
    view.sortByColumn(0, Qt.AscendingOrder)
    assert _shown(proxy) == ["Eau", "École", "église", "Fer", "Zèbre", ""]
    view.sortByColumn(0, Qt.DescendingOrder)
    assert _shown(proxy) == ["Zèbre", "Fer", "église", "École", "Eau", ""]


def test_numbers_and_dates_sort_as_such_empty_last_both_ways(qtbot):
    _model, proxy, view = _setup(qtbot)
    view.sortByColumn(1, Qt.AscendingOrder)
    assert _shown(proxy) == ["Fer", "École", "église", "Zèbre", "", "Eau"]  # -1 < 2 < 9.5 < 10 < 100, then empty
    view.sortByColumn(1, Qt.DescendingOrder)
    assert _shown(proxy) == ["", "Zèbre", "église", "École", "Fer", "Eau"]
    view.sortByColumn(2, Qt.AscendingOrder)
    assert _shown(proxy) == ["", "Eau", "Fer", "Zèbre", "École", "église"]


def test_sorting_goes_through_the_model_not_a_python_less_than(qtbot, monkeypatch):
    model, proxy, view = _setup(qtbot)
    calls = []
    monkeypatch.setattr(SearchProxyModel, "lessThan", lambda *a: calls.append(a) or True, raising=False)
    view.sortByColumn(0, Qt.DescendingOrder)
    assert calls == []
    assert model.sort_column == 0 and proxy.sortColumn() == 0 and proxy.sortOrder() == Qt.DescendingOrder
    assert QSortFilterProxyModel.sortColumn(proxy) == -1  # the proxy keeps the model's order


def test_sort_keeps_the_selection_and_new_rows_keep_the_order(qtbot):
    model, proxy, view = _setup(qtbot)
    view.sortByColumn(0, Qt.AscendingOrder)
    fer = _shown(proxy).index("Fer")
    view.selectionModel().setCurrentIndex(proxy.index(fer, 0),
                                          QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    view.sortByColumn(0, Qt.DescendingOrder)
    assert view.currentIndex().data() == "Fer"
    model.set_rows(ROWS + [("Abeille", Decimal("1"), None)], lambda r: r[0])
    assert _shown(proxy)[-2:] == ["Abeille", ""]


def test_search_and_predicate_filter_from_folded_text(qtbot):
    model, proxy, view = _setup(qtbot)
    view.sortByColumn(0, Qt.AscendingOrder)
    proxy.set_search("ECOLE")
    assert _shown(proxy) == ["École"]
    proxy.set_search("e")
    proxy.set_predicate(lambda r: r[1] is not None and r[1] > 5)
    assert _shown(proxy) == ["église", "Zèbre"]
    view.sortByColumn(0, Qt.DescendingOrder)  # the accepted rows follow the new order
    assert _shown(proxy) == ["Zèbre", "église"]
    proxy.set_predicate(None)
    proxy.set_search("")
    assert len(_shown(proxy)) == len(ROWS)


def test_collation_key_orders_mixed_values():
    values = ["b", None, 3, dt.date(2013, 1, 1), "", "A", 1.5, ("x", 2)]
    ordered = sorted(values, key=collation_key)
    assert ordered[:5] == [1.5, 3, dt.date(2013, 1, 1), "A", "b"]
    assert ordered[5] == ("x", 2)
    assert set(ordered[6:]) == {None, ""}


def test_model_passes_the_qt_model_tester(qtmodeltester):
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS, lambda r: r[0])
    model.sort(1, Qt.DescendingOrder)
    qtmodeltester.check(model)


def test_the_shops_table_sorts_in_french_order_too(qtbot):
    import dataclasses

    from benchmarks.shop_filter import make_rows
    from bonsjours_desktop.ui.tabs.shops import COLUMNS as SHOP_COLUMNS
    from bonsjours_desktop.ui.tabs.shops import ShopTableModel

    template = make_rows(1)[0]
    names = ["Zèbre solidaire", "Écocyclerie", "Emmaüs", "Fripe", "ecole"]
    model = ShopTableModel(SHOP_COLUMNS)
    model.set_rows([dataclasses.replace(template, id=i, name=name) for i, name in enumerate(names)])
    model.sort(0, Qt.AscendingOrder)
    assert [model.row_at(i).name for i in range(model.rowCount())] == ["Écocyclerie", "ecole", "Emmaüs", "Fripe",
                                                                       "Zèbre solidaire"]
    model.sort(0, Qt.DescendingOrder)
    assert [model.row_at(i).name for i in range(model.rowCount())][0] == "Zèbre solidaire"


def test_shop_search_keys_folded_by_parts_equal_the_whole_text_folded():
    import dataclasses

    from benchmarks.shop_filter import make_rows
    from bonsjours_desktop.core.validation import fold
    from bonsjours_desktop.ui.tabs.shops import folded_search_keys, search_text

    rows = make_rows(300) + [dataclasses.replace(make_rows(1)[0], name="Œuvre  d’Émmaüs", commune="", territory=" x ")]
    assert folded_search_keys(rows) == [fold(search_text(row)) for row in rows]


def test_collation_keys_are_computed_once_per_distinct_value():
    from bonsjours_desktop.ui.models.table import Column, collation_key, collation_keys

    calls = []
    column = Column("Commune", lambda r: calls.append(r) or r["commune"])
    rows = [{"commune": c} for c in ("Angers", "Cholet", "Angers", "Écouflant", "Angers")]
    keys = collation_keys(column, rows)
    assert keys == [collation_key(r["commune"]) for r in rows]
    assert keys[0] is keys[2] is keys[4] and keys[0] is not keys[1]  # one key object per distinct value
    unhashable = Column("Produits", lambda r: r, sort_key=lambda r: list(r))
    assert collation_keys(unhashable, [("b",), ("a",)]) == [collation_key(["b"]), collation_key(["a"])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), st.none(), st.integers(), st.sampled_from(["Église", "eglise", " "])),
                max_size=25))
def test_collation_keys_of_a_column_are_each_value_s_collation_key(values):
    """collation_keys folds the distinct texts together (fold_many): the same keys as one by one."""
    from bonsjours_desktop.ui.models.table import Column, collation_key, collation_keys

    column = Column("Valeur", lambda r: r, sort_key=lambda r: r)
    assert collation_keys(column, values) == [collation_key(v) for v in values]
