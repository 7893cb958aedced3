"""Budget service: demo totals to the cent, line rules (credit notes, negatives), categories, envelope."""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

import bonsjours_desktop.core.budget as budget_module
import bonsjours_desktop.core.io.budget_io as budget_io_module
from bonsjours_desktop.core.budget import (
    BASIS_TTC, BudgetLineInput, add_category, budget_chart_data, budget_summary,
    compute_amounts, create_line, cumulative_spending, delete_category, delete_line, list_categories,
    list_line_rows, move_category, rename_category, set_envelope, total_ttc, update_line,
)
from bonsjours_desktop.core.comparison import compare_editions
from bonsjours_desktop.core.errors import ConflictError, ValidationError
from bonsjours_desktop.core.models import BudgetCategory, BudgetLine, Edition
from bonsjours_desktop.core.versions import snapshot

D = Decimal


def edition_id(session, name="Novembre 2013"):
    return session.scalars(select(Edition).filter_by(name=name)).one().id


def category_id(session, name):
    return session.scalars(select(BudgetCategory).filter_by(name=name)).one().id


def test_demo_november_2013_totals_exactly_41500_by_category_and_overall(demo_ops):
    summary = demo_ops.read(lambda s: budget_summary(s, edition_id(s)))
    assert summary.total_ttc == D("41500.00")
    assert {c.category: c.ttc for c in summary.by_category} == {
        "fournitures": D("4200.00"), "supports de communication": D("12800.00"),
        "achat d'espaces": D("9500.00"), "impressions": D("15000.00"),
    }
    assert sum((c.ttc for c in summary.by_category), D(0)) == D("41500.00")
    assert summary.total_ht + sum((r.amount_vat for r in summary.lines if not r.is_overhead), D(0)) == D("41500.00")
    assert summary.by_status["payé"] == D("41500.00") and summary.spent == D("41500.00")
    # Overheads (staff, vehicles) are valued apart and left out of the TTC total.
    assert summary.overheads_ttc == D("19700.00") and summary.overhead_count == 2
    assert summary.envelope == D("42000.00") and summary.remaining == D("500.00")
    assert not summary.over_envelope and summary.warning == ""
    with_overheads = demo_ops.read(lambda s: budget_summary(s, edition_id(s), include_overheads=True))
    assert with_overheads.total_ttc == D("61200.00")
    assert {c.category for c in with_overheads.by_category} >= {"frais de personnel", "transport et livraisons"}
    assert all(type(v) is Decimal for v in (summary.total_ttc, summary.total_ht, summary.spent, summary.remaining))


def test_create_from_ht_and_from_ttc_then_edit_and_delete(demo_ops):
    def add(session):
        eid = edition_id(session, "Avril 2014")
        a = create_line(session, eid, BudgetLineInput(
            label="Crêpes", category_id=category_id(session, "animations"), supplier="Crêperie",
            amount="1 234,56", vat_rate=D("5.50"), status="engagé", order_date="12/03/2014"))
        b = create_line(session, eid, BudgetLineInput(
            label="Affiches", category_id=category_id(session, "impressions"), amount="100,00",
            basis=BASIS_TTC, vat_rate="20", status="prévu"))
        return a, b

    a, b = demo_ops.run("Ajouter", add).value
    rows = {r.id: r for r in demo_ops.read(lambda s: list_line_rows(s, edition_id(s, "Avril 2014")))}
    assert (rows[a].amount_ht, rows[a].amount_vat, rows[a].amount_ttc) == (D("1234.56"), D("67.90"), D("1302.46"))
    assert rows[a].order_date == dt.date(2014, 3, 12) and rows[a].supplier == "Crêperie"
    assert (rows[b].amount_ht, rows[b].amount_vat, rows[b].amount_ttc) == (D("83.33"), D("16.67"), D("100.00"))

    def edit(session):
        data = BudgetLineInput.from_row(rows[b])
        data.label, data.status, data.invoice_ref = "Affiches A3", "facturé", "F-12"
        return update_line(session, b, data, expected=snapshot(session, BudgetLine, b))

    changes = demo_ops.run("Modifier", edit)
    assert changes.touches("budget_lines")
    row = demo_ops.read(lambda s: budget_module.get_line_row(s, b))
    assert (row.label, row.status, row.invoice_ref, row.amount_ttc) == ("Affiches A3", "facturé", "F-12", D("100.00"))
    demo_ops.undo()
    assert demo_ops.read(lambda s: budget_module.get_line_row(s, b)).label == "Affiches"
    demo_ops.run("Supprimer", lambda s: delete_line(s, a, expected=snapshot(s, BudgetLine, a)))
    assert demo_ops.read(lambda s: s.get(BudgetLine, a) is None)
    demo_ops.undo()
    assert demo_ops.read(lambda s: s.get(BudgetLine, a).label) == "Crêpes"


def test_editing_a_ttc_line_keeps_its_ttc_to_the_cent():
    # 100,00 TTC at 5,5 %: HT 94,79 → from HT the VAT would give 100,00? The input remembers the TTC basis.
    row = budget_module.BudgetLineRow(
        id=1, category="x", label="x", supplier="", amount_ht=D("94.79"), vat_rate=D("5.50"), amount_vat=D("5.22"),
        amount_ttc=D("100.01"), status="prévu", is_credit_note=False, is_overhead=False, invoice_date=None)
    data = BudgetLineInput.from_row(row)
    assert data.basis == BASIS_TTC and data.amount == D("100.01")
    assert compute_amounts(data.amount, data.vat_rate, data.basis).ttc == D("100.01")


def _line(session, amount, credit=False, **extra):
    return create_line(session, edition_id(session), BudgetLineInput(
        label="Ligne d'essai", category_id=category_id(session, "autre"), amount=amount, is_credit_note=credit, **extra))


def test_credit_notes_must_be_negative_and_other_negatives_are_refused(demo_ops):
    with pytest.raises(ValidationError) as refused:
        demo_ops.run("x", lambda s: _line(s, "-50,00"))
    assert "seul un avoir peut être négatif" in str(refused.value)
    with pytest.raises(ValidationError) as positive_credit:
        demo_ops.run("x", lambda s: _line(s, "50,00", credit=True))
    assert "Un avoir est une ligne négative" in str(positive_credit.value)
    line_id = demo_ops.run("x", lambda s: _line(s, "-50,00", credit=True, status="facturé")).value
    row = demo_ops.read(lambda s: budget_module.get_line_row(s, line_id))
    assert (row.amount_ht, row.amount_vat, row.amount_ttc, row.is_credit_note) == (D("-50.00"), D("-10.00"), D("-60.00"), True)
    summary = demo_ops.read(lambda s: budget_summary(s, edition_id(s)))
    assert summary.total_ttc == D("41440.00") and summary.credit_notes_ttc == D("-60.00")


@pytest.mark.parametrize("field, value, message", [
    ("label", "   ", "Le libellé de la ligne est obligatoire"),
    ("amount", "douze", "n'est pas un montant valide"),
    ("amount", "12,345", "plus de deux décimales"),
    ("vat_rate", "7", "Le taux de TVA 7 % n'existe pas"),
    ("status", "réglé", "Le statut « réglé » n'existe pas"),
    ("invoice_date", "31/02/2014", "La date de facture « 31/02/2014 » n'est pas une date valide"),
])
def test_bad_input_is_refused_in_french_and_nothing_written(demo_ops, field, value, message):
    def add(session):
        data = BudgetLineInput(label="Essai", category_id=category_id(session, "autre"), amount="10")
        setattr(data, field, value)
        return create_line(session, edition_id(session), data)

    before = demo_ops.read(lambda s: len(list_line_rows(s, edition_id(s))))
    with pytest.raises(ValidationError) as error:
        demo_ops.run("x", add)
    assert message in str(error.value)
    assert field in error.value.errors
    assert demo_ops.read(lambda s: len(list_line_rows(s, edition_id(s)))) == before


def test_text_is_stored_as_typed(demo_ops):
    line_id = demo_ops.run("x", lambda s: _line(s, "10", supplier="  L'Atelier « Bis »  ", notes="ligne 1\nligne 2")).value
    row = demo_ops.read(lambda s: budget_module.get_line_row(s, line_id))
    assert row.supplier == "  L'Atelier « Bis »  " and row.notes == "ligne 1\nligne 2"


def test_overheads_are_apart_unless_asked(demo_ops):
    demo_ops.run("x", lambda s: _line(s, "300", is_overhead=True, vat_rate=D("0")))
    rows = demo_ops.read(lambda s: list_line_rows(s, edition_id(s)))
    assert total_ttc(rows) == D("41500.00")
    assert total_ttc(rows, include_overheads=True) == D("61500.00")
    summary = demo_ops.read(lambda s: budget_summary(s, edition_id(s)))
    assert summary.overheads_ttc == D("20000.00") and summary.overhead_count == 3


def test_envelope_and_over_envelope_warning(demo_ops):
    eid = demo_ops.read(edition_id)
    demo_ops.run("Enveloppe", lambda s: set_envelope(s, eid, "41 000,00", expected=snapshot(s, Edition, eid)))
    summary = demo_ops.read(lambda s: budget_summary(s, eid))
    assert summary.envelope == D("41000.00") and summary.remaining == D("-500.00")
    assert summary.over_envelope
    assert summary.warning.startswith("Dépassement de l'enveloppe : 41 500,00 € engagés")
    assert "dépassement de 500,00 €" in summary.warning
    # Planned spending does not count as spent, but passing the envelope with it is a softer warning.
    demo_ops.run("Enveloppe", lambda s: set_envelope(s, eid, "41500", expected=snapshot(s, Edition, eid)))
    assert not demo_ops.read(lambda s: budget_summary(s, eid)).over_envelope
    demo_ops.run("x", lambda s: _line(s, "100", status="prévu"))
    summary = demo_ops.read(lambda s: budget_summary(s, eid))
    assert not summary.over_envelope and summary.planned_over_envelope
    assert summary.warning.startswith("Attention : avec le prévu")
    demo_ops.run("x", lambda s: _line(s, "1", status="engagé"))
    assert demo_ops.read(lambda s: budget_summary(s, eid)).over_envelope
    with pytest.raises(ValidationError, match="ne peut pas être négative"):
        demo_ops.run("Enveloppe", lambda s: set_envelope(s, eid, "-1", expected=snapshot(s, Edition, eid)))
    demo_ops.run("Enveloppe", lambda s: set_envelope(s, eid, "", expected=snapshot(s, Edition, eid)))
    summary = demo_ops.read(lambda s: budget_summary(s, eid))
    assert summary.envelope is None and summary.remaining is None and summary.warning == ""


def test_categories_add_rename_reorder_and_delete_only_when_unused(demo_ops):
    new_id = demo_ops.run("x", lambda s: add_category(s, "Location de salle")).value
    names = [c.name for c in demo_ops.read(list_categories)]
    assert names[-1] == "Location de salle"
    with pytest.raises(ConflictError, match="existe déjà"):
        demo_ops.run("x", lambda s: add_category(s, "IMPRESSIONS"))
    with pytest.raises(ValidationError, match="obligatoire"):
        demo_ops.run("x", lambda s: add_category(s, "  "))
    demo_ops.run("x", lambda s: move_category(s, new_id, -100, expected=snapshot(s, BudgetCategory, new_id)))
    assert [c.name for c in demo_ops.read(list_categories)][0] == "Location de salle"
    demo_ops.run("x", lambda s: rename_category(s, new_id, "Location de salles", expected=snapshot(s, BudgetCategory, new_id)))
    assert demo_ops.read(list_categories)[0].name == "Location de salles"
    impressions = demo_ops.read(lambda s: category_id(s, "impressions"))
    with pytest.raises(ConflictError) as used:
        demo_ops.run("x", lambda s: delete_category(s, impressions, expected=snapshot(s, BudgetCategory, impressions)))
    assert "« impressions » est utilisée par 6 ligne(s)" in str(used.value) and "Novembre 2013" in str(used.value)
    demo_ops.run("x", lambda s: delete_category(s, new_id, expected=snapshot(s, BudgetCategory, new_id)))
    assert "Location de salles" not in [c.name for c in demo_ops.read(list_categories)]
    demo_ops.undo()
    assert "Location de salles" in [c.name for c in demo_ops.read(list_categories)]
    # Renaming a used category carries its lines along (they point to it by id).
    demo_ops.run("x", lambda s: rename_category(s, impressions, "Impressions et reprographie", expected=snapshot(s, BudgetCategory, impressions)))
    summary = demo_ops.read(lambda s: budget_summary(s, edition_id(s)))
    assert {c.category: c.ttc for c in summary.by_category}["Impressions et reprographie"] == D("15000.00")


def test_cumulative_spending_counts_actual_lines_and_puts_undated_ones_on_the_first_day(demo_ops):
    def add(session):
        eid = edition_id(session, "Avril 2014")
        create_line(session, eid, BudgetLineInput(label="Sans date", category_id=category_id(session, "autre"),
                                                  amount="50", vat_rate="0", status="payé"))

    demo_ops.run("x", add)
    data = demo_ops.read(lambda s: budget_chart_data(s, edition_id(s, "Avril 2014")))
    assert data.first_day == dt.date(2014, 4, 2)
    assert data.cumulative[-1].day == dt.date(2014, 4, 2)
    assert data.cumulative[-1].total == data.summary.spent
    days = [p.day for p in data.cumulative]
    assert days == sorted(days)
    # Planned lines never count as spending (the April example plans 4 500,00 €).
    assert data.summary.planned == D("4500.00") and data.summary.spent < data.summary.total_ttc
    assert cumulative_spending([], None) == []


def test_edition_comparison_total_and_per_shop(demo_ops):
    editions = demo_ops.read(compare_editions)
    nov = next(e for e in editions if e.name == "Novembre 2013")
    assert (nov.total_ttc, nov.shops, nov.cost_per_shop) == (D("41500.00"), 17, D("2441.18"))
    assert [e.name for e in editions] == ["Novembre 2013", "Avril 2014"]
    # The budget charts and the Bilan tab read the same comparison: one total per edition, the
    # budget summary's own.
    for edition in editions:
        assert edition.total_ttc == demo_ops.read(lambda s: budget_summary(s, edition.edition_id)).total_ttc
    with_overheads = demo_ops.read(lambda s: compare_editions(s, include_overheads=True))[0]
    assert with_overheads.total_ttc == D("41500.00") + D("19700.00")
    charts = demo_ops.read(lambda s: budget_chart_data(s, nov.edition_id))
    assert [e.cost_per_shop for e in charts.editions] == [e.cost_per_shop for e in editions]


def test_no_float_in_budget_code_paths():
    """Money is Decimal end to end: no float() call or float literal in the budget core and export."""
    for module in (budget_module, budget_io_module):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        floats = [node.lineno for node in ast.walk(tree)
                  if (isinstance(node, ast.Name) and node.id == "float" and not _in_type_check(tree, node))
                  or (isinstance(node, ast.Constant) and isinstance(node.value, float))]
        assert floats == [], f"float dans {Path(module.__file__).name}, lignes {floats}"
    with pytest.raises(TypeError):
        compute_amounts(12.5, D("20"))  # type: ignore[arg-type]


def _in_type_check(tree, name_node) -> bool:
    """isinstance(x, float) refuses floats: that use is allowed."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
            if any(arg is name_node for arg in ast.walk(node)):
                return True
    return False
