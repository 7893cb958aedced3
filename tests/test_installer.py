"""Resources are found from the source tree, an installed wheel and the frozen bundle; self-test runs.

Building a wheel into a clean environment and freezing with PyInstaller take minutes: those two run in
CI (CI=true) or when BONSJOURS_SLOW_TESTS=1."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from bonsjours_desktop.cli import main
from bonsjours_desktop.core.resources import resource_path, resources_dir

ROOT = Path(__file__).resolve().parent.parent
SLOW = os.environ.get("CI") == "true" or os.environ.get("BONSJOURS_SLOW_TESTS") == "1"
slow = pytest.mark.skipif(not SLOW, reason="long : lancé en CI ou avec BONSJOURS_SLOW_TESTS=1")


def test_resources_found_from_the_source_tree():
    assert resources_dir() == ROOT / "resources"
    assert resource_path("icons", "bonsjours.png").is_file()


def test_self_test_in_process(capsys, qapp):
    assert main(["self-test"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Autotest réussi") and "fenêtre dessinée" in out


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
                            cwd=tmp_path, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    located = subprocess.run([str(python), "-c", "from bonsjours_desktop.core.resources import resources_dir; print(resources_dir())"],
                             capture_output=True, text=True, cwd=tmp_path, env=_env())
    assert str(env_dir) in located.stdout and "site-packages" in located.stdout


@pytest.mark.slow
@slow
def test_frozen_bundle_passes_self_test(tmp_path):
    pytest.importorskip("PyInstaller")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
                    str(ROOT / "build_installer.spec")], check=True, cwd=ROOT)
    executable = tmp_path / "dist" / "BonsJours" / ("BonsJours.exe" if os.name == "nt" else "BonsJours")
    result = subprocess.run([str(executable), "self-test"], capture_output=True, text=True, cwd=tmp_path, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Autotest réussi" in result.stdout
