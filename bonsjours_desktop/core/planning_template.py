"""The product's built-in planning template: the sheet's 2013 planning, as offsets from the event day (J).

It lives in the core, not with the example data, because every base gets it (the demo imports it too)."""

from __future__ import annotations

import datetime as dt

FIRST_DAY_2013 = dt.date(2013, 11, 13)

# The services of the Département that own the template's tasks.
SERVICE_PREVENTION = "Département – Animation du plan de prévention des déchets"
SERVICE_COMMUNICATION = "Département – Direction de la communication"
SERVICE_IT = "Département – Direction informatique"
SERVICE_LOGISTICS = "Département – Équipe logistique"

# title, start, end, milestone, owner, phase, predecessors (indexes)
TASKS_2013: list[tuple[str, dt.date, dt.date, bool, str, str, list[int]]] = [
    ("Définition du thème à développer en novembre 2013", dt.date(2012, 10, 1), dt.date(2012, 12, 21),
     False, SERVICE_PREVENTION, "Préparation", []),
    ("Contact et rencontre avec les acteurs de l'économie sociale et solidaire", dt.date(2013, 1, 2),
     dt.date(2013, 3, 29), False, SERVICE_PREVENTION, "Préparation", [0]),
    ("Réunion des acteurs de l'ESS et des animateurs de prévention des collectivités", dt.date(2013, 7, 1),
     dt.date(2013, 7, 1), True, SERVICE_PREVENTION, "Préparation", [1]),
    ("Création des supports de communication (affiches, plaquettes, hors-série du magazine « Maine-et-Loire »)",
     dt.date(2013, 6, 21), dt.date(2013, 9, 20), False, SERVICE_COMMUNICATION, "Communication", [1]),
    ("Création de la page « Local et solidaire » et de la carte interactive sur le site internet",
     dt.date(2013, 9, 2), dt.date(2013, 9, 30), False, SERVICE_IT, "Communication", [3]),
    ("Livraison des documents, de la signalétique, des jeux et des lots aux boutiques et aux EPCI",
     dt.date(2013, 10, 1), dt.date(2013, 10, 31), False, SERVICE_LOGISTICS, "Logistique", [3]),
    ("Fourniture du dossier de presse aux partenaires", dt.date(2013, 10, 1), dt.date(2013, 10, 18),
     False, SERVICE_COMMUNICATION, "Communication", [3]),
    ("Déploiement de la campagne de communication et distribution du magazine",
     dt.date(2013, 11, 1), dt.date(2013, 11, 16), False, SERVICE_COMMUNICATION, "Communication", [4, 6]),
    ("1er évènement « Les bons jours de l'occasion » (13 et 16 novembre)", dt.date(2013, 11, 13),
     dt.date(2013, 11, 16), False, SERVICE_PREVENTION, "Évènement", [5, 7]),
    ("Reprise des outils de communication et stockage au hangar", dt.date(2013, 11, 18),
     dt.date(2013, 11, 29), False, SERVICE_LOGISTICS, "Logistique", [8]),
    ("Réunion « bilan » de l'évènement avec les boutiques", dt.date(2014, 1, 14), dt.date(2014, 1, 14),
     True, SERVICE_PREVENTION, "Bilan", [8]),
]


BUILTIN_TEMPLATE_NOTES = (
    "Le planning de la 1re édition (novembre 2013) tel que le décrit la fiche « Les bons jours de "
    "l'occasion », exprimé en décalages par rapport au premier jour de l'évènement (J). "
    "Les périodes que la fiche donne au mois près sont ancrées en mois."
)

# Titles that named the 2013 dates are made general for a template.
_TEMPLATE_TITLES = {
    0: "Définition du thème à développer pour l'évènement",
    8: "Évènement « Les bons jours de l'occasion » (jours J)",
}
# The sheet gives these periods to the month ("octobre-décembre 2012", "1er trimestre 2013"):
# months keep them at the same place in the calendar whatever the event's day of the month.
_MONTH_OFFSETS = {0: -13, 1: -10}


def builtin_template_specs():
    """The 2013 planning of the sheet as template tasks (offsets from J = 13 November 2013)."""
    from .planning import TemplateTaskSpec, add_months

    # Where each task lands for J = 13 Nov 2013, so links get the lag (0, or the overlap the
    # sheet's dates had) that keeps the template free of violated dependencies.
    starts = {
        index: add_months(FIRST_DAY_2013, _MONTH_OFFSETS[index]) if index in _MONTH_OFFSETS else row[1]
        for index, row in enumerate(TASKS_2013)
    }
    ends = {index: starts[index] + (row[2] - row[1]) for index, row in enumerate(TASKS_2013)}
    specs = []
    for index, (title, start, end, milestone, owner, phase, preds) in enumerate(TASKS_2013):
        deps = tuple((p, min(0, (starts[index] - ends[p]).days - 1)) for p in preds)
        if index in _MONTH_OFFSETS:
            offset, unit = _MONTH_OFFSETS[index], "mois"
        else:
            offset, unit = (start - FIRST_DAY_2013).days, "jours"
        specs.append(TemplateTaskSpec(
            _TEMPLATE_TITLES.get(index, title), offset, unit, (end - start).days, milestone, phase, owner, deps,
        ))
    return specs
