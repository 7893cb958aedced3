"""French formatting of dates, amounts and numbers for everything the user reads."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAY_ABBR = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
MONTH_NAMES = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]
MONTH_ABBR = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]
NBSP = "\u00a0"
NNBSP = "\u202f"


def date_short(day: Optional[dt.date]) -> str:
    """13/11/2013"""
    return day.strftime("%d/%m/%Y") if day else ""


def date_abbr(day: Optional[dt.date]) -> str:
    """mer. 13 nov. 2013"""
    if not day:
        return ""
    return f"{DAY_ABBR[day.weekday()]} {day.day} {MONTH_ABBR[day.month - 1]} {day.year}"


def date_long(day: Optional[dt.date]) -> str:
    """mercredi 2 avril 2014 (1er for the first of the month)."""
    if not day:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAY_NAMES[day.weekday()]} {number} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_year(day: Optional[dt.date]) -> str:
    """novembre 2013"""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}" if day else ""


def month_label(day: Optional[dt.date]) -> str:
    """oct. 2012 — the one short form of a month for chart headers ("mai 2013", "sept. 2013")."""
    return f"{MONTH_ABBR[day.month - 1]} {day.year}" if day else ""


def group_thousands(integer_part: str, sep: str = NNBSP) -> str:
    negative = integer_part.startswith("-")
    digits = integer_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ("-" if negative else "") + sep.join(groups)


def money(amount: Optional[Decimal], symbol: bool = True, sep: str = " ") -> str:
    """41 500,00 € — exact Decimal formatting, never through float."""
    if amount is None:
        return ""
    if isinstance(amount, float):
        raise TypeError("money() attend un Decimal, pas un float.")
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    integer, _, cents = f"{abs(value):f}".partition(".")
    text = f"{sign}{group_thousands(integer, sep)},{cents or '00'}"
    return f"{text} €" if symbol else text


def rate(value: Optional[Decimal]) -> str:
    """20 %, 5,5 %"""
    if value is None:
        return ""
    normalized = Decimal(value).normalize()
    text = f"{normalized:f}".replace(".", ",")
    return f"{text} %"


def count(value: int) -> str:
    """A count in a sentence, the French way: « 78 563 boutique(s) » (a narrow no-break space, which never
    breaks the number across two lines)."""
    return group_thousands(str(int(value)))


def integer(value: Optional[int]) -> str:
    """1 000"""
    return "" if value is None else group_thousands(str(int(value)), " ")
