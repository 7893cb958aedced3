"""The variable catalogue: what each kind of document exists as, its labels and default template, and the documented variables a template may use (shown by `bonsjours template` and the Documents tab)."""

from __future__ import annotations

from dataclasses import dataclass

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
