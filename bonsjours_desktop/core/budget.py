"""Budget: lines of planned and actual spending per edition, exact to the cent (Decimal only)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .errors import ConflictError, ValidationError, get_or_raise
from .formatting import money, rate as format_rate
from .models import BUDGET_STATUSES, VAT_RATES, BudgetCategory, BudgetLine, Edition, EventDay, Money, Participation
from .money import ht_from_ttc, parse_amount, vat_from_ht
from .validation import clean_text, fold
from .versions import RowSnapshot, editable, editables, seen

if TYPE_CHECKING:
    from .comparison import EditionComparison

ZERO = Decimal("0.00")
# Statuses that count as money actually spent (committed, invoiced or paid), as opposed to "prévu".
ACTUAL_STATUSES = ("engagé", "facturé", "payé")
BASIS_HT = "HT"
BASIS_TTC = "TTC"


# --- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLineRow:
    """One budget line as the views and exports show it."""

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
    category_id: Optional[int] = None
    category_position: int = 0
    order_ref: str = ""
    invoice_ref: str = ""
    order_date: Optional[dt.date] = None
    payment_date: Optional[dt.date] = None
    notes: str = ""
    # The row as loaded: update_line/delete_lines take it back and refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)

    @property
    def is_actual(self) -> bool:
        return self.status in ACTUAL_STATUSES

    @property
    def spending_date(self) -> Optional[dt.date]:
        """When the money was committed: order, else invoice, else payment date."""
        return self.order_date or self.invoice_date or self.payment_date


def _row(line: BudgetLine) -> BudgetLineRow:
    category = line.category
    return BudgetLineRow(
        id=line.id,
        category=category.name if category else "",
        label=line.label,
        supplier=line.supplier,
        amount_ht=line.amount_ht,
        vat_rate=line.vat_rate,
        amount_vat=line.amount_vat,
        amount_ttc=line.amount_ttc,
        status=line.status,
        is_credit_note=line.is_credit_note,
        is_overhead=line.is_overhead,
        invoice_date=line.invoice_date,
        category_id=line.category_id,
        category_position=category.position if category else 10**6,
        order_ref=line.order_ref,
        invoice_ref=line.invoice_ref,
        order_date=line.order_date,
        payment_date=line.payment_date,
        notes=line.notes,
        seen=seen(line),
    )


def list_line_rows(session: Session, edition_id: int) -> list[BudgetLineRow]:
    """Every line of the edition (overheads included), in category order then entry order."""
    lines = session.scalars(
        select(BudgetLine)
        .where(BudgetLine.edition_id == edition_id)
        .options(selectinload(BudgetLine.category))
        .order_by(BudgetLine.id)
    )
    rows = [_row(line) for line in lines]
    return sorted(rows, key=lambda r: (r.category_position, r.id))


def get_line_row(session: Session, line_id: int) -> BudgetLineRow:
    return _row(_get_line(session, line_id))


def total_ttc(rows: Iterable[BudgetLineRow], include_overheads: bool = False) -> Decimal:
    return sum((r.amount_ttc for r in rows if include_overheads or not r.is_overhead), ZERO)


def total_ht(rows: Iterable[BudgetLineRow], include_overheads: bool = False) -> Decimal:
    return sum((r.amount_ht for r in rows if include_overheads or not r.is_overhead), ZERO)


# --- amounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    """HT, VAT and TTC of a line; ht + vat == ttc exactly."""

    ht: Decimal
    vat: Decimal
    ttc: Decimal


def parse_rate(value: str | Decimal | int, field: str = "vat_rate") -> Decimal:
    """'5,5', '5.5 %', Decimal('20') → one of models.VAT_RATES; French message otherwise."""
    if isinstance(value, float):
        raise TypeError("Les taux ne doivent jamais être des float : utilisez Decimal.")
    if isinstance(value, (Decimal, int)):
        candidate = Decimal(value)
    else:
        raw = re.sub(r"[\s\u00a0\u202f%]", "", str(value)).replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", raw or "x"):
            raise ValidationError({field: f"Le taux de TVA « {value} » n'est pas un nombre (exemple : 5,5)."})
        candidate = Decimal(raw)
    for allowed in VAT_RATES:
        if candidate == allowed:
            return allowed
    choices = ", ".join(format_rate(r) for r in VAT_RATES)
    raise ValidationError({field: f"Le taux de TVA {format_rate(candidate)} n'existe pas : choisissez parmi {choices}."})


def compute_amounts(amount: str | Decimal | int, vat_rate: str | Decimal | int, basis: str = BASIS_HT) -> Amounts:
    """From an HT amount (VAT and TTC computed) or from a TTC amount (HT and VAT computed)."""
    if basis not in (BASIS_HT, BASIS_TTC):
        raise ValidationError({"basis": f"Le montant saisi doit être HT ou TTC, pas « {basis} »."})
    label = "Le montant HT" if basis == BASIS_HT else "Le montant TTC"
    value = parse_amount(amount, "amount", label)
    vat_rate = parse_rate(vat_rate)
    if basis == BASIS_HT:
        vat, ttc = vat_from_ht(value, vat_rate)
        return Amounts(value, vat, ttc)
    ht, vat = ht_from_ttc(value, vat_rate)
    return Amounts(ht, vat, value)


def _parse_date(value: str | dt.date | None, field: str, label: str) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValidationError({field: f"{label} « {text} » n'est pas une date valide (format attendu : 13/11/2013)."})


# --- lines -----------------------------------------------------------------------------------


@dataclass
class BudgetLineInput:
    """What the user typed for a line; amounts and dates may still be text (validated by the service)."""

    label: str
    category_id: Optional[int] = None
    supplier: str = ""
    amount: str | Decimal = ZERO
    basis: str = BASIS_HT
    vat_rate: str | Decimal = Decimal("20.00")
    status: str = "prévu"
    is_credit_note: bool = False
    is_overhead: bool = False
    order_ref: str = ""
    invoice_ref: str = ""
    order_date: str | dt.date | None = None
    invoice_date: str | dt.date | None = None
    payment_date: str | dt.date | None = None
    notes: str = ""

    @classmethod
    def from_row(cls, row: BudgetLineRow) -> "BudgetLineInput":
        """The line as input; TTC-based when its stored TTC would not come back from its HT (no cent drift)."""
        from_ht = vat_from_ht(row.amount_ht, row.vat_rate)[1] == row.amount_ttc
        return cls(
            label=row.label, category_id=row.category_id, supplier=row.supplier,
            amount=row.amount_ht if from_ht else row.amount_ttc, basis=BASIS_HT if from_ht else BASIS_TTC, vat_rate=row.vat_rate, status=row.status, is_credit_note=row.is_credit_note,
            is_overhead=row.is_overhead, order_ref=row.order_ref, invoice_ref=row.invoice_ref,
            order_date=row.order_date, invoice_date=row.invoice_date, payment_date=row.payment_date,
            notes=row.notes,
        )


def _validate(session: Session, data: BudgetLineInput) -> dict:
    errors: dict[str, str] = {}
    values: dict = {}
    label = clean_text(data.label).strip()
    if not label:
        errors["label"] = "Le libellé de la ligne est obligatoire."
    values["label"] = clean_text(data.label)
    values["supplier"] = clean_text(data.supplier)
    values["order_ref"] = clean_text(data.order_ref)
    values["invoice_ref"] = clean_text(data.invoice_ref)
    values["notes"] = clean_text(data.notes)
    if data.category_id is None:
        errors["category_id"] = "Choisissez une catégorie pour la ligne."
    elif session.get(BudgetCategory, data.category_id) is None:
        errors["category_id"] = "Cette catégorie n'existe plus : choisissez-en une autre."
    values["category_id"] = data.category_id
    if data.status not in BUDGET_STATUSES:
        errors["status"] = (
            f"Le statut « {data.status} » n'existe pas : choisissez parmi {', '.join(BUDGET_STATUSES)}."
        )
    values["status"] = data.status
    try:
        amounts = compute_amounts(data.amount, data.vat_rate, data.basis)
    except ValidationError as exc:
        errors.update(exc.errors)
        amounts = None
    if amounts is not None:
        if data.is_credit_note and amounts.ttc >= 0:
            errors["amount"] = (
                f"Un avoir est une ligne négative : saisissez son montant avec un signe moins "
                f"(par exemple -{money(abs(amounts.ttc) or Decimal('100'))})."
            )
        elif not data.is_credit_note and amounts.ttc < 0:
            errors["amount"] = (
                f"Le montant {money(amounts.ttc)} est négatif : seul un avoir peut être négatif "
                f"(cochez « Avoir » si c'en est un)."
            )
        values.update(amount_ht=amounts.ht, vat_rate=parse_rate(data.vat_rate), amount_vat=amounts.vat,
                      amount_ttc=amounts.ttc)
    for name, label_text in (("order_date", "La date de commande"), ("invoice_date", "La date de facture"),
                             ("payment_date", "La date de paiement")):
        try:
            values[name] = _parse_date(getattr(data, name), name, label_text)
        except ValidationError as exc:
            errors.update(exc.errors)
    values["is_credit_note"] = bool(data.is_credit_note)
    values["is_overhead"] = bool(data.is_overhead)
    if errors:
        raise ValidationError(errors)
    return values


def _get_line(session: Session, line_id: int) -> BudgetLine:
    line = get_or_raise(session, BudgetLine, line_id)
    return line


def _get_edition(session: Session, edition_id: int) -> Edition:
    edition = get_or_raise(session, Edition, edition_id)
    return edition


def create_line(session: Session, edition_id: int, data: BudgetLineInput) -> int:
    """Add a line to the edition; returns its id."""
    _get_edition(session, edition_id)
    values = _validate(session, data)
    line = BudgetLine(edition_id=edition_id, **values)
    session.add(line)
    session.flush()
    return line.id


def update_line(session: Session, line_id: int, data: BudgetLineInput, *, expected: RowSnapshot) -> int:
    """Replace the line's fields with data; only changed attributes are written (and undone).
    expected: the line as the form loaded it (refused if someone saved it since)."""
    line = editable(session, BudgetLine, line_id, expected)
    values = _validate(session, data)
    for name, value in values.items():
        if getattr(line, name) != value:
            setattr(line, name, value)
    return line.id


def delete_lines(session: Session, expected: Sequence[RowSnapshot]) -> int:
    """Delete the lines as the user saw them (refused if one changed since); returns how many went."""
    count = 0
    for line in editables(session, BudgetLine, expected):
        session.delete(line)
        count += 1
    return count


def delete_line(session: Session, line_id: int, *, expected: RowSnapshot) -> int:
    session.delete(editable(session, BudgetLine, line_id, expected))
    return 1


# --- categories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    """An entry of the editable category list, with how many lines (all editions) use it."""

    id: int
    name: str
    position: int
    line_count: int
    # The row as loaded: rename_category/delete_category refuse a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


def list_categories(session: Session) -> list[CategoryRow]:
    counts = dict(session.execute(select(BudgetLine.category_id, func.count()).group_by(BudgetLine.category_id)).all())
    categories = session.scalars(select(BudgetCategory).order_by(BudgetCategory.position, BudgetCategory.id))
    return [CategoryRow(c.id, c.name, c.position, counts.get(c.id, 0), seen(c)) for c in categories]


def _category_name(session: Session, name: str, exclude_id: Optional[int] = None) -> str:
    cleaned = clean_text(name).strip()
    if not cleaned:
        raise ValidationError({"name": "Le nom de la catégorie est obligatoire."})
    for other in session.scalars(select(BudgetCategory)):
        if other.id != exclude_id and fold(other.name) == fold(cleaned):
            raise ConflictError(f"La catégorie « {other.name} » existe déjà.")
    return cleaned


def add_category(session: Session, name: str) -> int:
    cleaned = _category_name(session, name)
    last = session.scalar(select(func.max(BudgetCategory.position)))
    category = BudgetCategory(name=cleaned, position=(last if last is not None else -1) + 1)
    session.add(category)
    session.flush()
    return category.id


def rename_category(session: Session, category_id: int, name: str, *, expected: RowSnapshot) -> int:
    category = editable(session, BudgetCategory, category_id, expected)
    cleaned = _category_name(session, name, exclude_id=category_id)
    if category.name != cleaned:
        category.name = cleaned
    return category.id


def move_category(session: Session, category_id: int, offset: int, *, expected: RowSnapshot) -> int:
    """Move a category up (offset < 0) or down in the list; positions are renumbered 0..n-1."""
    from .reference import move_in_list

    return move_in_list(session, BudgetCategory, category_id, offset, expected=expected)


def delete_category(session: Session, category_id: int, *, expected: RowSnapshot) -> int:
    category = editable(session, BudgetCategory, category_id, expected)
    used = list(session.scalars(select(BudgetLine).where(BudgetLine.category_id == category_id)
                                .options(selectinload(BudgetLine.edition))))
    if used:
        editions = sorted({line.edition.name for line in used})
        raise ConflictError(
            f"La catégorie « {category.name} » est utilisée par {len(used)} ligne(s) de budget "
            f"({', '.join(editions)}) : changez d'abord la catégorie de ces lignes, ou renommez-la."
        )
    session.delete(category)
    return category_id


# --- envelope and totals ---------------------------------------------------------------------


def set_envelope(session: Session, edition_id: int, amount: str | Decimal | None, *,
                 expected: RowSnapshot) -> Optional[Decimal]:
    """Set (or clear with empty text) the edition's budget envelope, in euros TTC; expected is the
    edition row as the Budget tab showed it (refused if someone changed it since)."""
    edition = editable(session, Edition, edition_id, expected)
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        value = None
    else:
        value = parse_amount(amount, "budget_envelope", "L'enveloppe budgétaire")
        if value < 0:
            raise ValidationError({"budget_envelope": f"L'enveloppe budgétaire ne peut pas être négative ({money(value)})."})
    if edition.budget_envelope != value:
        edition.budget_envelope = value
    return value


@dataclass(frozen=True)
class CategoryTotal:
    """Totals of one category: TTC per status, planned vs actual."""

    category: str
    position: int
    ht: Decimal
    ttc: Decimal
    by_status: dict[str, Decimal]
    vat: Decimal = ZERO
    line_count: int = 0

    @property
    def planned(self) -> Decimal:
        return self.by_status.get("prévu", ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((self.by_status.get(s, ZERO) for s in ACTUAL_STATUSES), ZERO)


@dataclass(frozen=True)
class BudgetSummary:
    """Every total of an edition's budget, in TTC unless named HT.

    The one source of the budget rules: the Budget tab, the bilan document, the dashboard and the
    exports all read this (spent = engagé + facturé + payé; remaining = envelope − spent)."""

    edition_id: int
    edition_name: str
    include_overheads: bool
    envelope: Optional[Decimal]
    lines: tuple[BudgetLineRow, ...]
    by_category: tuple[CategoryTotal, ...]
    by_status: dict[str, Decimal]
    total_ht: Decimal
    total_ttc: Decimal
    overheads_ttc: Decimal
    overhead_count: int
    credit_notes_ttc: Decimal
    total_vat: Decimal = ZERO

    @property
    def has_lines(self) -> bool:
        """Any line at all, overheads included."""
        return bool(self.lines)

    @property
    def planned(self) -> Decimal:
        return self.by_status.get("prévu", ZERO)

    @property
    def spent(self) -> Decimal:
        """Committed + invoiced + paid."""
        return sum((self.by_status.get(s, ZERO) for s in ACTUAL_STATUSES), ZERO)

    @property
    def remaining(self) -> Optional[Decimal]:
        return None if self.envelope is None else self.envelope - self.spent

    @property
    def used_share(self) -> Optional[Decimal]:
        """Spent / envelope (0.988 for 98.8 %); None without a (non-zero) envelope."""
        return self.spent / self.envelope if self.envelope else None

    @property
    def over_envelope(self) -> bool:
        return self.envelope is not None and self.spent > self.envelope

    @property
    def planned_over_envelope(self) -> bool:
        """Everything, planned included, passes the envelope (a softer warning)."""
        return self.envelope is not None and self.total_ttc > self.envelope

    @property
    def warning(self) -> str:
        """French warning when spending passes the envelope; empty when all is well."""
        if self.envelope is None:
            return ""
        if self.over_envelope:
            return (
                f"Dépassement de l'enveloppe : {money(self.spent)} engagés, facturés ou payés pour une "
                f"enveloppe de {money(self.envelope)} (dépassement de {money(self.spent - self.envelope)})."
            )
        if self.planned_over_envelope:
            return (
                f"Attention : avec le prévu, le total atteint {money(self.total_ttc)} pour une enveloppe de "
                f"{money(self.envelope)} (dépassement prévisible de {money(self.total_ttc - self.envelope)})."
            )
        return ""


def summarize(
    rows: Sequence[BudgetLineRow], envelope: Optional[Decimal], include_overheads: bool = False,
    edition_id: int = 0, edition_name: str = "", categories: Sequence[CategoryRow] = (),
) -> BudgetSummary:
    """Totals of rows; overhead lines count only when include_overheads (their own total is always given)."""
    counted = [r for r in rows if include_overheads or not r.is_overhead]
    overheads = [r for r in rows if r.is_overhead]
    per_category: dict[str, dict] = {}
    for category in categories:
        per_category[category.name] = {"position": category.position, "ht": ZERO, "vat": ZERO, "ttc": ZERO,
                                       "status": {}, "lines": 0}
    for row in counted:
        entry = per_category.setdefault(
            row.category or "(sans catégorie)",
            {"position": row.category_position, "ht": ZERO, "vat": ZERO, "ttc": ZERO, "status": {}, "lines": 0},
        )
        entry["ht"] += row.amount_ht
        entry["vat"] += row.amount_vat
        entry["ttc"] += row.amount_ttc
        entry["lines"] += 1
        entry["status"][row.status] = entry["status"].get(row.status, ZERO) + row.amount_ttc
    by_category = tuple(
        sorted(
            (
                CategoryTotal(name, e["position"], e["ht"], e["ttc"],
                              {s: e["status"].get(s, ZERO) for s in BUDGET_STATUSES}, e["vat"], e["lines"])
                for name, e in per_category.items()
                # Empty categories are listed only when they hold lines (or lines were given with them).
                if e["status"]
            ),
            key=lambda c: (c.position, c.category),
        )
    )
    by_status = {s: sum((r.amount_ttc for r in counted if r.status == s), ZERO) for s in BUDGET_STATUSES}
    return BudgetSummary(
        edition_id=edition_id,
        edition_name=edition_name,
        include_overheads=include_overheads,
        envelope=envelope,
        lines=tuple(rows),
        by_category=by_category,
        by_status=by_status,
        total_ht=sum((r.amount_ht for r in counted), ZERO),
        total_ttc=sum((r.amount_ttc for r in counted), ZERO),
        overheads_ttc=sum((r.amount_ttc for r in overheads), ZERO),
        overhead_count=len(overheads),
        credit_notes_ttc=sum((r.amount_ttc for r in counted if r.is_credit_note), ZERO),
        total_vat=sum((r.amount_vat for r in counted), ZERO),
    )


def budget_summary(session: Session, edition_id: int, include_overheads: bool = False) -> BudgetSummary:
    edition = _get_edition(session, edition_id)
    return summarize(
        list_line_rows(session, edition_id), edition.budget_envelope, include_overheads,
        edition_id=edition.id, edition_name=edition.name, categories=list_categories(session),
    )


# --- chart data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CumulativePoint:
    day: dt.date
    total: Decimal


def edition_first_day(session: Session, edition_id: int) -> Optional[dt.date]:
    return session.scalar(select(func.min(EventDay.day)).where(EventDay.edition_id == edition_id))


def cumulative_spending(rows: Sequence[BudgetLineRow], fallback_day: Optional[dt.date],
                        include_overheads: bool = False) -> list[CumulativePoint]:
    """Running total of actual spending (engagé, facturé, payé) by day; undated lines go to fallback_day."""
    per_day: dict[dt.date, Decimal] = {}
    for row in rows:
        if not row.is_actual or (row.is_overhead and not include_overheads):
            continue
        day = row.spending_date or fallback_day
        if day is None:
            continue
        per_day[day] = per_day.get(day, ZERO) + row.amount_ttc
    points = []
    running = ZERO
    for day in sorted(per_day):
        running += per_day[day]
        points.append(CumulativePoint(day, running))
    return points


def edition_totals(session: Session, include_overheads: bool = False) -> dict[int, Decimal]:
    """Total TTC of each edition holding counted lines (the same total as its budget summary)."""
    # Summed by the database (amounts are integer cents: exact on both engines, read back as Decimal by
    # the Money type): the comparison of 300 editions has 100 000 lines, which took 35 s as ORM lines.
    # Same rule as total_ttc; tests/core/test_edition_totals.py checks them against each other.
    total = func.sum(BudgetLine.amount_ttc, type_=Money)
    query = select(BudgetLine.edition_id, total).group_by(BudgetLine.edition_id)
    if not include_overheads:
        query = query.where(BudgetLine.is_overhead.is_(False))
    return {edition_id: amount for edition_id, amount in session.execute(query)}


@dataclass(frozen=True)
class BudgetChartData:
    """Everything the three budget charts draw, computed in the core (exact), drawn by the UI."""

    summary: BudgetSummary
    first_day: Optional[dt.date]
    cumulative: tuple[CumulativePoint, ...]
    editions: tuple["EditionComparison", ...] = field(default_factory=tuple)


def budget_chart_data(session: Session, edition_id: int, include_overheads: bool = False) -> BudgetChartData:
    from .comparison import compare_editions  # the comparison reads the budget's totals

    summary = budget_summary(session, edition_id, include_overheads)
    first_day = edition_first_day(session, edition_id)
    return BudgetChartData(
        summary=summary,
        first_day=first_day,
        cumulative=tuple(cumulative_spending(summary.lines, first_day, include_overheads)),
        editions=tuple(compare_editions(session, include_overheads)),
    )


def participating_shop_count(session: Session, edition_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Participation).where(Participation.edition_id == edition_id)) or 0
