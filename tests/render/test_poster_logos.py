"""Partners' logos on posters: stored in the base, drawn in a band (SVG as vectors, PNG as an image)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtGui import QColor, QImage

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.errors import BonsJoursError
from bonsjours_desktop.core.logos import organisation_logo, poster_logos, set_organisation_logo
from bonsjours_desktop.core.editions import find_edition
from bonsjours_desktop.core.documents.contexts import find_organisations
from bonsjours_desktop.core.operations import OperationRunner

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100">'
       b'<rect width="300" height="100" fill="#c62828"/><circle cx="50" cy="50" r="30" fill="#fff"/></svg>')


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} absent (installé par tools/ensure-system-deps --tests)")
    return path


def _png(path, colour="#1565c0"):
    from bonsjours_desktop.render.headless import ensure_application

    ensure_application()
    image = QImage(120, 60, QImage.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def _images(pdf) -> list[list[str]]:
    listing = subprocess.run([_tool("pdfimages"), "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout
    return [line.split() for line in listing.splitlines()[2:] if line.strip()]


def _posters(db_file, out, size="a4"):
    assert main(["generate", "posters", "--db", str(db_file), "--edition", "Avril 2014", "--out-dir", str(out),
                 "--size", size, "--url", "https://www.exemple.fr/bons-jours"]) == 0
    return out / f"affiche-departement-maine-et-loire-{size}.pdf"


def test_poster_with_logos_embeds_the_png_and_draws_the_svg(demo_file, tmp_path, capsys):
    without = _posters(demo_file, tmp_path / "sans")
    assert _images(without) == []  # no logo configured: the poster has no image at all, as before
    logo = _png(tmp_path / "alm.png")
    svg = tmp_path / "emmaus.svg"
    svg.write_bytes(SVG)
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Angers Loire Métropole",
                 "--file", str(logo)]) == 0
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Emmaüs", "--file", str(svg)]) == 0
    assert "Logo SVG de « Emmaüs » enregistré" in capsys.readouterr().out
    poster = _posters(demo_file, tmp_path / "avec")
    images = _images(poster)
    # the PNG embedded once, at its own size, losslessly; the SVG drawn as vectors (no image)
    assert len(images) == 1 and images[0][3:5] == ["120", "60"] and images[0][8] != "jpeg"
    text = subprocess.run([_tool("pdftotext"), str(poster), "-"], capture_output=True, text=True, check=True).stdout
    assert "Avec le soutien de nos partenaires" in text
    assert "Avec le soutien" not in subprocess.run([_tool("pdftotext"), str(without), "-"], capture_output=True,
                                                   text=True, check=True).stdout
    # removed: back to a poster without image
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Angers Loire Métropole", "--remove"]) == 0
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Emmaüs", "--remove"]) == 0
    assert _images(_posters(demo_file, tmp_path / "retires")) == []


def test_only_public_facing_partners_logos_are_shown(demo_db, tmp_path):
    ops = OperationRunner(demo_db)
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014").id
        public = find_organisations(session, "Angers Loire Métropole")[0].id
        internal = find_organisations(session, "Département – Équipe logistique")[0].id
    png = _png(tmp_path / "logo.png").read_bytes()
    for organisation_id in (public, internal):
        ops.run("logo", lambda s, o=organisation_id: set_organisation_logo(s, o, png, "logo.png", expected=None))
    with demo_db.session() as session:
        assert [logo.organisation_name for logo in poster_logos(session, edition)] == ["Angers Loire Métropole"]


def test_bad_logo_files_are_refused_in_french(demo_file, tmp_path, capsys):
    text_file = tmp_path / "logo.png"
    text_file.write_text("pas une image")
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Emmaüs", "--file", str(text_file)]) != 0
    assert "format non reconnu (PNG, JPEG ou SVG attendu)" in capsys.readouterr().err
    heavy = tmp_path / "lourd.png"
    heavy.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024))
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Emmaüs", "--file", str(heavy)]) != 0
    assert "trop lourd : 3,0 Mo (2,0 Mo au plus" in capsys.readouterr().err
    assert main(["partners", "logo", "--db", str(demo_file), "--org", "Emmaüs", "--file",
                 str(tmp_path / "absent.svg")]) != 0
    assert "introuvable" in capsys.readouterr().err


def test_an_undecodable_stored_logo_stops_the_posters_with_its_name(demo_db, tmp_path):
    from bonsjours_desktop.render.posters import generate_posters

    broken = b"\x89PNG\r\n\x1a\n" + b"garbage" * 20  # a PNG signature, but not an image
    with demo_db.session() as session:
        edition = find_edition(session, "Avril 2014").id
        organisation = find_organisations(session, "Angers Loire Métropole")[0].id
    OperationRunner(demo_db).run("logo", lambda s: set_organisation_logo(s, organisation, broken, "x.png",
                                                                         expected=None))
    with demo_db.session() as session:
        with pytest.raises(BonsJoursError, match="Logo de « Angers Loire Métropole » illisible"):
            generate_posters(session, edition, tmp_path / "out", "a4", "https://www.exemple.fr/x")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_replacing_a_logo_needs_the_version_seen(demo_db, tmp_path):
    from bonsjours_desktop.core.errors import ConflictError

    ops = OperationRunner(demo_db)
    with demo_db.session() as session:
        organisation = find_organisations(session, "Emmaüs")[0].id
    ops.run("logo", lambda s: set_organisation_logo(s, organisation, SVG, "a.svg", expected=None))
    with pytest.raises(ConflictError, match="entre-temps"):
        ops.run("logo", lambda s: set_organisation_logo(s, organisation, SVG, "b.svg", expected=None))
    with demo_db.session() as session:
        seen = organisation_logo(session, organisation).seen
    ops.run("logo", lambda s: set_organisation_logo(s, organisation, SVG, "b.svg", expected=seen))
    with demo_db.session() as session:
        assert organisation_logo(session, organisation).file_name == "b.svg"


def test_the_logo_band_takes_room_only_with_logos_and_wraps_rows():
    from bonsjours_desktop.render.posters import LOGOS_PER_ROW, logo_band_height

    assert logo_band_height(0) == 0.0
    one_row = logo_band_height(LOGOS_PER_ROW)
    assert 0 < logo_band_height(1) == one_row < logo_band_height(LOGOS_PER_ROW + 1)
