"""The comparison's per-edition totals (summed by the database) equal each edition's budget summary."""

from decimal import Decimal

import pytest

from bonsjours_desktop.core.budget import budget_summary, edition_totals
from bonsjours_desktop.core.editions import list_editions


@pytest.mark.parametrize("include_overheads", [False, True])
def test_edition_totals_equal_the_budget_summary_of_every_edition(demo_ops, include_overheads):
    def check(session):
        totals = edition_totals(session, include_overheads)
        assert totals, "la démo a des lignes de budget"
        for edition in list_editions(session):
            summary = budget_summary(session, edition.id, include_overheads)
            expected_present = any(include_overheads or not line.is_overhead for line in summary.lines)
            assert (edition.id in totals) == expected_present
            if expected_present:
                assert totals[edition.id] == summary.total_ttc
                assert isinstance(totals[edition.id], Decimal)

    demo_ops.read(check)
