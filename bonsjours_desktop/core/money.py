"""Exact euro arithmetic: parsing French amounts, VAT from HT or from TTC, to the cent."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ValidationError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str | Decimal | int, field: str = "montant", label: str = "Le montant") -> Decimal:
    """'41 500,00 €', '1.234,5', '-12,30' → Decimal; French message on anything else."""
    if isinstance(text, Decimal):
        return cents(text)
    if isinstance(text, int):
        return cents(Decimal(text))
    if isinstance(text, float):
        raise TypeError("parse_amount attend du texte ou un Decimal, pas un float.")
    raw = str(text).strip()
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", raw)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned or "x"):
        raise ValidationError({field: f"{label} « {raw} » n'est pas un montant valide (exemple : 1 234,56)."})
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - regex above guards
        raise ValidationError({field: f"{label} « {raw} » n'est pas un montant valide."}) from exc
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError({field: f"{label} « {raw} » a plus de deux décimales."})
    return cents(value)


def vat_from_ht(ht: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(VAT, TTC) from an HT amount: VAT rounded to the cent, TTC = HT + VAT exactly."""
    vat = cents(Decimal(ht) * Decimal(rate) / HUNDRED)
    return vat, cents(ht) + vat


def ht_from_ttc(ttc: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(HT, VAT) from a TTC amount: HT rounded to the cent, VAT = TTC - HT exactly."""
    ht = cents(Decimal(ttc) * HUNDRED / (HUNDRED + Decimal(rate)))
    return ht, cents(ttc) - ht
