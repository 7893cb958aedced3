"""One budget rule everywhere: the Budget tab's source, the bilan, the dashboard and the XLSX export agree.

"Reste sur l'enveloppe" is envelope − (engagé + facturé + payé) in each of them; the demo's April 2014
edition holds planned lines, so a place counting "prévu" as spent would disagree here."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bonsjours_desktop.core.budget import ACTUAL_STATUSES, budget_summary
from bonsjours_desktop.core.dashboard import dashboard
from bonsjours_desktop.core.documents.contexts import bilan_context
from bonsjours_desktop.core.editions import list_editions
from bonsjours_desktop.core.formatting import money
from bonsjours_desktop.core.io.budget_io import export_budget
from bonsjours_desktop.core.models import BudgetLine

TODAY = dt.date(2013, 11, 1)


def _totals_sheet(path) -> dict[str, Decimal]:
    """Label (column A) → first amount (column B) of the export's "Totaux" sheet."""
    sheet = load_workbook(path)["Totaux"]
    values: dict[str, Decimal] = {}
    for label, amount, *_rest in sheet.iter_rows(values_only=True):
        if isinstance(label, str) and isinstance(amount, (int, float, Decimal)):
            values.setdefault(label, Decimal(str(amount)).quantize(Decimal("0.01")))
    return values


def _figures_everywhere(ops, edition_id: int, tmp_path) -> dict[str, dict[str, object]]:
    summary = ops.read(lambda s: budget_summary(s, edition_id))  # what the Budget tab shows
    bilan = ops.read(lambda s: bilan_context(s, edition_id))["budget"]
    gauge = ops.read(lambda s: dashboard(s, TODAY, edition_id)).budget
    path = tmp_path / f"budget-{edition_id}.xlsx"
    ops.read(lambda s: export_budget(s, edition_id, path))
    sheet = _totals_sheet(path)
    return {
        "onglet Budget": {"envelope": summary.envelope, "spent": summary.spent, "remaining": summary.remaining,
                          "total": summary.total_ttc},
        "bilan": {"envelope": bilan["envelope"], "spent": bilan["spent"], "remaining": bilan["remaining"],
                  "total": bilan["total_ttc"]},
        "tableau de bord": {"envelope": gauge.envelope, "spent": gauge.consumed, "remaining": gauge.remaining,
                            "total": gauge.summary.total_ttc},
        "export XLSX": {"envelope": sheet["Enveloppe budgétaire"],
                        "spent": sheet["Dépensé (engagé + facturé + payé)"],
                        "remaining": sheet["Reste sur l'enveloppe"], "total": sheet["Total TTC"]},
    }, summary, bilan


def test_budget_tab_bilan_dashboard_and_export_agree_for_every_demo_edition(demo_ops, tmp_path):
    editions = demo_ops.read(list_editions)
    assert len(editions) >= 2
    for edition in editions:
        figures, summary, bilan = _figures_everywhere(demo_ops, edition.id, tmp_path)
        reference = figures["onglet Budget"]
        for place, values in figures.items():
            assert values == reference, f"{edition.name} : {place} ne donne pas les chiffres de l'onglet Budget"
        # The rule itself, computed from the lines: envelope − (engagé + facturé + payé), overheads apart.
        lines = demo_ops.read(lambda s: s.execute(
            select(BudgetLine.amount_ttc, BudgetLine.status, BudgetLine.is_overhead)
            .filter_by(edition_id=edition.id)).all())
        spent = sum((amount for amount, status, overhead in lines if status in ACTUAL_STATUSES and not overhead),
                    Decimal("0.00"))
        assert reference["spent"] == spent
        assert reference["remaining"] == summary.envelope - spent
        # The document's texts are the same figures.
        assert bilan["remaining_text"] == money(summary.envelope - spent)
        assert bilan["spent_text"] == money(spent)
        assert bilan["total_ttc_text"] == money(summary.total_ttc)


def test_april_2014_planned_lines_are_not_taken_off_the_envelope(demo_ops, tmp_path):
    april = next(e for e in demo_ops.read(list_editions) if e.name == "Avril 2014")
    figures, summary, bilan = _figures_everywhere(demo_ops, april.id, tmp_path)
    assert summary.planned > 0  # the demo keeps planned lines in April: the case the bilan used to get wrong
    assert summary.envelope - summary.total_ttc != summary.remaining
    assert {values["remaining"] for values in figures.values()} == {Decimal("9760.00")}
    assert bilan["used_text"] == "67,5 %"  # 20 240 spent out of 30 000


@pytest.mark.parametrize("status", ["prévu", "engagé"])
def test_a_line_changing_status_moves_every_figure_together(demo_ops, tmp_path, status):
    april = next(e for e in demo_ops.read(list_editions) if e.name == "Avril 2014")

    def change(session):
        line = session.scalars(select(BudgetLine).filter_by(edition_id=april.id, is_overhead=False, status="payé")
                               .order_by(BudgetLine.id)).first()
        line.status = status

    demo_ops.run("Statut", change)
    figures, summary, _bilan = _figures_everywhere(demo_ops, april.id, tmp_path)
    assert all(values == figures["onglet Budget"] for values in figures.values())
    expected = Decimal("9760.00") if status == "engagé" else Decimal("9760.00") + Decimal("2400.00")
    assert summary.remaining == expected


def test_per_category_per_status_and_overheads_agree_in_tab_bilan_and_export(demo_ops, tmp_path):
    """Every figure: each category (HT, TTC), each status and the overheads, in the three places."""
    from bonsjours_desktop.core.models import BUDGET_STATUSES

    for edition in demo_ops.read(list_editions):
        summary = demo_ops.read(lambda s: budget_summary(s, edition.id))
        bilan = demo_ops.read(lambda s: bilan_context(s, edition.id))["budget"]
        path = tmp_path / f"budget-{edition.id}.xlsx"
        demo_ops.read(lambda s: export_budget(s, edition.id, path))
        rows = {row[0]: row[1:] for row in load_workbook(path)["Totaux"].iter_rows(values_only=True)
                if isinstance(row[0], str)}

        def cell(label, column=0):
            return Decimal(str(rows[label][column])).quantize(Decimal("0.01"))

        assert summary.by_category, edition.name
        assert [c["name"] for c in bilan["categories"]] == [c.category for c in summary.by_category]
        for category, in_bilan in zip(summary.by_category, bilan["categories"]):
            assert (in_bilan["ht_text"], in_bilan["ttc_text"]) == (money(category.ht), money(category.ttc))
            assert (cell(category.category, 0), cell(category.category, 1)) == (category.ht, category.ttc)
            assert [cell(category.category, 2 + i) for i in range(len(BUDGET_STATUSES))] == [
                category.by_status[s] for s in BUDGET_STATUSES]
        for status in BUDGET_STATUSES:
            assert cell(status) == summary.by_status[status]
        assert bilan["total_ht_text"] == money(summary.total_ht) and cell("Total") == summary.total_ht
        assert bilan["planned_text"] == money(summary.by_status["prévu"])
        overheads_label = next(label for label in rows if label.startswith("Frais généraux valorisés"))
        assert cell(overheads_label) == summary.overheads_ttc
        assert bilan["overheads_text"] == (money(summary.overheads_ttc) if summary.overheads_ttc else "")
