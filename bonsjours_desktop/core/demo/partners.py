"""Demo partners: who does what in each edition, booklet relays, and the sheet's two meetings.

Roles follow the sheet's "Moyens humains" and "Partenaires mobilisés"; the people added here are
invented and flagged is_example; the meetings of 1 July 2013 and 14 January 2014 are the sheet's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import BookletRelay, Contact, EditionRole, Meeting, MeetingAttendee, Organisation, RoleType
from . import base

PILOT = "autre"

# organisation name → list of (role type, description); EPCIs are added from the territories.
ROLES: dict[str, list[tuple[str, str]]] = {
    base.DEPARTEMENT: [("financement", "Finance les supports de communication, les impressions et l'achat d'espaces.")],
    base.SERVICE_PREVENTION: [(PILOT, "Pilote-initiateur : coordonne l'opération et prépare les outils de communication.")],
    base.SERVICE_COMMUNICATION: [("communication", "Affiches, plaquettes, hors-série du magazine et relations presse.")],
    base.SERVICE_IT: [("communication", "Page web « Local et solidaire » et carte interactive des boutiques.")],
    base.SERVICE_LOGISTICS: [("logistique", "Livraison des outils et documents aux boutiques et aux EPCI, reprise et stockage.")],
    "Maisons des solidarités du Département": [("diffusion de l'annuaire", "Diffusion de l'annuaire par le service insertion et le domaine social.")],
    "Ouest-France – correspondants locaux": [("relais presse locale", "Articles d'annonce et reportages dans les boutiques.")],
    "Le Courrier de l'Ouest": [("relais presse locale", "Annonce de l'évènement dans les pages locales.")],
    "CCAS d'Angers": [("diffusion de l'annuaire", "Annuaire remis aux usagers du CCAS.")],
    "CCAS de Cholet": [("diffusion de l'annuaire", "Annuaire remis aux usagers du CCAS.")],
}
ESS = ["Emmaüs", "Secours Catholique – Délégation de Maine-et-Loire", "Envie Anjou", "APIVET", "Arceau Anjou",
       "Réseau des ressourceries"]
ESS_ROLE = ("boutique participante", "Ouvre ses boutiques solidaires les deux jours avec des animations.")
EPCI_ROLES = [
    ("animations prévention en boutique", "Animations « prévention déchets » dans les boutiques du territoire."),
    ("relais presse locale", "Relais auprès des correspondants de la presse locale."),
]
# (edition name, organisation, role type) whose status is not « confirmé »: plausible hesitations.
NOT_CONFIRMED = {
    (base.NOV_2013, "Le Courrier de l'Ouest", "relais presse locale"): "invité",
    (base.NOV_2013, "CCAS de Cholet", "diffusion de l'annuaire"): "invité",
    (base.APR_2014, "SMITOM du Sud Saumurois", "relais presse locale"): "décliné",
    (base.APR_2014, "SICTOM Loir et Sarthe", "relais presse locale"): "invité",
}

# Invented people (is_example) so that mailing and vCard export have something to work on.
CONTACTS: list[tuple[str, str, str, str, str, str]] = [
    (base.SERVICE_COMMUNICATION, "Hélène Durand", "Chargée de communication", "h.durand@exemple-departement.fr", "02 41 81 40 01", "courriel"),
    (base.SERVICE_IT, "Pierre Lemaître", "Chef de projet web", "p.lemaitre@exemple-departement.fr", "02 41 81 40 02", "courriel"),
    (base.SERVICE_LOGISTICS, "Bruno Guérin", "Responsable de l'équipe logistique", "b.guerin@exemple-departement.fr", "02 41 81 40 03", "téléphone"),
    ("Maisons des solidarités du Département", "Nathalie Fournier", "Responsable insertion", "n.fournier@exemple-departement.fr", "02 41 81 40 04", "courriel"),
    ("Emmaüs", "François Bernier", "Responsable de la communauté", "contact@exemple-emmaus.fr", "02 41 39 72 30", "téléphone"),
    ("Secours Catholique – Délégation de Maine-et-Loire", "Marie-Thérèse Aubert", "Déléguée départementale", "mt.aubert@exemple-secours.fr", "02 41 88 85 65", "courriel"),
    ("Envie Anjou", "Karim Benali", "Directeur", "k.benali@exemple-envie.fr", "02 41 73 40 70", "courriel"),
    ("APIVET", "Lucie Martineau", "Encadrante technique", "l.martineau@exemple-apivet.fr", "02 41 88 35 19", "courriel"),
    ("Arceau Anjou", "Yann Le Goff", "Coordinateur de la ressourcerie", "y.legoff@exemple-arceau.fr", "02 41 66 08 50", "rencontre"),
    ("Réseau des ressourceries", "Chloé Perrin", "Animatrice du réseau", "c.perrin@exemple-ressourceries.fr", "", "courriel"),
    ("Ouest-France – correspondants locaux", "Jean-Luc Tessier", "Correspondant local", "jl.tessier@exemple-presse.fr", "06 12 34 56 78", "téléphone"),
    ("Le Courrier de l'Ouest", "Sandrine Roux", "Journaliste, pages locales", "s.roux@exemple-presse.fr", "02 41 25 00 00", "courriel"),
    ("CCAS d'Angers", "Isabelle Chevalier", "Travailleuse sociale", "i.chevalier@exemple-ccas.fr", "02 41 05 49 00", "courriel"),
    ("CCAS de Cholet", "Olivier Marchand", "Responsable de l'accueil", "o.marchand@exemple-ccas.fr", "02 41 49 26 00", "courrier"),
]

# (edition, organisation, quantity, date, notes)
RELAYS: list[tuple[str, str, int, dt.date, str]] = [
    (base.NOV_2013, "Maisons des solidarités du Département", 600, dt.date(2013, 10, 21), "Réparti entre les maisons des solidarités."),
    (base.NOV_2013, "CCAS d'Angers", 200, dt.date(2013, 10, 24), ""),
    (base.NOV_2013, "CCAS de Cholet", 120, dt.date(2013, 10, 25), ""),
    (base.APR_2014, "Maisons des solidarités du Département", 800, dt.date(2014, 3, 17), "Plaquette 2014 « Dénicher de bonnes affaires »."),
    (base.APR_2014, "CCAS d'Angers", 250, dt.date(2014, 3, 19), ""),
    (base.APR_2014, "CCAS de Cholet", 150, dt.date(2014, 3, 20), ""),
]

JULY_MEETING = "Réunion des acteurs de l'ESS et des animateurs de prévention"
REVIEW_MEETING = "Réunion bilan"
JULY_MINUTES = (
    "Présentation de l'évènement des 13 et 16 novembre 2013 et du rôle de chacun : les boutiques ouvrent "
    "avec des animations, les animateurs de prévention des EPCI animent en boutique et relaient auprès de "
    "la presse locale, le Département fournit les supports de communication.\n"
    "Premières rencontres entre plusieurs structures qui ne se connaissaient pas."
)
REVIEW_MINUTES = (
    "Bilan de l'édition de novembre 2013 avec les représentants des 17 boutiques solidaires : large "
    "public attiré par l'annonce et les animations ; mercredi et samedi confirmés comme jours communs.\n"
    "Décision : reconduire « Les bons jours de l'occasion » les 2 et 5 avril 2014."
)
ABSENT_IN_JULY = {"SICTOM Loir et Sarthe", "Communauté de communes Vallée Loire Authion"}


def _role_plan(context: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    plan = dict(ROLES)
    for name in ESS:
        plan[name] = [ESS_ROLE]
    for territory in context["territories"]:
        plan[territory.name] = list(EPCI_ROLES)
    return plan


def load(session: Session, context: dict[str, Any]) -> None:
    """Add roles, contacts, relays and meetings where missing (idempotent)."""
    organisations: dict[str, Organisation] = context["organisations"]
    role_types = {r.name: r for r in session.scalars(select(RoleType))}
    nov, apr = context["editions"]

    for org_name, name, function, email, phone, channel in CONTACTS:
        organisation = organisations[org_name]
        found = session.scalars(select(Contact).filter_by(organisation_id=organisation.id, name=name)).first()
        if found is None:
            session.add(Contact(organisation_id=organisation.id, name=name, function=function, email=email,
                                phone=phone, preferred_channel=channel, is_example=True))
    session.flush()

    # Journalists call the Département's communication officer (the sheet's "relations presse").
    press_contact = session.scalars(select(Contact).filter_by(
        organisation_id=organisations[base.SERVICE_COMMUNICATION].id, name="Hélène Durand")).first()
    for edition in (nov, apr):
        if edition.press_contact_id is None and press_contact is not None:
            edition.press_contact_id = press_contact.id

    first_contact = {}
    for contact in session.scalars(select(Contact).order_by(Contact.id)):
        first_contact.setdefault(contact.organisation_id, contact.id)

    plan = _role_plan(context)
    for edition in (nov, apr):
        existing = set(
            session.execute(select(EditionRole.organisation_id, EditionRole.role_type_id).filter_by(edition_id=edition.id))
        )
        for org_name, roles in plan.items():
            organisation = organisations[org_name]
            for role_name, description in roles:
                role_type = role_types.get(role_name)
                if role_type is None or (organisation.id, role_type.id) in existing:
                    continue
                status = NOT_CONFIRMED.get((edition.name, org_name, role_name), "confirmé")
                session.add(EditionRole(edition_id=edition.id, organisation_id=organisation.id, role_type_id=role_type.id,
                                        description=description, contact_id=first_contact.get(organisation.id),
                                        status=status, is_example=True))
    session.flush()

    editions = {nov.name: nov, apr.name: apr}
    for edition_name, org_name, quantity, date, notes in RELAYS:
        edition, organisation = editions[edition_name], organisations[org_name]
        found = session.scalars(
            select(BookletRelay).filter_by(edition_id=edition.id, organisation_id=organisation.id, date=date)
        ).first()
        if found is None:
            session.add(BookletRelay(edition_id=edition.id, organisation_id=organisation.id, quantity=quantity,
                                     date=date, notes=notes))

    epcis = [t.name for t in context["territories"]]
    july_invited = [base.SERVICE_PREVENTION, *ESS, *epcis]
    review_invited = [base.SERVICE_PREVENTION, base.SERVICE_COMMUNICATION, base.SERVICE_LOGISTICS, *ESS, *epcis[:4]]
    for date, subject, minutes, invited, absent in (
        (dt.date(2013, 7, 1), JULY_MEETING, JULY_MINUTES, july_invited, ABSENT_IN_JULY),
        (dt.date(2014, 1, 14), REVIEW_MEETING, REVIEW_MINUTES, review_invited, {"Arceau Anjou"}),
    ):
        if session.scalars(select(Meeting).filter_by(edition_id=nov.id, date=date, subject=subject)).first():
            continue
        meeting = Meeting(edition_id=nov.id, date=date, subject=subject, minutes=minutes, is_example=False)
        session.add(meeting)
        for org_name in invited:
            meeting.attendees.append(
                MeetingAttendee(organisation_id=organisations[org_name].id, attended=org_name not in absent)
            )
    session.flush()
