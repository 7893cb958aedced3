"""The edition's partners, their roles, and what every press kit and role sheet of an edition shares."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..editions import list_editions
from ..errors import NotFoundError
from ..models import (
    Contact,
    EditionRole,
    Organisation,
    Participation,
    Shop,
)
from ..participations import takes_part, taking_part
from ..validation import fold
from .common import _participations, _previous_summary, _shops

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
        # Only the shops taking part are loaded: a regional base has thousands of others.
        "shops": _shops(session, active_only=False,
                        ids=[shop_id for shop_id, p in participations.items() if takes_part(p.status)]),
        "roles": _roles_of(session, edition_id),
        "animator_orgs": _animator_orgs(session, edition_id),
        "previous": _previous_summary(list_editions(session), edition_id),
        "partners": edition_partners(session, edition_id),
    }
