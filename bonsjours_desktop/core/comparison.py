"""Comparison of editions: the one source for the Bilan tab's table and charts, the budget's
"editions" chart and the comparison export (shops taking part, visitors, sales, spending, costs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .budget import edition_totals
from .editions import list_editions
from .models import Edition, Participation
from .participations import taking_part

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class EditionComparison:
    """Key figures of one edition for the comparison across editions."""

    edition_id: int
    name: str
    first_day: Optional[dt.date]
    shops: int  # shops taking part (withdrawn ones left out)
    visitors: int
    visitors_known: int  # shops that reported a visitor count
    sales: Decimal
    total_ttc: Decimal  # every line (planned included), overheads as asked
    has_budget: bool
    press_articles: Optional[int]
    booklets_distributed: Optional[int]
    include_overheads: bool = False

    @property
    def cost_per_shop(self) -> Optional[Decimal]:
        if not self.has_budget or not self.shops:
            return None
        return (self.total_ttc / self.shops).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def cost_per_visitor(self) -> Optional[Decimal]:
        if not self.has_budget or not self.visitors:
            return None
        return (self.total_ttc / self.visitors).quantize(CENT, rounding=ROUND_HALF_UP)


def compare_editions(session: Session, include_overheads: bool = False) -> list[EditionComparison]:
    """Every edition, oldest first: shops taking part (not withdrawn), visitors, sales, TTC spending
    (the budget's own total, overheads only when asked); costs per shop and per visitor are None when
    there is nothing to divide."""
    shops: dict[int, int] = {}
    visitors: dict[int, int] = {}
    known: dict[int, int] = {}
    sales: dict[int, Decimal] = {}
    # Plain columns: every participation of every edition (thousands in a regional base).
    for p in session.execute(select(Participation.edition_id, Participation.visitors, Participation.sales)
                             .where(taking_part())):
        shops[p.edition_id] = shops.get(p.edition_id, 0) + 1
        if p.visitors is not None:
            visitors[p.edition_id] = visitors.get(p.edition_id, 0) + p.visitors
            known[p.edition_id] = known.get(p.edition_id, 0) + 1
        if p.sales is not None:
            sales[p.edition_id] = sales.get(p.edition_id, ZERO) + p.sales
    totals = edition_totals(session, include_overheads)
    editions = {e.id: e for e in session.execute(
        select(Edition.id, Edition.press_articles, Edition.booklets_distributed))}
    result = []
    for summary in list_editions(session):
        edition = editions[summary.id]
        result.append(
            EditionComparison(
                summary.id, summary.name, summary.first_day, shops.get(summary.id, 0),
                visitors.get(summary.id, 0), known.get(summary.id, 0), sales.get(summary.id, ZERO),
                totals.get(summary.id, ZERO), summary.id in totals, edition.press_articles,
                edition.booklets_distributed, include_overheads,
            )
        )
    return result
