"""Review ("bilan") of editions: results per shop and per edition.

The comparison of editions lives in core.comparison, the dashboard in core.dashboard."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .editions import get_edition
from .errors import ValidationError, get_or_raise
from .models import (
    Edition,
    Participation,
)
from .money import parse_amount
from .validation import clean_text
from .versions import RowSnapshot, editable, seen

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# --- Results per shop -------------------------------------------------------------------------

RESULT_FIELDS = ("visitors", "sales", "animations_held", "result_comments")
RESULT_LABELS = {
    "visitors": "Visiteurs",
    "sales": "Ventes (€)",
    "animations_held": "Animations réalisées",
    "result_comments": "Commentaires",
}


@dataclass(frozen=True)
class ResultRow:
    """One participating shop of an edition with its results."""

    participation_id: int
    shop_id: int
    shop_name: str
    commune: str
    status: str
    visitors: Optional[int]
    sales: Optional[Decimal]
    animations_held: str
    result_comments: str
    is_example: bool
    # The participation as the grid loaded it: set_results takes it back (row["seen"]).
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


def list_result_rows(session: Session, edition_id: int) -> list[ResultRow]:
    """Participations of the edition (withdrawn ones included, they may have a comment), by shop name."""
    participations = session.scalars(
        select(Participation)
        .where(Participation.edition_id == edition_id)
        .options(selectinload(Participation.shop))
    )
    rows = [
        ResultRow(p.id, p.shop_id, p.shop.name, p.shop.commune, p.status, p.visitors, p.sales,
                  p.animations_held, p.result_comments, p.is_example, seen(p))
        for p in participations
    ]
    return sorted(rows, key=lambda r: (r.shop_name.casefold(), r.shop_id))


def parse_count(value: Any, field_key: str, label: str) -> Optional[int]:
    """'1 200', 1200, '' → 1200, 1200, None; French message for text, decimals or negatives."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError({field_key: f"{label} : « {value} » n'est pas un nombre entier."})
    if isinstance(value, int):
        number = value
    else:
        raw = str(value)
        text = re.sub(r"[\s\u00a0\u202f]", "", raw)
        if not text:
            return None
        if not re.fullmatch(r"[-+]?[0-9]+", text):  # \d would take other scripts' digits
            raise ValidationError({field_key: f"{label} : « {raw.strip()} » n'est pas un nombre entier (exemple : 120)."})
        number = int(text)
    if number < 0:
        raise ValidationError({field_key: f"{label} : « {value} » est négatif ; indiquez un nombre positif ou zéro."})
    return number


def _parse_sales(value: Any, field_key: str, label: str) -> Optional[Decimal]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        raise TypeError("Les ventes doivent être du texte ou un Decimal, jamais un float.")
    try:
        amount = parse_amount(value, field_key, label)
    except ValidationError as exc:
        # parse_amount speaks of "Le montant"; keep its explanation but say where it is.
        raise ValidationError({field_key: f"{label} : {exc.errors[field_key]}"}) from None
    if amount < 0:
        raise ValidationError({field_key: f"{label} : « {value} » est négatif ; les ventes sont positives ou nulles."})
    return amount


def set_results(session: Session, edition_id: int, rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """Update results of several participations at once; every cell is checked before anything is written.

    Each row names its shop by "shop_id" (or "participation_id"), carries the participation as the grid
    showed it ("seen", a RowSnapshot: refused if someone changed the row since) and only the columns to change
    among visitors (integer ≥ 0, '' clears), sales (French amount ≥ 0, '' clears), animations_held and
    result_comments (text stored as typed). Errors are keyed "<shop_id>.<column>" and name the shop and
    the column, so a pasted block is either written whole or not at all.
    """
    edition = get_or_raise(session, Edition, edition_id)
    participations = {
        p.shop_id: p
        for p in session.scalars(
            select(Participation).where(Participation.edition_id == edition_id).options(selectinload(Participation.shop))
        )
    }
    by_id = {p.id: p for p in participations.values()}
    errors: dict[str, str] = {}
    planned: list[tuple[Participation, dict[str, Any]]] = []
    for index, row in enumerate(rows, start=1):
        participation = None
        if row.get("shop_id") is not None:
            participation = participations.get(row["shop_id"])
        elif row.get("participation_id") is not None:
            participation = by_id.get(row["participation_id"])
        if participation is None:
            errors[f"ligne{index}"] = (
                f"Ligne {index} : cette boutique ne participe pas à l'édition « {edition.name} »."
            )
            continue
        if not isinstance(row.get("seen"), RowSnapshot):
            raise TypeError("set_results: each row carries the participation as seen (row['seen'])")
        editable(session, Participation, participation.id, row["seen"])
        shop = participation.shop.name
        values: dict[str, Any] = {}
        for column in RESULT_FIELDS:
            if column not in row:
                continue
            key = f"{participation.shop_id}.{column}"
            label = f"Boutique « {shop} », colonne « {RESULT_LABELS[column]} »"
            try:
                if column == "visitors":
                    values[column] = parse_count(row[column], key, label)
                elif column == "sales":
                    values[column] = _parse_sales(row[column], key, label)
                else:
                    values[column] = clean_text(row[column] if row[column] is not None else "")
            except ValidationError as exc:
                errors.update(exc.errors)
        unknown = set(row) - set(RESULT_FIELDS) - {"shop_id", "participation_id", "seen"}
        if unknown:
            errors[f"{participation.shop_id}.colonnes"] = (
                f"Boutique « {shop} » : colonne(s) inconnue(s) {', '.join(sorted(unknown))}."
            )
        planned.append((participation, values))
    if errors:
        raise ValidationError(errors)
    changed: list[int] = []
    for participation, values in planned:
        for column, value in values.items():
            if getattr(participation, column) != value:
                setattr(participation, column, value)
                changed.append(participation.id)
    session.flush()
    return sorted(set(changed))


# --- Results per edition ----------------------------------------------------------------------

EDITION_REVIEW_LABELS = {
    "press_articles": "Articles de presse",
    "booklets_distributed": "Annuaires distribués",
    "qualitative_results": "Résultats qualitatifs",
    "recommendations": "Recommandations",
}


@dataclass(frozen=True)
class EditionReview:
    """The edition-level part of the review: counts and free texts as in the case sheet."""

    edition_id: int
    name: str
    press_articles: Optional[int]
    booklets_distributed: Optional[int]
    qualitative_results: str
    recommendations: str
    # The edition as the form loaded it: set_edition_review refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


def get_edition_review(session: Session, edition_id: int) -> EditionReview:
    edition = get_edition(session, edition_id)
    return EditionReview(edition.id, edition.name, edition.press_articles, edition.booklets_distributed,
                         edition.qualitative_results, edition.recommendations, seen(edition))


def set_edition_review(session: Session, edition_id: int, *, expected: RowSnapshot, **values: Any) -> int:
    """Set any of press_articles, booklets_distributed (integers ≥ 0, '' clears), qualitative_results,
    recommendations (text as typed) of an edition; every field is checked before anything is written.
    expected: the edition as the form loaded it (refused if someone changed it since)."""
    edition = editable(session, Edition, edition_id, expected)
    unknown = set(values) - set(EDITION_REVIEW_LABELS)
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) du bilan : {', '.join(sorted(unknown))}.")
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("press_articles", "booklets_distributed"):
            try:
                parsed[name] = parse_count(value, name, f"Bilan « {edition.name} », {EDITION_REVIEW_LABELS[name]}")
            except ValidationError as exc:
                errors.update(exc.errors)
        else:
            parsed[name] = clean_text(value)
    if errors:
        raise ValidationError(errors)
    for name, value in parsed.items():
        if getattr(edition, name) != value:
            setattr(edition, name, value)
    session.flush()
    return edition.id
