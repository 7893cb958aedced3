"""Example review of both demo editions: invented figures per shop, qualitative results from the sheet.

Visitor counts, sales, press articles and booklets are invented and said so ("exemple"); the qualitative
results and recommendations are those of the case sheet. Only empty fields are filled, so running the
demo twice, or after the coordinator typed her own figures, changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import BudgetCategory, BudgetLine, Edition, Participation
from ..money import ht_from_ttc
from .base import APR_2014, NOV_2013

EXAMPLE_NOTE = "Résultats chiffrés du bilan (fréquentation, ventes, articles, annuaires) : exemples inventés."

QUALITATIVE_2013 = """\
17 boutiques solidaires mobilisées les 13 et 16 novembre 2013 ; les animations (musique, jeux, promotions, \
café offert, vente de crêpes, constructions insolites) ont attiré un large public.
- Réunir les acteurs de l'économie sociale et solidaire du département a permis à certains participants \
de se rencontrer pour la première fois.
- Associer les animateurs de prévention des déchets des collectivités a favorisé de nouveaux contacts \
locaux avec les boutiques.
- Les jours communs d'ouverture ont montré une meilleure disponibilité des habitants les mercredis et \
samedis : deux boutiques ont depuis modifié leurs jours d'ouverture.
- L'annuaire « Boutiques solidaires de l'occasion » a trouvé des relais dans les maisons des solidarités \
et les CCAS."""

QUALITATIVE_2014 = """\
Les 20 boutiques solidaires existantes en 2014 ont participé les 2 et 5 avril 2014 (17 en novembre 2013).
- Meilleure fréquentation confirmée les mercredis et samedis.
- Deux boutiques ont modifié le calendrier de leurs jours d'ouverture depuis la première édition.
- Les contacts locaux entre boutiques et animateurs de prévention des EPCI perdurent.
- La plaquette 2014 « Dénicher de bonnes affaires en Maine-et-Loire » a été diffusée par les mêmes relais."""

RECOMMENDATIONS = """\
- ANTICIPER.
- Présenter clairement le rôle à tenir par chaque acteur lors de la présentation de l'évènement.
- Définir la date de l'évènement en concertation avec les acteurs.
- Mettre à disposition des partenaires un dossier « presse » avec une trame commune."""

# press articles, booklets distributed (invented)
EDITION_FIGURES = {NOV_2013: (14, 3200), APR_2014: (19, 4100)}

COMMENTS = [
    "Beaucoup de nouveaux clients venus grâce aux affiches.",
    "Affluence surtout le samedi matin.",
    "Bonne affluence le mercredi après-midi, familles avec enfants.",
    "Contact noué avec l'animateur prévention de l'EPCI, à poursuivre.",
    "Public habituel ; peu de nouveaux visiteurs.",
    "Les jeux ont bien fonctionné avec les enfants.",
    "Demande à recevoir les affiches plus tôt.",
]
# Shops (by name) that changed their opening days after the first edition, as the sheet reports.
CHANGED_OPENING_DAYS = {
    "Secours Catholique – Boutique solidaire d'Angers": "Ouvre désormais aussi le samedi après-midi.",
    "Boutique solidaire de Doué": "A ajouté le mercredi à ses jours d'ouverture depuis novembre.",
}


# The sheet gives no spending for April 2014; without any, costs per shop and per visitor could not be
# compared. Invented, smaller than 2013 since the designs were reused. category, label, TTC.
BUDGET_2014 = [
    ("impressions", "Impression de la plaquette 2014 « Boutiques solidaires de l'occasion »", "3900.00"),
    ("impressions", "Réimpression des affiches aux dates d'avril", "3100.00"),
    ("achat d'espaces", "Encarts dans les journaux locaux (fin mars 2014)", "4800.00"),
    ("achat d'espaces", "Affichage sur les abribus du réseau départemental", "4200.00"),
    ("supports de communication", "Mise à jour de l'affiche et de la bannière web", "2400.00"),
    ("fournitures", "Lots et petits cadeaux pour les animations en boutique", "2600.00"),
]


def _visitors(index: int, april: bool) -> int:
    base = 80 + (index * 37) % 220
    return base + (25 + index % 4 * 10 if april else 0)


def _sales(index: int, april: bool) -> Decimal | None:
    if index % 3 == 2:
        return None  # not every shop tells its takings
    return Decimal(450 + (index * 173) % 1300) + (Decimal(120) if april else 0) + Decimal("0.50") * (index % 2)


def load(session: Session, context: dict[str, Any]) -> None:
    """Fill empty results of the demo editions with plausible example figures."""
    for edition in session.scalars(select(Edition).where(Edition.name.in_([NOV_2013, APR_2014]))):
        april = edition.name == APR_2014
        participations = session.scalars(
            select(Participation)
            .where(Participation.edition_id == edition.id)
            .options(selectinload(Participation.shop), selectinload(Participation.animations))
            .order_by(Participation.id)
        ).all()
        for index, p in enumerate(participations):
            if p.visitors is not None or p.sales is not None or p.animations_held or p.result_comments:
                continue
            p.visitors = _visitors(index, april)
            p.sales = _sales(index, april)
            held = [a.description for a in p.animations if a.description]
            if index == 4 and held:
                held = held[:1]
                comment = "Une seule animation : bénévoles indisponibles le second jour."
            elif april and p.shop.name in CHANGED_OPENING_DAYS:
                comment = CHANGED_OPENING_DAYS[p.shop.name]
            else:
                comment = COMMENTS[(index + april) % len(COMMENTS)]
            p.animations_held = " ; ".join(held)
            p.result_comments = f"{comment} (exemple)"
        press, booklets = EDITION_FIGURES[edition.name]
        if edition.press_articles is None:
            edition.press_articles = press
        if edition.booklets_distributed is None:
            edition.booklets_distributed = booklets
        if not edition.qualitative_results:
            edition.qualitative_results = QUALITATIVE_2014 if april else QUALITATIVE_2013
        if not edition.recommendations:
            edition.recommendations = RECOMMENDATIONS
        if EXAMPLE_NOTE not in (edition.notes or ""):
            edition.notes = f"{edition.notes}\n{EXAMPLE_NOTE}".strip()
    session.flush()
    _load_budget_2014(session)


def _load_budget_2014(session: Session) -> None:
    april = session.scalars(select(Edition).filter_by(name=APR_2014)).first()
    if april is None or session.scalars(select(BudgetLine).filter_by(edition_id=april.id)).first() is not None:
        return
    categories = {c.name: c for c in session.scalars(select(BudgetCategory))}
    for category, label, ttc in BUDGET_2014:
        rate = Decimal("20.00")
        ht, vat = ht_from_ttc(Decimal(ttc), rate)
        session.add(
            BudgetLine(
                edition=april, category=categories.get(category), label=label, supplier="Prestataire (exemple)",
                amount_ht=ht, vat_rate=rate, amount_vat=vat, amount_ttc=Decimal(ttc), status="payé",
                is_example=True, notes="Dépense d'exemple inventée pour comparer les éditions.",
            )
        )
    session.flush()
