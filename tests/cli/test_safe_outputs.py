"""Outputs never clobber: no export, document, chart or backup is ever written onto the base, its
companions or the backups folder; writes are atomic and get the umask's permissions."""

from __future__ import annotations

import os
import stat

import pytest

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.errors import BonsJoursError
from bonsjours_desktop.core.io import safe_write
from bonsjours_desktop.core.io.safe_write import atomic_write, check_output_target

SQLITE_HEADER = b"SQLite format 3\x00"


def protect_folders_named(monkeypatch, name: str) -> None:
    """Temporary files refused in any folder whose path holds name, as the file system would refuse them in
    a protected folder (tests run as root, for whom folder permissions do not apply)."""
    import tempfile

    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and name in str(dir):
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def snapshot(path):
    return path.read_bytes()


@pytest.mark.parametrize("command", [
    ["export", "shops", "--format", "csv"],
    ["export", "shops", "--format", "xlsx"],
    ["export", "shops", "--format", "geojson"],
    ["export", "partners", "--format", "vcf"],
    ["export", "role-matrix", "--edition", "Novembre 2013", "--format", "csv"],
    ["export", "planning", "--edition", "Novembre 2013", "--format", "ics"],
    ["export", "budget", "--edition", "Novembre 2013", "--format", "csv"],
    ["export", "comparison"],
])
def test_exporting_onto_the_open_base_is_refused_and_the_base_stays_whole(demo_file, capsys, command):
    before = snapshot(demo_file)
    code = main(["--db", str(demo_file), *command, "--out", str(demo_file)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Rien n'a été écrit" in err and err.count("\n") == 1  # one French line
    assert snapshot(demo_file) == before
    assert main(["--db", str(demo_file), "check"]) == 0
    assert "intégrité vérifiée" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm", ".lock"])
def test_the_base_companions_are_refused(demo_file, capsys, suffix):
    companion = demo_file.with_name(demo_file.name + suffix)
    assert main(["--db", str(demo_file), "export", "shops", "--format", "csv", "--out", str(companion)]) == 1
    assert "base de données ouverte" in capsys.readouterr().err
    assert not companion.exists()


def test_another_base_and_the_backups_folder_are_refused(demo_file, tmp_path, capsys, private_data_dir):
    other = tmp_path / "autre.sqlite"
    other.write_bytes(SQLITE_HEADER + bytes(100))
    assert main(["--db", str(demo_file), "export", "shops", "--format", "csv", "--out", str(other)]) == 1
    assert "est une base de données" in capsys.readouterr().err
    assert other.read_bytes() == SQLITE_HEADER + bytes(100)
    backups = private_data_dir / "sauvegardes"
    backups.mkdir(exist_ok=True)
    assert main(["--db", str(demo_file), "export", "shops", "--format", "csv", "--out", str(backups / "b.csv")]) == 1
    assert "dossier des sauvegardes" in capsys.readouterr().err
    assert main(["--db", str(demo_file), "export", "budget-charts", "--edition", "Novembre 2013",
                 "--out", str(backups)]) == 1
    assert "dossier des sauvegardes" in capsys.readouterr().err
    assert list(backups.iterdir()) == []


def test_missing_folder_and_a_folder_as_file_are_french_errors(demo_file, tmp_path, capsys):
    assert main(["--db", str(demo_file), "export", "shops", "--format", "csv",
                 "--out", str(tmp_path / "absent" / "b.csv")]) == 1
    assert "n'existe pas" in capsys.readouterr().err
    assert main(["--db", str(demo_file), "export", "budget", "--edition", "Novembre 2013",
                 "--out", str(tmp_path / "absent" / "b.xlsx")]) == 1
    assert "n'existe pas" in capsys.readouterr().err
    folder = tmp_path / "dossier.csv"
    folder.mkdir()
    assert main(["--db", str(demo_file), "export", "shops", "--out", str(folder)]) == 1
    assert "est un dossier" in capsys.readouterr().err
    assert main(["--db", str(demo_file), "backup", "--out", str(folder)]) == 1
    assert "est un dossier" in capsys.readouterr().err
    assert list(folder.iterdir()) == []  # no stray ".partiel"


def test_atomic_write_keeps_the_old_file_on_failure_and_uses_the_umask(tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    target = tmp_path / "export.csv"
    target.write_text("ancien")
    os.chmod(target, 0o640)

    def fails(temporary):
        temporary.write_text("à moitié")
        raise OSError(28, "No space left on device")

    with pytest.raises(BonsJoursError, match="disque plein"):
        atomic_write(target, fails)
    assert target.read_text() == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]  # no temporary left
    atomic_write(target, "nouveau")
    assert target.read_text() == "nouveau" and stat.S_IMODE(target.stat().st_mode) == 0o640  # kept
    fresh = atomic_write(tmp_path / "neuf.csv", b"x")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~safe_write._UMASK  # 0644, not mkstemp's 0600


def test_generated_documents_are_readable_by_colleagues(demo_file, tmp_path, capsys, private_data_dir):
    out = tmp_path / "annuaire.docx"
    assert main(["--db", str(demo_file), "generate", "directory", "--edition", "Novembre 2013", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~safe_write._UMASK
    backups = private_data_dir / "sauvegardes"
    assert main(["--db", str(demo_file), "generate", "directory", "--edition", "Novembre 2013",
                 "--out", str(backups / "annuaire.docx")]) == 1
    assert "Rien n'a été écrit" in capsys.readouterr().err
    assert not (backups / "annuaire.docx").exists()
    assert main(["--db", str(demo_file), "check"]) == 0


def test_check_output_target_knows_the_base_from_a_session(demo_db, tmp_path):
    with demo_db.session() as session:
        if demo_db.path is None:
            pytest.skip("une base SQLite")
        with pytest.raises(BonsJoursError, match="base de données ouverte"):
            check_output_target(demo_db.path, session)
    assert check_output_target(tmp_path / "ok.csv", demo_db) == (tmp_path / "ok.csv").resolve()


def test_read_only_folders_are_french_errors(demo_file, tmp_path, capsys, monkeypatch):
    import sqlite3
    import tempfile

    from bonsjours_desktop.core import db as dbmod

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Tests run as root, for whom folder permissions do not apply: the refusal is simulated where the
    # file system would give it.
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    for command in (["export", "budget", "--edition", "Novembre 2013", "--out", str(tmp_path / "b.xlsx")],
                    ["export", "budget-charts", "--edition", "Novembre 2013", "--out", str(tmp_path / "graphiques")]):
        assert main(["--db", str(demo_file), *command]) == 1
        err = capsys.readouterr().err
        assert "accès refusé" in err and "erreur inattendue" not in err and err.count("\n") == 1
    monkeypatch.undo()

    def unable(source, destination):
        destination.with_name(destination.name + ".partiel").write_bytes(b"x")
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(dbmod, "sqlite_backup", unable)
    out = tmp_path / "copie.sqlite"
    assert main(["--db", str(demo_file), "backup", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Impossible d'écrire la sauvegarde" in err and "erreur inattendue" not in err
    assert not out.with_name("copie.sqlite.partiel").exists()


@pytest.mark.parametrize("command", [
    ["generate", "press-kits", "--edition", "Novembre 2013", "--out-dir"],
    ["generate", "role-sheets", "--edition", "Novembre 2013", "--out-dir"],
    ["generate", "delivery-sheets", "--edition", "Avril 2014", "--out-dir"],
    ["generate", "directory", "--edition", "Novembre 2013", "--out"],
    ["generate", "bilan", "--edition", "Novembre 2013", "--out"],
])
def test_documents_refuse_a_bad_target_before_the_first_document(demo_file, tmp_path, capsys, monkeypatch,
                                                                  private_data_dir, command):
    """Word documents: the open base as a folder, the backups folder, a protected folder are refused in one
    French line before anything is rendered (no « [1/16] … » progress line first, no English
    « File exists » / « Permission denied »)."""
    backups = private_data_dir / "sauvegardes"
    backups.mkdir(exist_ok=True)
    single = command[-1] == "--out"
    targets = {backups / "docs": "dossier des sauvegardes", tmp_path / "protégé": "accès refusé"}
    if not single:
        targets[demo_file] = "est un fichier, pas un dossier"
    protect_folders_named(monkeypatch, "protégé")
    before = demo_file.read_bytes()
    for folder, expected in targets.items():
        target = folder / "document.docx" if single else folder
        assert main(["--db", str(demo_file), *command, str(target)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and expected in err, err
        assert "[1/" not in err and "Permission denied" not in err and "File exists" not in err
        assert not list(folder.glob("*.docx")) if folder.is_dir() else True
    assert demo_file.read_bytes() == before


def test_a_folder_given_as_the_document_file_is_refused(demo_file, tmp_path, capsys):
    folder = tmp_path / "annuaires"
    folder.mkdir()
    assert main(["--db", str(demo_file), "generate", "directory", "--edition", "Novembre 2013", "--out", str(folder)]) == 1
    assert "est un dossier : indiquez le nom du document .docx" in capsys.readouterr().err
    assert not (tmp_path / "annuaires.docx").exists()


def test_system_errors_are_said_in_french():
    import errno

    for code in (errno.EEXIST, errno.ENOTDIR, errno.ENOENT, errno.ENAMETOOLONG, errno.EROFS, errno.ENOSPC,
                 errno.EIO, errno.ELOOP):
        reason = safe_write.os_reason(OSError(code, os.strerror(code)))
        assert os.strerror(code) not in reason and reason, code


@pytest.mark.parametrize("command", [
    ["generate", "posters", "--edition", "Novembre 2013", "--out-dir"],
    ["generate", "banners", "--edition", "Novembre 2013", "--out-dir"],
    ["generate", "website", "--edition", "Novembre 2013", "--out-dir"],
    ["export", "review-charts", "--out-dir"],
])
def test_a_protected_output_folder_is_refused_before_any_work(demo_file, tmp_path, capsys, monkeypatch, command):
    """check_output_folder tries to create a file there: posters printed « [1/10] … » before the refusal."""
    protect_folders_named(monkeypatch, "protégé")
    folder = tmp_path / "protégé"
    folder.mkdir()
    assert main(["--db", str(demo_file), *command, str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accès refusé" in err and "[1/" not in err, err
    assert list(folder.iterdir()) == []


def test_backup_out_empty_or_into_a_protected_folder(demo_file, tmp_path, capsys, monkeypatch, private_data_dir):
    """« backup --out "" » wrote the default backup (an unset shell variable taken for « no --out »); a
    protected folder ended with SQLite's English « (unable to open database file) »."""
    import tempfile

    assert main(["--db", str(demo_file), "backup", "--out", ""]) == 1
    assert "--out est vide" in capsys.readouterr().err
    assert not list((private_data_dir / "sauvegardes").rglob("*.sqlite"))

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    out = tmp_path / "copie.sqlite"
    assert main(["--db", str(demo_file), "backup", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "accès refusé" in err and "unable to open" not in err, err
    assert not out.exists() and not out.with_name("copie.sqlite.partiel").exists()


def test_an_unreadable_or_truncated_backup_is_refused_in_french(demo_file, tmp_path, capsys, monkeypatch):
    truncated = tmp_path / "tronquée.sqlite"
    truncated.write_bytes(demo_file.read_bytes()[:50000])
    assert main(["--db", str(demo_file), "restore", str(truncated)]) == 1
    err = capsys.readouterr().err
    assert "est endommagé" in err and "malformed" not in err and "not a database" not in err, err
    unreadable = tmp_path / "illisible.sqlite"
    unreadable.write_bytes(demo_file.read_bytes())
    from pathlib import Path

    real_open = Path.open

    def open_(self, *args, **kwargs):
        if self.name == unreadable.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    assert main(["--db", str(demo_file), "restore", str(unreadable)]) == 1
    err = capsys.readouterr().err
    assert "accès refusé" in err and "Permission denied" not in err, err
    monkeypatch.undo()
    assert main(["--db", str(demo_file), "check"]) == 0


@pytest.mark.parametrize("command,suffix", [
    (["export", "shops", "--out"], ".csv"),
    (["generate", "directory", "--edition", "Novembre 2013", "--out"], ".docx"),
    (["generate", "banners", "--edition", "Novembre 2013", "--out-dir"], ""),
    (["backup", "--out"], ".sqlite"),
])
def test_a_file_name_too_long_is_a_french_error(demo_file, tmp_path, capsys, command, suffix):
    """300 characters: Path.exists() itself raised « [Errno 36] File name too long » (erreur inattendue)."""
    target = tmp_path / ("a" * 300 + suffix)
    assert main(["--db", str(demo_file), *command, str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nom de fichier trop long" in err and "Errno" not in err, err


def test_a_copy_never_replaces_a_base_open_in_another_window(demo_file, tmp_path, capsys):
    """« backup --out autre.sqlite » replaced another base even while a window had it open (its lock held)
    or a program was writing it (its -journal there); an older backup of one's own is still replaced."""
    from bonsjours_desktop.core.instance_lock import InstanceLock

    other = tmp_path / "autre.sqlite"
    other.write_bytes(demo_file.read_bytes())
    before = other.read_bytes()
    with InstanceLock(other):
        assert main(["--db", str(demo_file), "backup", "--out", str(other)]) == 1
        assert "ouverte dans une autre fenêtre Bons Jours" in capsys.readouterr().err
    journal = tmp_path / "autre.sqlite-journal"
    journal.write_bytes(b"")
    assert main(["--db", str(demo_file), "backup", "--out", str(other)]) == 1
    assert "en cours d'écriture par un autre programme" in capsys.readouterr().err
    assert other.read_bytes() == before
    journal.unlink()
    assert main(["--db", str(demo_file), "backup", "--out", str(other)]) == 0  # nobody uses it: replaced


@pytest.mark.parametrize("kind", ["directory", "bilan"])
def test_a_document_aimed_at_the_base_is_refused_not_renamed(demo_file, tmp_path, capsys, kind):
    """« generate directory --out base.sqlite » wrote « base.sqlite.docx » next to the base and said nothing
    (likewise its -wal, .lock, another base): the slip is refused, as for every export."""
    other = tmp_path / "autre.sqlite"
    other.write_bytes(demo_file.read_bytes())
    for target in (demo_file, demo_file.with_name(demo_file.name + "-wal"), demo_file.with_name(demo_file.name + ".lock"),
                   other):
        assert main(["--db", str(demo_file), "generate", kind, "--edition", "Novembre 2013", "--out", str(target)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Rien n'a été écrit" in err, err
        assert not target.with_name(target.name + ".docx").exists()
    assert main(["--db", str(demo_file), "check"]) == 0


@pytest.mark.parametrize("command", [
    ["export", "shops", "--format", "csv", "--out"],
    ["generate", "directory", "--edition", "Novembre 2013", "--out"],
    ["generate", "press-kits", "--edition", "Novembre 2013", "--out-dir"],
    ["export", "review-charts", "--out-dir"],
])
def test_an_empty_output_option_is_a_mistake_said_as_such(demo_file, capsys, command, tmp_path, monkeypatch):
    """« --out "" » was taken for « . »: « « . » est un dossier », or, for --out-dir, the current folder filled."""
    here = tmp_path / "ici"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["--db", str(demo_file), *command, ""]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("--out est vide" in err or "--out-dir est vide" in err), err
    assert list(here.iterdir()) == []
