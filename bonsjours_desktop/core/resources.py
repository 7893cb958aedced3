"""One way to find bundled resources from a source checkout, an installed wheel or a frozen app."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The folder holding templates/, icons/...: frozen bundle, wheel, then source checkout."""
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    # An installed wheel ships the top-level resources/ inside the package (see pyproject.toml).
    candidates.append(_PACKAGE_DIR / "resources")
    candidates.append(_PACKAGE_DIR.parent / "resources")
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError(
        "Dossier des ressources introuvable (cherché dans : "
        + ", ".join(str(c) for c in candidates)
        + ")."
    )


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. resource_path("templates", "annuaire.docx")."""
    return resources_dir().joinpath(*parts)
