"""Reading a file the user named (a Word template, an image, a logo): its bytes, or one French sentence
for each reason it cannot be read — missing, a folder, no access (still open in another program on
Windows, or protected), any other system error in French. Never Python's « [Errno 13] … »."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ..errors import BonsJoursError


def unreadable_reason(exc: OSError) -> str:
    """Why a file cannot be read, in French."""
    if isinstance(exc, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    if isinstance(exc, PermissionError):
        return "accès refusé (fichier ouvert dans un autre programme, ou droits insuffisants)"
    return f"erreur du système ({exc.strerror or exc.__class__.__name__})"


def read_input(path: Union[str, Path], what: str = "le fichier") -> bytes:
    """The bytes of path; BonsJoursError « Impossible de lire <what> « path » : <raison>. » otherwise."""
    path = Path(path).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BonsJoursError(f"Impossible de lire {what} « {path} » : {unreadable_reason(exc)}.") from None


__all__ = ["read_input", "unreadable_reason"]
