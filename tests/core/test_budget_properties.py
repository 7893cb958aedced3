"""Property tests: HT + TVA = TTC to the cent for any amount and rate, and totals never drift."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bonsjours_desktop.core.budget import BASIS_HT, BASIS_TTC, BudgetLineRow, compute_amounts, summarize
from bonsjours_desktop.core.formatting import money
from bonsjours_desktop.core.models import BUDGET_STATUSES, VAT_RATES, Money
from bonsjours_desktop.core.money import parse_amount

CENT = Decimal("0.01")
amounts = st.integers(min_value=-10**11, max_value=10**11).map(lambda c: (Decimal(c) / 100).quantize(CENT))
rates = st.sampled_from(VAT_RATES)


@given(amount=amounts, rate=rates, basis=st.sampled_from([BASIS_HT, BASIS_TTC]))
def test_ht_plus_vat_is_ttc_to_the_cent(amount, rate, basis):
    result = compute_amounts(amount, rate, basis)
    assert result.ht + result.vat == result.ttc
    for value in (result.ht, result.vat, result.ttc):
        assert type(value) is Decimal and value == value.quantize(CENT)
    typed = result.ht if basis == BASIS_HT else result.ttc
    assert typed == amount
    # The VAT is the rate applied to HT, to within half a cent (rounding), whichever amount was typed.
    exact_vat = result.ht * rate / 100
    assert abs(result.vat - exact_vat) <= (Decimal("0.005") if basis == BASIS_HT else Decimal("0.0051") * (1 + rate / 100))


@given(amount=amounts)
def test_french_text_round_trips_exactly(amount):
    assert parse_amount(money(amount)) == amount
    assert parse_amount(money(amount, symbol=False)) == amount


@given(amount=amounts)
def test_money_column_stores_and_reads_back_the_same_decimal(amount):
    column = Money()
    assert column.process_result_value(column.process_bind_param(amount, None), None) == amount


line = st.tuples(
    amounts.filter(lambda a: a >= 0), rates, st.sampled_from(["fournitures", "impressions", "autre"]),
    st.sampled_from(BUDGET_STATUSES), st.booleans(), st.booleans(),
)


@settings(max_examples=150)
@given(lines=st.lists(line, max_size=60), include_overheads=st.booleans())
def test_totals_of_many_lines_equal_the_sum_of_their_parts(lines, include_overheads):
    rows = []
    for index, (amount, rate, category, status, credit, overhead) in enumerate(lines):
        parts = compute_amounts(-amount if credit else amount, rate)
        rows.append(BudgetLineRow(
            id=index, category=category, label=f"ligne {index}", supplier="", amount_ht=parts.ht, vat_rate=rate,
            amount_vat=parts.vat, amount_ttc=parts.ttc, status=status, is_credit_note=credit,
            is_overhead=overhead, invoice_date=None))
    summary = summarize(rows, envelope=Decimal("1000.00"), include_overheads=include_overheads)
    counted = [r for r in rows if include_overheads or not r.is_overhead]
    expected_ttc = sum((r.amount_ttc for r in counted), Decimal(0))
    assert summary.total_ttc == expected_ttc
    assert summary.total_ht + sum((r.amount_vat for r in counted), Decimal(0)) == summary.total_ttc
    assert sum((c.ttc for c in summary.by_category), Decimal(0)) == summary.total_ttc
    assert sum((c.ht for c in summary.by_category), Decimal(0)) == summary.total_ht
    assert sum(summary.by_status.values(), Decimal(0)) == summary.total_ttc
    assert summary.planned + summary.spent == summary.total_ttc
    assert summary.remaining == Decimal("1000.00") - summary.spent
    assert summary.overheads_ttc == sum((r.amount_ttc for r in rows if r.is_overhead), Decimal(0))
    for category in summary.by_category:
        assert category.planned + category.actual == category.ttc
    assert all(type(v) is Decimal for v in (summary.total_ttc, summary.total_ht, summary.spent))
