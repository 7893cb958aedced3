"""Another program run with a time limit: on time-out it ends with every helper it started, even the
ones holding its output pipes (what made subprocess.run wait for ever after LibreOffice or Chromium hung)."""

from __future__ import annotations

import os
import select
import subprocess
import sys

import pytest

from bonsjours_desktop.core.processes import run_program

# A program that starts a helper sharing its output, writes the helper's pid, then hangs with it.
HANGS_WITH_A_HELPER = (
    "import subprocess, sys, time\n"
    "helper = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(900)'])\n"
    "open(sys.argv[1], 'w').write(str(helper.pid))\n"
    "print('prêt', flush=True)\n"
    "time.sleep(900)\n"
)


def _ends_within(pid: int, seconds: float) -> bool:
    """True once the process has ended (a zombie counts: it waits only for its parent's reaper).
    SIGKILL is delivered at once but the process still has to be scheduled to die, later on a busy
    machine: wait for its end as an event (a pidfd turns readable then), not for a fixed time."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([pidfd], [], [], seconds)
        return bool(readable)
    finally:
        os.close(pidfd)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="process groups and pidfd: Linux")
def test_timeout_ends_the_program_and_the_helper_holding_its_pipes(tmp_path):
    pid_file = tmp_path / "helper.pid"
    with pytest.raises(subprocess.TimeoutExpired):
        run_program([sys.executable, "-c", HANGS_WITH_A_HELPER, str(pid_file)], timeout=3)
    helper = int(pid_file.read_text())
    assert _ends_within(helper, 30)


def test_output_and_exit_code_come_back_as_with_subprocess_run(tmp_path):
    done = run_program([sys.executable, "-c", "import sys; print('Emmaüs'); sys.stderr.write('attention'); sys.exit(3)"],
                       timeout=60)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (3, "Emmaüs", "attention")
    raw = run_program([sys.executable, "-c", "import sys; sys.stdout.buffer.write(b'\\x89PNG')"], timeout=60, text=False)
    assert raw.stdout == b"\x89PNG"


def test_a_missing_program_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        run_program([str(tmp_path / "absent")], timeout=5)
