"""Posters (vector PDF per territory, QR code decoded from a rendering) and web banners (PNG sizes)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtGui import QImage

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.communication import public_kit
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.render.posters import BANNER_SIZES, write_banner, write_poster

URL = "https://www.enanjoujereduismesdechets.fr/local-et-solidaire"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} absent (installé par tools/ensure-system-deps --tests)")
    return path


def _decode_qr(pdf, folder) -> list[str]:
    """The QR codes found on the first page rendered at 100 dpi (pdftoppm, then zbarimg)."""
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
                   check=True)
    page = next(folder.glob("page*.png"))
    found = subprocess.run([_tool("zbarimg"), "-q", "--raw", str(page)], capture_output=True, text=True)
    return found.stdout.split()


def _pdf_text(pdf) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a3_posters_per_territory_with_a_qr_code_to_the_address(demo_file, tmp_path, capsys):
    out = tmp_path / "affiches"
    assert main(["generate", "posters", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir", str(out),
                 "--url", URL]) == 0
    files = sorted(p.name for p in out.glob("*.pdf"))
    # nine territories take part in Avril 2014, plus the whole département
    assert len(files) == 10
    assert "affiche-pays-segreen-a3.pdf" in files and "affiche-departement-maine-et-loire-a3.pdf" in files
    poster = out / "affiche-pays-segreen-a3.pdf"
    assert _decode_qr(poster, tmp_path) == [URL]
    text = _pdf_text(poster)  # text stays text (vector), in its public names
    assert "Pays segréen" in text and "Recyclerie du Segréen" in text and "Mercredi 2 et samedi 5 avril 2014" in text
    assert "Secours Catholique – Boutique solidaire de Segré" in text
    assert "Emmaüs Angers" not in text  # another territory's shop
    info = subprocess.run([_tool("pdfinfo"), str(poster)], capture_output=True, text=True, check=True).stdout
    assert "A3" in info
    fonts = subprocess.run([_tool("pdffonts"), str(poster)], capture_output=True, text=True, check=True).stdout
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all(row.split()[-5] == "yes" for row in font_rows)  # every font embedded
    assert "10 affiche(s) produit(s)" in capsys.readouterr().out


def test_the_departement_poster_lists_every_shop_taking_part(demo_db, tmp_path):
    with demo_db.session() as session:
        kit = public_kit(session, find_edition(session, "Avril 2014").id, URL)
        assert write_poster(session, kit, None, tmp_path / "dep.pdf", "a3")
    text = " ".join(_pdf_text(tmp_path / "dep.pdf").split())
    for shop in kit.shops:
        assert " ".join(shop["name"].split()[:2]) in text
    assert len(kit.shops) == 20


def test_bus_shelter_poster_has_its_bleed(demo_db, tmp_path):
    with demo_db.session() as session:
        kit = public_kit(session, find_edition(session, "Avril 2014").id, URL)
        write_poster(session, kit, kit.territories[0], tmp_path / "abribus.pdf", "abribus")
    info = subprocess.run([_tool("pdfinfo"), str(tmp_path / "abribus.pdf")], capture_output=True, text=True,
                          check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    # 1 200 × 1 760 mm finished + 5 mm bleed on each side
    assert width * 25.4 / 72 == pytest.approx(1210, abs=0.5)
    assert height * 25.4 / 72 == pytest.approx(1770, abs=0.5)


def test_without_an_address_posters_have_no_qr_code_and_say_so(demo_file, tmp_path, capsys):
    out = tmp_path / "affiches"
    assert main(["generate", "posters", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir", str(out),
                 "--size", "a4"]) == 0
    assert "Pas d'adresse de page web" in capsys.readouterr().err
    assert _decode_qr(out / "affiche-loire-layon-a4.pdf", tmp_path) == []


def test_a_mistyped_address_is_refused_before_anything_is_written(demo_file, tmp_path, capsys):
    out = tmp_path / "affiches"
    assert main(["generate", "posters", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir", str(out),
                 "--url", "www.exemple.fr sans protocole"]) == 1
    assert "Adresse de la page web invalide" in capsys.readouterr().err
    assert not out.exists()


def test_remembered_address_is_used_next_time(demo_file, tmp_path, capsys):
    first, second = tmp_path / "un", tmp_path / "deux"
    assert main(["generate", "posters", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir", str(first),
                 "--size", "a4", "--url", URL, "--remember-url"]) == 0
    assert main(["generate", "posters", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir", str(second),
                 "--size", "a4"]) == 0
    assert "Pas d'adresse" not in capsys.readouterr().err
    assert _decode_qr(second / "affiche-loire-layon-a4.pdf", tmp_path) == [URL]


def test_banners_at_the_usual_sizes(demo_file, tmp_path, capsys):
    assert main(["generate", "banners", "--db", str(demo_file), "--edition", "Avril 2014", "--out-dir",
                 str(tmp_path)]) == 0
    for width, height in BANNER_SIZES:
        image = QImage(str(tmp_path / f"banniere-{width}x{height}.png"))
        assert (image.width(), image.height()) == (width, height)
        # not a plain background: the name and dates are drawn (white and yellow pixels)
        colours = {image.pixelColor(x, y).name() for x in range(0, width, 3) for y in range(0, height, 3)}
        assert len(colours) > 20
    assert "3 bannière(s) produit(s)" in capsys.readouterr().out


def test_banner_text_changes_with_the_dates(demo_db, tmp_path):
    with demo_db.session() as session:
        kit = public_kit(session, find_edition(session, "Avril 2014").id, "")
    one = write_banner(kit, 300, 250, tmp_path)
    kit.dates_text = "samedi 1er mars 2031"
    other = write_banner(kit, 300, 250, tmp_path / "x") if (tmp_path / "x").mkdir() is None else None
    assert QImage(str(one)) != QImage(str(other))
