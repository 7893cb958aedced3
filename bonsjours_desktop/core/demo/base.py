"""The Maine-et-Loire 2013–2014 example: territories, shops, editions, partners, planning, budget, games.

What the case sheet names (editions, dates, partners, services, milestones, 41 500 € TTC, the 12 games)
is reproduced; shop names, addresses and people not in the sheet are invented, plausible, and flagged
is_example so the coordinator can tell them apart and remove them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Animation,
    BudgetCategory,
    BudgetLine,
    Contact,
    Edition,
    EventDay,
    Item,
    Organisation,
    Participation,
    Setting,
    Shop,
    Task,
    TaskDependency,
    Territory,
)
from ..money import ht_from_ttc
from ..planning_template import (  # noqa: F401 - the demo names the same services
    SERVICE_COMMUNICATION,
    SERVICE_IT,
    SERVICE_LOGISTICS,
    SERVICE_PREVENTION,
    TASKS_2013,
)
from ..reference import ensure_reference_data

M = TypeVar("M")

NOV_2013 = "Novembre 2013"
APR_2014 = "Avril 2014"
THEME = "Stop au gaspillage – Si on donnait une deuxième vie aux objets ?"

TERRITORIES = [
    "Angers Loire Métropole",
    "Communauté d'agglomération du Choletais",
    "Saumur Loire Développement",
    "SIRDOMDI – Pays segréen",
    "SICTOM Loir et Sarthe",
    "SMITOM du Sud Saumurois",
    "Communauté de communes Loire-Layon",
    "Communauté de communes du Centre-Mauges",
    "Communauté de communes Vallée Loire Authion",
]

# What the directory and press kits print: the public does not know the waste syndicates' acronyms.
# (official name → public name, INSEE code of a commune whose EPCI the territory is today or "")
TERRITORY_PUBLIC = {
    "Angers Loire Métropole": ("Angers Loire Métropole", "49007"),
    "Communauté d'agglomération du Choletais": ("Agglomération du Choletais", "49099"),
    "Saumur Loire Développement": ("Saumurois", "49328"),
    "SIRDOMDI – Pays segréen": ("Pays segréen", ""),
    "SICTOM Loir et Sarthe": ("Vallées du Loir et de la Sarthe", ""),
    "SMITOM du Sud Saumurois": ("Sud Saumurois", ""),
    "Communauté de communes Loire-Layon": ("Loire-Layon", "49063"),
    "Communauté de communes du Centre-Mauges": ("Centre-Mauges", "49023"),
    "Communauté de communes Vallée Loire Authion": ("Vallée Loire-Authion", ""),
}

W_S = {"mercredi": [["09:30", "12:00"], ["14:00", "18:00"]], "samedi": [["09:30", "12:30"], ["14:00", "18:00"]]}
W_S_F = {**W_S, "vendredi": [["14:00", "18:00"]]}
T_S = {"mardi": [["14:00", "18:00"]], "jeudi": [["14:00", "18:00"]], "samedi": [["09:00", "12:00"]]}

# name, network, legal form, may promote, address, postal code, commune, territory index, lat, lon,
# phone, products, hours
SHOPS: list[tuple[Any, ...]] = [
    ("Emmaüs Angers – Bric-à-brac de Saint-Jean", "Emmaüs", "Association", True,
     "La Baillerie, route de Saint-Léger", "49070", "Saint-Jean-de-Linières", 0, 47.4594, -0.6628,
     "02 41 39 72 30", ["meubles", "vêtements", "vaisselle", "livres/disques", "bric-à-brac"], W_S_F),
    ("Emmaüs Cholet", "Emmaüs", "Association", True,
     "12 rue de la Casse", "49300", "Cholet", 1, 47.0604, -0.8790,
     "02 41 62 11 48", ["meubles", "électroménager", "vêtements", "bric-à-brac"], W_S),
    ("Emmaüs Saumur – Les Ponts", "Emmaüs", "Association", True,
     "5 rue du Pont Fouchard", "49400", "Saumur", 2, 47.2506, -0.0772,
     "02 41 50 22 71", ["meubles", "vaisselle", "livres/disques", "jouets"], W_S),
    ("Envie Anjou – Angers", "Envie", "Entreprise d'insertion", False,
     "21 boulevard de l'Industrie", "49000", "Angers", 0, 47.4784, -0.5632,
     "02 41 73 40 70", ["électroménager", "informatique"], {**W_S, "lundi": [["14:00", "18:00"]], "jeudi": [["09:00", "18:00"]]}),
    ("Envie Anjou – Cholet", "Envie", "Entreprise d'insertion", False,
     "8 rue Saint-Éloi", "49300", "Cholet", 1, 47.0710, -0.8650,
     "02 41 58 64 12", ["électroménager"], W_S),
    ("APIVET – Boutique textile", "APIVET", "Atelier et chantier d'insertion", True,
     "34 rue Saint-Lazare", "49100", "Angers", 0, 47.4730, -0.5650,
     "02 41 88 35 19", ["vêtements", "linge de maison"], W_S),
    ("Arceau Anjou – La Ressourcerie", "Arceau Anjou", "Association", True,
     "2 rue de la Maraîchère", "49000", "Angers", 0, 47.4570, -0.5520,
     "02 41 66 08 50", ["meubles", "bric-à-brac", "jouets", "vélos"], W_S),
    ("Secours Catholique – Boutique solidaire d'Angers", "Secours Catholique", "Association", True,
     "15 rue Bressigny", "49100", "Angers", 0, 47.4680, -0.5490,
     "02 41 88 85 65", ["vêtements", "vaisselle", "jouets"], T_S | {"mercredi": [["14:00", "17:30"]]}),
    ("Secours Catholique – Boutique solidaire de Saumur", "Secours Catholique", "Association", True,
     "9 rue Dacier", "49400", "Saumur", 2, 47.2590, -0.0810,
     "02 41 51 14 27", ["vêtements", "linge de maison"], {"mercredi": [["14:00", "17:00"]], "samedi": [["10:00", "12:00"]]}),
    ("Secours Catholique – Boutique solidaire de Segré", "Secours Catholique", "Association", True,
     "6 rue Lazare Carnot", "49500", "Segré", 3, 47.6863, -0.8721,
     "02 41 92 20 31", ["vêtements", "jouets"], {"mercredi": [["14:00", "17:30"]], "samedi": [["09:30", "12:00"]]}),
    ("Ressourcerie des Mauges", "Réseau des ressourceries", "Association", True,
     "ZA de la Croix Rouge", "49600", "Beaupréau", 7, 47.2030, -0.9880,
     "02 41 63 51 09", ["meubles", "électroménager", "bric-à-brac", "matériaux"], W_S),
    ("Recyclerie du Segréen", "Réseau des ressourceries", "Atelier et chantier d'insertion", True,
     "Rue de l'Oudon", "49500", "Segré", 3, 47.6905, -0.8800,
     "02 41 61 47 82", ["meubles", "vélos", "bric-à-brac"], W_S),
    ("Ressourcerie Loire et Layon", "Réseau des ressourceries", "Association", True,
     "Route de Rochefort", "49290", "Chalonnes-sur-Loire", 6, 47.3510, -0.7620,
     "02 41 78 26 44", ["meubles", "vaisselle", "livres/disques", "bric-à-brac"], W_S),
    ("Boutique solidaire de Doué", "Indépendant", "Association", True,
     "3 place du Champ de Foire", "49700", "Doué-la-Fontaine", 5, 47.1930, -0.2750,
     "02 41 59 03 66", ["vêtements", "vaisselle", "jouets"], T_S),
    ("L'Atelier du réemploi de Durtal", "Indépendant", "Atelier et chantier d'insertion", True,
     "14 route de Baugé", "49430", "Durtal", 4, 47.6720, -0.2340,
     "02 41 76 31 90", ["meubles", "bric-à-brac", "matériaux"], W_S),
    ("La Malle aux trésors", "Indépendant", "Association", True,
     "22 rue Nationale", "49120", "Chemillé", 7, 47.2140, -0.7290,
     "02 41 30 57 18", ["vêtements", "livres/disques", "jouets"], T_S),
    ("Envie Anjou – Saumur", "Envie", "Entreprise d'insertion", False,
     "Avenue des Maraîchers", "49400", "Saumur", 2, 47.2640, -0.0560,
     "02 41 67 95 21", ["électroménager", "informatique"], W_S),
    # Opened or joined for the April 2014 edition.
    ("Recyclerie de Longué", "Réseau des ressourceries", "Association", True,
     "Rue du Stade", "49160", "Longué-Jumelles", 8, 47.3770, -0.1080,
     "02 41 52 60 33", ["meubles", "vélos", "bric-à-brac"], W_S),
    ("Emmaüs Trélazé – Boutique des Ardoisières", "Emmaüs", "Association", True,
     "40 avenue Jean Jaurès", "49800", "Trélazé", 0, 47.4460, -0.4660,
     "02 41 69 24 58", ["meubles", "vêtements", "vaisselle"], W_S),
    ("Le Grenier solidaire de Montreuil-Bellay", "Indépendant", "Association", True,
     "7 rue du Château", "49260", "Montreuil-Bellay", 5, 47.1310, -0.1530,
     "02 41 38 15 74", ["vaisselle", "livres/disques", "bric-à-brac"], W_S),
]
NOV_2013_SHOPS = 17

ANIMATIONS = [
    ("musique", "Musique et chansons en boutique"),
    ("jeux", "Jeux pour les enfants"),
    ("promotions", "Promotions sur le mobilier"),
    ("café offert", "Café offert aux clients"),
    ("vente de crêpes", "Vente de crêpes au profit de la structure"),
    ("constructions insolites", "Constructions insolites en objets de réemploi"),
    ("animation prévention déchets", "Stand de l'animateur prévention déchets"),
]

DEPARTEMENT = "Conseil départemental de Maine-et-Loire"

# name, kind, territory index or None, commune, example?
ORGANISATIONS: list[tuple[str, str, Any, str, bool]] = [
    (DEPARTEMENT, "service du Département", None, "Angers", False),
    (SERVICE_PREVENTION, "service du Département", None, "Angers", False),
    (SERVICE_COMMUNICATION, "service du Département", None, "Angers", False),
    (SERVICE_IT, "service du Département", None, "Angers", False),
    (SERVICE_LOGISTICS, "service du Département", None, "Angers", False),
    ("Maisons des solidarités du Département", "Maison des solidarités", None, "Angers", False),
    ("Emmaüs", "structure ESS", None, "Angers", False),
    ("Secours Catholique – Délégation de Maine-et-Loire", "structure ESS", None, "Angers", False),
    ("Envie Anjou", "structure ESS", 0, "Angers", False),
    ("APIVET", "structure ESS", 0, "Angers", False),
    ("Arceau Anjou", "structure ESS", 0, "Angers", False),
    ("Réseau des ressourceries", "structure ESS", None, "Angers", False),
    ("Ouest-France – correspondants locaux", "presse", None, "Angers", True),
    ("Le Courrier de l'Ouest", "presse", None, "Angers", True),
    ("CCAS d'Angers", "CCAS", 0, "Angers", True),
    ("CCAS de Cholet", "CCAS", 1, "Cholet", True),
]

ANIMATOR_NAMES = [
    "Claire Moreau", "Julien Bréhéret", "Sophie Lefèvre", "Mathieu Chauvin", "Anaïs Pineau",
    "Thomas Gaudin", "Émilie Rousseau", "Nicolas Papin", "Camille Boisseau",
]


# category, label, supplier, TTC, overhead
BUDGET_2013: list[tuple[str, str, str, str, bool]] = [
    ("fournitures", "Lots et petits cadeaux pour les animations en boutique", "Fournisseur de lots (exemple)", "2500.00", False),
    ("fournitures", "Signalétique des boutiques (kakémonos, fanions, vitrophanies)", "Atelier signalétique (exemple)", "1700.00", False),
    ("supports de communication", "Conception graphique de l'affiche, de la plaquette et de la bannière web", "Agence graphique (exemple)", "6800.00", False),
    ("supports de communication", "Hors-série du magazine « Maine-et-Loire » : rédaction et mise en page", "Agence éditoriale (exemple)", "6000.00", False),
    ("achat d'espaces", "Encarts dans la presse locale", "Régie presse (exemple)", "5300.00", False),
    ("achat d'espaces", "Affichage sur les abribus du réseau départemental", "Régie d'affichage (exemple)", "4200.00", False),
    ("impressions", "Impression des affiches", "Imprimerie (exemple)", "3800.00", False),
    ("impressions", "Impression de la plaquette « Boutiques solidaires de l'occasion »", "Imprimerie (exemple)", "4200.00", False),
    ("impressions", "Impression du hors-série du magazine", "Imprimerie (exemple)", "7000.00", False),
    ("frais de personnel", "Salaires des agents mobilisés (frais généraux, estimation)", "Département", "18500.00", True),
    ("transport et livraisons", "Livraisons et reprises des outils (véhicules, frais généraux, estimation)", "Département", "1200.00", True),
]

GAMES = [
    ("ROUE", "Roue de la prévention des déchets"),
    ("ECHELLE", "Échelle de la réduction des déchets"),
    ("SAISONS", "Plateau du jeu des saisons"),
]


def _get_or_add(session: Session, model: type[M], lookup: dict[str, Any], **values: Any) -> M:
    found = session.scalars(select(model).filter_by(**lookup)).first()
    if found is not None:
        return found
    obj = model(**lookup, **values)
    session.add(obj)
    return obj


def load(session: Session) -> dict[str, Any]:
    """Fill the session with the example; idempotent (natural keys are looked up first)."""
    ensure_reference_data(session)
    session.flush()

    territories = [
        _get_or_add(session, Territory, {"name": name}, kind="EPCI", is_example=False) for name in TERRITORIES
    ]
    for territory in territories:
        public_name, insee = TERRITORY_PUBLIC.get(territory.name, ("", ""))
        if not territory.public_name:
            territory.public_name = public_name
        if insee and not territory.epci_code:
            from .. import geo

            found = geo.commune(insee)
            territory.epci_code = found.epci if found else ""

    shops = []
    for (name, network, legal, promote, address, cp, commune, t_index, lat, lon, phone, products, hours) in SHOPS:
        shops.append(
            _get_or_add(
                session, Shop, {"name": name, "commune": commune},
                network=network, legal_form=legal, may_promote=promote, address=address, postal_code=cp,
                territory=territories[t_index], latitude=lat, longitude=lon, phone=phone,
                email="", website="", opening_hours=hours, products=products,
                notes="Boutique d'exemple : nom et adresse inventés.", active=True, is_example=True,
            )
        )

    organisations: dict[str, Organisation] = {}
    for name, kind, t_index, commune, example in ORGANISATIONS:
        organisations[name] = _get_or_add(
            session, Organisation, {"name": name}, kind=kind,
            territory=territories[t_index] if t_index is not None else None, commune=commune,
            is_example=example,
        )
    organisations[DEPARTEMENT].address = "Place Michel Debré, CS 94104"
    organisations[DEPARTEMENT].postal_code = "49941"
    organisations[DEPARTEMENT].commune = "Angers Cedex 9"
    for index, territory in enumerate(territories):
        organisations[territory.name] = _get_or_add(
            session, Organisation, {"name": territory.name}, kind="collectivité/EPCI",
            territory=territory, is_example=False,
        )
    session.flush()

    _get_or_add(
        session, Contact, {"organisation_id": organisations[SERVICE_PREVENTION].id, "name": "Anne-marie Michaud"},
        function="Animatrice du plan départemental de prévention des déchets",
        email="am.michaud@maine-et-loire.fr", is_example=False,
    )
    animators = []
    for index, territory in enumerate(territories):
        animator_name = ANIMATOR_NAMES[index % len(ANIMATOR_NAMES)]
        slug = animator_name.split()[0].lower().replace("é", "e").replace("ï", "i")
        animators.append(
            _get_or_add(
                session, Contact, {"organisation_id": organisations[territory.name].id, "name": animator_name},
                function="Animateur·rice de prévention des déchets",
                email=f"{slug}.prevention@exemple-epci.fr", phone=f"02 41 {10 + index:02d} 00 00",
                is_example=True,
            )
        )
    session.flush()

    nov = _get_or_add(
        session, Edition, {"name": NOV_2013}, theme=THEME, status="terminée",
        budget_envelope=Decimal("42000.00"), is_example=False,
        notes="1re édition, 17 boutiques solidaires.",
    )
    apr = _get_or_add(
        session, Edition, {"name": APR_2014}, theme=THEME, status="terminée",
        budget_envelope=Decimal("30000.00"), is_example=False,
        notes="2e édition, les 20 boutiques solidaires existantes en 2014.",
    )
    session.flush()
    for edition, days in ((nov, [dt.date(2013, 11, 13), dt.date(2013, 11, 16)]),
                          (apr, [dt.date(2014, 4, 2), dt.date(2014, 4, 5)])):
        for day in days:
            _get_or_add(session, EventDay, {"edition_id": edition.id, "day": day})
    session.flush()

    for edition, count in ((nov, NOV_2013_SHOPS), (apr, len(shops))):
        event_days = session.scalars(select(EventDay).filter_by(edition_id=edition.id).order_by(EventDay.day)).all()
        for index, shop in enumerate(shops[:count]):
            participation = session.scalars(
                select(Participation).filter_by(shop_id=shop.id, edition_id=edition.id)
            ).first()
            if participation is not None:
                continue
            territory_index = SHOPS[index][7]
            participation = Participation(
                shop=shop, edition=edition, status="confirmée", animator=animators[territory_index],
                is_example=True,
            )
            session.add(participation)
            for day_index, event_day in enumerate(event_days):
                category, description = ANIMATIONS[(index + day_index + (edition is apr)) % len(ANIMATIONS)]
                participation.animations.append(
                    Animation(event_day=event_day, category=category, description=description,
                              start_time="10:00" if day_index else "14:00", end_time="17:00" if day_index else "18:00")
                )
            if edition is apr:
                open_for_animations(participation)
    session.flush()

    if not session.scalars(select(Task).filter_by(edition_id=nov.id)).first():
        first_day = dt.date(2013, 11, 13)
        tasks: list[Task] = []
        for position, (title, start, end, milestone, owner, phase, preds) in enumerate(TASKS_2013):
            task = Task(
                edition=nov, title=title, start=start, end=end, milestone=milestone,
                owner=organisations[owner], phase=phase, status="terminée", progress=100,
                anchor_offset=(start - first_day).days, anchor_unit="jours", position=position,
                is_example=False,
            )
            session.add(task)
            tasks.append(task)
        session.flush()
        for index, (*_, preds) in enumerate(TASKS_2013):
            for pred in preds:
                session.add(TaskDependency(predecessor=tasks[pred], successor=tasks[index], lag_days=0))

    if not session.scalars(select(BudgetLine).filter_by(edition_id=nov.id)).first():
        categories = {c.name: c for c in session.scalars(select(BudgetCategory))}
        for category, label, supplier, ttc, overhead in BUDGET_2013:
            rate = Decimal("0.00") if overhead else Decimal("20.00")
            ht, vat = ht_from_ttc(Decimal(ttc), rate)
            session.add(
                BudgetLine(
                    edition=nov, category=categories[category], label=label, supplier=supplier,
                    amount_ht=ht, vat_rate=rate, amount_vat=vat, amount_ttc=Decimal(ttc),
                    status="payé", is_overhead=overhead, is_example=True,
                    notes="Répartition d'exemple des 41 500 € TTC de la fiche." if not overhead else
                    "Frais généraux estimés (hors total TTC).",
                )
            )

    for prefix, kind in GAMES:
        for number in range(1, 5):
            _get_or_add(
                session, Item, {"identifier": f"{prefix}-{number:02d}"}, kind=kind,
                storage_place="Hangar du Département", condition="bon", is_example=False,
            )

    if session.get(Setting, "web_page") is None:  # the "Local et solidaire" page of the case sheet
        session.add(Setting(key="web_page", value="www.enanjoujereduismesdechets.fr"))
    if session.get(Setting, "departement_contact") is None:
        session.add(Setting(key="departement_contact", value="Anne-marie Michaud – am.michaud@maine-et-loire.fr"))
    if session.get(Setting, "departement_name") is None:
        session.add(Setting(key="departement_name", value="Maine-et-Loire"))
    session.flush()
    return {"editions": [nov, apr], "shops": shops, "organisations": organisations, "territories": territories}


def open_for_animations(participation: Participation) -> None:
    """Event-day hours of the demo's 2014 shops: those normally closed, or closing before their
    animation ends, open exceptionally around it (what the coordinator confirms with each shop)."""
    from ..event_hours import day_hours

    hours = dict(participation.event_hours or {})
    for event_day in participation.edition.event_days:
        animations = [a for a in participation.animations if a.event_day is event_day]
        if not animations:
            continue
        current = day_hours(participation.shop.opening_hours, participation.event_hours, event_day.day)
        start = min(a.start_time for a in animations if a.start_time)
        end = max(a.end_time for a in animations if a.end_time)
        ranges = [list(r) for r in current.ranges]
        if not ranges:
            ranges = [[start, end]]
        else:
            ranges[0][0] = min(ranges[0][0], start)
            ranges[-1][1] = max(ranges[-1][1], end)
        if [tuple(r) for r in ranges] != list(current.ranges):
            hours[event_day.day.isoformat()] = ranges
    participation.event_hours = hours
