"""Every package of the source tree is shipped by pyproject.toml (its list is explicit)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bonsjours_desktop").rglob("__init__.py")
    }
    assert found - listed == set()


def test_every_data_folder_is_declared_with_its_files():
    """Each folder of resources/ (and the migrations' versions/) is a listed package with package data:
    a folder left out would be missing from the wheel, or make setuptools print its warnings."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    data = config["tool"]["setuptools"]["package-data"]
    folders = {"bonsjours_desktop.core.migrations.versions"} | {
        ".".join(("bonsjours_desktop", *folder.relative_to(ROOT).parts))
        for folder in [ROOT / "resources", *(ROOT / "resources").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert folders - listed == set()
    assert folders - set(data) == set()
