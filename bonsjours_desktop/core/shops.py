"""Shops (boutiques solidaires): queries and validated operations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Participation, Shop


@dataclass(frozen=True)
class ShopRow:
    """What a table of shops shows: plain values, no ORM object behind."""

    id: int
    name: str
    network: str
    legal_form: str
    may_promote: bool
    address: str
    postal_code: str
    commune: str
    territory: str
    phone: str
    email: str
    products: tuple[str, ...]
    open_days: tuple[str, ...]
    active: bool
    participates: bool
    has_coordinates: bool
    is_example: bool


def list_shop_rows(session: Session, edition_id: Optional[int] = None) -> list[ShopRow]:
    participating: set[int] = set()
    if edition_id is not None:
        participating = set(
            session.scalars(select(Participation.shop_id).where(Participation.edition_id == edition_id))
        )
    shops = session.scalars(select(Shop).options(selectinload(Shop.territory)).order_by(Shop.name))
    return [
        ShopRow(
            id=s.id,
            name=s.name,
            network=s.network,
            legal_form=s.legal_form,
            may_promote=s.may_promote,
            address=s.address,
            postal_code=s.postal_code,
            commune=s.commune,
            territory=s.territory.name if s.territory else "",
            phone=s.phone,
            email=s.email,
            products=tuple(s.products or ()),
            open_days=tuple(day for day, ranges in (s.opening_hours or {}).items() if ranges),
            active=s.active,
            participates=s.id in participating,
            has_coordinates=s.latitude is not None and s.longitude is not None,
            is_example=s.is_example,
        )
        for s in shops
    ]
