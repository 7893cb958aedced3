"""Resources are found from the source tree, an installed wheel and the frozen bundle; self-test runs;
the one-folder application leaves out what the application does not use.

Building a wheel into a clean environment and freezing with PyInstaller take minutes: those two run in
CI (CI=true) or when BONSJOURS_SLOW_TESTS=1. The trimming helpers are tested here on small inputs."""

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from benchmarks import installer_size
from bonsjours_desktop.cli import main
from bonsjours_desktop.core.resources import resource_path, resources_dir

ROOT = Path(__file__).resolve().parent.parent


def _trim_module():
    spec = importlib.util.spec_from_file_location("installer_trim", ROOT / "tools" / "installer_trim.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trim = _trim_module()
SLOW = os.environ.get("CI") == "true" or os.environ.get("BONSJOURS_SLOW_TESTS") == "1"
slow = pytest.mark.skipif(not SLOW, reason="long : lancé en CI ou avec BONSJOURS_SLOW_TESTS=1")


def test_resources_found_from_the_source_tree():
    assert resources_dir() == ROOT / "resources"
    assert resource_path("icons", "bonsjours.png").is_file()


def test_self_test_in_process(capsys, qapp):
    assert main(["self-test"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Autotest réussi") and "fenêtre dessinée" in out


def test_self_test_checks_french_collation(tmp_path, qapp, monkeypatch):
    from PySide6.QtCore import QCollator

    from bonsjours_desktop.commands.selftest import _steps
    from bonsjours_desktop.ui.app import install_french

    install_french(qapp)
    french_qt = dict(_steps(tmp_path, {}))["Qt en français"]
    assert french_qt().startswith("Qt en français")
    # What Qt does without ICU's collation data: code-point order, « Zoé » before « eau ».
    monkeypatch.setattr(QCollator, "sortKey", lambda self, text: text)
    with pytest.raises(RuntimeError, match="ordre alphabétique français faux : Eure, Zoé, eau"):
        french_qt()


def test_self_test_reports_the_failing_step(capsys, qapp, monkeypatch):
    from bonsjours_desktop.core import db as dbmod

    monkeypatch.setattr(dbmod, "integrity_problems", lambda db: ["Intégrité : page 3 illisible"])
    assert main(["self-test"]) == 1
    assert "ÉCHOUÉ à l'étape « intégrité » : Intégrité : page 3 illisible" in capsys.readouterr().out


def _env():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.slow
@pytest.mark.timeout(900)  # a whole build: minutes on a loaded 2-core machine
@slow
def test_wheel_in_a_clean_environment_passes_self_test(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    wheel = next(wheels.glob("bonsjours_desktop-*.whl"))
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=tmp_path)
    result = subprocess.run([str(python), "-m", "bonsjours_desktop", "self-test"], capture_output=True, text=True,
                            cwd=tmp_path, env=_env(), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    located = subprocess.run([str(python), "-c", "from bonsjours_desktop.core.resources import resources_dir; print(resources_dir())"],
                             capture_output=True, text=True, cwd=tmp_path, env=_env())
    assert str(env_dir) in located.stdout and "site-packages" in located.stdout


@pytest.mark.slow
@pytest.mark.timeout(900)  # a whole build: minutes on a loaded 2-core machine
@slow
def test_frozen_bundle_passes_self_test(tmp_path):
    pytest.importorskip("PyInstaller")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                    str(ROOT / "build_installer.spec")], check=True, cwd=ROOT)
    executable = tmp_path / "dist" / "BonsJours" / ("BonsJours.exe" if os.name == "nt" else "BonsJours")
    result = subprocess.run([str(executable), "self-test"], capture_output=True, text=True, cwd=tmp_path, env=_env(),
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Autotest réussi" in result.stdout and "logos JPEG et SVG) et bannière PNG dessinées" in result.stdout
    internal = tmp_path / "dist" / "BonsJours" / "_internal"
    # What build_installer.spec leaves out stays out (the self-test above proved the rest is enough).
    assert sorted(p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()) == ["qtbase_fr.qm"]
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]  # no link left dangling
    kept = {p.name for p in internal.rglob("*")}
    assert not any(name.startswith(("QtNetwork.", "QtOpenGL.", "objectify.")) for name in kept)
    if sys.platform.startswith("linux"):
        assert not any(name.startswith(("libqgtk3", "libqeglfs", "libcairo", "libpango", "libQt6Network")) for name in kept)
        if shutil.which("cc") or shutil.which("gcc"):
            assert (internal / "PySide6" / "Qt" / "lib" / "libicudata.so.73").stat().st_size < 8_000_000
    print(installer_size.table(installer_size.sizes(tmp_path / "dist" / "BonsJours")))


def _icu_package(names: list[str]) -> bytes:
    """A small ICU common-data package ("CmnD", little-endian), item i holding bytes of value i."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0) + b"CmnD"
    header += bytes([1, 0, 0, 0]) + bytes(4)
    header += bytes(32 - len(header))
    encoded = b"".join(name.encode() + b"\0" for name in names)
    position = 4 + 8 * len(names) + len(encoded)
    table, body, name_at = [], b"", 4 + 8 * len(names)
    for i, name in enumerate(names):
        pad = -position % 16
        body += bytes(pad)
        position += pad
        table.append(struct.pack("<II", name_at, position))
        name_at += len(name) + 1
        body += bytes([i + 1]) * (5 + i)
        position += 5 + i
    return header + struct.pack("<I", len(names)) + b"".join(table) + encoded + body


def test_icu_data_keeps_root_french_english_and_shared_tables():
    keep = trim.keep_icu_item
    assert all(keep(f"icudt73l/{name}") for name in [
        "coll/fr.res", "coll/fr_CA.res", "coll/root.res", "coll/ucadata.icu", "en_GB.res", "root.res", "res_index.res",
        "pool.res", "supplementalData.res", "zoneinfo64.res", "unames.icu", "nfkc.nrm", "brkitr/word.brk",
        "cnvalias.icu", "ibm-5348_P100-1997.cnv", "zone/fr.res", "curr/pool.res"])
    assert not any(keep(f"icudt73l/{name}") for name in [
        "coll/zh.res", "de.res", "zh_Hant_TW.res", "brkitr/cjdict.dict", "translit/root.res", "gb18030.cnv",
        "zone/ja.res", "res.res"])


def test_icu_repackaging_keeps_chosen_items_aligned_and_intact():
    names = ["icudt73l/coll/fr.res", "icudt73l/coll/zh.res", "icudt73l/de.res", "icudt73l/fr.res", "icudt73l/root.res"]
    data, before, after = trim.repackage_icu(_icu_package(names))
    assert (before, after) == (5, 3)
    count = struct.unpack_from("<I", data, 32)[0]
    entries = [struct.unpack_from("<II", data, 36 + 8 * i) for i in range(count)]
    toc = data[32:]
    read = [toc[n:toc.index(b"\0", n)].decode() for n, _d in entries]
    assert read == ["icudt73l/coll/fr.res", "icudt73l/fr.res", "icudt73l/root.res"]  # still sorted: ICU bisects
    assert all((32 + offset) % 16 == 0 for _n, offset in entries)
    original = {name: i for i, name in enumerate(names)}
    for name, (_n, offset) in zip(read, entries):
        i = original[name]
        assert toc[offset:offset + 5 + i] == bytes([i + 1]) * (5 + i)


def test_dropping_a_qt_plugin_drops_the_libraries_only_it_needed(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("ELF only")
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("pas de compilateur C")

    def library(name: str, *needs: str) -> str:
        source = tmp_path / f"{name}.c"
        source.write_text(f"int {name.replace('.', '_').replace('-', '_')}(void) {{ return 1; }}\n")
        links = [f"-l:{n}" for n in needs]
        subprocess.run([cc, "-shared", "-o", str(tmp_path / name), str(source), f"-L{tmp_path}", "-Wl,--no-as-needed", *links],
                       check=True)
        return str(tmp_path / name)

    deep = library("libdeep.so")
    binaries = [("libshared.so", library("libshared.so"), "BINARY"), ("libonly.so", library("libonly.so", "libdeep.so"), "BINARY"),
                ("libdeep.so", deep, "BINARY"),
                ("plugins/x/libtheme.so", library("libtheme.so", "libshared.so", "libonly.so"), "BINARY"),
                ("PySide6/QtGui.so", library("QtGui.so", "libshared.so"), "EXTENSION")]
    kept, dropped = trim.drop_orphans(binaries, {"plugins/x/libtheme.so"})
    assert [dest for dest, _src, _kind in kept] == ["libshared.so", "PySide6/QtGui.so"]
    assert dropped == ["libdeep.so", "libonly.so", "plugins/x/libtheme.so"]


def test_links_to_dropped_libraries_are_dropped_too():
    binaries = [("Qt/lib/libQt6Gui.so.6", "/venv/Qt/lib/libQt6Gui.so.6", "BINARY")]
    datas = [("libQt6Gui.so.6", "Qt/lib/libQt6Gui.so.6", "SYMLINK"), ("libQt6Network.so.6", "Qt/lib/libQt6Network.so.6", "SYMLINK"),
             ("lib/libz.so", "../libz.so.1", "SYMLINK"), ("libz.so.1", "/usr/lib/libz.so.1", "BINARY"),
             ("resources/a.txt", "/src/a.txt", "DATA")]
    kept_binaries, kept_datas = trim.without_dangling_links(binaries, datas)
    assert kept_binaries == binaries
    assert [dest for dest, _src, _kind in kept_datas] == ["libQt6Gui.so.6", "lib/libz.so", "libz.so.1", "resources/a.txt"]


def test_size_by_component_of_a_folder(tmp_path):
    internal = tmp_path / "BonsJours" / "_internal"
    for relative, size in {"PySide6/Qt/lib/libicudata.so.73": 3_000_000, "PySide6/Qt/lib/libQt6Core.so.6": 2_000_000,
                           "numpy.libs/libopenblas.so": 1_500_000, "resources/geo/a.json.gz": 500_000,
                           "libcrypto.so.3": 250_000}.items():
        (internal / relative).parent.mkdir(parents=True, exist_ok=True)
        (internal / relative).write_bytes(bytes(size))
    (tmp_path / "BonsJours" / "BonsJours").write_bytes(bytes(750_000))
    (internal / "liblink.so").symlink_to(internal / "libcrypto.so.3")
    totals = installer_size.sizes(tmp_path / "BonsJours")
    assert totals == {"ICU (données Unicode de Qt)": 3_000_000, "Bibliothèques Qt": 2_000_000,
                      "numpy et OpenBLAS": 1_500_000, "Ressources de l'application": 500_000,
                      "Bibliothèques système": 250_000, "Exécutable et code Python (PYZ)": 750_000}
    figure = installer_size.figures(1, folder=tmp_path / "BonsJours")[0]
    assert figure["name"] == "installer_size" and figure["value"] == 8.0 and figure["target"] == 180
    assert figure["note"].startswith("dossier BonsJours (Mo) ; plus gros composants : ICU (données Unicode de Qt) 3, "
                                     "Bibliothèques Qt 2, ")
