"""Partners: organisations, their contacts and their roles in each edition."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .models import Contact, Organisation


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str
    kind: str
    territory: str
    commune: str
    email: str
    phone: str
    contact_count: int
    is_example: bool


def list_organisation_rows(session: Session) -> list[OrganisationRow]:
    counts = dict(session.execute(select(Contact.organisation_id, func.count()).group_by(Contact.organisation_id)).all())
    organisations = session.scalars(select(Organisation).options(selectinload(Organisation.territory)).order_by(Organisation.name))
    return [
        OrganisationRow(o.id, o.name, o.kind, o.territory.name if o.territory else "", o.commune, o.email, o.phone,
                        counts.get(o.id, 0), o.is_example)
        for o in organisations
    ]
