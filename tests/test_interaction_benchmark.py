"""The interaction benchmark runs end to end at a tiny scale and reports every figure (no timing asserted)."""

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.interaction import figures
from benchmarks.run import Figure


def test_tiny_interaction_benchmark_reports_each_figure():
    result = figures(1, factor=0.01)
    names = {f["name"] for f in result}
    assert {"tab_open_dashboard", "tab_open_shops", "tab_open_documents", "rename_repaint", "filter_keystroke",
            "memory_all_tabs"} <= names
    # what Planning and Boutiques draw after their first image is timed until drawn
    assert {"tab_ready_planning", "tab_ready_shops"} <= names
    for figure in result:
        Figure(**figure).finish()  # the keys benchmarks.run expects
        assert figure["value"] > 0 and figure["runs"] == 1 and figure["note"]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM: Linux only")
def test_memory_figure_is_the_childs_own_peak_not_its_parents():
    # A child's ru_maxrss keeps its parent's peak across exec on Linux: `make bench` (a parent holding the
    # 10× base) made the child report 1 761 Mo. The figure must be the child's own peak.
    ballast = b"\x01" * (256 * 1024 * 1024)  # this process's peak: at least 256 Mo, pages written
    probe = ("import resource; from benchmarks.interaction import own_peak_rss_mb; "
             "print(own_peak_rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    del ballast
    own, inherited = (float(v) for v in result.stdout.split())
    assert inherited >= 256  # the trap is real here
    assert own < 128  # a bare interpreter: its own peak only
