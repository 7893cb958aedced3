"""Budget: lines of planned and actual spending per edition, exact to the cent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import BudgetLine

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetLineRow:
    id: int
    category: str
    label: str
    supplier: str
    amount_ht: Decimal
    vat_rate: Decimal
    amount_vat: Decimal
    amount_ttc: Decimal
    status: str
    is_credit_note: bool
    is_overhead: bool
    invoice_date: Optional[dt.date]


def list_line_rows(session: Session, edition_id: int) -> list[BudgetLineRow]:
    lines = session.scalars(
        select(BudgetLine).where(BudgetLine.edition_id == edition_id).options(selectinload(BudgetLine.category)).order_by(BudgetLine.id)
    )
    return [
        BudgetLineRow(l.id, l.category.name if l.category else "", l.label, l.supplier, l.amount_ht, l.vat_rate,
                      l.amount_vat, l.amount_ttc, l.status, l.is_credit_note, l.is_overhead, l.invoice_date)
        for l in lines
    ]


def total_ttc(rows: list[BudgetLineRow], include_overheads: bool = False) -> Decimal:
    return sum((r.amount_ttc for r in rows if include_overheads or not r.is_overhead), ZERO)
