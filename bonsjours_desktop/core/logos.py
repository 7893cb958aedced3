"""Partners' logos: a PNG, JPEG or SVG file checked and kept in the base, and those the posters show.

The bytes live in the base (table organisation_logos), not as a path to a file: a team's shared
PostgreSQL base then gives every colleague the same posters, and a backup or a copy of the base
keeps them. Files are refused with one French line when unreadable, of another kind, or too heavy.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import ConflictError, ValidationError, get_or_raise
from .io.input_files import unreadable_reason
from .models import LOGO_FORMATS, Organisation, OrganisationLogo, RoleType
from .partners import public_facing
from .versions import RowSnapshot, editable, seen

MAX_BYTES = 2 * 1024 * 1024
FORMAT_LABELS = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG"}


@dataclass(frozen=True)
class Logo:
    """One organisation's logo as stored."""

    organisation_id: int
    organisation_name: str
    format: str
    file_name: str
    data: bytes = field(repr=False)
    # The row as loaded: hand it back to set_organisation_logo, which refuses a newer version.
    seen: Optional[RowSnapshot] = field(default=None, compare=False, repr=False)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(1, round(size / 1024))} Ko"


def logo_format(data: bytes, name: str = "") -> str:
    """« png », « jpeg » or « svg » from the file's content (not its extension); a French error otherwise."""
    label = f"« {name} »" if name else "choisi"
    if not data:
        raise ValidationError({"logo": f"Logo {label} : le fichier est vide."})
    if len(data) > MAX_BYTES:
        raise ValidationError({"logo": f"Logo {label} trop lourd : {_size_text(len(data))} "
                                       f"({_size_text(MAX_BYTES)} au plus ; enregistrez-le plus petit)."})
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower():
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise ValidationError({"logo": f"Logo {label} : SVG illisible ({exc})."}) from None
        if root.tag.rsplit("}", 1)[-1] != "svg":
            raise ValidationError({"logo": f"Logo {label} : ce fichier XML n'est pas un dessin SVG."})
        return "svg"
    raise ValidationError({"logo": f"Logo {label} : format non reconnu (PNG, JPEG ou SVG attendu)."})


def read_logo_file(path: Path | str) -> tuple[str, bytes]:
    """(format, bytes) of a logo file, checked; French errors for a missing, unreadable or unfit file."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise ValidationError({"logo": f"Logo « {path} » introuvable."})
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError({"logo": f"Logo « {path.name} » trop lourd : {_size_text(size)} "
                                       f"({_size_text(MAX_BYTES)} au plus ; enregistrez-le plus petit)."})
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError({"logo": f"Logo « {path.name} » illisible : {unreadable_reason(exc)}."}) from None
    return logo_format(data, path.name), data


def _logo(row: OrganisationLogo, name: str) -> Logo:
    return Logo(row.organisation_id, name, row.format, row.file_name, row.data, seen(row))


def organisation_logo(session: Session, organisation_id: int) -> Optional[Logo]:
    organisation = get_or_raise(session, Organisation, organisation_id)
    row = session.get(OrganisationLogo, organisation_id)
    return _logo(row, organisation.name) if row is not None else None


def set_organisation_logo(session: Session, organisation_id: int, data: Optional[bytes], file_name: str = "", *,
                          expected: Optional[RowSnapshot]) -> int:
    """Give the organisation a logo (data: the file's bytes), replace it, or remove it (data None).
    expected: the logo row as the user saw it — None when there was none; refused if it changed since."""
    organisation = get_or_raise(session, Organisation, organisation_id)
    if expected is not None:
        row = editable(session, OrganisationLogo, organisation_id, expected)
    else:
        row = session.get(OrganisationLogo, organisation_id)
        if row is not None:
            raise ConflictError(f"Un logo a été donné à « {organisation.name} » entre-temps : rouvrez sa fiche "
                                "pour le voir avant de le remplacer.")
    if data is None:
        if row is not None:
            session.delete(row)
        session.flush()
        return organisation_id
    fmt = logo_format(data, file_name)
    if row is None:
        row = OrganisationLogo(organisation_id=organisation_id, format=fmt, file_name=file_name, data=data)
        session.add(row)
    else:
        row.format, row.file_name, row.data = fmt, file_name, data
    session.flush()
    return organisation_id


def poster_logos(session: Session, edition_id: int) -> list[Logo]:
    """The logos of the edition's partners that face the public (core.partners.public_facing: the
    press-kit recipients' rule — never an internal service), by name."""
    from .documents.contexts import _roles_of, edition_partners

    partners = edition_partners(session, edition_id)
    if not partners:
        return []
    stored = {row.organisation_id: row for row in session.scalars(
        select(OrganisationLogo).where(OrganisationLogo.organisation_id.in_([o.id for o in partners])))}
    if not stored:
        return []
    roles = _roles_of(session, edition_id)
    receives = {r.id: r.receives_press_kit for r in session.scalars(select(RoleType))}
    logos = []
    for organisation in sorted(partners, key=lambda o: o.name.casefold()):
        row = stored.get(organisation.id)
        own = [(role.status, receives.get(role.role_type_id, False)) for role in roles.get(organisation.id, [])]
        if row is not None and public_facing(organisation.kind, own):
            logos.append(_logo(row, organisation.name))
    return logos


__all__ = ["Logo", "LOGO_FORMATS", "MAX_BYTES", "logo_format", "read_logo_file", "organisation_logo",
           "set_organisation_logo", "poster_logos"]
