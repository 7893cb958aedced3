"""Budget part of the example: dates and references on the 2013 lines, an invented 2014 budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import BudgetCategory, BudgetLine, Edition
from ..money import ht_from_ttc

D = dt.date
# Label prefix of a 2013 base line → (order date, invoice date, payment date, order ref, invoice ref).
DATES_2013 = {
    "Conception graphique": (D(2013, 6, 12), D(2013, 9, 20), D(2013, 10, 18), "BC-2013-041", "F-AG-0913"),
    "Hors-série du magazine": (D(2013, 7, 3), D(2013, 10, 4), D(2013, 11, 8), "BC-2013-052", "F-ED-1004"),
    "Impression des affiches": (D(2013, 9, 23), D(2013, 10, 14), D(2013, 11, 12), "BC-2013-067", "F-IMP-1014"),
    "Impression de la plaquette": (D(2013, 9, 23), D(2013, 10, 21), D(2013, 11, 19), "BC-2013-068", "F-IMP-1021"),
    "Impression du hors-série": (D(2013, 9, 30), D(2013, 10, 25), D(2013, 11, 22), "BC-2013-069", "F-IMP-1025"),
    "Encarts dans la presse": (D(2013, 10, 1), D(2013, 11, 18), D(2013, 12, 13), "BC-2013-071", "F-PR-1118"),
    "Affichage sur les abribus": (D(2013, 10, 7), D(2013, 11, 20), D(2013, 12, 18), "BC-2013-072", "F-AF-1120"),
    "Lots et petits cadeaux": (D(2013, 10, 9), D(2013, 10, 30), D(2013, 11, 27), "BC-2013-075", "F-LOT-1030"),
    "Signalétique des boutiques": (D(2013, 9, 16), D(2013, 10, 28), D(2013, 11, 25), "BC-2013-064", "F-SI-1028"),
}

# category, label, supplier, TTC, status, credit note, overhead, order date, invoice date, payment date
BUDGET_2014: list[tuple[str, str, str, str, str, bool, bool, D | None, D | None, D | None]] = [
    ("supports de communication", "Mise à jour de l'affiche et de la plaquette pour avril 2014",
     "Agence graphique (exemple)", "2400.00", "payé", False, False, D(2014, 1, 20), D(2014, 2, 21), D(2014, 3, 14)),
    ("impressions", "Impression de la plaquette 2014 « Boutiques solidaires de l'occasion »",
     "Imprimerie (exemple)", "4600.00", "facturé", False, False, D(2014, 2, 10), D(2014, 3, 7), None),
    ("impressions", "Avoir : affiches livrées avec un défaut de couleur", "Imprimerie (exemple)",
     "-360.00", "facturé", True, False, None, D(2014, 3, 12), None),
    ("impressions", "Impression des affiches 2014", "Imprimerie (exemple)",
     "3600.00", "facturé", False, False, D(2014, 2, 10), D(2014, 3, 7), None),
    ("achat d'espaces", "Encarts dans la presse locale (fin mars 2014)", "Régie presse (exemple)",
     "5800.00", "engagé", False, False, D(2014, 2, 24), None, None),
    ("achat d'espaces", "Affichage sur les abribus du réseau départemental", "Régie d'affichage (exemple)",
     "4200.00", "engagé", False, False, D(2014, 3, 3), None, None),
    ("fournitures", "Lots et petits cadeaux pour les animations en boutique", "Fournisseur de lots (exemple)",
     "3000.00", "prévu", False, False, None, None, None),
    ("fournitures", "Signalétique pour les 3 nouvelles boutiques", "Atelier signalétique (exemple)",
     "600.00", "prévu", False, False, None, None, None),
    ("animations", "Animation musicale dans deux boutiques", "Association musicale (exemple)",
     "900.00", "prévu", False, False, None, None, None),
    ("frais de personnel", "Salaires des agents mobilisés (frais généraux, estimation)", "Département",
     "16000.00", "prévu", False, True, None, None, None),
    ("transport et livraisons", "Livraisons et reprises des outils (véhicules, frais généraux, estimation)",
     "Département", "1400.00", "prévu", False, True, None, None, None),
]


def load(session: Session, context: dict[str, Any]) -> None:
    """Add the budget example where missing; never overwrites what the user changed."""
    editions = {e.name: e for e in session.scalars(select(Edition))}
    nov, apr = editions.get("Novembre 2013"), editions.get("Avril 2014")
    if nov is not None:
        for line in session.scalars(select(BudgetLine).filter_by(edition_id=nov.id, is_example=True)):
            if line.order_date or line.invoice_date or line.payment_date or line.order_ref:
                continue
            for prefix, (ordered, invoiced, paid, order_ref, invoice_ref) in DATES_2013.items():
                if line.label.startswith(prefix):
                    line.order_date, line.invoice_date, line.payment_date = ordered, invoiced, paid
                    line.order_ref, line.invoice_ref = order_ref, invoice_ref
                    break
    if apr is None or session.scalars(select(BudgetLine).filter_by(edition_id=apr.id)).first() is not None:
        return
    categories = {c.name: c for c in session.scalars(select(BudgetCategory))}
    for (category, label, supplier, ttc, status, credit, overhead, ordered, invoiced, paid) in BUDGET_2014:
        if category not in categories:
            continue  # the user renamed or removed the category: leave that line out
        rate = Decimal("0.00") if overhead else Decimal("20.00")
        ht, vat = ht_from_ttc(Decimal(ttc), rate)
        session.add(
            BudgetLine(
                edition=apr, category=categories[category], label=label, supplier=supplier,
                amount_ht=ht, vat_rate=rate, amount_vat=vat, amount_ttc=Decimal(ttc), status=status,
                is_credit_note=credit, is_overhead=overhead, order_date=ordered, invoice_date=invoiced,
                payment_date=paid, is_example=True,
                notes="Budget 2014 inventé pour l'exemple." if not overhead else "Frais généraux estimés (hors total TTC).",
            )
        )
