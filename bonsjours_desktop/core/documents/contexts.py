"""Template contexts: pure functions over the database, and the documented variables of each kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import clock
from ..budget import budget_summary as core_budget_summary
from ..editions import list_editions
from ..errors import NotFoundError, get_or_raise
from ..event_hours import NOT_OPEN, day_hours
from ..logistics import delivery_rounds as logistics_rounds
from ..logistics import quantity_text
from ..participations import takes_part, taking_part
from ..shops import shop_record
from ..formatting import DAY_NAMES, MONTH_NAMES, date_long, integer, money
from ..hours import UNKNOWN_HOURS_TEXT, is_open_on_weekday, join_days
from ..models import (
    WEEKDAYS,
    Animation,
    Contact,
    Edition,
    EditionRole,
    Organisation,
    Participation,
    Setting,
    Shop,
)
from ..validation import fold
from .engine import ImageRef

KINDS = ("press-kit", "role-sheet", "directory", "bilan", "delivery-sheet")
KIND_LABELS = {
    "press-kit": "Dossier de presse (un par zone : département, territoire, réseau)",
    "role-sheet": "Fiches rôle des partenaires (une par partenaire)",
    "directory": "Annuaire des boutiques",
    "bilan": "Bilan de l'édition",
    "delivery-sheet": "Fiches de tournée (livraisons et reprises)",
}
DEFAULT_TEMPLATES = {
    "press-kit": "dossier_presse.docx",
    "role-sheet": "fiche_role.docx",
    "directory": "annuaire.docx",
    "bilan": "bilan.docx",
    "delivery-sheet": "fiche_livraison.docx",
}
# The directory is an A5 booklet by default; this one is the same in A4.
DIRECTORY_A4_TEMPLATE = "annuaire_a4.docx"
PAGE_FORMATS = ("a5", "a4")
# Printed width of the cover map: the usable width of each page format.
DIRECTORY_MAP_WIDTH_MM = {"a5": 118.0, "a4": 165.0}

OPERATION_TITLE = "Les bons jours de l'occasion"
DIRECTORY_TITLE = "Boutiques solidaires de l'occasion"
DIRECTORY_SUBTITLE = "Dénicher de bonnes affaires en Maine-et-Loire"
# From the case sheet ("Contexte" and "Objectifs généraux").
OPERATION_PRESENTATION = (
    "Dans le cadre de son plan départemental de prévention des déchets, le Département mène une campagne "
    "de sensibilisation des habitants aux bonnes pratiques : consommer et produire mieux, prolonger la "
    "durée de vie des produits, jeter moins. Il a sollicité les acteurs de l'économie sociale et solidaire "
    "pour réaliser l'évènement « Les bons jours de l'occasion » afin de promouvoir l'achat de produits "
    "d'occasion : le même jour, partout dans le département, les boutiques solidaires ouvrent leurs portes "
    "et proposent des animations."
)
OPERATION_AIMS = [
    "valoriser l'achat de produits d'occasion dans les structures de l'économie sociale et solidaire ;",
    "faire connaître les lieux de vente de produits d'occasion gérés par l'économie sociale et solidaire ;",
    "inciter les habitants à venir régulièrement dans ces boutiques : créer le réflexe occasion ;",
    "faire connaître les produits proposés et le travail réalisé : l'achat d'occasion participe à une "
    "économie qui a du sens ;",
    "surprendre les clients par une opération de communication d'envergure départementale ;",
    "créer une atmosphère accueillante, un temps fort pour les employés, les bénévoles et les clients.",
]
NO_TERRITORY = "Hors territoire renseigné"


@dataclass(frozen=True)
class Variable:
    """One variable a template may use: dotted name ("shop.name", "shops[]" = one element), text, example."""

    name: str
    description: str
    example: str


# --- Documented variables -----------------------------------------------------------------------

_COMMON = [
    Variable("departement_name", "Nom du département", "Maine-et-Loire"),
    Variable("departement_contact", "Contact du Département (réglage « departement_contact »)",
             "Anne-marie Michaud – am.michaud@maine-et-loire.fr"),
    Variable("generated_on", "Date de production du document (date ; filtres date_long, date_short)", "2014-03-14"),
    Variable("generated_on_text", "Date de production en toutes lettres", "vendredi 14 mars 2014"),
    Variable("operation_title", "Nom de l'opération", OPERATION_TITLE),
    Variable("edition", "L'édition (objet)", ""),
    Variable("edition.name", "Nom de l'édition", "Avril 2014"),
    Variable("edition.theme", "Thème de l'édition", "Stop au gaspillage…"),
    Variable("edition.status", "État de l'édition", "terminée"),
    Variable("edition.notes", "Notes sur l'édition", "2e édition…"),
    Variable("edition.days", "Jours de l'évènement (liste de dates)", "[2014-04-02, 2014-04-05]"),
    Variable("edition.days[]", "Un jour (date ; filtres date_long…)", "2014-04-02"),
    Variable("edition.first_day", "Premier jour (date)", "2014-04-02"),
    Variable("edition.last_day", "Dernier jour (date)", "2014-04-05"),
    Variable("edition.days_text", "Les jours en toutes lettres", "mercredi 2 avril 2014 et samedi 5 avril 2014"),
    Variable("edition.days_short", "Les jours, forme courte", "les 2 et 5 avril 2014"),
    Variable("edition.year", "Année du premier jour", "2014"),
]

_SHOP = [
    ("name", "Nom de la boutique", "Emmaüs Cholet"),
    ("network", "Réseau", "Emmaüs"),
    ("legal_form", "Forme juridique", "Association"),
    ("address", "Adresse", "12 rue de la Casse"),
    ("postal_code", "Code postal", "49300"),
    ("commune", "Commune", "Cholet"),
    ("territory", "Territoire (EPCI)", "Communauté d'agglomération du Choletais"),
    ("phone", "Téléphone", "02 41 62 11 48"),
    ("email", "Courriel", "contact@exemple.fr"),
    ("website", "Site internet", "www.exemple.fr"),
    ("contact_text", "Téléphone, courriel et site sur une ligne", "02 41 62 11 48 · contact@exemple.fr"),
    ("hours_text", "Horaires d'ouverture (une ligne par groupe de jours)", "mercredi et samedi : 9h30–12h, 14h–18h"),
    ("products", "Produits (liste)", "[meubles, vêtements]"),
    ("products_text", "Produits, séparés par des virgules", "meubles, vêtements, bric-à-brac"),
    ("participates", "Participe à l'édition (vrai/faux)", "vrai"),
    ("animations", "Animations de la boutique pour l'édition (liste)", ""),
    ("animations[].day", "Jour de l'animation (date)", "2014-04-02"),
    ("animations[].day_text", "Jour de l'animation", "mercredi 2 avril"),
    ("animations[].category", "Catégorie", "musique"),
    ("animations[].description", "Description", "Musique et chansons en boutique"),
    ("animations[].time_text", "Horaire de l'animation", "14h–18h"),
    ("animations[].text", "Animation sur une ligne", "mercredi 2 avril, 14h–18h : Musique et chansons en boutique"),
    ("animations_text", "Toutes les animations, une par ligne", "mercredi 2 avril, 14h–18h : Musique…"),
    ("event_days", "Horaires et animations par jour de l'évènement (liste)", ""),
    ("event_days[].day_text", "Jour de l'évènement", "mercredi 2 avril"),
    ("event_days[].hours_text", "Horaires d'ouverture ce jour-là", "9h30–12h, 14h–18h"),
    ("event_days[].animations_text", "Animations ce jour-là", "14h–18h : Musique et chansons en boutique"),
    ("event_hours_text", "Horaires des jours de l'évènement, une ligne par jour", "mercredi 2 avril : 9h30–12h, 14h–18h"),
    ("animator_text", "Animateur·rice de prévention associé·e", "Claire Moreau (02 41 10 00 00)"),
]


def _shop_vars(prefix: str) -> list[Variable]:
    return [Variable(f"{prefix}.{name}", text, example) for name, text, example in _SHOP]


_PERSON = [
    ("name", "Nom", "Claire Moreau"),
    ("function", "Fonction", "Animatrice de prévention des déchets"),
    ("organisation", "Organisme", "Angers Loire Métropole"),
    ("email", "Courriel", "claire.prevention@exemple-epci.fr"),
    ("phone", "Téléphone", "02 41 10 00 00"),
    ("text", "Nom, fonction et coordonnées sur une ligne", "Claire Moreau, animatrice… – 02 41 10 00 00"),
]


def _person_vars(prefix: str, what: str) -> list[Variable]:
    return [Variable(prefix, what, "")] + [Variable(f"{prefix}.{n}", f"{what} : {t.lower()}", e) for n, t, e in _PERSON]


VARIABLES: dict[str, list[Variable]] = {
    "press-kit": _COMMON + [
        Variable("operation_presentation", "Présentation de l'opération", OPERATION_PRESENTATION[:60] + "…"),
        Variable("operation_aims", "Objectifs de l'opération (liste de phrases)", ""),
        Variable("operation_aims[]", "Un objectif", OPERATION_AIMS[0]),
        Variable("scope", "La zone couverte par ce dossier (objet)", ""),
        Variable("scope.kind", "« département », « territoire » ou « réseau »", "territoire"),
        Variable("scope.name", "Nom de la zone", "Angers Loire Métropole"),
        Variable("scope.header_name", "Nom de la zone, abrégé pour l'en-tête (48 caractères au plus)",
                 "Angers Loire Métropole"),
        Variable("scope.is_local", "Dossier d'un territoire ou d'un réseau (vrai/faux)", "vrai"),
        Variable("scope_text", "Zone couverte par la liste des boutiques", "le territoire « Angers Loire Métropole »"),
        Variable("figures", "Chiffres clés (objet)", ""),
        Variable("figures.shops_count", "Boutiques participantes dans le département", "20"),
        Variable("figures.territories_count", "Territoires concernés", "9"),
        Variable("figures.communes_count", "Communes concernées", "15"),
        Variable("figures.event_days_count", "Nombre de jours de l'évènement", "2"),
        Variable("figures.local_shops_count", "Boutiques participantes listées dans ce dossier", "6"),
        Variable("figures.previous_text", "Rappel de l'édition précédente", "17 boutiques en Novembre 2013"),
        Variable("shops", "Boutiques participantes de la zone (liste)", ""),
        Variable("shops[]", "Une boutique (mêmes champs que shop.*)", ""),
        *_shop_vars("shops[]"),
        *_person_vars("animator", "Animateur·rice local·e de prévention des déchets"),
        Variable("animators", "Tous les animateurs de prévention de la zone (liste de personnes)", ""),
        *[Variable(f"animators[].{n}", t, e) for n, t, e in _PERSON],
        *_person_vars("press_contact", "Contact presse de l'édition"),
        Variable("has_press_contact", "Un contact presse est choisi (vrai/faux)", "vrai"),
        Variable("partner_groups", "Partenaires publics de l'édition, par groupe (liste)", ""),
        Variable("partner_groups[].title", "Titre du groupe", "Les structures de l'économie sociale et solidaire"),
        Variable("partner_groups[].partners", "Partenaires du groupe (liste)", ""),
        Variable("partner_groups[].partners[].name", "Nom du partenaire", "Emmaüs"),
        Variable("partner_groups[].names_text", "Noms du groupe, séparés par des virgules", "APIVET, Emmaüs"),
        Variable("local_press", "Presse partenaire de la zone (liste)", ""),
        Variable("local_press[].name", "Titre de presse", "Le Courrier de l'Ouest"),
        Variable("local_press[].contact", "Journaliste ou correspondant", "Sandrine Roux"),
        Variable("local_press[].email", "Courriel", "s.roux@exemple-presse.fr"),
        Variable("local_press[].text", "Titre et contact sur une ligne", "Le Courrier de l'Ouest – Sandrine Roux"),
        Variable("map_image", "Carte des boutiques de la zone (image ; vide pour le département)", ""),
        Variable("has_map", "Une carte est fournie (vrai/faux)", "vrai"),
    ],
    "role-sheet": _COMMON + [
        Variable("partner", "Le partenaire (objet)", ""),
        Variable("partner.name", "Nom du partenaire", "Angers Loire Métropole"),
        Variable("partner.header_name", "Nom abrégé pour l'en-tête (48 caractères au plus)", "Angers Loire Métropole"),
        Variable("partner.kind", "Type de partenaire", "collectivité/EPCI"),
        Variable("partner.territory", "Territoire du partenaire", "Angers Loire Métropole"),
        Variable("partner.contact_name", "Contact principal", "Claire Moreau"),
        Variable("partner.email", "Courriel du contact principal", "claire.prevention@exemple-epci.fr"),
        Variable("roles", "Rôles dans l'édition (liste, sans les rôles déclinés)", ""),
        Variable("roles[].name", "Rôle", "relais presse locale"),
        Variable("roles[].description", "Ce qui est attendu", "Relais auprès des correspondants de la presse locale."),
        Variable("roles[].status", "État du rôle", "confirmé"),
        Variable("roles[].contact", "Contact pour ce rôle", "Claire Moreau"),
        Variable("roles_text", "Rôles, séparés par des virgules", "animations prévention en boutique"),
        Variable("tasks", "Tâches et jalons du rétroplanning dont le partenaire est responsable (liste)", ""),
        Variable("tasks[].title", "Tâche", "Livraison des outils aux boutiques"),
        Variable("tasks[].milestone", "Jalon (vrai/faux)", "faux"),
        Variable("tasks[].when_text", "Dates en toutes lettres", "du lundi 31 mars 2014 au mardi 1er avril 2014"),
        Variable("tasks[].start_text", "Début", "lundi 31 mars 2014"),
        Variable("tasks[].end_text", "Fin", "mardi 1er avril 2014"),
        Variable("tasks[].status", "État", "à faire"),
        Variable("tasks[].phase", "Phase", "Logistique"),
        Variable("meetings", "Réunions où le partenaire est invité (liste)", ""),
        Variable("meetings[].date_text", "Date", "mardi 14 janvier 2014"),
        Variable("meetings[].subject", "Objet", "Réunion bilan"),
        Variable("lent", "Matériel prêté ou livré au partenaire et à ses boutiques (liste)", ""),
        Variable("lent[].what", "Objet ou consommable", "ROUE-01 – Roue de la prévention des déchets"),
        Variable("lent[].to", "Pour qui", "Emmaüs Cholet"),
        Variable("lent[].delivery_text", "Livraison", "lundi 31 mars 2014"),
        Variable("lent[].pickup_text", "Reprise (vide pour un consommable)", "lundi 7 avril 2014"),
        Variable("lent[].text", "Tout sur une ligne", "Roue de la prévention (ROUE-01) — livré le …"),
        Variable("rounds", "Tournées de livraison ou de reprise que le partenaire assure (liste)", ""),
        Variable("rounds[].day_text", "Jour de la tournée", "lundi 31 mars 2014"),
        Variable("rounds[].territory", "Territoire", "Angers Loire Métropole"),
        Variable("rounds[].stops_count", "Nombre d'arrêts", "6"),
        Variable("rounds[].drop_count", "Lignes à déposer", "12"),
        Variable("rounds[].pick_count", "Lignes à reprendre", "0"),
        Variable("rounds[].title", "Jour et territoire sur une ligne", "lun. 31 mars 2014 — Angers Loire Métropole"),
        Variable("shops", "Boutiques du partenaire qui participent (liste)", ""),
        Variable("shops[]", "Une boutique (mêmes champs que dans le dossier de presse)", ""),
        *_shop_vars("shops[]"),
        Variable("contacts", "Animateurs de prévention à appeler (liste de personnes)", ""),
        *[Variable(f"contacts[].{n}", t, e) for n, t, e in _PERSON],
        *_person_vars("press_contact", "Contact presse de l'édition"),
    ],
    "directory": _COMMON + [
        Variable("title", "Titre de l'annuaire", DIRECTORY_TITLE),
        Variable("subtitle", "Sous-titre", DIRECTORY_SUBTITLE),
        Variable("map_image", "Carte des boutiques (image ; vide si aucune)", ""),
        Variable("has_map", "Une carte est fournie (vrai/faux)", "vrai"),
        Variable("logo_image", "Logo (image du réglage « logo_path » ; vide si aucun)", ""),
        Variable("has_logo", "Un logo est réglé (vrai/faux)", "vrai"),
        Variable("web_page", "Adresse de la page web de l'opération (réglage « web_page »)",
                 "www.enanjoujereduismesdechets.fr"),
        Variable("page_format", "Format des pages : a5 ou a4", "a5"),
        Variable("communes_index", "Index des communes, par ordre alphabétique (liste)", ""),
        Variable("communes_index[].name", "Commune", "Angers"),
        Variable("communes_index[].territory", "Son territoire", "Angers Loire Métropole"),
        Variable("communes_index[].anchor", "Nom du signet de sa rubrique (pour un champ PAGEREF)", "_Commune1"),
        Variable("communes_index[].shops_count", "Boutiques de la commune", "4"),
        Variable("counts", "Chiffres (objet)", ""),
        Variable("counts.shops", "Boutiques de l'annuaire", "20"),
        Variable("counts.participating", "Boutiques participant à l'édition", "20"),
        Variable("counts.territories", "Territoires", "9"),
        Variable("counts.communes", "Communes", "15"),
        Variable("territories", "Territoires (liste), chacun avec ses communes", ""),
        Variable("territories[].name", "Nom du territoire", "Angers Loire Métropole"),
        Variable("territories[].shops_count", "Boutiques du territoire", "6"),
        Variable("territories[].communes", "Communes du territoire (liste)", ""),
        Variable("territories[].communes[].name", "Nom de la commune", "Angers"),
        Variable("territories[].communes[].postal_code", "Code postal", "49000"),
        Variable("territories[].communes[].anchor", "Nom du signet de la rubrique (repris par l'index)", "_Commune1"),
        Variable("territories[].communes[].bookmark_id", "Numéro du signet", "1"),
        Variable("territories[].communes[].shops", "Boutiques de la commune (liste)", ""),
        Variable("territories[].communes[].shops[]", "Une boutique", ""),
        *_shop_vars("territories[].communes[].shops[]"),
        Variable("shops", "Toutes les boutiques, par territoire puis commune (liste)", ""),
        Variable("shops[]", "Une boutique", ""),
        *_shop_vars("shops[]"),
    ],
    "bilan": _COMMON + [
        Variable("previous", "Édition précédente (objet, vide s'il n'y en a pas)", ""),
        Variable("previous.name", "Nom de l'édition précédente", "Novembre 2013"),
        Variable("previous.days_text", "Ses jours", "mercredi 13 novembre 2013 et samedi 16 novembre 2013"),
        Variable("has_previous", "Il existe une édition précédente (vrai/faux)", "vrai"),
        Variable("first_edition_text", "Phrase dite quand il n'y a pas d'édition antérieure (sinon vide)",
                 "Novembre 2013 est la première édition : il n'y a pas d'édition antérieure à laquelle la comparer."),
        Variable("participations", "Boutiques participantes et résultats (liste)", ""),
        Variable("participations[].shop", "Boutique", "Emmaüs Cholet"),
        Variable("participations[].commune", "Commune", "Cholet"),
        Variable("participations[].territory", "Territoire", "Communauté d'agglomération du Choletais"),
        Variable("participations[].status", "État de la participation", "confirmée"),
        Variable("participations[].animations_text", "Animations prévues", "mercredi 2 avril : musique"),
        Variable("participations[].animations_held", "Animations réalisées (saisie du bilan)", "Musique, café"),
        Variable("participations[].visitors", "Visiteurs (nombre ou vide)", "120"),
        Variable("participations[].visitors_text", "Visiteurs, formaté", "120"),
        Variable("participations[].sales", "Ventes (montant ou vide)", "850.00"),
        Variable("participations[].sales_text", "Ventes, formatées", "850,00 €"),
        Variable("participations[].comments", "Commentaires du bilan", "Très bonne affluence"),
        Variable("totals", "Totaux (objet)", ""),
        Variable("totals.shops", "Boutiques participantes", "20"),
        Variable("totals.territories", "Territoires", "9"),
        Variable("totals.animations", "Animations prévues", "40"),
        Variable("totals.visitors_text", "Visiteurs (somme des chiffres saisis)", "1 250"),
        Variable("totals.visitors_known", "Boutiques ayant indiqué leurs visiteurs", "12"),
        Variable("totals.visitors_known_text", "Les mêmes, en toutes lettres (accordé)", "12 boutiques ont répondu"),
        Variable("totals.sales_text", "Ventes (somme)", "12 400,00 €"),
        Variable("budget", "Budget (objet)", ""),
        Variable("budget.has_lines", "Des dépenses sont saisies (vrai/faux)", "vrai"),
        Variable("budget.categories", "Dépenses par catégorie (liste)", ""),
        Variable("budget.categories[].name", "Catégorie", "impressions"),
        Variable("budget.categories[].ht_text", "Total HT", "12 500,00 €"),
        Variable("budget.categories[].ttc_text", "Total TTC", "15 000,00 €"),
        Variable("budget.categories[].share_text", "Part du total TTC", "36,1 %"),
        Variable("budget.categories[].lines", "Nombre de lignes", "3"),
        Variable("budget.total_ht_text", "Total HT (hors frais généraux)", "34 583,33 €"),
        Variable("budget.total_vat_text", "Total TVA", "6 916,67 €"),
        Variable("budget.total_ttc", "Total TTC (montant)", "41500.00"),
        Variable("budget.total_ttc_text", "Total TTC", "41 500,00 €"),
        Variable("budget.planned_text", "Dépenses prévues, pas encore engagées (TTC)", "0,00 €"),
        Variable("budget.spent_text", "Dépensé : engagé + facturé + payé (TTC)", "41 500,00 €"),
        Variable("budget.overheads_text", "Frais généraux valorisés (hors total)", "19 700,00 €"),
        Variable("budget.envelope_text", "Enveloppe de l'édition", "42 000,00 €"),
        Variable("budget.remaining_text", "Reste sur l'enveloppe : enveloppe − (engagé + facturé + payé)", "500,00 €"),
        Variable("budget.used_text", "Part de l'enveloppe consommée (engagé + facturé + payé)", "98,8 %"),
        Variable("charts", "Graphiques du budget (liste d'images, peut être vide)", ""),
        Variable("charts[].image", "Image du graphique", ""),
        Variable("charts[].caption", "Légende", "Dépenses par catégorie"),
        Variable("comparison", "Comparaison avec l'édition précédente (liste de lignes)", ""),
        Variable("comparison[].label", "Indicateur", "Boutiques participantes"),
        Variable("comparison[].previous", "Édition précédente", "17"),
        Variable("comparison[].current", "Cette édition", "20"),
        Variable("comparison[].change", "Évolution", "+3 (+17,6 %)"),
        Variable("press_articles_text", "Articles de presse", "12"),
        Variable("booklets_text", "Annuaires distribués", "3 000"),
        Variable("qualitative_results", "Résultats qualitatifs (texte)", "Réunir les acteurs…"),
        Variable("recommendations", "Recommandations (texte)", "Anticiper…"),
    ],
    "delivery-sheet": _COMMON + [
        Variable("round", "La tournée (objet)", ""),
        Variable("round.day", "Jour de la tournée (date ; vide si à fixer)", "2014-03-31"),
        Variable("round.day_text", "Jour de la tournée", "lundi 31 mars 2014"),
        Variable("round.territory", "Territoire de la tournée", "Angers Loire Métropole"),
        Variable("round.carriers_text", "Chauffeurs prévus", "Équipe logistique"),
        Variable("round.carriers_count", "Nombre de chauffeurs nommés", "1"),
        Variable("round.stops_count", "Nombre d'arrêts", "5"),
        Variable("round.drop_count", "Nombre de lignes à déposer", "8"),
        Variable("round.pick_count", "Nombre de lignes à reprendre", "0"),
        Variable("round.kind_text", "Nature de la tournée", "Livraisons"),
        Variable("round.drop_text", "Ce qu'il faut charger pour déposer, compté (ou « rien »)",
                 "4 jeux, 140 affiches, 5 kits de signalétique"),
        Variable("round.pick_text", "Ce qu'il faut reprendre, compté (ou « rien »)", "4 jeux"),
        Variable("round.summary_text", "La tournée en une ligne", "7 arrêts ; à déposer : 4 jeux, 140 affiches"),
        Variable("stops", "Arrêts, dans l'ordre (liste)", ""),
        Variable("stops[].number", "Numéro d'ordre", "1"),
        Variable("stops[].name", "Destinataire (boutique ou organisme)", "Emmaüs Cholet"),
        Variable("stops[].address", "Adresse", "12 rue de la Casse"),
        Variable("stops[].postal_code", "Code postal", "49300"),
        Variable("stops[].commune", "Commune", "Cholet"),
        Variable("stops[].phone", "Téléphone", "02 41 62 11 48"),
        Variable("stops[].contact", "Personne à demander (organisme)", "Claire Moreau"),
        Variable("stops[].hours_text", "Ouverture de la boutique le jour de la tournée",
                 "ouvert ce mardi : 9h30–12h, 14h–18h"),
        Variable("stops[].lines", "Ce qu'il faut déposer ou reprendre (liste)", ""),
        Variable("stops[].lines[].action", "« Déposer » ou « Reprendre »", "Déposer"),
        Variable("stops[].lines[].what", "Objet ou consommable", "ROUE-01 – Roue de la prévention des déchets"),
        Variable("stops[].lines[].quantity_text", "Quantité", "1"),
        Variable("stops[].lines[].notes", "Notes", "Fragile"),
    ],
}


def variable_names(kind: str) -> set[str]:
    """Documented names of a kind, with every prefix ("a.b[].c" gives "a", "a.b", "a.b[]")."""
    names: set[str] = set()
    for variable in VARIABLES[kind]:
        parts = variable.name.split(".")
        for index in range(1, len(parts) + 1):
            path = ".".join(parts[:index])
            names.add(path)
            if path.endswith("[]"):
                names.add(path[:-2])
    return names


# --- Formatting helpers -------------------------------------------------------------------------


def _time(text: str) -> str:
    """'09:30' → '9h30', '14:00' → '14h'."""
    if not text or ":" not in text:
        return text or ""
    hours, minutes = text.split(":", 1)
    return f"{int(hours)}h{minutes if minutes != '00' else ''}"


def _ranges_text(ranges: Sequence[Sequence[str]]) -> str:
    return ", ".join(f"{_time(r[0])}–{_time(r[1])}" for r in ranges if len(r) == 2)


def _join_fr(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def hours_text(opening_hours: Optional[dict[str, Any]]) -> str:
    """Days with identical hours grouped, in weekday order, one line per group."""
    hours = opening_hours or {}
    groups: list[tuple[str, list[str]]] = []
    for day in WEEKDAYS:
        if not is_open_on_weekday(hours, day):
            continue
        ranges = hours[day]
        text = _ranges_text(ranges) if ranges else UNKNOWN_HOURS_TEXT
        for existing in groups:
            if existing[0] == text:
                existing[1].append(day)
                break
        else:
            groups.append((text, [day]))
    return "\n".join(f"{join_days(days)} : {text}" for text, days in groups)


def _day_text(day: Optional[dt.date]) -> str:
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAY_NAMES[day.weekday()]} {number} {MONTH_NAMES[day.month - 1]}"


def days_short(days: Sequence[dt.date]) -> str:
    """'les 2 et 5 avril 2014', or full dates when months differ."""
    if not days:
        return "dates à fixer"
    if len(days) == 1:
        return f"le {date_long(days[0])}"
    if len({(d.month, d.year) for d in days}) == 1:
        numbers = ["1er" if d.day == 1 else str(d.day) for d in days]
        return f"les {_join_fr(numbers)} {MONTH_NAMES[days[0].month - 1]} {days[0].year}"
    return "les " + _join_fr([date_long(d) for d in days])


def _change(previous: Optional[Decimal | int], current: Optional[Decimal | int], is_money: bool = False) -> str:
    if previous is None or current is None:
        return ""
    delta = Decimal(current) - Decimal(previous)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "")
    amount = money(abs(delta)) if is_money else integer(int(abs(delta)))
    if previous:
        percent = (delta / Decimal(previous) * 100).quantize(Decimal("0.1"))
        percent_text = f"{sign}{str(abs(percent)).replace('.', ',')} %"
        return f"{sign}{amount} ({percent_text})" if delta else "stable"
    return f"{sign}{amount}" if delta else "stable"


def _percent(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return ""
    return f"{(part / whole * 100).quantize(Decimal('0.1'))}".replace(".", ",") + " %"


def _setting(session: Session, key: str, default: str = "") -> str:
    setting = session.get(Setting, key)
    return setting.value if setting is not None and setting.value else default


def _edition(session: Session, edition_id: int) -> Edition:
    edition = get_or_raise(session, Edition, edition_id)
    return edition


def _edition_dict(edition: Edition) -> dict[str, Any]:
    days = [d.day for d in edition.event_days]
    return {
        "name": edition.name,
        "theme": edition.theme,
        "status": edition.status,
        "notes": edition.notes,
        "days": days,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "days_text": _join_fr([date_long(d) for d in days]) or "dates à fixer",
        "days_short": days_short(days),
        "year": str(days[0].year) if days else "",
    }


def _common(session: Session, edition: Edition) -> dict[str, Any]:
    today = clock.today()
    return {
        "departement_name": _setting(session, "departement_name", "Maine-et-Loire"),
        "departement_contact": _setting(session, "departement_contact"),
        "generated_on": today,
        "generated_on_text": date_long(today),
        "operation_title": OPERATION_TITLE,
        "edition": _edition_dict(edition),
    }


def _person(contact: Optional[Contact]) -> Optional[dict[str, Any]]:
    if contact is None:
        return None
    details = " – ".join(x for x in (contact.phone, contact.email) if x)
    text = contact.name + (f", {contact.function}" if contact.function else "")
    text += f" ({contact.organisation.name})" if contact.organisation else ""
    return {
        "name": contact.name,
        "function": contact.function,
        "organisation": contact.organisation.name if contact.organisation else "",
        "email": contact.email,
        "phone": contact.phone,
        "text": text + (f" – {details}" if details else ""),
    }


def _animation_dict(animation: Animation) -> dict[str, Any]:
    day = animation.event_day.day if animation.event_day else None
    time_text = (f"{_time(animation.start_time)}–{_time(animation.end_time)}"
                 if animation.start_time and animation.end_time else _time(animation.start_time))
    what = animation.description or animation.category
    head = ", ".join(x for x in (_day_text(day), time_text) if x)
    return {
        "day": day,
        "day_text": _day_text(day),
        "category": animation.category,
        "description": animation.description,
        "time_text": time_text,
        "text": f"{head} : {what}" if head else what,
    }


# The fields of core.shops.shop_record the documents show as they are (the others are formatted).
_SHOP_RECORD_KEYS = ("name", "network", "legal_form", "address", "postal_code", "commune", "territory", "phone",
                     "email", "website", "products")


def _shop_dict(shop: Shop, participation: Optional[Participation], edition: Edition) -> dict[str, Any]:
    participates = participation is not None and takes_part(participation.status)
    animations = [_animation_dict(a) for a in participation.animations] if participates else []
    animations.sort(key=lambda a: (a["day"] or dt.date.max, a["time_text"]))
    event_days = []
    for event_day in edition.event_days:
        # The day's own hours when typed in Participations, else the weekly ones (core/event_hours.py).
        hours = day_hours(shop.opening_hours, participation.event_hours if participates else None, event_day.day)
        day_animations = [a for a in animations if a["day"] == event_day.day]
        if participates and hours.source == NOT_OPEN:
            continue  # takes part on the other days only
        event_days.append({
            "day": event_day.day,
            "day_text": _day_text(event_day.day),
            "hours_text": (_ranges_text(hours.ranges) if hours.ranges else UNKNOWN_HOURS_TEXT) if hours.opens
            else ("horaires à confirmer" if participates else "fermé habituellement"),
            "animations_text": "\n".join(
                (f"{a['time_text']} : " if a["time_text"] else "") + (a["description"] or a["category"])
                for a in day_animations
            ),
        })
    record = shop_record(shop)
    contact_bits = [record["phone"], record["email"], record["website"]]
    animator = _person(participation.animator) if participates and participation.animator else None
    return {
        **{key: record[key] for key in _SHOP_RECORD_KEYS},
        # the name the public knows (« Pays segréen »), not the syndicate's acronym
        "territory": shop.territory.display_name if shop.territory else "",
        "contact_text": " · ".join(x for x in contact_bits if x),
        "hours_text": hours_text(record["opening_hours"]) or "horaires non communiqués",
        "products_text": ", ".join(record["products"]),
        "participates": participates,
        "animations": animations,
        "animations_text": "\n".join(a["text"] for a in animations),
        "event_days": event_days,
        "event_hours_text": "\n".join(f"{d['day_text']} : {d['hours_text']}" for d in event_days),
        "animator_text": (f"{animator['name']}" + (f" ({animator['phone']})" if animator["phone"] else ""))
        if animator else "",
    }


def _participations(session: Session, edition_id: int) -> dict[int, Participation]:
    rows = session.scalars(
        select(Participation)
        .where(Participation.edition_id == edition_id)
        .options(
            selectinload(Participation.animations).selectinload(Animation.event_day),
            selectinload(Participation.animator).selectinload(Contact.organisation),
        )
    )
    return {p.shop_id: p for p in rows}


def _shops(session: Session, active_only: bool = True) -> list[Shop]:
    query = select(Shop).options(selectinload(Shop.territory))
    if active_only:
        query = query.where(Shop.active.is_(True))
    return list(session.scalars(query))


def _shop_sort_key(shop: Shop) -> tuple:
    return (shop.territory is None, fold(shop.territory.display_name) if shop.territory else "", fold(shop.commune),
            fold(shop.name))


# --- Partners -----------------------------------------------------------------------------------


def edition_partners(session: Session, edition_id: int) -> list[Organisation]:
    """Organisations with a role in the edition (not declined), plus the EPCIs whose prevention
    animators accompany participating shops: they are partners even before roles are entered."""
    ids: set[int] = set(
        session.scalars(
            select(EditionRole.organisation_id).where(
                EditionRole.edition_id == edition_id, EditionRole.status != "décliné"
            )
        )
    )
    ids |= set(
        session.scalars(
            select(Contact.organisation_id)
            .join(Participation, Participation.animator_contact_id == Contact.id)
            .where(Participation.edition_id == edition_id, taking_part())
        )
    )
    # The ESS network heads (Emmaüs, Envie Anjou...) of participating shops are partners too.
    networks = {fold(n) for n in session.scalars(
        select(Shop.network).join(Participation, Participation.shop_id == Shop.id)
        .where(Participation.edition_id == edition_id, taking_part())
    ) if n}
    for organisation in session.scalars(select(Organisation).where(Organisation.kind == "structure ESS")):
        if any(network in fold(organisation.name) for network in networks):
            ids.add(organisation.id)
    if not ids:
        return []
    organisations = session.scalars(
        select(Organisation).where(Organisation.id.in_(ids)).options(selectinload(Organisation.territory))
    )
    return sorted(organisations, key=lambda o: (fold(o.kind), fold(o.name)))


def find_organisations(session: Session, name: str) -> list[Organisation]:
    """Organisations named so (exact, then accent/case-insensitive, then containing it)."""
    organisations = list(session.scalars(select(Organisation)))
    exact = [o for o in organisations if o.name == name]
    if exact:
        return exact
    folded = fold(name)
    same = [o for o in organisations if fold(o.name) == folded]
    if same:
        return same
    containing = [o for o in organisations if folded and folded in fold(o.name)]
    if containing:
        return sorted(containing, key=lambda o: fold(o.name))
    raise NotFoundError(f"Aucun partenaire ne s'appelle « {name} » (ni ne contient ce nom).")


def _roles_of(session: Session, edition_id: int) -> dict[int, list[EditionRole]]:
    roles: dict[int, list[EditionRole]] = {}
    for role in session.scalars(
        select(EditionRole).where(EditionRole.edition_id == edition_id).options(selectinload(EditionRole.role_type))
    ):
        roles.setdefault(role.organisation_id, []).append(role)
    return roles


def _animator_orgs(session: Session, edition_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Contact.organisation_id)
            .join(Participation, Participation.animator_contact_id == Contact.id)
            .where(Participation.edition_id == edition_id)
        )
    )


def _partner_roles_text(org: Organisation, roles: list[EditionRole], animator_orgs: set[int]) -> str:
    names = [r.role_type.name for r in roles if r.status != "décliné"]
    if not names and org.id in animator_orgs:
        names = ["animations prévention en boutique"]
    if not names and org.kind == "structure ESS":
        names = ["boutiques participantes"]
    return ", ".join(names)


# --- Press kit ----------------------------------------------------------------------------------


def press_kit_shared(session: Session, edition_id: int) -> dict[str, Any]:
    """What every press kit of an edition shares: computed once for a batch of partners."""
    participations = _participations(session, edition_id)
    return {
        "participations": participations,
        "shops": [s for s in _shops(session, active_only=False)
                  if s.id in participations and takes_part(participations[s.id].status)],
        "roles": _roles_of(session, edition_id),
        "animator_orgs": _animator_orgs(session, edition_id),
        "previous": _previous_summary(list_editions(session), edition_id),
        "partners": edition_partners(session, edition_id),
    }


def _previous_summary(summaries, edition_id: int):
    ordered = [s for s in summaries if s.first_day is not None]
    current = next((s for s in summaries if s.id == edition_id), None)
    if current is None or current.first_day is None:
        return None
    earlier = [s for s in ordered if s.first_day < current.first_day]
    return earlier[-1] if earlier else None


# --- Directory ----------------------------------------------------------------------------------


def directory_context(session: Session, edition_id: int, map_image: Optional[Path] = None,
                      page_format: str = "a5") -> dict[str, Any]:
    """Every active shop grouped by territory then commune; participants marked with animations.

    Each commune heading carries a bookmark (anchor) that the index of communes refers to with a
    PAGEREF field: Word and LibreOffice put the page number there when they lay the booklet out."""
    edition = _edition(session, edition_id)
    participations = _participations(session, edition_id)
    shops = sorted(_shops(session), key=_shop_sort_key)
    territories: list[dict[str, Any]] = []
    flat: list[dict[str, Any]] = []
    for shop in shops:
        name = shop.territory.display_name if shop.territory else NO_TERRITORY
        if not territories or territories[-1]["name"] != name:
            territories.append({"name": name, "shops_count": 0, "communes": []})
        territory = territories[-1]
        communes = territory["communes"]
        if not communes or fold(communes[-1]["name"]) != fold(shop.commune):
            number = sum(len(t["communes"]) for t in territories) + 1
            communes.append({"name": shop.commune, "postal_code": shop.postal_code, "shops": [],
                             "anchor": f"_Commune{number}", "bookmark_id": 9000 + number})
        data = _shop_dict(shop, participations.get(shop.id), edition)
        communes[-1]["shops"].append(data)
        if communes[-1]["postal_code"] != shop.postal_code:
            communes[-1]["postal_code"] = ""  # several codes (Angers 49000 / 49100): each card shows its own
        territory["shops_count"] += 1
        flat.append(data)
    index = sorted(
        ({"name": c["name"] or "(commune non renseignée)", "territory": t["name"], "anchor": c["anchor"],
          "shops_count": len(c["shops"])} for t in territories for c in t["communes"]),
        key=lambda c: (fold(c["name"]), fold(c["territory"])),
    )
    fmt = page_format if page_format in PAGE_FORMATS else "a5"
    logo = _setting(session, "logo_path")
    logo_path = Path(logo).expanduser() if logo else None
    context = _common(session, edition)
    context.update({
        "title": DIRECTORY_TITLE,
        "subtitle": DIRECTORY_SUBTITLE,
        "map_image": ImageRef(Path(map_image), DIRECTORY_MAP_WIDTH_MM[fmt]) if map_image else "",
        "has_map": bool(map_image),
        # A logo whose file went missing is left out rather than failing the whole directory.
        "logo_image": ImageRef(logo_path, 30.0 if fmt == "a5" else 40.0) if logo_path and logo_path.is_file() else "",
        "has_logo": bool(logo_path and logo_path.is_file()),
        "web_page": _setting(session, "web_page"),
        "page_format": fmt,
        "counts": {
            "shops": len(flat),
            "participating": sum(1 for s in flat if s["participates"]),
            "territories": len(territories),
            "communes": len({fold(s["commune"]) for s in flat}),
        },
        "territories": territories,
        "communes_index": index,
        "shops": flat,
    })
    return context


# --- Review report ------------------------------------------------------------------------------

ZERO = Decimal("0.00")


def budget_summary(session: Session, edition: Edition) -> dict[str, Any]:
    """The bilan's budget block, read from the one budget summary (core.budget.budget_summary):
    overheads outside the totals, "reste" = envelope − (engagé + facturé + payé)."""
    summary = core_budget_summary(session, edition.id)
    total_ttc = summary.total_ttc
    envelope = summary.envelope
    used = summary.used_share
    return {
        "has_lines": summary.has_lines,
        "categories": [
            {"name": c.category, "ht_text": money(c.ht), "ttc_text": money(c.ttc),
             "share_text": _percent(c.ttc, total_ttc), "lines": c.line_count}
            for c in summary.by_category
        ],
        "total_ht_text": money(summary.total_ht),
        "total_vat_text": money(summary.total_vat),
        "total_ttc": total_ttc,
        "total_ttc_text": money(total_ttc) if summary.has_lines else "aucune dépense saisie",
        "planned_text": money(summary.planned),
        "spent": summary.spent,
        "spent_text": money(summary.spent),
        "overheads_text": money(summary.overheads_ttc) if summary.overheads_ttc else "",
        "envelope": envelope,
        "envelope_text": money(envelope) if envelope is not None else "non fixée",
        "remaining": summary.remaining,
        "remaining_text": money(summary.remaining) if summary.remaining is not None else "",
        "used_text": _percent(summary.spent, envelope) if used is not None else "",
    }


def _results(session: Session, edition: Edition) -> dict[str, Any]:
    participations = [p for p in _participations(session, edition.id).values() if takes_part(p.status)]
    visitors = [p.visitors for p in participations if p.visitors is not None]
    sales = [p.sales for p in participations if p.sales is not None]
    shops = {p.shop_id: session.get(Shop, p.shop_id) for p in participations}
    return {
        "shops": len(participations),
        "territories": len({shops[p.shop_id].territory_id for p in participations if shops[p.shop_id].territory_id}),
        "animations": sum(len(p.animations) for p in participations),
        "visitors": sum(visitors) if visitors else None,
        "visitors_known": len(visitors),
        "sales": sum(sales, ZERO) if sales else None,
    }


def _answered(shops: int) -> str:
    """« 17 boutiques ont répondu », « 1 boutique a répondu », « aucune boutique n'a répondu »."""
    from .typography import counted

    if not shops:
        return "aucune boutique n'a répondu"
    return f"{counted(shops, 'boutique')} {'ont' if shops > 1 else 'a'} répondu"


def bilan_context(session: Session, edition_id: int, chart_images: Sequence[tuple[Path, str]] = ()) -> dict[str, Any]:
    """Review report: participation table, budget summary, charts, comparison with the previous edition."""
    edition = _edition(session, edition_id)
    participations = _participations(session, edition_id)
    shops = {s.id: s for s in _shops(session, active_only=False)}
    rows = []
    for shop_id, participation in sorted(participations.items(), key=lambda item: _shop_sort_key(shops[item[0]])):
        shop = shops[shop_id]
        animations = [_animation_dict(a) for a in participation.animations]
        rows.append({
            "shop": shop.name,
            "commune": shop.commune,
            "territory": shop.territory.name if shop.territory else "",
            "status": participation.status,
            "animations_text": "\n".join(
                f"{a['day_text']} : {a['category']}" if a["day_text"] else a["category"] for a in animations
            ),
            "animations_held": participation.animations_held,
            "visitors": participation.visitors,
            "visitors_text": integer(participation.visitors) if participation.visitors is not None else "",
            "sales": participation.sales,
            "sales_text": money(participation.sales) if participation.sales is not None else "",
            "comments": participation.result_comments,
        })
    current = _results(session, edition)
    budget = budget_summary(session, edition)
    previous_summary = _previous_summary(list_editions(session), edition_id)
    previous_edition = session.get(Edition, previous_summary.id) if previous_summary else None
    comparison = []
    if previous_edition is not None:
        before = _results(session, previous_edition)
        before_budget = budget_summary(session, previous_edition)

        def row(label: str, old, new, fmt=lambda v: integer(v), is_money: bool = False) -> None:
            comparison.append({
                "label": label,
                "previous": fmt(old) if old is not None else "non renseigné",
                "current": fmt(new) if new is not None else "non renseigné",
                "change": _change(old, new, is_money),
            })

        row("Boutiques participantes", before["shops"], current["shops"])
        row("Territoires concernés", before["territories"], current["territories"])
        row("Animations prévues", before["animations"], current["animations"])
        row("Jours d'ouverture communs", len(previous_edition.event_days), len(edition.event_days))
        if before["visitors"] is not None or current["visitors"] is not None:
            row("Visiteurs (chiffres saisis)", before["visitors"], current["visitors"])
        if before["sales"] is not None or current["sales"] is not None:
            row("Ventes (chiffres saisis)", before["sales"], current["sales"], money, True)
        row("Dépenses TTC", before_budget["total_ttc"] if before_budget["has_lines"] else None,
            budget["total_ttc"] if budget["has_lines"] else None, money, True)
        row("Articles de presse", previous_edition.press_articles, edition.press_articles)
        row("Annuaires distribués", previous_edition.booklets_distributed, edition.booklets_distributed)
    context = _common(session, edition)
    context.update({
        "previous": {"name": previous_edition.name, "days_text": _edition_dict(previous_edition)["days_text"]}
        if previous_edition else None,
        "has_previous": previous_edition is not None,
        "first_edition_text": "" if previous_edition is not None else (
            f"{edition.name} est la première édition : il n'y a pas d'édition antérieure à laquelle la comparer."),
        "participations": rows,
        "totals": {
            "shops": current["shops"],
            "territories": current["territories"],
            "animations": current["animations"],
            "visitors_text": integer(current["visitors"]) if current["visitors"] is not None else "non renseigné",
            "visitors_known": current["visitors_known"],
            "visitors_known_text": _answered(current["visitors_known"]),
            "sales_text": money(current["sales"]) if current["sales"] is not None else "non renseigné",
        },
        "budget": budget,
        "charts": [{"image": ImageRef(Path(path), 150.0), "caption": caption} for path, caption in chart_images],
        "comparison": comparison,
        "press_articles_text": integer(edition.press_articles) if edition.press_articles is not None else "non renseigné",
        "booklets_text": integer(edition.booklets_distributed) if edition.booklets_distributed is not None else "non renseigné",
        "qualitative_results": edition.qualitative_results,
        "recommendations": edition.recommendations,
    })
    return context


# --- Delivery sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundKey:
    """A delivery round: one day (None = date to fix) and one territory."""

    day: Optional[dt.date]
    territory: str

    @property
    def label(self) -> str:
        when = self.day.isoformat() if self.day else "date à fixer"
        return f"{when} – {self.territory}"


def delivery_rounds(session: Session, edition_id: int) -> dict[RoundKey, dict[str, Any]]:
    """The rounds of core.logistics.delivery_rounds (the Logistique tab's), as the sheets' variables:
    one entry per day and territory, stops in the driver's order, what to drop off then pick up."""
    _edition(session, edition_id)
    rounds: dict[RoundKey, dict[str, Any]] = {}
    built = logistics_rounds(session, edition_id)
    shop_ids = {stop.shop_id for r in built for stop in r.stops if stop.shop_id is not None}
    hours = dict(session.execute(select(Shop.id, Shop.opening_hours).where(Shop.id.in_(shop_ids))).all()) if shop_ids else {}
    for delivery_round in built:
        stops: dict[str, dict[str, Any]] = {}
        for stop in delivery_round.stops:
            key = f"s{stop.shop_id}" if stop.shop_id is not None else f"o{stop.organisation_id}"
            stops[key] = {
                "key": key, "name": stop.name, "address": stop.address, "postal_code": stop.postal_code,
                "commune": stop.commune, "phone": stop.phone, "contact": stop.contact,
                "hours_text": _stop_hours(hours[stop.shop_id], delivery_round.day) if stop.shop_id in hours else "",
                "lines": [
                    {"action": "Déposer" if line.action == "déposer" else "Reprendre", "what": line.label,
                     "quantity_text": quantity_text(line.quantity, line.unit), "notes": line.notes,
                     "count": (GAMES, 1) if line.item_identifier else (line.label, line.quantity),
                     "unit": line.unit}
                    for line in stop.drop_offs + stop.pickups
                ],
            }
        rounds[RoundKey(delivery_round.day, delivery_round.territory)] = {
            "stops": stops, "carriers": list(delivery_round.carriers)}
    return rounds


GAMES = ""  # the count key of lent items: every lent item is one « jeu »


def _stop_hours(opening_hours: Optional[dict[str, Any]], day: Optional[dt.date]) -> str:
    """The shop's opening hours on the round's day, for the driver: « ouvert ce jour-là : 9h30–12h,
    14h–18h », or that it is usually closed then (call first); the week's hours when the day is to fix."""
    if day is None:
        week = hours_text(opening_hours)
        return f"horaires : {week}".replace("\n", " ; ") if week else ""
    weekday = WEEKDAYS[day.weekday()]
    if not is_open_on_weekday(opening_hours or {}, weekday):
        return f"fermé d'habitude le {weekday} : appeler avant de passer"
    ranges = (opening_hours or {}).get(weekday) or []
    return f"ouvert ce {weekday} : {_ranges_text(ranges) if ranges else UNKNOWN_HOURS_TEXT}"


def _lower_first(text: str) -> str:
    # « Affiches » → « affiches » but « SICTOM … » stays as typed.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _things_text(lines: Sequence[dict[str, Any]]) -> str:
    """« 4 jeux, 300 affiches, 2 kits de signalétique » — what a driver loads, counted his way."""
    from .typography import counted

    totals: dict[str, int] = {}
    units: dict[str, str] = {}
    for line in lines:
        name, quantity = line["count"]
        totals[name] = totals.get(name, 0) + (quantity or 0)
        units.setdefault(name, line.get("unit") or "")
    parts = []
    for name, total in totals.items():
        if name == GAMES:
            parts.append(counted(total, "jeu", "jeux"))
            continue
        unit = units[name]
        words = _lower_first(name).split(" ", 1)
        first = words[0]
        same = fold(first).rstrip("sx") == fold(unit).rstrip("sx")
        if not unit or same or fold(unit) in ("exemplaires", "exemplaire", "unites", "unite", "pieces", "piece"):
            # The name says what is counted: « 300 affiches », « 1 kit de signalétique ».
            if total <= 1 and first.endswith("s") and len(first) > 2:
                first = first[:-1]
            parts.append(f"{integer(total)}\u00a0{' '.join([first] + words[1:])}")
        else:
            parts.append(f"{quantity_text(total, unit)} – {name}")
    return ", ".join(parts)


def delivery_sheet_context(session: Session, edition_id: int, key: RoundKey,
                           rounds: Optional[dict[RoundKey, dict[str, Any]]] = None) -> dict[str, Any]:
    """One round's sheet: stops in the driver's order (the Logistique tab's), what to drop off and pick up, signatures."""
    edition = _edition(session, edition_id)
    rounds = rounds if rounds is not None else delivery_rounds(session, edition_id)
    if key not in rounds:
        raise NotFoundError(f"Aucune tournée « {key.label} » pour cette édition.")
    entry = rounds[key]
    stops = list(entry["stops"].values())  # already in the driver's order (commune, street, number)
    numbered = []
    for number, stop in enumerate(stops, start=1):
        lines = sorted(stop["lines"], key=lambda l: (l["action"] != "Déposer", fold(l["what"])))
        numbered.append({**{k: v for k, v in stop.items() if k != "key"}, "number": number, "lines": lines})
    drop_lines = [l for s in numbered for l in s["lines"] if l["action"] == "Déposer"]
    pick_lines = [l for s in numbered for l in s["lines"] if l["action"] == "Reprendre"]
    drops, picks = len(drop_lines), len(pick_lines)
    kind = "Livraisons et reprises" if drops and picks else ("Reprises" if picks else "Livraisons")
    from .typography import counted

    drop_text, pick_text = _things_text(drop_lines), _things_text(pick_lines)
    summary = [counted(len(numbered), "arrêt")]
    if drop_text:
        summary.append(f"à déposer : {drop_text}")
    if pick_text:
        summary.append(f"à reprendre : {pick_text}")
    context = _common(session, edition)
    context.update({
        "round": {
            "day": key.day,
            "day_text": date_long(key.day) if key.day else "date à fixer",
            "territory": key.territory,
            "carriers_text": ", ".join(entry["carriers"]) or "à désigner",
            "carriers_count": len(entry["carriers"]),
            "stops_count": len(numbered),
            "drop_count": drops,
            "pick_count": picks,
            "kind_text": kind,
            "drop_text": drop_text or "rien",
            "pick_text": pick_text or "rien",
            "summary_text": " ; ".join(summary),
        },
        "stops": numbered,
    })
    return context


__all__ = [
    "KINDS", "KIND_LABELS", "DEFAULT_TEMPLATES", "VARIABLES", "Variable", "variable_names", "RoundKey",
    "directory_context", "bilan_context", "delivery_rounds", "delivery_sheet_context",
    "edition_partners", "find_organisations", "hours_text", "map_points", "MapPoint",
]


@dataclass(frozen=True)
class MapPoint:
    """A shop to draw on the directory's cover map."""

    name: str
    commune: str
    latitude: float
    longitude: float
    participates: bool


def map_points(session: Session, edition_id: int) -> list[MapPoint]:
    """Active shops with coordinates, and whether they take part in the edition."""
    participating = {shop_id for shop_id, p in _participations(session, edition_id).items() if takes_part(p.status)}
    return [
        MapPoint(s.name, s.commune, s.latitude, s.longitude, s.id in participating)
        for s in _shops(session)
        if s.latitude is not None and s.longitude is not None
    ]
