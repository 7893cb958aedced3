"""Everything a user can cause is one French line and exit 1, never "erreur inattendue" (exit 3):
PostgreSQL addresses and connection errors (password never echoed), foreign or empty bases, a closed
output pipe, a template asking for a huge loop, a read-only base."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.exc import OperationalError

from bonsjours_desktop.cli import main
from bonsjours_desktop.core import db as dbmod
from bonsjours_desktop.core.documents import generate
from bonsjours_desktop.core.documents.engine import DocumentError
from bonsjours_desktop.core.editions import find_edition

PASSWORD = "s3cr3tPW"


def one_french_line(capsys, code: int) -> str:
    captured = capsys.readouterr()
    assert code == 1, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "erreur inattendue" not in captured.err and "Traceback" not in captured.err
    assert PASSWORD not in captured.err + captured.out
    return lines[0]


@pytest.mark.parametrize("url,expected", [
    (f"postgresql+psycopg://coord:{PASSWORD}@127.0.0.1:1/bonsjours", "Serveur PostgreSQL injoignable (« 127.0.0.1 », port 1)"),
    (f"postgres://coord:{PASSWORD}@127.0.0.1:1/bonsjours", "Serveur PostgreSQL injoignable"),
    (f"postgresql://coord:{PASSWORD}@127.0.0.1:notaport/bonsjours", "Adresse de base de données invalide"),
    (f"postgresql://coord:{PASSWORD[:3]}@{PASSWORD[3:]}@127.0.0.1:1/bonsjours", "un « @ » de trop"),
    (f"mysql://coord:{PASSWORD}@serveur/bonsjours", "seules les bases SQLite"),
])
def test_server_addresses_and_unreachable_servers(capsys, url, expected):
    for command in (["check"], ["export", "shops", "--format", "csv", "--out", os.devnull]):
        line = one_french_line(capsys, main(["--db", url, *command]))
        assert expected in line
        assert PASSWORD[3:] not in line  # not even the part after an unescaped « @ »


@pytest.mark.parametrize("options,expected", [
    ("?foo=bar", "l'option « foo » (après le « ? ») n'existe pas"),  # psycopg: ProgrammingError
    ("?connect_timeout=abc", "« abc » n'est pas une valeur possible de l'option « connect_timeout »"),  # idem
    ("?sslmode=bogus", "« bogus » n'est pas une valeur possible de l'option « sslmode »"),
    ("?keepalives=abc", "l'option « keepalives » attend un nombre"),
    ("?host=/dossier/absent", "injoignable (connexion locale « /dossier/absent/.s.PGSQL.1 »)"),
])
def test_address_options_psycopg_refuses_before_connecting(capsys, options, expected):
    """No server needed: psycopg refuses these options before it connects, some of them with a
    ProgrammingError that used to end in « erreur inattendue » (exit 3) and a link in English."""
    url = f"postgresql+psycopg://coord:{PASSWORD}@127.0.0.1:1/bonsjours{options}"
    for command in (["check"], ["init"], ["export", "shops", "--format", "csv", "--out", os.devnull]):
        line = one_french_line(capsys, main(["--db", url, *command]))
        assert expected in line, line


def test_port_out_of_range_is_an_invalid_address(capsys):
    line = one_french_line(capsys, main(["--db", f"postgresql://coord:{PASSWORD}@127.0.0.1:99999/b", "check"]))
    assert "le port « 99999 » n'existe pas" in line


def fake_error(message: str) -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception(message))


@pytest.mark.parametrize("message,expected", [
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  password authentication '
     'failed for user "coord"', "mot de passe incorrect pour l'utilisateur « coord »"),
    ('connection failed: FATAL:  database "bonjours" does not exist', "La base « bonjours » n'existe pas"),
    ('connection failed: FATAL:  role "cord" does not exist', "L'utilisateur « cord » n'existe pas"),
    ("connection failed: fe_sendauth: no password supplied", "demande un mot de passe"),
    ('FATAL:  no pg_hba.conf entry for host "10.0.0.9"', "n'accepte pas les connexions de ce poste"),
    ("connection failed: timeout expired", "injoignable"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: server does not support SSL, but '
     "SSL was required", "n'accepte pas les connexions chiffrées (SSL)"),
    ('connection failed: connection to server at "10.0.0.5", port 5432 failed: FATAL:  unrecognized configuration '
     'parameter "foo"', "ne connaît pas le réglage « foo »"),
])
def test_postgresql_connection_errors_are_translated(message, expected):
    url = f"postgresql+psycopg://coord:{PASSWORD}@10.0.0.5/bonsjours"
    translated = str(dbmod.translate_operational_error(fake_error(message + f" {PASSWORD}"), url))
    assert expected in translated and PASSWORD not in translated and "\n" not in translated


def test_unknown_driver_message_is_scrubbed_of_the_password():
    url = f"postgresql+psycopg://coord:{PASSWORD}@10.0.0.5/bonsjours"
    translated = str(dbmod.translate_operational_error(fake_error(f"odd failure {PASSWORD}\nsecond line"), url))
    assert PASSWORD not in translated and "\n" not in translated and "odd failure" in translated


def test_read_only_base_says_whether_the_file_or_its_folder(tmp_path, monkeypatch):
    base = tmp_path / "base.sqlite"
    base.write_bytes(b"")
    url = "sqlite:///" + str(base)
    error = fake_error("attempt to write a readonly database")
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != base)
    assert "Le fichier de la base" in str(dbmod.translate_operational_error(error, url))
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    assert f"Le dossier « {tmp_path} » de la base est protégé" in str(dbmod.translate_operational_error(error, url))


def test_check_on_an_empty_file_and_a_foreign_sqlite_base(tmp_path, capsys):
    empty = tmp_path / "vide.sqlite"
    empty.write_bytes(b"")
    assert "est vide (aucune table Bons Jours)" in capsys_check(capsys, main(["--db", str(empty), "check"]))
    assert empty.read_bytes() == b""
    foreign = tmp_path / "autre.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE clients (nom TEXT)")
    assert "n'est pas une base Bons Jours" in capsys_check(capsys, main(["--db", str(foreign), "check"]))


def capsys_check(capsys, code: int) -> str:
    captured = capsys.readouterr()
    assert code == 1 and "erreur inattendue" not in captured.err + captured.out
    return captured.out + captured.err


def test_postgresql_missing_and_empty_databases(postgres_server, capsys):
    if isinstance(postgres_server, str):
        pytest.skip(f"PostgreSQL indisponible : {postgres_server}")
    missing = postgres_server.url("bonsjours_absente")
    line = one_french_line(capsys, main(["--db", missing, "check"]))
    assert "La base « bonsjours_absente » n'existe pas sur le serveur PostgreSQL" in line
    empty = postgres_server.create_database("bonsjours_vide_pour_check")
    assert "est vide (aucune table Bons Jours)" in capsys_check(capsys, main(["--db", empty, "check"]))


def test_output_piped_into_a_reader_that_stops(demo_file):
    process = subprocess.Popen(
        [sys.executable, "-m", "bonsjours_desktop", "--db", str(demo_file), "check"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    process.stdout.close()  # like « | head » that has read what it wanted
    with process.stderr:
        error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "sortie interrompue" in error and "Traceback" not in error and "Broken pipe" not in error


def test_template_asking_for_a_huge_range_is_a_french_error(demo_db, tmp_path):
    template = tmp_path / "boucle.docx"
    document = Document()
    document.add_paragraph("{% for i in range(10000000) %}x{% endfor %}")
    document.save(str(template))
    with demo_db.session() as session, pytest.raises(DocumentError, match="boucle ou un texte trop long"):
        generate.generate_directory(session, find_edition(session, "Novembre 2013").id, tmp_path / "out.docx",
                                    template=template)
    assert not (tmp_path / "out.docx").exists()


def _unreadable(monkeypatch, victim: Path) -> None:
    """victim cannot be read, as a file still open in Excel on Windows (root ignores chmod here)."""
    real = Path.read_bytes

    def read_bytes(self):
        if Path(self).name == victim.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def test_images_given_to_documents_that_are_not_images_or_unreadable(demo_file, tmp_path, capsys, monkeypatch):
    """--map and --chart with a CSV, random bytes or a file that cannot be read: python-docx's
    UnrecognizedImageError (no message) and [Errno 13] used to end in « erreur inattendue » (exit 3)."""
    not_image = tmp_path / "carte.png"
    not_image.write_bytes(b"Nom;Commune\nRecyclerie;Angers\n")
    base = ["--db", str(demo_file), "generate"]
    out = tmp_path / "annuaire.docx"
    for command in (["directory", "--edition", "Avril 2014", "--out", str(out), "--map", str(not_image)],
                    ["bilan", "--edition", "Avril 2014", "--out", str(out), "--chart", f"{not_image}=Budget"]):
        line = one_french_line(capsys, main([*base, *command]))
        assert "« carte.png » n'est pas une image utilisable dans un document Word" in line
        assert not out.exists()
    real_png = tmp_path / "vrai.png"
    from PySide6.QtGui import QImage  # a real image, that nobody may read
    QImage(4, 4, QImage.Format.Format_RGB32).save(str(real_png))
    _unreadable(monkeypatch, real_png)
    line = one_french_line(capsys, main([*base, "directory", "--edition", "Avril 2014", "--out", str(out),
                                         "--map", str(real_png)]))
    assert f"Impossible de lire l'image « {real_png} » : accès refusé" in line
    assert not out.exists()


def test_templates_that_are_not_word_documents_or_unreadable(demo_file, tmp_path, capsys, monkeypatch):
    import zipfile

    old_doc = tmp_path / "ancien.docx"
    old_doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # a Word 97 file renamed
    other_zip = tmp_path / "classeur.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    text = tmp_path / "texte.docx"
    text.write_text("pas un document")
    expected = {old_doc: "ancien format .doc", other_zip: "archive endommagée ou d'un autre type",
                text: "fichier d'un autre format ou endommagé"}
    out = tmp_path / "annuaire.docx"
    for template, reason in expected.items():
        for command in (["template", "check", "--kind", "directory", str(template)],
                        ["generate", "directory", "--edition", "Avril 2014", "--out", str(out), "--template",
                         str(template)]):
            line = one_french_line(capsys, main(["--db", str(demo_file), *command]))
            assert f"« {template.name} » n'est pas un document Word (.docx)" in line and reason in line, line
            assert "Package not found" not in line and "zip" not in line.lower()
    from docx import Document as NewDocument

    good = tmp_path / "modele.docx"
    NewDocument().save(str(good))
    _unreadable(monkeypatch, good)
    line = one_french_line(capsys, main(["--db", str(demo_file), "template", "check", "--kind", "directory",
                                         str(good)]))
    assert f"Impossible de lire le modèle « {good} » : accès refusé" in line
    assert not out.exists()


def test_unreadable_logo_says_why_in_french(tmp_path, monkeypatch):
    from bonsjours_desktop.core.errors import ValidationError
    from bonsjours_desktop.core.logos import read_logo_file

    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    _unreadable(monkeypatch, logo)
    with pytest.raises(ValidationError) as caught:
        read_logo_file(logo)
    message = " ".join(caught.value.errors.values())
    assert "accès refusé" in message and "Permission denied" not in message


@pytest.mark.parametrize("paragraph,expected,english", [
    ("{{ 10 ** 10000000 }}", "calcule un nombre trop grand", "Exceeds the limit"),
    ("{% for x in %}x{% endfor %}", "une valeur ou une variable est attendue", "Expected an expression"),
    ("{{ shop_count | }}", "un nom attendu, « }} » trouvé", "end of print statement"),
    ("{{ format(1 }}", "« ) » attendu, « } » trouvé", "expected ')'"),
])
def test_template_mistakes_are_said_in_french(demo_db, tmp_path, paragraph, expected, english):
    template = tmp_path / "modele.docx"
    document = Document()
    document.add_paragraph(paragraph)
    document.save(str(template))
    with demo_db.session() as session, pytest.raises(DocumentError) as refused:
        generate.generate_directory(session, find_edition(session, "Novembre 2013").id, tmp_path / "out.docx",
                                    template=template)
    assert expected in str(refused.value) and english not in str(refused.value), str(refused.value)
    assert not (tmp_path / "out.docx").exists()


def test_an_address_naming_another_postgresql_driver(capsys):
    """« postgresql+psycopg2://… » said « psycopg n'est pas installé » on a machine that has psycopg."""
    import importlib.util

    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 est installé ici")
    line = one_french_line(capsys, main(["--db", f"postgresql+pg8000://coord:{PASSWORD}@127.0.0.1:1/b", "check"]))
    assert "demande le pilote « pg8000 »" in line and "sans pilote (postgresql://" in line


@pytest.mark.parametrize("paragraph", ['{{ "x" * 100000000 }}', "{{ [0] * 10000000 }}", "{{ 7 ** 100000000 }}"])
def test_templates_asking_for_huge_texts_or_numbers_are_refused(demo_db, tmp_path, paragraph):
    """« "x" * 100000000 » built a 100 MB text and a document (exit 0); « 7 ** 100000000 » computed for
    seconds before Python's digit limit: refused at once like range(10000000)."""
    template = tmp_path / "modele.docx"
    document = Document()
    document.add_paragraph(paragraph)
    document.save(str(template))
    with demo_db.session() as session, pytest.raises(DocumentError, match="trop long|trop grand"):
        generate.generate_directory(session, find_edition(session, "Novembre 2013").id, tmp_path / "out.docx",
                                    template=template)
    assert not (tmp_path / "out.docx").exists()
