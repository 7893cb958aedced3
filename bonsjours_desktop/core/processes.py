"""Running another program (LibreOffice, a browser) with a time limit that really ends it.

``subprocess.run(..., capture_output=True, timeout=…)`` kills only the program it started. LibreOffice
(oosplash → soffice.bin) and Chromium (zygote, renderers) start helpers that inherit the output pipes:
after the kill, ``run`` waits for those pipes to close — for ever if a helper hangs. Here the program
starts in its own process group, and on time-out the whole group is ended.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Sequence

_WINDOWS = sys.platform == "win32"


def run_program(command: Sequence[str], *, timeout: float, text: bool = True,
                cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run command, capture its output; on time-out end it with all its helpers, then raise
    subprocess.TimeoutExpired. OSError when it cannot be started (missing, not executable)."""
    options: dict = {"creationflags": subprocess.CREATE_NO_WINDOW | subprocess.CREATE_NEW_PROCESS_GROUP} \
        if _WINDOWS else {"start_new_session": True}
    with subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          text=text, cwd=cwd, env=env, **options) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end_group(process)
            try:
                process.communicate(timeout=10)
            except subprocess.TimeoutExpired:  # a helper that left the group still holds a pipe: leave it
                pass
            raise subprocess.TimeoutExpired(list(command), timeout) from None
        finally:
            if process.poll() is None:  # interrupted (KeyboardInterrupt…): leave nothing running
                _end_group(process)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _end_group(process: subprocess.Popen) -> None:
    if _WINDOWS:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True,
                       creationflags=subprocess.CREATE_NO_WINDOW)
        process.kill()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone
    if process.poll() is None:
        process.kill()
