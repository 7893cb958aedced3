"""bonsjours self-test: proves an installed or frozen build works, in a throw-away folder.

The one-folder application leaves out whatever it can (build_installer.spec): each step below uses
something a too-eager exclusion would break — migrations, docx templates, Qt's platform, style, image
and French catalogue files, ICU's French collation data, the map's geographic resources, PDF and PNG
drawing, the QR code."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Callable


def register(sub, groups, common) -> None:
    parser = sub.add_parser("self-test", help="vérifier que l'application installée fonctionne (dossier temporaire)", parents=[common])
    parser.set_defaults(handler=run_self_test)


def _steps(folder: Path, state: dict) -> list[tuple[str, Callable[[], str]]]:
    def create() -> str:
        from ..core.db import open_database

        state["db"] = open_database(str(folder / "autotest.sqlite"))
        return "base créée"

    def demo() -> str:
        from sqlalchemy import func, select

        from ..core.demo import load_demo
        from ..core.models import Shop
        from ..core.operations import OperationRunner

        OperationRunner(state["db"]).run("Exemple", lambda s: load_demo(s) and None, undoable=False)
        with state["db"].session() as session:
            shops = session.scalar(select(func.count()).select_from(Shop))
        if shops != 20:
            raise RuntimeError(f"l'exemple devrait compter 20 boutiques, il en compte {shops}")
        return "exemple chargé"

    def check() -> str:
        from ..core.db import integrity_problems

        problems = integrity_problems(state["db"])
        if problems:
            raise RuntimeError("; ".join(problems))
        return "intégrité vérifiée"

    def documents() -> str:
        from docx import Document

        from ..core.documents.generate import generate_directory, generate_press_kits, press_kit_partners
        from ..core.editions import find_edition

        out = folder / "documents"
        with state["db"].session() as session:
            edition_id = find_edition(session, "Avril 2014").id
            directory = generate_directory(session, edition_id, out / "annuaire.docx").documents
            first_partner = press_kit_partners(session, edition_id)[0][0]
            kits = generate_press_kits(session, edition_id, out, organisation_ids=[first_partner]).documents
        written = directory + kits
        if len(written) != 2:
            raise RuntimeError(f"2 documents attendus, {len(written)} écrits")
        for path in written:
            if not any("Boutique" in p.text or "boutique" in p.text for p in Document(str(path)).paragraphs):
                raise RuntimeError(f"« {path.name} » ne contient pas la liste des boutiques")
        return "annuaire et dossier de presse produits"

    def window() -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ..ui.app import application, create_main_window, release_window
        from ..ui.main_window import TAB_SPECS
        from ..ui.theme import apply_theme

        app = application()
        apply_theme(app)
        main_window = create_main_window(state["db"])
        main_window.resize(1366, 768)
        main_window.show()
        for title, _module, _cls in TAB_SPECS:
            main_window.show_tab(title)
        app.processEvents()
        picture = main_window.grab()
        release_window(app, main_window)  # destroyed now, while its base is open and Qt alive
        if picture.isNull() or picture.width() < 100:
            raise RuntimeError("la fenêtre n'a pas pu être dessinée")
        return f"fenêtre dessinée ({len(TAB_SPECS)} onglets)"

    def french_qt() -> str:
        from PySide6.QtCore import QCollator, QCoreApplication, QLocale
        from PySide6.QtGui import QImageReader

        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        if cancel != "Annuler":
            raise RuntimeError(f"traduction française de Qt absente (« Cancel » traduit par « {cancel} »)")
        # French alphabetical order comes from ICU's collation data (trimmed to French in the folder).
        collator = QCollator(QLocale(QLocale.French, QLocale.France))
        names = sorted(["Zoé", "Eure", "élan", "Œuvre", "eau", "oeuf"], key=collator.sortKey)
        if names != ["eau", "élan", "Eure", "oeuf", "Œuvre", "Zoé"]:
            raise RuntimeError(f"ordre alphabétique français faux : {', '.join(names)}")
        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"png", "svg", "jpeg", "gif", "ico"} - formats
        if missing:
            raise RuntimeError(f"formats d'image absents : {', '.join(sorted(missing))}")
        return "Qt en français (boutons, ordre alphabétique, images)"

    def drawings() -> str:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QColor, QImage

        from ..core.communication import public_kit
        from ..core.editions import find_edition
        from ..core.logos import Logo
        from ..render.posters import drawable_logos, write_banner, write_poster

        out = folder / "affiches"
        out.mkdir()
        # Two partners' logos, JPEG and SVG: Qt's image plugins and QtSvg, both kept in the folder for them.
        picture = QImage(60, 30, QImage.Format_RGB32)
        picture.fill(QColor("#1f5c3a"))
        jpeg = QByteArray()
        buffer = QBuffer(jpeg)
        buffer.open(QIODevice.WriteOnly)
        picture.save(buffer, "JPEG")
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#f2c94c"/></svg>'
        logos = drawable_logos([Logo(1, "Partenaire JPEG", "jpeg", "logo.jpg", bytes(jpeg.data())),
                                Logo(2, "Partenaire SVG", "svg", "logo.svg", svg)])
        with state["db"].session() as session:
            kit = public_kit(session, find_edition(session, "Avril 2014").id, "https://exemple.fr/bons-jours")
            poster = out / "affiche.pdf"
            write_poster(session, kit, None, poster, "a4", logos)  # the département's map, its shops, a QR code
            banner = write_banner(kit, 300, 250, out)
        if not poster.read_bytes().startswith(b"%PDF") or poster.stat().st_size < 20_000:
            raise RuntimeError(f"affiche PDF incomplète ({poster.stat().st_size} octets)")
        image = QImage(str(banner))
        if image.isNull() or (image.width(), image.height()) != (300, 250):
            raise RuntimeError("bannière PNG illisible")
        return "affiche PDF (carte, QR code, logos JPEG et SVG) et bannière PNG dessinées"

    return [("base", create), ("exemple", demo), ("intégrité", check), ("documents", documents),
            ("fenêtre", window), ("Qt en français", french_qt), ("affiche", drawings)]


def run_self_test(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bonsjours-autotest-") as tmp:
        folder = Path(tmp)
        previous = os.environ.get("BONSJOURS_DATA_DIR")
        os.environ["BONSJOURS_DATA_DIR"] = str(folder / "donnees")
        done: list[str] = []
        state: dict = {}
        try:
            for name, step in _steps(folder, state):
                try:
                    done.append(step())
                except Exception as exc:  # noqa: BLE001 - the reason is the whole point of a self-test
                    print(f"Autotest ÉCHOUÉ à l'étape « {name} » : {exc}")
                    return 1
        finally:
            if "db" in state:
                state["db"].dispose()  # Windows cannot delete an open file
            if previous is None:
                os.environ.pop("BONSJOURS_DATA_DIR", None)
            else:
                os.environ["BONSJOURS_DATA_DIR"] = previous
    print(f"Autotest réussi en {time.perf_counter() - started:.1f} s : " + ", ".join(done) + ".")
    return 0
