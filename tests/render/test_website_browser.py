"""The public page in a real browser: headless Chromium from file://, with every network request refused."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PySide6.QtGui import QImage

from bonsjours_desktop.core.communication import public_kit
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.io.website import generate_website
from bonsjours_desktop.core.processes import run_program

# no name resolves and no proxy answers: a page needing the network would show it broken
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium absent : installez-le avec tools/ensure-system-deps --tests (paquet de la distribution)")


def _run(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    # the flags of a closed machine: no background calls home, no component update, no first-run work
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage",
               f"--user-data-dir={tmp_path / 'profil'}", *OFFLINE, *args]
    return run_program(command, timeout=180)  # Chromium's helpers are ended with it on time-out


@pytest.fixture
def page(demo_db, tmp_path):
    with demo_db.session() as session:
        edition_id = find_edition(session, "Avril 2014").id
        generate_website(session, edition_id, tmp_path / "site", "https://www.exemple.fr/bons-jours")
        kit = public_kit(session, edition_id)
    return tmp_path / "site" / "index.html", kit


def test_every_shop_is_in_the_page_chromium_builds(page, tmp_path):
    index, kit = page
    dom = _run(["--dump-dom", index.as_uri()], tmp_path).stdout
    assert "</html>" in dom
    for shop in kit.shops:
        assert f'id="boutique-{shop["id"]}"' in dom
    assert len(re.findall(r'<li class="shop" id="boutique-', dom)) == len(kit.shops) == 20


@pytest.mark.parametrize("size", ["1280,1000", "390,1600"])  # a computer, a phone
def test_the_map_renders_offline(page, tmp_path, size):
    index, _ = page
    shot = tmp_path / "page.png"
    _run([f"--screenshot={shot}", f"--window-size={size}", index.as_uri()], tmp_path)
    image = QImage(str(shot))
    assert not image.isNull()
    assert image.width() == int(size.split(",")[0])
    # the map drawn: the département's land (#F7F5EE), the taking-part EPCI (#E1EED5) and the shops' markers (#C2410C)
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, image.width(), 2)
               for y in range(0, image.height(), 2)}
    assert {"#F7F5EE", "#E1EED5", "#C2410C"} <= colours
